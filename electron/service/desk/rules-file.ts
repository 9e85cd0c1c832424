// The dispatch rules' settings file (config/dispatch-rules.json, or the path the
// service is given): read when it changes (its mtime), so an administrator's edit takes
// effect without a restart. A missing file is no rules; an unreadable or invalid one is
// its errors, logged once per change, and the rules that are sound.
import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseDispatchRules, type ParsedRules } from '../../../core/desk/rules';

/** Where the service looks when it is given no path: the settings folder of the working directory. */
export const DEFAULT_RULES_FILE = 'config/dispatch-rules.json';

const STAT_EVERY_MS = 1000;

export interface RulesSource {
  /** The rules in force now (the file re-read when it changed). */
  current(): ParsedRules & { source: string | null };
}

export function rulesFromFile(path: string, log: { error(message: string, detail?: unknown): void }): RulesSource {
  const file = resolve(path);
  let stamp = '';
  let checkedAt = -Infinity;
  let held: ParsedRules & { source: string | null } = { rules: [], errors: [], source: null };
  return {
    current() {
      // Asked on every change of events: the file is looked at once a second at most.
      const now = Date.now();
      if (now - checkedAt < STAT_EVERY_MS && now >= checkedAt) return held;
      checkedAt = now;
      let next: string;
      try {
        const st = statSync(file);
        next = `${st.mtimeMs}:${st.size}`;
      } catch {
        next = 'missing';
      }
      if (next === stamp) return held;
      stamp = next;
      if (next === 'missing') {
        held = { rules: [], errors: [], source: null };
        return held;
      }
      try {
        held = { ...parseDispatchRules(readFileSync(file, 'utf8')), source: file };
      } catch (error) {
        held = { rules: [], errors: [`无法读取派遣规则文件 ${file}：${error instanceof Error ? error.message : String(error)}`], source: file };
      }
      if (held.errors.length > 0) log.error(`[desk] dispatch rules ${file}: ${held.errors.join('; ')}`);
      return held;
    },
  };
}

/** Rules given as they are (tests, an embedding that keeps them elsewhere). */
export function fixedRules(parsed: ParsedRules): RulesSource {
  const held = { ...parsed, source: null };
  return { current: () => held };
}
