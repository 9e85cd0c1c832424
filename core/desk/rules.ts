// Dispatch rules (派遣规则): category × area → the lead department or a grid worker, and
// the cooperating departments; a rule may say `auto`, and then the platform dispatches
// by itself (方案4: 平台根据事件类型和所属区域自动派遣, 明确牵头部门和配合部门). Rules come
// from a settings file (config/dispatch-rules.json); where none matches, the list of
// matters (事项清单: the category's lead and cooperating departments, core/catalog)
// proposes the dispatch, never automatically. Pure: the data service reads the file and
// the replica, the dispatch dialog shows the proposal.
import * as z from 'zod';
import { Catalog } from '../catalog/catalog';
import type { Category, Department, GridEvent, Worker, WorkerRole } from '../model';
import { GRID_CODE_PATTERN } from '../grid/codes';

const id = z.string().trim().min(1).max(64);

export const DispatchRuleTargetSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('department'), id }),
  z.object({ kind: z.literal('person'), id }),
  /** The grid worker responsible for the event's grid (on duty first). */
  z.object({ kind: z.literal('gridWorker') }),
]);

export const DispatchRuleSchema = z.object({
  id,
  name: z.string().trim().min(1).max(100),
  /** A category code of the list of matters: the rule covers it and every category below it. */
  category: id,
  /** A town (9 digits), village or community (12) or grid (15) code; absent: the whole town. */
  area: z.string().regex(GRID_CODE_PATTERN, { error: '区域应为9、12或15位网格编码' }).optional(),
  to: DispatchRuleTargetSchema,
  cooperating: z.array(id).max(10).optional(),
  /** Dispatch without waiting for a dispatcher (as the system, through the outbox). */
  auto: z.boolean().default(false),
});
export type DispatchRule = z.output<typeof DispatchRuleSchema>;

export const DISPATCH_RULES_VERSION = 1;

/** The file as a whole; each rule is checked on its own so that one bad rule does not drop the others. */
const RulesFileSchema = z.object({ version: z.literal(DISPATCH_RULES_VERSION), rules: z.array(z.unknown()).max(2000) });

export interface ParsedRules {
  rules: DispatchRule[];
  /** zh-CN, one line per problem (the file, or a rule by its position and id). */
  errors: string[];
}

/** Reads the settings file's text: the sound rules, and a line for each that is not. */
export function parseDispatchRules(text: string): ParsedRules {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { rules: [], errors: [`派遣规则文件不是有效的 JSON：${error instanceof Error ? error.message : String(error)}`] };
  }
  const file = RulesFileSchema.safeParse(json);
  if (!file.success) return { rules: [], errors: [`派遣规则文件格式不对：应为 {"version": ${DISPATCH_RULES_VERSION}, "rules": [...]}`] };
  const rules: DispatchRule[] = [];
  const errors: string[] = [];
  const seen = new Set<string>();
  file.data.rules.forEach((raw, i) => {
    const rule = DispatchRuleSchema.safeParse(raw);
    if (!rule.success) {
      errors.push(`第${i + 1}条规则无效：${[...new Set(rule.error.issues.map((x) => `${x.path.join('.')} ${x.message}`))].join('；')}`);
      return;
    }
    if (seen.has(rule.data.id)) return void errors.push(`第${i + 1}条规则的编号重复：${rule.data.id}`);
    if (rule.data.to.kind === 'person' || rule.data.to.kind === 'gridWorker') {
      if ((rule.data.cooperating ?? []).length > 0) return void errors.push(`第${i + 1}条规则（${rule.data.id}）派给网格员，不能指定配合部门`);
    }
    seen.add(rule.data.id);
    rules.push(rule.data);
  });
  return { rules, errors };
}

/** The problems of rules against the town as replicated (unknown categories, departments, workers). */
export function ruleProblems(rules: readonly DispatchRule[], town: Pick<DispatchContext, 'categories' | 'departments' | 'workers'>): string[] {
  const cats = new Set(town.categories.map((c) => c.code));
  const depts = new Set(town.departments.map((d) => d.id));
  const workers = new Set(town.workers.map((w) => w.id));
  const out: string[] = [];
  for (const r of rules) {
    if (!cats.has(r.category)) out.push(`规则“${r.name}”：未知的事项类别 ${r.category}`);
    if (r.to.kind === 'department' && !depts.has(r.to.id)) out.push(`规则“${r.name}”：未知的部门 ${r.to.id}`);
    if (r.to.kind === 'person' && !workers.has(r.to.id)) out.push(`规则“${r.name}”：未知的网格员 ${r.to.id}`);
    for (const d of r.cooperating ?? []) if (!depts.has(d)) out.push(`规则“${r.name}”：未知的配合部门 ${d}`);
  }
  return out;
}

export interface DispatchContext {
  rules: readonly DispatchRule[];
  categories: readonly Category[];
  departments: readonly Department[];
  workers: readonly Worker[];
}

export interface DispatchProposal {
  to: { kind: 'department' | 'person'; id: string } | null;
  cooperating: string[];
  /** True only when a matching rule says auto and its target is known. */
  auto: boolean;
  /** The rule that matched, or null: the list of matters proposes. */
  rule: { id: string; name: string } | null;
  /** zh-CN: where the proposal comes from, for the dialog and the history. */
  basis: string;
}

/** The category and its ancestors' codes, from the top group down. */
function categoryPath(code: string, byCode: ReadonlyMap<string, Category>): string[] {
  const out: string[] = [];
  for (let c = byCode.get(code); c && out.length < 20; c = c.parent === null ? undefined : byCode.get(c.parent)) out.unshift(c.code);
  return out;
}

/** The most specific rule for a category in a grid: the deepest category, then the narrowest area, then the file's order. */
export function matchRule(rules: readonly DispatchRule[], event: Pick<GridEvent, 'category' | 'grid'>, categories: readonly Category[]): DispatchRule | null {
  const path = categoryPath(event.category, new Map(categories.map((c) => [c.code, c])));
  const depth = new Map(path.map((code, i) => [code, i]));
  let best: DispatchRule | null = null;
  let bestKey = [-1, -1];
  for (const r of rules) {
    const d = depth.get(r.category) ?? (r.category === event.category ? path.length : undefined);
    if (d === undefined || !event.grid.startsWith(r.area ?? '')) continue;
    const key = [d, (r.area ?? '').length];
    if (key[0]! > bestKey[0]! || (key[0] === bestKey[0] && key[1]! > bestKey[1]!)) {
      best = r;
      bestKey = key;
    }
  }
  return best;
}

const ROLE_ORDER: readonly WorkerRole[] = ['villageWorker', 'townWorker', 'gridLeader', 'liaison'];

/** The grid worker a `gridWorker` rule sends: on duty first, the grid's own before its village's, 村网格员 first, then by id. */
export function gridWorkerFor(grid: string, workers: readonly Worker[]): Worker | null {
  const mine = workers.filter((w) => w.grids.some((g) => grid.startsWith(g)));
  const key = (w: Worker): [number, number, number] => [w.onDuty ? 0 : 1, w.grids.includes(grid) ? 0 : 1, ROLE_ORDER.indexOf(w.role)];
  mine.sort((a, b) => {
    const [ka, kb] = [key(a), key(b)];
    for (let i = 0; i < 3; i++) if (ka[i] !== kb[i]) return ka[i]! - kb[i]!;
    return a.id.localeCompare(b.id);
  });
  return mine[0] ?? null;
}

/** The list of matters' route (lead and cooperating departments, an area's override), or the category's own when the list does not validate. */
function catalogRoute(category: string, grid: string, ctx: DispatchContext): { department: string; cooperating: string[] } | null {
  try {
    const r = new Catalog(ctx.categories, ctx.departments).route(category, grid);
    return { department: r.department, cooperating: r.cooperating };
  } catch {
    const c = ctx.categories.find((x) => x.code === category);
    return c ? { department: c.department, cooperating: (c.cooperating ?? []).filter((d) => d !== c.department) } : null;
  }
}

/** Whom to dispatch an event to, and whether without a dispatcher. */
export function proposeDispatch(event: Pick<GridEvent, 'category' | 'grid'>, ctx: DispatchContext): DispatchProposal {
  const known = new Set(ctx.departments.map((d) => d.id));
  const rule = matchRule(ctx.rules, event, ctx.categories);
  if (rule !== null) {
    const named = { id: rule.id, name: rule.name };
    if (rule.to.kind === 'department') {
      const lead = rule.to.id;
      const cooperating = rule.cooperating ?? catalogRoute(event.category, event.grid, ctx)?.cooperating ?? [];
      const ok = known.has(lead);
      return { to: ok ? { kind: 'department', id: lead } : null, cooperating: ok ? cooperating.filter((d) => d !== lead && known.has(d)) : [], auto: ok && rule.auto, rule: named, basis: `派遣规则“${rule.name}”` };
    }
    const worker = rule.to.kind === 'person' ? ctx.workers.find((w) => w.id === (rule.to as { id: string }).id) ?? null : gridWorkerFor(event.grid, ctx.workers);
    return { to: worker ? { kind: 'person', id: worker.id } : null, cooperating: [], auto: worker !== null && rule.auto, rule: named, basis: `派遣规则“${rule.name}”` };
  }
  const route = catalogRoute(event.category, event.grid, ctx);
  if (route === null || !known.has(route.department)) return { to: null, cooperating: [], auto: false, rule: null, basis: '事项清单中没有该类别的牵头部门' };
  return {
    to: { kind: 'department', id: route.department },
    cooperating: route.cooperating.filter((d) => known.has(d)),
    auto: false,
    rule: null,
    basis: '事项清单（牵头部门与配合部门）',
  };
}

/** The dispatch note that names the rule in the event's history. */
export function autoDispatchNote(rule: { name: string }): string {
  return `按派遣规则“${rule.name}”自动派遣`;
}
