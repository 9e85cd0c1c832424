// The hub's store on PostgreSQL (or PGlite): the towns' entities, their change logs and
// cursors, and the towns' settled commands. Every write to a town takes its `towns` row
// FOR UPDATE first, so one town's writes commit one after another, whichever hub process
// makes them: its change log's seqs are handed out in commit order, and a reader that saw
// seq k has seen every seq below it (no gap a cursor could jump over). Each `mutate` is
// settled (dedup by (replica, n), order, validation, core's transition, effects, answer)
// in one transaction, by the same rules as the simulator's (../simulator/settle.ts): the
// workflow through core's transition, worker.notify as a notice to the workers' phones
// (`notices`, read by the phones' side through the HTTP API), the registers as entities of
// their own types in the same change log. Workers' `onDuty` follows their phones' clock-in
// and clock-out reports (`worker_duty`); a new town's workers start off duty.
import { randomBytes } from 'node:crypto';
import type { Actor, Category, Department, GridEvent, Worker } from '../../core/model';
import { WorkCalendar } from '../../core/sla/calendar';
import { entityData, type Entity, type TownSnapshot } from '../../core/sync/protocol';
import type { TownDataset } from '../demo/town';
import { encodeBatch, pageOf, type BatchRequest, type BatchRow, type PreparedBatch } from '../simulator/batches';
import { registerData, syntheticRegister } from '../simulator/registers';
import {
  checkRegister,
  commandNumber,
  commandPath,
  decideMutate,
  housesNeeded,
  namedEventsOf,
  parseRegister,
  runCommand,
  settleNotify,
  unnumbered,
  type CommandWorld,
  type Summons,
} from '../simulator/settle';
import type { EntityKey, SettledCommand, StoredAck } from '../simulator/store';
import { migrate } from './migrations';
import type { Query, Sql } from './sql';

/** A town's reference data as a command needs it, cached per process by the town's ref_version. */
interface Reference {
  version: number;
  categories: Map<string, Category>;
  departments: Map<string, Department>;
  workers: Map<string, Worker>;
  grids: Set<string>;
}

/** A town's token as the listing shows it: its state, its random id and when it changed (never the token). */
export interface TownToken {
  /** 'none': the county-wide token (if any) applies; 'revoked': refused until a new one is issued. */
  state: 'none' | 'issued' | 'revoked';
  id: string | null;
  changedAt: string | null;
  /** With no token of its own, the county-wide one admits the town. */
  countyWide: boolean;
}

export interface TownRow {
  code: string;
  name: string;
  token: TownToken;
  head: number;
  lastContact: string | null;
}

/** What a handshake of a town is checked against (null from `tokenOf`: the town is not served). */
export interface TokenCheck {
  state: TownToken['state'];
  /** The town's own token's scrypt record. */
  record: string | null;
  /** The county-wide token's record (a token file of one token). */
  fallback: string | null;
  /** Towns with no token of their own and no county-wide one are refused. */
  required: boolean;
}

export type ApplyOutcome = { ok: true; eventId: string; event: GridEvent | null } | { ok: false; code: string; reason: string };

/** A worker.notify as the phones read it (GET /api/towns/:town/notices). */
export interface StoredNotice {
  id: number;
  /** The command's time, epoch ms. */
  at: number;
  replica: string | null;
  n: number | null;
  workers: string[];
  text: string;
  eventId: string | null;
  summons: Summons[];
}

/** A phone's clock-in (true) or clock-out (false). */
export interface DutyReport {
  worker: string;
  onDuty: boolean;
}

export type DutyOutcome = { ok: true; changed: number; stale: number } | { ok: false; unknown: string[] };

type Refusal = { ok: false; code: string; reason: string };
type Settled = { ok: true; keys: EntityKey[] } | Refusal;
/** Where a settled command writes: its town (locked), the reference version read, and its (replica, n). */
interface Settling {
  town: string;
  refVersion: number;
  w: Writer;
  replica: string;
  n: number;
}

const num = (v: unknown): number => Number(v);

export class HubStore {
  private readonly reference = new Map<string, Reference>();
  private readonly listeners = new Set<(town: string) => void>();
  readonly calendar = new WorkCalendar();

  private constructor(
    readonly sql: Sql,
    readonly epoch: string,
  ) {}

  /** Migrate the database and read (or draw, once) its epoch: cursors of another database are unknown here. */
  static async open(sql: Sql): Promise<HubStore> {
    await migrate(sql);
    await sql.query('INSERT INTO hub_meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING', ['epoch', randomBytes(6).toString('hex')]);
    const [row] = await sql.query<{ value: string }>('SELECT value FROM hub_meta WHERE key = $1', ['epoch']);
    return new HubStore(sql, row!.value);
  }

  close(): Promise<void> {
    return this.sql.close();
  }

  /** `listener(town)` after every commit that changed a town's log (in this process). */
  onChange(listener: (town: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private notify(town: string): void {
    for (const l of this.listeners) l(town);
  }

  // ---------------------------------------------------------------- towns

  /**
   * Add a town with its dataset unless it is served already; true when added. Its workers
   * start off duty: no phone has clocked in yet. With `register`, the town also gets the
   * synthetic register the simulator seeds for the same seed and time (../simulator/registers.ts).
   */
  async addTown(ds: TownDataset, register: { seed: number; now: number } | null = null): Promise<boolean> {
    const town = ds.town.code;
    const added = await this.sql.transaction(async (tx) => {
      const inserted = await tx.query('INSERT INTO towns (code, name) VALUES ($1, $2) ON CONFLICT (code) DO NOTHING RETURNING code', [town, ds.town.name]);
      if (inserted.length === 0) return false;
      const entities = [
        ...[ds.town, ...ds.villages, ...ds.grids].map((g): Entity => ({ type: 'grid', id: g.code, value: g })),
        ...ds.departments.map((d): Entity => ({ type: 'department', id: d.id, value: d })),
        ...ds.categories.map((c): Entity => ({ type: 'category', id: c.code, value: c })),
        ...ds.workers.map((wk): Entity => ({ type: 'worker', id: wk.id, value: { ...wk, onDuty: false } })),
      ].map((e): SeedRow => ({ type: e.type, id: e.id, data: entityData(e) }));
      if (register) for (const e of syntheticRegister(ds, register.seed, register.now)) entities.push({ type: e.type, id: e.id, data: registerData(e) });
      await seedEntities(tx, town, entities);
      return true;
    });
    if (added) {
      // Statistics for the rows just seeded: the planner's first reads of the town (its replicas' sync) go by them.
      await this.sql.query('ANALYZE entities, changes');
      this.notify(town);
    }
    return added;
  }

  async townCodes(): Promise<string[]> {
    return (await this.sql.query<{ code: string }>('SELECT code FROM towns ORDER BY code')).map((r) => r.code);
  }

  async towns(): Promise<TownRow[]> {
    const rows = await this.sql.query<{ code: string; name: string; token_state: TownToken['state']; token_id: string | null; token_changed_at: unknown; head: unknown; last_contact: unknown }>(
      'SELECT code, name, token_state, token_id, token_changed_at, head, last_contact FROM towns ORDER BY code',
    );
    const countyWide = (await this.defaultToken()) !== null;
    const iso = (v: unknown): string | null => (v === null ? null : new Date(v as string).toISOString());
    return rows.map((r) => ({
      code: r.code,
      name: r.name,
      token: { state: r.token_state, id: r.token_id, changedAt: iso(r.token_changed_at), countyWide: countyWide && r.token_state === 'none' },
      head: num(r.head),
      lastContact: iso(r.last_contact),
    }));
  }

  // ---------------------------------------------------------------- tokens (records only: ./tokens.ts)

  /** What a town's handshake is checked against; null when the town is not served. */
  async tokenOf(town: string): Promise<TokenCheck | null> {
    return (await this.tokensOf([town])).get(town) ?? null;
  }

  /** What the handshakes of these towns are checked against now, by town (the served ones). */
  async tokensOf(towns: readonly string[]): Promise<Map<string, TokenCheck>> {
    const rows = await this.sql.query<{ code: string; token_state: TownToken['state']; token_hash: string | null; fallback: string | null; required: string | null }>(
      "SELECT code, token_state, token_hash, (SELECT value FROM hub_meta WHERE key = 'token:default') AS fallback, (SELECT value FROM hub_meta WHERE key = 'tokens') AS required FROM towns WHERE code IN (SELECT json_array_elements_text($1::json))",
      [JSON.stringify(towns)],
    );
    return new Map(rows.map((r) => [r.code, { state: r.token_state, record: r.token_hash, fallback: r.fallback, required: r.required === 'required' || r.fallback !== null }]));
  }

  /** A town's own token: its record (null: revoked) under a new id; from now on the hub requires tokens. */
  async setTownToken(town: string, record: string | null, id: string | null): Promise<boolean> {
    return this.sql.transaction(async (tx) => {
      const done = await tx.query(
        'UPDATE towns SET token_hash = $1, token_id = $2, token_state = $3, token_changed_at = now() WHERE code = $4 RETURNING code',
        [record, record === null ? null : id, record === null ? 'revoked' : 'issued', town],
      );
      await requireTokens(tx);
      return done.length > 0;
    });
  }

  /** The county-wide token's record (the token file's one token): for every town without one of its own. */
  async setDefaultToken(record: string): Promise<void> {
    await this.sql.transaction(async (tx) => {
      await tx.query("INSERT INTO hub_meta (key, value) VALUES ('token:default', $1) ON CONFLICT (key) DO UPDATE SET value = excluded.value", [record]);
      await requireTokens(tx);
    });
  }

  async defaultToken(): Promise<string | null> {
    const [row] = await this.sql.query<{ value: string }>("SELECT value FROM hub_meta WHERE key = 'token:default'");
    return row?.value ?? null;
  }

  async hasTown(town: string): Promise<boolean> {
    return (await this.sql.query('SELECT 1 FROM towns WHERE code = $1', [town])).length > 0;
  }

  async contact(town: string): Promise<void> {
    await this.sql.query('UPDATE towns SET last_contact = now() WHERE code = $1', [town]);
  }

  async head(town: string): Promise<number> {
    const [row] = await this.sql.query<{ head: unknown }>('SELECT head FROM towns WHERE code = $1', [town]);
    return row ? num(row.head) : 0;
  }

  cursor(seq: number): string {
    return `c-${this.epoch}-${seq}`;
  }

  /** The seq a town's cursor stands for, or null when it is unknown (another epoch, garbage, ahead of its log). */
  async parseCursor(town: string, cursor: string): Promise<number | null> {
    const m = /^c-([0-9a-f]+)-(\d{1,15})$/.exec(cursor);
    if (!m || m[1] !== this.epoch) return null;
    const seq = Number(m[2]);
    return seq <= (await this.head(town)) ? seq : null;
  }

  // ---------------------------------------------------------------- reading

  /**
   * The next batch of a connection (../simulator/batches.ts pages it): its rows, the town's
   * head and its lastN read in one REPEATABLE READ transaction, so lastN matches the items.
   */
  async readBatch(r: BatchRequest): Promise<PreparedBatch | null> {
    return this.sql.transaction(async (tx) => {
      await tx.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
      const raw = await tx.query<{ seq: unknown; type: string; id: string; rev: unknown; deleted: boolean; data: string | null }>(
        'SELECT c.seq, c.type, c.id, e.rev, e.deleted, e.data FROM changes c JOIN entities e ON e.town = c.town AND e.type = c.type AND e.id = c.id ' +
          'WHERE c.town = $1 AND c.seq > $2 ORDER BY c.seq LIMIT $3',
        [r.town, r.afterSeq, r.limit + 1],
      );
      const rows: BatchRow[] = raw.map((x) => ({ seq: num(x.seq), type: x.type, id: x.id, rev: num(x.rev), deleted: x.deleted, data: x.data }));
      const [town] = await tx.query<{ head: unknown }>('SELECT head FROM towns WHERE code = $1', [r.town]);
      const paged = pageOf(r, rows, num(town?.head ?? 0));
      if (paged === null) return null;
      const lastN = await lastNFor(tx, r.replica, r.town, r.afterSeq, paged.toSeq);
      return encodeBatch(r, paged, (seq) => this.cursor(seq), lastN);
    });
  }

  lastNFor(replica: string, town: string, fromSeq: number, toSeq: number): Promise<number | null> {
    return lastNFor(this.sql, replica, town, fromSeq, toSeq);
  }

  /** The county's state of a town, each list sorted by id (grids and categories by code). */
  async snapshot(town: string): Promise<TownSnapshot> {
    const rows = await this.sql.query<{ type: string; id: string; data: string }>(
      'SELECT type, id, data FROM entities WHERE town = $1 AND NOT deleted',
      [town],
    );
    const byId = (a: { id: string }, b: { id: string }): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
    const list = (type: string, withId: boolean): unknown[] =>
      rows
        .filter((r) => r.type === type)
        .sort(byId)
        .map((r) => (withId ? { ...(JSON.parse(r.data) as object), id: r.id } : (JSON.parse(r.data) as unknown)));
    return {
      grids: list('grid', false) as TownSnapshot['grids'],
      departments: list('department', true) as TownSnapshot['departments'],
      categories: list('category', false) as TownSnapshot['categories'],
      workers: list('worker', true) as TownSnapshot['workers'],
      events: list('event', true) as TownSnapshot['events'],
    };
  }

  /** A town's events (the world plans their next steps from them). */
  async events(town: string): Promise<GridEvent[]> {
    const rows = await this.sql.query<{ id: string; data: string }>("SELECT id, data FROM entities WHERE town = $1 AND type = 'event' AND NOT deleted ORDER BY id", [town]);
    return rows.map((r) => ({ ...(JSON.parse(r.data) as GridEvent), id: r.id }));
  }

  async settledOf(replica: string): Promise<SettledCommand[]> {
    const rows = await this.sql.query<{ n: unknown; name: string; status: string; code: string | null; message: string | null }>(
      'SELECT n, name, status, code, message FROM settled WHERE replica = $1 ORDER BY n',
      [replica],
    );
    return rows.map((r) => {
      const out: SettledCommand = { n: num(r.n), name: r.name, status: r.status as SettledCommand['status'] };
      if (r.code !== null) out.code = r.code;
      if (r.message !== null) out.message = r.message;
      return out;
    });
  }

  // ---------------------------------------------------------------- writing

  /**
   * A town's `mutate`, settled in one transaction: deduplicated by (replica, n), refused
   * out of order, validated, run through core's transition, stored with its answer and the
   * seq that covers its effects.
   */
  async mutate(town: string, replica: string, raw: unknown, clockNow: number): Promise<StoredAck> {
    const n = commandNumber(raw);
    if (n === null) return unnumbered(raw);
    let touched = false;
    const ack = await this.sql.transaction(async (tx): Promise<StoredAck> => {
      const locked = await lockTown(tx, town);
      const [first] = await tx.query<{ status: string; code: string | null; message: string | null }>('SELECT status, code, message FROM settled WHERE replica = $1 AND n = $2', [replica, n]);
      if (first) return first.status === 'applied' ? { status: 'applied' } : { status: 'rejected', code: first.code ?? 'invalid', message: first.message ?? '' };
      const [known] = await tx.query<{ last_n: unknown }>('SELECT last_n FROM replicas WHERE replica = $1', [replica]);
      const d = decideMutate(raw, replica, town, n, num(known?.last_n ?? 0) + 1, clockNow);
      if (d.kind === 'answer') return d.ack;
      const w = new Writer(tx, town, locked.head);
      const settle = async (a: StoredAck, keys: EntityKey[] = []): Promise<StoredAck> => {
        await w.finish();
        await tx.query(
          'INSERT INTO settled (replica, n, name, status, code, message, covered_seq, keys) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)',
          [replica, n, d.name.slice(0, 64), a.status, a.status === 'rejected' ? a.code : null, a.status === 'rejected' ? a.message : null, w.head, JSON.stringify(keys)],
        );
        await tx.query('INSERT INTO replicas (replica, town, last_n) VALUES ($1, $2, $3) ON CONFLICT (replica) DO UPDATE SET last_n = excluded.last_n', [replica, town, n]);
        return a;
      };
      if (d.kind === 'settle') return settle(d.ack);
      const r = await this.settleCommand(tx, { town, refVersion: locked.refVersion, w, replica, n }, d.command, d.args, d.actor, d.now);
      if (!r.ok) return settle({ status: 'rejected', code: r.code, message: r.reason });
      touched = r.keys.length > 0;
      return settle({ status: 'applied' }, r.keys);
    });
    if (touched) this.notify(town);
    return ack;
  }

  /** A command as the county's own side gives it (a grid worker's report, a department's action): the authority's path. */
  async apply(town: string, name: string, args: unknown, actor: Actor, now: number): Promise<ApplyOutcome> {
    const r = await this.sql.transaction(async (tx) => {
      const locked = await lockTown(tx, town);
      const w = new Writer(tx, town, locked.head);
      const out = await this.run(tx, town, locked.refVersion, w, name, args, actor, now);
      await w.finish();
      return out;
    });
    if (!r.ok) return r;
    this.notify(town);
    return { ok: true, eventId: r.eventId, event: r.events.find((e) => e.id === r.eventId) ?? null };
  }

  /** Put an entity of a town as the county changes it (a worker going on duty, say). */
  async put(town: string, entity: Entity): Promise<void> {
    await this.sql.transaction(async (tx) => {
      const locked = await lockTown(tx, town);
      const w = new Writer(tx, town, locked.head);
      await w.put(entity);
      await w.finish();
    });
    this.notify(town);
  }

  /**
   * Grid workers' clock-in and clock-out as their phones report them (at `at`, epoch ms),
   * in one transaction: all listed workers must be the town's, or nothing is written. A
   * report older than the one kept for the worker is stale and ignored; a worker whose
   * `onDuty` changes gets its next revision in the town's log.
   */
  async duty(town: string, at: number, reports: readonly DutyReport[]): Promise<DutyOutcome> {
    const ids = [...new Set(reports.map((r) => r.worker))];
    const r = await this.sql.transaction(async (tx): Promise<DutyOutcome> => {
      const locked = await lockTown(tx, town);
      const list = JSON.stringify(ids);
      const rows = await tx.query<{ id: string; data: string }>("SELECT id, data FROM entities WHERE town = $1 AND type = 'worker' AND NOT deleted AND id IN (SELECT json_array_elements_text($2::json))", [town, list]);
      const workers = new Map(rows.map((row) => [row.id, JSON.parse(row.data) as Record<string, unknown>]));
      const unknown = ids.filter((id) => !workers.has(id));
      if (unknown.length > 0) return { ok: false, unknown };
      const kept = new Map(
        (await tx.query<{ worker: string; at: unknown }>('SELECT worker, at FROM worker_duty WHERE town = $1 AND worker IN (SELECT json_array_elements_text($2::json))', [town, list])).map((row) => [row.worker, num(row.at)]),
      );
      const w = new Writer(tx, town, locked.head);
      let changed = 0;
      let stale = 0;
      for (const report of reports) {
        if ((kept.get(report.worker) ?? -Infinity) > at) {
          stale++;
          continue;
        }
        kept.set(report.worker, at);
        await tx.query('INSERT INTO worker_duty (town, worker, on_duty, at) VALUES ($1, $2, $3, $4) ON CONFLICT (town, worker) DO UPDATE SET on_duty = excluded.on_duty, at = excluded.at', [town, report.worker, report.onDuty, at]);
        const data = workers.get(report.worker)!;
        if (data.onDuty === report.onDuty) continue;
        workers.set(report.worker, { ...data, onDuty: report.onDuty });
        await w.putData('worker', report.worker, { ...data, onDuty: report.onDuty });
        changed++;
      }
      await w.finish();
      return { ok: true, changed, stale };
    });
    if (r.ok && r.changed > 0) this.notify(town);
    return r;
  }

  /** A town's worker.notify notices after id `after` (and, when given, at or after `since` ms), oldest first, at most `limit`. */
  async notices(town: string, after: number, since: number | null = null, limit = 500): Promise<StoredNotice[]> {
    const rows = await this.sql.query<{ id: unknown; at: unknown; replica: string | null; n: unknown; workers: string; text: string; event_id: string | null; summons: string }>(
      'SELECT id, at, replica, n, workers, text, event_id, summons FROM notices WHERE town = $1 AND id > $2 AND at >= $3 ORDER BY id LIMIT $4',
      [town, after, since ?? 0, limit],
    );
    return rows.map((r) => ({
      id: num(r.id),
      at: num(r.at),
      replica: r.replica,
      n: r.n === null ? null : num(r.n),
      workers: JSON.parse(r.workers) as string[],
      text: r.text,
      eventId: r.event_id,
      summons: JSON.parse(r.summons) as Summons[],
    }));
  }

  /** One entity of a town as the town receives it (any type: registers too); null when absent or deleted. */
  async entity(town: string, type: string, id: string): Promise<{ rev: number; data: Record<string, unknown> } | null> {
    const [row] = await this.sql.query<{ rev: unknown; data: string | null }>('SELECT rev, data FROM entities WHERE town = $1 AND type = $2 AND id = $3 AND NOT deleted', [town, type, id]);
    return row && row.data !== null ? { rev: num(row.rev), data: JSON.parse(row.data) as Record<string, unknown> } : null;
  }

  /** The next case number of a town for a Shanghai date (a report's code). */
  async nextCaseSeq(town: string, date: string): Promise<number> {
    return this.sql.transaction(async (tx) => {
      const [row] = await tx.query<{ counters: string }>('SELECT counters FROM towns WHERE code = $1 FOR UPDATE', [town]);
      const counters = JSON.parse(row?.counters ?? '{}') as Record<string, number>;
      const n = (counters[date] ?? 0) + 1;
      await tx.query('UPDATE towns SET counters = $1 WHERE code = $2', [JSON.stringify({ [date]: n }), town]);
      return n;
    });
  }

  /** A town's command by its path (settle.ts commandPath): the workflow, worker.notify, or a register entry. */
  private settleCommand(tx: Query, c: Settling, name: string, args: unknown, actor: Actor, now: number): Promise<Settled> {
    switch (commandPath(name)) {
      case 'notify':
        return this.notifyWorkers(tx, c, args, now);
      case 'register':
        return this.register(tx, c, name, args);
      default:
        return this.run(tx, c.town, c.refVersion, c.w, name, args, actor, now);
    }
  }

  /** worker.notify by settle.ts's rule: the notice kept for the phones, with whom it sends where; no entity changes. */
  private async notifyWorkers(tx: Query, c: Settling, args: unknown, now: number): Promise<Settled> {
    const r = settleNotify(await this.world(tx, c.town, c.refVersion, namedEventsOf(args)), args);
    if (!r.ok) return r;
    const { workers, text, eventId, summons } = r.notice;
    await tx.query('INSERT INTO notices (town, replica, n, at, workers, text, event_id, summons) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)', [
      c.town,
      c.replica,
      c.n,
      now,
      JSON.stringify(workers),
      text,
      eventId,
      JSON.stringify(summons),
    ]);
    return { ok: true, keys: [] };
  }

  /** A register command by settle.ts's rules, its entities written as their next revisions in the town's log. */
  private async register(tx: Query, c: Settling, name: string, args: unknown): Promise<Settled> {
    const parsed = parseRegister(name, args);
    if (!parsed.ok) return parsed;
    const ref = await this.referenceOf(tx, c.town, c.refVersion);
    const houses = housesNeeded(parsed.entities);
    const held = new Set<string>();
    if (houses.length > 0) {
      const rows = await tx.query<{ id: string }>("SELECT id FROM entities WHERE town = $1 AND type = 'house' AND id IN (SELECT json_array_elements_text($2::json))", [c.town, JSON.stringify(houses)]);
      for (const row of rows) held.add(row.id);
    }
    const refused = checkRegister(parsed.entities, (g) => ref.grids.has(g), (h) => held.has(h));
    if (refused) return refused;
    for (const e of parsed.entities) await c.w.putData(e.type, e.id, registerData(e));
    return { ok: true, keys: parsed.entities.map((e) => ({ type: e.type, id: e.id })) };
  }

  private async run(tx: Query, town: string, refVersion: number, w: Writer, name: string, args: unknown, actor: Actor, now: number) {
    const world = await this.world(tx, town, refVersion, namedEventsOf(args));
    const r = runCommand(world, name, args, actor, now);
    if (!r.ok) return r;
    const keys: EntityKey[] = [];
    for (const e of r.events) {
      await w.put({ type: 'event', id: e.id, value: e });
      keys.push({ type: 'event', id: e.id });
    }
    return { ...r, keys };
  }

  /** What a command sees: the events it names, read in the transaction, and the town's reference data. */
  private async world(tx: Query, town: string, refVersion: number, ids: string[]): Promise<CommandWorld> {
    const ref = await this.referenceOf(tx, town, refVersion);
    const events = new Map<string, GridEvent>();
    if (ids.length > 0) {
      const rows = await tx.query<{ id: string; data: string }>(
        `SELECT id, data FROM entities WHERE town = $1 AND type = 'event' AND NOT deleted AND id IN (${ids.map((_, i) => `$${i + 2}`).join(', ')})`,
        [town, ...ids],
      );
      for (const r of rows) events.set(r.id, { ...(JSON.parse(r.data) as GridEvent), id: r.id });
    }
    return {
      event: (id) => events.get(id),
      category: (c) => ref.categories.get(c),
      department: (d) => ref.departments.get(d),
      worker: (id) => ref.workers.get(id),
      gridExists: (g) => ref.grids.has(g),
      calendar: this.calendar,
    };
  }

  private async referenceOf(tx: Query, town: string, version: number): Promise<Reference> {
    const cached = this.reference.get(town);
    if (cached && cached.version === version) return cached;
    const rows = await tx.query<{ type: string; id: string; data: string | null }>(
      "SELECT type, id, CASE WHEN type = 'grid' THEN NULL ELSE data END AS data FROM entities WHERE town = $1 AND type IN ('grid', 'category', 'department', 'worker') AND NOT deleted",
      [town],
    );
    const ref: Reference = { version, categories: new Map(), departments: new Map(), workers: new Map(), grids: new Set() };
    for (const r of rows) {
      if (r.type === 'grid') ref.grids.add(r.id);
      else if (r.type === 'category') ref.categories.set(r.id, JSON.parse(r.data!) as Category);
      else if (r.type === 'department') ref.departments.set(r.id, { ...(JSON.parse(r.data!) as Department), id: r.id });
      else ref.workers.set(r.id, { ...(JSON.parse(r.data!) as Worker), id: r.id });
    }
    this.reference.set(town, ref);
    return ref;
  }
}

interface SeedRow {
  type: string;
  id: string;
  data: Record<string, unknown>;
}

/** The types a command reads as the town's reference data (cached by ref_version); registers and events are not. */
const REFERENCE_TYPES: ReadonlySet<string> = new Set(['grid', 'category', 'department', 'worker']);

/** A new town's entities in three statements (rev 1, seqs 1..n in order), whatever their number. */
async function seedEntities(tx: Query, town: string, entities: readonly SeedRow[]): Promise<void> {
  const rows = JSON.stringify(entities.map((e, i) => ({ seq: i + 1, type: e.type, id: e.id, data: JSON.stringify(e.data) })));
  await tx.query(
    "INSERT INTO entities (town, type, id, rev, deleted, data) SELECT $1, r->>'type', r->>'id', 1, false, r->>'data' FROM json_array_elements($2::json) r",
    [town, rows],
  );
  await tx.query("INSERT INTO changes (town, seq, type, id) SELECT $1, (r->>'seq')::bigint, r->>'type', r->>'id' FROM json_array_elements($2::json) r", [town, rows]);
  await tx.query('UPDATE towns SET head = $1, ref_version = ref_version + 1 WHERE code = $2', [entities.length, town]);
}

/** Once a token is given, a town without one is refused (revoking the last token does not open the hub). */
async function requireTokens(tx: Query): Promise<void> {
  await tx.query("INSERT INTO hub_meta (key, value) VALUES ('tokens', 'required') ON CONFLICT (key) DO UPDATE SET value = excluded.value");
}

/** Take a town's row for this transaction: its writes wait for any other writer of the town. */
async function lockTown(tx: Query, town: string): Promise<{ head: number; refVersion: number }> {
  const [row] = await tx.query<{ head: unknown; ref_version: unknown }>('SELECT head, ref_version FROM towns WHERE code = $1 FOR UPDATE', [town]);
  if (!row) throw new RangeError(`unknown town ${town}`);
  return { head: num(row.head), refVersion: num(row.ref_version) };
}

/** The writes of one transaction to one (locked) town: entities with their revisions, and the log's new seqs. */
class Writer {
  private reference = false;
  private readonly start: number;

  constructor(
    private readonly tx: Query,
    private readonly town: string,
    public head: number,
  ) {
    this.start = head;
  }

  /** Write an entity and move its change to the head of the log; returns the change's seq. */
  put(entity: Entity, deleted = false): Promise<number> {
    return this.putData(entity.type, entity.id, deleted ? null : entityData(entity));
  }

  /** Write an entity's wire `data` (null: a tombstone) as its next revision; returns the change's seq. */
  async putData(type: string, id: string, data: Record<string, unknown> | null): Promise<number> {
    await this.tx.query(
      'INSERT INTO entities (town, type, id, rev, deleted, data) VALUES ($1, $2, $3, 1, $4, $5) ' +
        'ON CONFLICT (town, type, id) DO UPDATE SET rev = entities.rev + 1, deleted = excluded.deleted, data = excluded.data',
      [this.town, type, id, data === null, data === null ? null : JSON.stringify(data)],
    );
    this.head += 1;
    await this.tx.query(
      'INSERT INTO changes (town, seq, type, id) VALUES ($1, $2, $3, $4) ON CONFLICT (town, type, id) DO UPDATE SET seq = excluded.seq',
      [this.town, this.head, type, id],
    );
    if (REFERENCE_TYPES.has(type)) this.reference = true;
    return this.head;
  }

  /** Record the town's new head (and a new reference version when reference data changed). */
  async finish(): Promise<void> {
    if (this.head === this.start) return;
    await this.tx.query(`UPDATE towns SET head = $1${this.reference ? ', ref_version = ref_version + 1' : ''} WHERE code = $2`, [this.head, this.town]);
  }
}

/**
 * lastN of a batch that carries the town's changes in (fromSeq, toSeq]: the highest n of
 * the replica whose effects the client holds once it has applied the batch; a command
 * settled in that range whose entity has since moved past toSeq stops it just before.
 * (The simulator's CountyStore.lastNFor, in SQL.)
 */
async function lastNFor(q: Query, replica: string, town: string, fromSeq: number, toSeq: number): Promise<number | null> {
  const [max] = await q.query<{ n: unknown }>('SELECT MAX(n) AS n FROM settled WHERE replica = $1 AND covered_seq <= $2', [replica, toSeq]);
  if (max?.n === null || max?.n === undefined) return null;
  const moved = await q.query<{ n: unknown }>(
    `SELECT s.n FROM settled s WHERE s.replica = $1 AND s.covered_seq > $2 AND s.covered_seq <= $3 AND s.keys <> '[]'
       AND EXISTS (SELECT 1 FROM json_array_elements(s.keys::json) k JOIN changes c ON c.town = $4 AND c.type = k->>'type' AND c.id = k->>'id' WHERE c.seq > $3)
     ORDER BY s.n LIMIT 1`,
    [replica, fromSeq, toSeq, town],
  );
  const first = moved[0];
  if (first) {
    const n = num(first.n);
    return n > 1 ? n - 1 : null;
  }
  return num(max.n);
}
