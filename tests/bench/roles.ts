// `npm run bench -- --only roles [-- --cache DIR]`
//
// The cost of the role and masking checks (issue 9, people) on `events.list` over the
// bench suite's replica (1,000,000 events; tests/bench/lib/replica-data.ts): the data
// service's `handle` as each role calls it (the role gate, the caller's scope in the
// SQL, the personal data masked at the role's level) against the same call without
// them (a dispatcher of the bare handler: validation and the replica's query only),
// in the same run, interleaved. Ratios, never timed tests: these machines are shared.
//
// - a dispatcher and a viewer open the queue (the first page in risk order): the cost
//   of masking numbers (every role) and everything (a room's screen). The replica keeps
//   each event masked at both levels (migration 0014, replica/event-masks.ts): the
//   masks of a replica built before it are made first, untimed, and each masked page is
//   checked equal to its unmasked page masked on the fly (core/privacy/mask.ts);
// - the viewer again with the masks made on every read (withPrivacy over the bare
//   query: the design before 0014), shown without a target;
// - a village operator opens its queue: the scope as `grid IN (its grids)` against the
//   same rows selected by the unchecked call's village filter (a code prefix);
// - a department operator opens its queue (its rows of event_parties): no unchecked
//   call selects those rows, so it is shown against the town's queue, without a target.
import type { Caller } from '../../core/api/channels';
import type { ParsedArgsOf, ResultOf } from '../../core/api/contract';
import { createReplicaService } from '../../electron/service/replica-service';
import { Replica } from '../../electron/service/replica/replica';
import { createDispatcher, type ApiService, type Handlers } from '../../electron/service/service';
import { withPrivacy } from '../../electron/service/privacy';
import { maskLevel, maskPersonalData } from '../../core/privacy/mask';
import { isDeepStrictEqual } from 'node:util';
import { ensureEventsReplica } from './lib/replica-data';
import { departmentsOf } from '../../core/privacy/scope';
import type { BenchReport, Check, Row } from './lib/report';
import { fmtInt, fmtMs, fmtRatio, median } from './lib/util';

/** The checks may cost at most this much over the unchecked call (issue 9). */
export const ROLES_TARGET = { maxRatio: 1.2 };

/** Rounds of a fast case: as many as fit in this time, within MAX_ROUNDS (never fewer than asked). */
const CASE_BUDGET_MS = 2000;
const MAX_ROUNDS = 500;

const PAGE = { paging: { offset: 0, limit: 50 }, sort: 'risk' } as const;
/** The demo town's environment office: the simulated county dispatches to it often. */
const DEPARTMENT = 'dept-hb';

interface Case {
  name: string;
  caller: Caller;
  args: Record<string, unknown>;
  /** The unchecked call's arguments selecting the same rows. */
  bare: Record<string, unknown>;
  /** No unchecked call selects the same rows (a department's): shown against the town's queue, no target. */
  informational?: (page: ResultOf<'events.list'>) => boolean;
  /** Another handle than the service's (the masks made on every read), shown without a target. */
  handle?: ApiService['handle'];
}

export interface RolesOptions {
  cacheDir: string;
  events: number;
  rounds: number;
  /** A fast case is repeated until it has had this long (default CASE_BUDGET_MS; 0: `rounds` rounds exactly). */
  caseBudgetMs?: number;
  /** Simulated events the replica's events are copied from (default: as the queue bench). */
  templates?: number;
  log?: (line: string) => void;
}

type Answer = { ok: true; result: ResultOf<'events.list'> } | { ok: false; error: { code: string; message: string } };

async function timed(handle: ApiService['handle'], args: unknown, caller?: Caller): Promise<{ ms: number; page: ResultOf<'events.list'> }> {
  const t0 = performance.now();
  const r = (await handle('events.list', args, caller)) as Answer;
  const ms = performance.now() - t0;
  if (!r.ok) throw new Error(`events.list failed: ${r.error.code} ${r.error.message}`);
  return { ms, page: r.result };
}

async function measure(c: Case, service: ApiService['handle'], bare: ApiService['handle'], rounds: number, budgetMs: number): Promise<{ row: Row; check?: Check; verified: string }> {
  // One untimed round each (statements prepared, pages in the OS cache), then interleaved timed rounds.
  const checked = c.handle ?? service;
  const first = await timed(checked, c.args, c.caller);
  const base = await timed(bare, c.bare);
  const withChecks: number[] = [];
  const without: number[] = [];
  const paired: number[] = [];
  // Each round times both calls back to back, in turn first (a loaded machine's slow moments hit
  // both of a pair): the ratio is the median of the rounds' ratios.
  // A fast call is repeated until the case has had about two seconds (a loaded machine's noise is larger than the checks).
  const pairMs = (await timed(checked, c.args, c.caller)).ms + (await timed(bare, c.bare)).ms;
  const n = Math.max(rounds, Math.min(MAX_ROUNDS, Math.ceil(budgetMs / Math.max(0.01, pairMs))));
  for (let i = 0; i < n; i++) {
    const checkedFirst = i % 2 === 0;
    const a = checkedFirst ? (await timed(checked, c.args, c.caller)).ms : (await timed(bare, c.bare)).ms;
    const b = checkedFirst ? (await timed(bare, c.bare)).ms : (await timed(checked, c.args, c.caller)).ms;
    withChecks.push(checkedFirst ? a : b);
    without.push(checkedFirst ? b : a);
    paired.push((checkedFirst ? a : b) / (checkedFirst ? b : a));
  }
  const ratio = median(paired);
  if (c.informational) {
    const right = c.informational(first.page);
    return {
      row: { name: c.name, value: fmtMs(median(withChecks)), baseline: fmtMs(median(without)), ratio: fmtRatio(ratio), note: `${fmtInt(first.page.total)} events; baseline: the town's queue unchecked` },
      verified: `${right ? 'ok' : 'MISMATCH'} ${c.name}: ${fmtInt(first.page.total)} events, every one of the page in scope ${right}`,
    };
  }
  const same = first.page.total === base.page.total && first.page.items.map((e) => e.id).join() === base.page.items.map((e) => e.id).join();
  // What the role was shown is the unchecked page masked on the fly at its level, field for field.
  const masked = c.caller ? isDeepStrictEqual(first.page.items, maskPersonalData(base.page.items, maskLevel(c.caller.role, 'screen'))) : true;
  const row = { name: c.name, value: fmtMs(median(withChecks)), baseline: fmtMs(median(without)), ratio: fmtRatio(ratio), note: `${fmtInt(first.page.total)} events, page of ${first.page.items.length}, ${n} rounds` };
  const verified = `${same && masked ? 'ok' : 'MISMATCH'} ${c.name}: ${fmtInt(first.page.total)} events with the checks, ${fmtInt(base.page.total)} without, same page ${same}, masked as on the fly ${masked}`;
  if (c.handle) return { row: { ...row, note: `${row.note}; no target` }, verified };
  return {
    row,
    check: { name: `${c.name}: checks over the unchecked call`, measured: fmtRatio(ratio), target: `≤ ${ROLES_TARGET.maxRatio}×`, pass: ratio <= ROLES_TARGET.maxRatio },
    verified,
  };
}

/**
 * For `npm run bench`: events.list as a dispatcher, a viewer and a village operator
 * against the unchecked call, over a replica of `events` events, `rounds` rounds each.
 */
export async function runRoles(o: RolesOptions): Promise<{ report: BenchReport }> {
  const templates = o.templates ?? Math.min(o.events, o.events >= 1_000_000 ? 50_000 : 5_000);
  const data = await ensureEventsReplica(o.cacheDir, o.events, templates, o.log ?? (() => undefined));
  const replica = await Replica.open({ file: data.file, town: data.town, log: { info: () => undefined, warn: () => undefined }, maskFill: 'off' });
  // A replica built before migration 0014 has no stored masks yet: made once, untimed (kept in the cached file).
  const t0 = performance.now();
  const steps = replica.fillMasks();
  o.log?.(`stored masks checked (${steps} step(s) of the fill) in ${fmtMs(performance.now() - t0)}`);
  const service = createReplicaService({ replica, clock: Date.now, log: { error: (m, d) => console.error(m, d) } });
  // The same query without the checks: no scope, no masking (the role gate of a dispatcher passes everything).
  const bareHandlers = { 'events.list': (args: ParsedArgsOf<'events.list'>) => replica.listEvents(args, Date.now()) } as unknown as Handlers;
  const bare = createDispatcher(bareHandlers);
  // The same query masked on every read, as before migration 0014: withPrivacy over the bare query.
  const maskedOnRead = withPrivacy(bare);
  const village = data.values.village;
  const user = { id: 'bench', name: '测试' };
  const cases: Case[] = [
    { name: 'dispatcher opens the queue (numbers masked)', caller: { role: 'dispatcher', user }, args: PAGE, bare: PAGE },
    { name: 'viewer opens the queue (everything masked)', caller: { role: 'viewer', user }, args: PAGE, bare: PAGE },
    { name: 'viewer, masked on every read (before 0014)', caller: { role: 'viewer', user }, args: PAGE, bare: PAGE, handle: maskedOnRead },
    { name: `village ${village} opens its queue (scope in SQL)`, caller: { role: 'village', grids: [village], user }, args: PAGE, bare: { ...PAGE, grid: village } },
    {
      name: `department ${DEPARTMENT} opens its queue (event_parties)`,
      caller: { role: 'department', departmentId: DEPARTMENT, user },
      args: PAGE,
      bare: PAGE,
      informational: (page) => page.total > 0 && page.items.every((e) => departmentsOf(e).includes(DEPARTMENT)),
    },
  ];
  try {
    const results = [];
    for (const c of cases) {
      o.log?.(c.name);
      results.push(await measure(c, service.handle, bare, o.rounds, o.caseBudgetMs ?? CASE_BUDGET_MS));
    }
    return {
      report: {
        name: 'roles',
        title: `the role and masking checks on events.list over ${fmtInt(data.events)} events`,
        setup: `${o.rounds} rounds per case at least (a fast case up to ${MAX_ROUNDS}, about ${CASE_BUDGET_MS / 1000} s), each the service's handle as the role calls it and the same call without the checks back to back, in turn first (times: median of each; ratio: median of the rounds' ratios)`,
        rows: results.map((r) => r.row),
        checks: results.flatMap((r) => (r.check ? [r.check] : [])),
        verified: results.map((r) => r.verified),
      },
    };
  } finally {
    await service.close();
    await replica.close();
  }
}
