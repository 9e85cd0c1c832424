// The assessment methods (core/api/assessment.ts) over the replica. Who sees what:
// the town's roles (leader, dispatcher, secretary) every table; a department operator its
// own department's row only; a village operator (a grid scope) the workers, villages and
// grids of its grids; a viewer (the wall) no person-level rows (no worker table).
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ParsedArgsOf, ResultOf } from '../../../core/api/contract';
import type { AssessmentTable } from '../../../core/api/assessment';
import type { Caller } from '../../../core/api/channels';
import { ASSESSMENT_TARGETS, TARGET_LABELS, figureSpec, type AssessmentTarget } from '../../../core/assessment/figures';
import { previousPeriod, resolvePeriod, type AssessmentPeriod } from '../../../core/assessment/period';
import { AssessmentSchemeSchema, DEFAULT_SCHEME, type AssessmentScheme } from '../../../core/assessment/scheme';
import type { Category, Worker } from '../../../core/model';
import { workerInScope, type EventScope } from '../../../core/privacy/scope';
import { toIso } from '../../../core/time/shanghai';
import type { SqliteDatabase } from '../db/sqlite';
import { ApiFailure } from '../service';
import { AssessmentEngine, paramsOf, type EngineSource } from './engine';
import { analyse } from './analysis';
import { readCatalog, readScheme } from './importers';

export interface AssessmentOptions {
  /** The replica's connection (Replica.store()); absent: the methods answer `unavailable`. */
  store?: { db: SqliteDatabase; write<T>(fn: () => T): T } | undefined;
  replica: Omit<EngineSource, 'db'> & { categories(): Category[] };
  clock: () => number;
  scopeOf: (caller: Caller) => EventScope | null;
  /** The scheme's settings file (config/assessment-scheme.json); absent or unreadable: the default. */
  schemeFile?: string | undefined;
  log?: { error(message: string, detail?: unknown): void };
  /** Records an import in the audit trail (kind 'settings'). */
  audit?: (entry: { kind: 'settings'; action: string; target: string | null; detail: string }, caller: Caller) => void;
}

type SchemeSource = ResultOf<'assessment.scheme'>;

export type PatrolRow = { worker_id: string; day: string; online_ms: number; distance_m: number; fixes: number; grids: string; stops: number };

export interface AssessmentService {
  engine: AssessmentEngine | null;
  scheme(): SchemeSource;
  /** Stores an imported scheme (inside the caller's write, or its own). */
  saveScheme(scheme: AssessmentScheme, atMs: number): void;
  /** patrol_days rows of these workers between two days (inclusive), by day then worker. */
  patrolRows(workerIds: readonly string[], from: string, to: string): PatrolRow[];
  /** The tables a caller may see for a period. */
  tablesFor(caller: Caller, period: AssessmentPeriod, targets: readonly AssessmentTarget[]): AssessmentTable[];
  handlers: {
    'assessment.run': (args: ParsedArgsOf<'assessment.run'>, caller: Caller) => ResultOf<'assessment.run'>;
    'assessment.events': (args: ParsedArgsOf<'assessment.events'>, caller: Caller) => ResultOf<'assessment.events'>;
    'assessment.scheme': (args: ParsedArgsOf<'assessment.scheme'>, caller: Caller) => ResultOf<'assessment.scheme'>;
    'analysis.run': (args: ParsedArgsOf<'analysis.run'>, caller: Caller) => ResultOf<'analysis.run'>;
    'assessment.importScheme': (args: ParsedArgsOf<'assessment.importScheme'>, caller: Caller) => Promise<ResultOf<'assessment.importScheme'>>;
    'catalog.import': (args: ParsedArgsOf<'catalog.import'>, caller: Caller) => Promise<ResultOf<'catalog.import'>>;
  };
}

/** The scheme's settings file: GRIDDECK_ASSESSMENT_SCHEME, else config/assessment-scheme.json of the working folder when present. */
export function defaultSchemeFile(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.GRIDDECK_ASSESSMENT_SCHEME) return env.GRIDDECK_ASSESSMENT_SCHEME;
  const file = resolve('config/assessment-scheme.json');
  return existsSync(file) ? file : undefined;
}

function schemeFromFile(file: string | undefined, log: AssessmentOptions['log']): AssessmentScheme | null {
  if (file === undefined) return null;
  try {
    return AssessmentSchemeSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
  } catch (error) {
    log?.error(`[assessment] the scheme file ${file} is not usable, the default applies`, error);
    return null;
  }
}

/** The targets a caller may see, and the rows of each. */
function visible(caller: Caller, scope: EventScope | null, target: AssessmentTarget, workers: ReadonlyMap<string, Worker>): ((id: string) => boolean) | null {
  if (caller.role === 'viewer' && target === 'workers') return null;
  if (scope === null) return () => true;
  if (scope.department !== undefined) return target === 'departments' ? (id) => id === scope.department : null;
  const grids = scope.grids ?? [];
  if (target === 'departments') return null;
  if (target === 'workers') return (id) => workers.has(id) && workerInScope(workers.get(id) as Worker, scope);
  return (code) => grids.some((g) => g.startsWith(code));
}

export function createAssessment(options: AssessmentOptions): AssessmentService {
  const { store, replica, clock } = options;
  const engine = store ? new AssessmentEngine({ ...replica, db: store.db, grids: () => replica.grids(), workers: () => replica.workers(), departments: () => replica.departments() }) : null;
  const fileScheme = schemeFromFile(options.schemeFile, options.log);
  const need = (): AssessmentEngine => {
    if (!engine) throw new ApiFailure('unavailable', '考核数据暂不可用（本地副本未打开）');
    return engine;
  };

  const scheme = (): SchemeSource => {
    const row = store?.db.prepare<{ value: string; at: number }>("SELECT value, at FROM assessment_settings WHERE key = 'scheme'").get();
    if (row) {
      const parsed = AssessmentSchemeSchema.safeParse(JSON.parse(row.value));
      if (parsed.success) return { scheme: parsed.data, source: 'imported', at: toIso(row.at) };
    }
    return fileScheme ? { scheme: fileScheme, source: 'file', at: null } : { scheme: DEFAULT_SCHEME, source: 'default', at: null };
  };

  /** One setting in one transaction: an import is stored whole or not at all. */
  const saveSetting: SaveSetting = (key, value, atMs) => {
    if (!store) throw new ApiFailure('unavailable', '考核数据暂不可用（本地副本未打开）');
    store.write(() => store.db.prepare('INSERT OR REPLACE INTO assessment_settings (key, value, at) VALUES (?, ?, ?)').run(key, value, atMs));
  };

  const tablesFor = (caller: Caller, period: AssessmentPeriod, targets: readonly AssessmentTarget[]): AssessmentTable[] => {
    const scope = options.scopeOf(caller);
    const workers = new Map(replica.workers().map((w) => [w.id, w]));
    const allowed = targets.map((t) => ({ t, show: visible(caller, scope, t, workers) })).filter((x) => x.show !== null);
    const tables = need().tables(period, allowed.map((x) => x.t), scheme().scheme, clock());
    return tables.map((table, i) => {
      const show = allowed[i]?.show as (id: string) => boolean;
      return { ...table, rows: table.rows.filter((r) => show(r.id)) };
    });
  };

  return {
    engine,
    scheme,
    saveScheme: (s, atMs) => saveSetting('scheme', JSON.stringify(s), atMs),
    tablesFor,
    patrolRows: (workerIds, from, to) => {
      if (!store || workerIds.length === 0) return [];
      return store.db
        .prepare<PatrolRow>(
          `SELECT worker_id, day, online_ms, distance_m, fixes, grids, stops FROM patrol_days
           WHERE day >= ? AND day <= ? AND worker_id IN (SELECT value FROM json_each(?)) ORDER BY day, worker_id`,
        )
        .all(from, to, JSON.stringify(workerIds));
    },
    handlers: {
      'assessment.run': (args, caller) => {
        const now = clock();
        const period = resolvePeriod(args, now);
        const targets = args.targets && args.targets.length > 0 ? args.targets : ASSESSMENT_TARGETS;
        const out: ResultOf<'assessment.run'> = { period: periodOut(period), tables: tablesFor(caller, period, targets), scheme: scheme().scheme.name };
        if (args.compare) {
          const prev = previousPeriod(period, now);
          out.previous = { period: periodOut(prev), tables: tablesFor(caller, prev, targets) };
        }
        return out;
      },
      'assessment.events': (args, caller) => {
        const spec = figureSpec(args.target, args.figure);
        if (!spec) throw new ApiFailure('invalid', `未知的考核指标：${args.figure}`);
        const workers = new Map(replica.workers().map((w) => [w.id, w]));
        const show = visible(caller, options.scopeOf(caller), args.target, workers);
        if (show === null || !show(args.id)) throw new ApiFailure('forbidden', `无权查看此${TARGET_LABELS[args.target]}的考核明细`);
        const now = clock();
        const period = resolvePeriod(args, now);
        const { ids, truncated } = need().drill(args.target, args.id, args.figure, args.part, paramsOf(period, now));
        const part = spec.kind === 'ratio' ? (args.part === 'den' ? '（分母）' : '（分子）') : '';
        return { ids, truncated, label: `${period.label} ${spec.label}${part}` };
      },
      'assessment.scheme': () => scheme(),
      ...importHandlers(options, saveSetting),
      'analysis.run': (args, caller) => analysisOf(options, args, caller),
    },
  };
}

const periodOut = (p: AssessmentPeriod): ResultOf<'assessment.run'>['period'] => ({ from: p.from, to: p.to, label: p.label, asOf: p.asOf });

type SaveSetting = (key: 'scheme' | 'catalog', value: string, atMs: number) => void;

/** The importers' handlers: a refused file answers ok: false with every rejected row; a good one is stored in one transaction. */
function importHandlers(options: AssessmentOptions, saveSetting: SaveSetting): Pick<AssessmentService['handlers'], 'assessment.importScheme' | 'catalog.import'> {
  const { clock, replica } = options;
  return {
    'assessment.importScheme': async ({ fileName, data }, caller) => {
      const outcome = await readScheme(Buffer.from(data, 'base64'), fileName.replace(/\.xlsx$/i, '').slice(0, 80) || '导入的考核方案');
      if (!outcome.ok) return { ok: false, message: outcome.message, rows: 0, errors: outcome.errors };
      const at = clock();
      saveSetting('scheme', JSON.stringify(outcome.value), at);
      options.audit?.({ kind: 'settings', action: 'assessment.importScheme', target: null, detail: `导入考核方案“${outcome.value.name}”（${outcome.rows} 项）` }, caller);
      return { ok: true, message: `已导入考核方案“${outcome.value.name}”，共 ${outcome.rows} 项指标`, rows: outcome.rows, errors: [] };
    },
    'catalog.import': async ({ fileName, data }, caller) => {
      const outcome = await readCatalog(Buffer.from(data, 'base64'), replica.departments());
      if (!outcome.ok) return { ok: false, message: outcome.message, rows: 0, errors: outcome.errors };
      saveSetting('catalog', JSON.stringify(outcome.value), clock());
      options.audit?.({ kind: 'settings', action: 'catalog.import', target: null, detail: `导入事项清单“${fileName}”（${outcome.rows} 项）` }, caller);
      return { ok: true, message: `已导入事项清单，共 ${outcome.rows} 项`, rows: outcome.rows, errors: [] };
    },
  };
}

/** 分析研判 for a caller: the town's, or its grids' (a department has no grids of its own to analyse). */
function analysisOf(options: AssessmentOptions, args: ParsedArgsOf<'analysis.run'>, caller: Caller): ResultOf<'analysis.run'> {
  const { store, clock, replica } = options;
  if (!store) throw new ApiFailure('unavailable', '分析数据暂不可用（本地副本未打开）');
  const now = clock();
  const period = resolvePeriod(args, now);
  const scope = options.scopeOf(caller);
  // A department's analysis would need its events, not grids: it sees the town's figures of its own events only through the queue.
  if (scope?.department !== undefined) throw new ApiFailure('forbidden', '部门账号无权查看全镇分析研判');
  const gridCodes = scope?.grids ?? null;
  return { period: periodOut(period), ...analyse({ db: store.db, grids: () => replica.grids(), categories: () => replica.categories(), gridCodes }, period, now) };
}
