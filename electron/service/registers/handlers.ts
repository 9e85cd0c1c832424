// The registers' methods of the app API (core/api/registers.ts) over the replica's
// register tables. Every answer is masked here for the caller's role (core/registers/
// mask.ts: ID numbers, phones and addresses for everyone; special-group tags only for
// the dispatcher, the leader and the village) and confined to its grids (a village sees
// its own). The viewer never gets here: core/api/access.ts refuses it every register
// method. A visit is the town's command through the outbox (the county settles it
// once); a reveal is recorded in the audit trail with its reason (people/audit.ts).
import { randomUUID } from 'node:crypto';
import type { Caller } from '../../../core/api/channels';
import type { RegisterMethod } from '../../../core/api/registers';
import type { Actor, Grid, GridEvent, Worker } from '../../../core/model';
import { SPECIAL_GROUPS, POOLS, VisitSchema, type Visit, type SpecialGroup } from '../../../core/registers/types';
import { maskHouseFor, maskOrganisationFor, maskPersonFor, maySeeTags } from '../../../core/registers/mask';
import { coverage, weekOf, weeklyGroupsOf } from '../../../core/registers/care';
import { maskText } from '../../../core/privacy/mask';
import { parseIso, toIso } from '../../../core/time/shanghai';
import { ApiFailure, type Handlers } from '../service';
import type { AuditInput } from '../people/audit';
import type { SqliteDatabase } from '../db/sqlite';
import { RegisterQueries, type Pending, type Scope } from './queries';
import { RegisterTables } from './tables';
import { createImportJobs, type ImportJobsDeps } from './import-jobs';
import { editHandlers } from './edits';

export type RegisterHandlers = Pick<Handlers, RegisterMethod>;
/** An audit entry without its who (the service adds the caller's person and seat). */
export type AuditEntryInput = Omit<AuditInput, 'actorId' | 'actorName' | 'role' | 'seat'>;

export interface RegisterDeps {
  db: SqliteDatabase;
  /** Queues a command outside the workflow with the town's own view written alongside (Replica.queueCommand). */
  queueCommand: (name: string, args: unknown, actor: Actor, atMs: number, key: string, alongside: (n: number) => void) => number;
  /** Several in one transaction (an import: Replica.queueCommands), and the replica's writer. */
  queueCommands: ImportJobsDeps['queueCommands'];
  write: ImportJobsDeps['write'];
  /** The caller's basic grids (null: the whole town). */
  gridsOf: (caller: Caller) => Scope;
  getEvent: (id: string, caller: Caller) => GridEvent | null;
  /** Events whose address holds this text, as the caller may see them. */
  eventsAt: (address: string, caller: Caller) => Promise<GridEvent[]> | GridEvent[];
  grids: () => Grid[];
  workers: () => Worker[];
  actorOf: (caller: Caller) => Actor;
  /** The audit trail inside the current write (null: no people store). */
  auditIn: ((entry: AuditEntryInput, caller: Caller) => void) | null;
  audit: ((entry: AuditEntryInput, caller: Caller) => void) | null;
  kick: () => void;
  clock: () => number;
}

const strip = <T extends Pending>(x: T): Omit<T, 'pending'> & Pending => x;
/** An event's address as the houses are written: "…12号附近" is at "…12号". */
export const houseAddressOf = (address: string): string => address.trim().replace(/(附近|旁边|旁|对面|门口|周边)$/, '');

function inScope(grid: string, scope: Scope): boolean {
  return scope === null || scope.includes(grid);
}

export function registerHandlers(deps: RegisterDeps): RegisterHandlers {
  const q = new RegisterQueries(deps.db);
  const tables = new RegisterTables(deps.db);
  const person = (p: Parameters<typeof maskPersonFor>[0] & Pending, caller: Caller) => ({ ...maskPersonFor(p, caller.role), ...(p.pending ? { pending: true } : {}) });
  const house = (h: Parameters<typeof maskHouseFor>[0] & Pending) => ({ ...maskHouseFor(h), ...(h.pending ? { pending: true } : {}) });
  const org = (o: Parameters<typeof maskOrganisationFor>[0] & Pending) => ({ ...maskOrganisationFor(o), ...(o.pending ? { pending: true } : {}) });
  const workerNames = () => new Map(deps.workers().map((w) => [w.id, w.name]));
  const visitView = (v: Visit & Pending, names: Map<string, string>) => ({
    ...strip(v),
    note: maskText(v.note),
    ...(names.has(v.worker) ? { workerName: names.get(v.worker)! } : {}),
  });
  const needTags = (caller: Caller): void => {
    if (!maySeeTags(caller.role)) throw new ApiFailure('forbidden', '当前角色无权查看特殊人群信息');
  };
  const houseInScope = (id: string, caller: Caller) => {
    const h = q.house(id);
    if (!h || !inScope(h.grid, deps.gridsOf(caller))) throw new ApiFailure('not-found', `登记中没有房屋 ${id}`);
    return h;
  };

  return {
    ...revealHandler(deps, q),
    ...createImportJobs({ ...deps, grids: () => deps.grids() }),
    'registers.grid': ({ grid }, caller) => {
      const p = q.profile(grid, deps.gridsOf(caller));
      const tags = maySeeTags(caller.role);
      return {
        grid,
        households: p.households,
        persons: p.persons,
        floating: p.floating,
        organisations: p.organisations,
        ...(tags ? { groups: p.groups.map((g) => ({ ...g, label: SPECIAL_GROUPS[g.group].label, care: SPECIAL_GROUPS[g.group].care })) } : {}),
        pools: p.pools.map((x) => ({ ...x, label: POOLS[x.pool] })),
        mediations: p.mediations,
      };
    },
    'registers.search': (args, caller) => {
      if (args.tag !== undefined) needTags(caller);
      const r = q.search(args, deps.gridsOf(caller));
      return { persons: r.persons.map((p) => person(p, caller)), houses: r.houses.map(house), organisations: r.organisations.map(org) };
    },
    'registers.person': async ({ id }, caller) => {
      const p = q.person(id);
      if (!p || !inScope(p.grid, deps.gridsOf(caller))) throw new ApiFailure('not-found', `登记中没有此人 ${id}`);
      const h = p.house === null ? null : q.house(p.house);
      const events = h ? await deps.eventsAt(h.address, caller) : [];
      return { person: person(p, caller), house: h ? house(h) : null, events };
    },
    'registers.house': async ({ id }, caller) => {
      const h = houseInScope(id, caller);
      const names = workerNames();
      return {
        house: house(h),
        persons: q.personsOf([h.id]).map((p) => person(p, caller)),
        visits: q.visits({ house: h.id, limit: 50 }, null).map((v) => visitView(v, names)),
        events: await deps.eventsAt(h.address, caller),
      };
    },
    'registers.atAddress': ({ eventId }, caller) => {
      const event = deps.getEvent(eventId, caller);
      if (!event) throw new ApiFailure('not-found', `没有编号为 ${eventId} 的事件`);
      const found = q.atAddress(houseAddressOf(event.location.address), { lon: event.location.lon, lat: event.location.lat }, deps.gridsOf(caller));
      const members = q.personsOf(found.houses.map((h) => h.id));
      return {
        households: found.houses.map((h) => ({ house: house(h), persons: members.filter((p) => p.house === h.id).map((p) => person(p, caller)) })),
        organisations: found.organisations.map(org),
      };
    },
    'registers.layers': ({ grid, bbox, limit }, caller) => q.layers(grid, deps.gridsOf(caller), bbox, limit),
    ...visitHandlers(deps, q, tables, { house, visitView, workerNames, needTags, houseInScope }),
    ...editHandlers(deps, q, tables),
  };
}

interface Helpers {
  house: (h: Parameters<typeof maskHouseFor>[0] & Pending) => ReturnType<typeof maskHouseFor> & Pending;
  visitView: (v: Visit & Pending, names: Map<string, string>) => Visit & Pending & { workerName?: string };
  workerNames: () => Map<string, string>;
  needTags: (caller: Caller) => void;
  houseInScope: (id: string, caller: Caller) => { id: string; grid: string };
}

/** The weekly visits: due households, coverage, the list, recording one. */
function visitHandlers(deps: RegisterDeps, q: RegisterQueries, tables: RegisterTables, h: Helpers): Pick<RegisterHandlers, 'registers.visitsDue' | 'registers.coverage' | 'registers.visits' | 'registers.visit.record'> {
  const { house, visitView, workerNames, needTags, houseInScope } = h;
  return {
    'registers.visitsDue': ({ grid, at }, caller) => {
      needTags(caller);
      const week = weekOf(at === undefined ? deps.clock() : parseIso(at));
      const due = q
        .taggedHouseholds(grid, deps.gridsOf(caller), week.from, week.to)
        .map((h) => ({ ...h, groups: weeklyGroupsOf(h.tags) }))
        .filter((h) => h.groups.length > 0 && h.visits === 0);
      const houses = new Map(due.map((h) => [h.house, q.house(h.house)]));
      return {
        week: { from: toIso(week.from), to: toIso(week.to) },
        households: due.flatMap((h) => {
          const row = houses.get(h.house);
          return row ? [{ house: house(row), groups: h.groups, lastVisitAt: h.last === null ? null : toIso(h.last) }] : [];
        }),
      };
    },
    'registers.coverage': (args, caller) => coverageOf(q, deps, args, caller),
    'registers.visits': (args, caller) => {
      const names = workerNames();
      return q.visits(args, deps.gridsOf(caller)).map((v) => visitView(v, names));
    },
    'registers.visit.record': (args, caller) => recordVisit(deps, tables, houseInScope(args.house, caller), args, caller),
  };
}

/** One register field in full, with the reason recorded in the audit trail. */
function revealHandler(deps: RegisterDeps, q: RegisterQueries): Pick<RegisterHandlers, 'registers.reveal'> {
  return {
    'registers.reveal': ({ type, id, field, reason }, caller) => {
      const row = type === 'person' ? q.person(id) : type === 'house' ? q.house(id) : q.organisation(id);
      if (!row || !inScope(row.grid, deps.gridsOf(caller))) throw new ApiFailure('not-found', '登记中没有此条目');
      const value = ((row as unknown as Record<string, unknown>)[field] as string | undefined) || null;
      if (!deps.audit) throw new ApiFailure('unavailable', '此数据服务没有审计日志,不能查看完整信息');
      const label = { phone: '电话', idNumber: '身份证号', address: '地址' }[field];
      deps.audit({ kind: 'reveal', action: `registers.reveal:${field}`, target: `${type}:${id}`, detail: `查看登记${label}${value === null ? '(无此信息)' : ''};原因:${reason}` }, caller);
      return { value };
    },
  };
}

type CoverageArgs = { grid?: string | undefined; from?: string | undefined; to?: string | undefined };

function coverageOf(q: RegisterQueries, deps: RegisterDeps, args: CoverageArgs, caller: Caller) {
  const week = weekOf(deps.clock());
  const from = args.from === undefined ? week.from : parseIso(args.from);
  const to = args.to === undefined ? week.to : parseIso(args.to);
  if (!(to >= from)) throw new ApiFailure('invalid', '统计区间的结束时间早于开始时间');
  const households = q.taggedHouseholds(args.grid, deps.gridsOf(caller), from, to).map((h) => ({ house: h.house, groups: weeklyGroupsOf(h.tags), visits: h.visits }));
  const gridOf = new Map<string, string>();
  for (const h of households) gridOf.set(h.house, q.house(h.house)?.grid ?? '');
  const names = new Map(deps.grids().map((g) => [g.code, g.name]));
  const byGridMap = new Map<string, typeof households>();
  for (const h of households) byGridMap.set(gridOf.get(h.house)!, [...(byGridMap.get(gridOf.get(h.house)!) ?? []), h]);
  const byGrid = [...byGridMap.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([grid, list]) => ({ grid, name: names.get(grid) ?? grid, ...coverage(list) }))
    .map(({ rate, toVisit, visited, grid, name }) => ({ grid, name, toVisit, visited, rate }));
  const scope = deps.gridsOf(caller);
  const workers = new Map(deps.workers().map((w) => [w.id, w.name]));
  const rows = deps.db
    .prepare<{ worker: string; grid: string; visits: number; households: number }>(
      `SELECT worker, COUNT(*) AS visits, COUNT(DISTINCT house) AS households FROM register_visits
       WHERE at_ms >= ? AND at_ms < ? ${args.grid !== undefined ? 'AND grid >= ? AND grid < ?' : ''} ${scope !== null ? 'AND grid IN (SELECT value FROM json_each(?))' : ''}
       GROUP BY worker ORDER BY visits DESC, worker`,
    )
    .all(from, to, ...(args.grid !== undefined ? [args.grid, `${args.grid}~`] : []), ...(scope !== null ? [JSON.stringify(scope)] : []));
  return {
    from: toIso(from),
    to: toIso(to),
    byGrid,
    byWorker: rows.map((r) => ({ worker: r.worker, name: workers.get(r.worker) ?? r.worker, visits: r.visits, households: r.households })),
  };
}

function recordVisit(
  deps: RegisterDeps,
  tables: RegisterTables,
  h: { id: string; grid: string },
  args: { worker: string; at?: string | undefined; note: string; photos: string[] },
  caller: Caller,
) {
  const worker = deps.workers().find((w) => w.id === args.worker);
  if (!worker) throw new ApiFailure('invalid', `没有编号为 ${args.worker} 的网格员`);
  const now = deps.clock();
  const at = args.at === undefined ? now : parseIso(args.at);
  if (at > now + 60_000) throw new ApiFailure('invalid', '走访时间不能晚于现在');
  const id = randomUUID();
  const data = VisitSchema.parse({ house: h.id, grid: h.grid, worker: worker.id, at: toIso(at), note: args.note, photos: args.photos });
  const actor = deps.actorOf(caller);
  const n = deps.queueCommand('register.visit.record', { id, data }, actor, now, `register:${id}`, (n) => {
    tables.write({ type: 'visit', id, value: { ...data, id } }, 0, n);
    deps.auditIn?.({ kind: 'command', action: 'registers.visit.record', target: h.id, detail: `走访 ${h.id};指令 ${n}` }, caller);
  });
  deps.kick();
  return { id, n };
}

export type { SpecialGroup };

/** What the registers need of the replica: its file and the outbox (a fake replica of a test has neither). */
interface RegisterReplica {
  store(): { db: SqliteDatabase; write: RegisterDeps['write'] };
  queueCommand: RegisterDeps['queueCommand'];
  queueCommands: RegisterDeps['queueCommands'];
}

/**
 * The register handlers over a replica that has the register tables, or handlers that
 * answer `unavailable` (a service over a test's fake replica).
 */
export function registerHandlersFor(replica: object, deps: Omit<RegisterDeps, 'db' | 'queueCommand' | 'queueCommands' | 'write'>, methods: readonly RegisterMethod[]): RegisterHandlers {
  const r = replica as Partial<RegisterReplica>;
  if (typeof r.store === 'function' && typeof r.queueCommand === 'function' && typeof r.queueCommands === 'function') {
    const store = r.store();
    return registerHandlers({ ...deps, db: store.db, write: store.write, queueCommand: r.queueCommand.bind(replica), queueCommands: r.queueCommands.bind(replica) });
  }
  const refuse = (): never => {
    throw new ApiFailure('unavailable', '此数据服务没有登记库');
  };
  return Object.fromEntries(methods.map((m) => [m, refuse])) as unknown as RegisterHandlers;
}
