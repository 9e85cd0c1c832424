// Downstream: one `changes` batch of the county applied with its cursor in one
// transaction: every item validated (core/sync/protocol.ts), the revision rule
// (a put or delete older than what the replica holds, or its tombstone, does
// nothing), the entity's row, an event's row, document and search text, the
// overlay of the events the batch touches or settles, and the sync position.
import type { GridEvent, Grid, Worker } from '../../../core/model';
import { LIMITS, parseChangeItem, type Entity, type EntityType } from '../../../core/sync/protocol';
import type { SqliteDatabase, Statement } from '../db/sqlite';
import type { EventRow, EventRows } from './event-rows';
import type { Lookups } from './lookups';
import type { Overlay } from './overlay';
import type { BatchInput, BatchResult, ReplicaLog } from './types';
import type { ReplicaWriter } from './writer';
import { DeviceRows, isDeviceItem } from './device-rows';
import { RegisterTables } from '../registers/tables';

type PutEntity = Exclude<Entity, { type: 'event' }>;

/** Per-type storage of the non-event entities: their revision, put and delete. */
interface EntityTable {
  rev: Statement<{ rev: number }>;
  put(id: string, rev: number, entity: PutEntity): void;
  del(id: string): void;
}

/** A short, safe excerpt of a refused item, for the operator's table. */
function excerpt(raw: unknown): string | null {
  try {
    const text = JSON.stringify(raw);
    return text === undefined ? null : text.slice(0, 500);
  } catch {
    return null;
  }
}

import { clip } from '../../../core/util/text';
export { clip };

/** A log line stays one line whatever a county puts in a cursor or a reason (no forged log lines). */
export const oneLine = (s: string): string =>
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  s.replace(/[\u0000-\u001f\u007f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

/**
 * A batch's lastN as the replica may take it: never beyond the last command it issued
 * (nextN - 1). A county cannot have settled a command that was never sent; a larger
 * value (a hostile or confused county, another replica's numbers) would otherwise be
 * kept for ever (lastN never goes back) and hide every later command's overlay.
 */
export function reportedLastN(lastN: number | null, nextN: number): number | null {
  return lastN === null ? null : Math.min(lastN, nextN - 1);
}

function prepare(db: SqliteDatabase) {
  return {
    updateSync: db.prepare('UPDATE meta SET cursor = ?, last_n = ?, last_sync_at = ?, catching_up = ? WHERE id = 1'),
    tombstoneRev: db.prepare<{ rev: number }>('SELECT rev FROM tombstones WHERE type = ? AND id = ?'),
    eventTombstones: db.prepare<{ id: string; rev: number }>(
      "SELECT id, rev FROM tombstones WHERE type = 'event' AND id IN (SELECT value FROM json_each(?))",
    ),
    putTombstone: db.prepare('INSERT INTO tombstones (type, id, rev) VALUES (?, ?, ?) ON CONFLICT (type, id) DO UPDATE SET rev = excluded.rev'),
    deleteTombstone: db.prepare('DELETE FROM tombstones WHERE type = ? AND id = ?'),
    insertReject: db.prepare('INSERT INTO inbound_rejects (at, batch_to, item_index, unknown_type, reason, excerpt) VALUES (?, ?, ?, ?, ?, ?)'),
    pruneRejects: db.prepare('DELETE FROM inbound_rejects WHERE seq <= (SELECT max(seq) FROM inbound_rejects) - ?'),
  };
}

/** What one batch does while it runs: the ids it changed and the events to replay. */
interface BatchWork {
  changed: Map<EntityType, Set<string>>;
  recompute: Set<string>;
  pending: ReadonlySet<string>;
  /**
   * The batch's events as stored: their rows and tombstones, read with one statement
   * each for the whole batch and kept up to date as its items are written (only this
   * batch writes them meanwhile), so no item reads back what the batch just wrote.
   */
  rows: Map<string, EventRow>;
  tombstones: Map<string, number>;
}

export class Sync {
  private readonly s: ReturnType<typeof prepare>;
  private readonly tables: Record<Exclude<EntityType, 'event'>, EntityTable>;

  constructor(
    private readonly writer: ReplicaWriter,
    private readonly rows: EventRows,
    private readonly overlay: Overlay,
    private readonly lookups: Lookups,
    private readonly opts: { now: () => number; log: ReplicaLog; rejectsMax: number; registers?: RegisterTables; deferMasks?: boolean },
  ) {
    this.s = prepare(writer.db);
    this.tables = entityTables(writer.db);
    this.devices = new DeviceRows(writer.db);
  }

  /** project: the county's sensors and cameras (device-rows.ts). */
  readonly devices: DeviceRows;

  /**
   * Applies one `changes` batch (its envelope already validated) with its cursor in one
   * transaction. A batch that does not follow the stored cursor stores nothing.
   */
  applyBatch(batch: BatchInput): BatchResult {
    const prev = this.writer.meta;
    if (!batch.reset && batch.from !== prev.cursor) {
      const status = batch.to === prev.cursor ? 'duplicate' : 'out-of-sequence';
      return { status, applied: 0, ignored: [], changed: [] };
    }
    const now = this.opts.now();
    let outcome: { result: BatchResult; lastN: number | null };
    try {
      outcome = this.writer.write(() => this.applyBatchTx(batch, now));
    } finally {
      this.lookups.drop();
    }
    this.writer.meta = { ...this.writer.meta, cursor: batch.to, lastN: outcome.lastN, lastSyncAt: now, catchingUp: batch.more };
    this.report(batch, outcome.result);
    return outcome.result;
  }

  /** Log lines of a committed batch: a lastN beyond the outbox, and each refused item. */
  private report(batch: BatchInput, result: BatchResult): void {
    const nextN = this.writer.meta.nextN;
    const lines: { info: boolean; text: string }[] = [];
    if (batch.lastN !== reportedLastN(batch.lastN, nextN)) {
      lines.push({
        info: false,
        text: `[replica] batch ${clip(batch.to, 80)} reports lastN ${batch.lastN} beyond the last command this replica issued (${nextN - 1}); taken as ${nextN - 1}`,
      });
    }
    for (const item of result.ignored) {
      lines.push({ info: item.unknownType, text: `[replica] ignored item ${item.index} of batch ${clip(batch.to, 80)}: ${item.reason}` });
    }
    for (const line of lines) {
      try {
        if (line.info) this.opts.log.info(oneLine(line.text));
        else this.opts.log.warn(oneLine(line.text));
      } catch {
        // A failing logger must not undo a committed batch.
      }
    }
  }

  private applyBatchTx(batch: BatchInput, now: number): { result: BatchResult; lastN: number | null } {
    const prevLastN = this.writer.meta.lastN;
    const offered = reportedLastN(batch.lastN, this.writer.meta.nextN);
    const lastN = offered !== null && (prevLastN === null || offered > prevLastN) ? offered : prevLastN;
    // Commands the county settled with this batch leave the overlay.
    const recompute = lastN !== null && lastN !== prevLastN ? this.overlay.settledEventIds(prevLastN, lastN) : new Set<string>();
    const pending = this.overlay.pendingEventIds(lastN);
    if (batch.reset) {
      this.dropReplicated(lastN);
      pending.forEach((id) => recompute.add(id));
    }
    // While the town catches up, the masked views wait for the background fill (event-masks.ts).
    if (batch.more && this.opts.deferMasks === true) this.rows.masks.deferToFill();
    const work: BatchWork = { changed: new Map(), recompute, pending, rows: new Map(), tombstones: new Map() };
    const { applied, ignored } = this.applyItems(batch, now, work, lastN);
    for (const id of this.overlay.recompute(recompute, lastN)) mark(work, 'event', id);
    this.s.updateSync.run(batch.to, lastN, now, batch.more ? 1 : 0);

    const result: BatchResult = { status: 'applied', applied, ignored, changed: [] };
    if (batch.reset) {
      for (const type of ['grid', 'department', 'worker', 'category', 'event'] as const) {
        result.changed.push({ type, ids: [...(work.changed.get(type) ?? [])], all: true });
      }
    } else {
      for (const [type, ids] of work.changed) result.changed.push({ type, ids: [...ids] });
    }
    return { result, lastN };
  }

  private applyItems(batch: BatchInput, now: number, work: BatchWork, lastN: number | null): { applied: number; ignored: BatchResult['ignored'] } {
    const ignored: BatchResult['ignored'] = [];
    let applied = 0;
    const eventIds = eventIdsOf(batch.items);
    if (eventIds.length > 0) {
      work.rows = this.rows.rowsOf(eventIds);
      work.tombstones = new Map(this.s.eventTombstones.all(JSON.stringify(eventIds)).map((t) => [t.id, t.rev]));
    }
    // Each item is parsed just before it is written, so its parsed form (and its JSON) dies
    // young: a batch of 5,000 events parsed up front kept them all alive into the old generation.
    batch.items.forEach((raw, index) => {
      // project: sensors and cameras (core/devices), a type beside county-link-v1's five.
      if (isDeviceItem(raw)) {
        const d = this.devices.apply(raw);
        if (!d.ok) {
          ignored.push({ index, reason: d.reason, unknownType: false });
          this.s.insertReject.run(now, batch.to, index, 0, d.reason, excerpt(raw));
        } else if (d.changed) {
          applied++;
        }
        return;
      }
      // project: the registers' entity types (issue 17) go to their own tables.
      if (this.opts.registers && RegisterTables.handles(raw)) {
        const r = this.opts.registers.applyItem(raw, lastN);
        if (!r.ok) {
          ignored.push({ index, reason: r.reason, unknownType: false });
          this.s.insertReject.run(now, batch.to, index, 0, r.reason, excerpt(raw));
        } else if (r.changed) applied++;
        return;
      }
      const parsed = parseChangeItem(raw);
      if (!parsed.ok) {
        ignored.push({ index, reason: parsed.reason, unknownType: parsed.unknownType });
        this.s.insertReject.run(now, batch.to, index, parsed.unknownType ? 1 : 0, parsed.reason, excerpt(raw));
        return;
      }
      const entity = parsed.op === 'put' ? parsed.entity : null;
      const done =
        parsed.type === 'event'
          ? this.applyEventItem(parsed.id, parsed.rev, entity?.type === 'event' ? entity.value : null, work)
          : this.applyEntityItem(parsed.type, parsed.id, parsed.rev, entity as PutEntity | null);
      if (done) {
        applied++;
        mark(work, parsed.type, parsed.id);
      }
    });
    if (ignored.length > 0) this.s.pruneRejects.run(this.opts.rejectsMax);
    return { applied, ignored };
  }

  /** Reset: the county's entities go, the outbox stays, and pending events keep their overlay on no base. */
  private dropReplicated(lastN: number | null): void {
    this.writer.db.exec(
      'DELETE FROM grids; DELETE FROM departments; DELETE FROM categories; DELETE FROM workers; DELETE FROM worker_grids; DELETE FROM tombstones;',
    );
    this.rows.dropUnpending(lastN ?? 0);
    this.devices.clear();
    this.opts.registers?.reset();
    this.lookups.drop();
  }

  /** One valid grid, department, category or worker item under the revision rule; true when it changed what the replica shows. */
  private applyEntityItem(type: Exclude<EntityType, 'event'>, id: string, rev: number, entity: PutEntity | null): boolean {
    const table = this.tables[type];
    const current = table.rev.get(id)?.rev;
    const held = current ?? this.s.tombstoneRev.get(type, id)?.rev ?? 0;
    if (rev <= held) return false;
    if (entity === null) {
      this.s.putTombstone.run(type, id, rev);
      if (current === undefined) return false;
      table.del(id);
    } else {
      table.put(id, rev, entity);
      if (current === undefined && held > 0) this.s.deleteTombstone.run(type, id);
    }
    this.lookups.changed(type);
    return true;
  }

  private applyEventItem(id: string, rev: number, event: GridEvent | null, work: BatchWork): boolean {
    const row = work.rows.get(id);
    const held = row?.base_rev ?? work.tombstones.get(id) ?? 0;
    if (rev <= held) return false;
    if (event === null) {
      this.s.putTombstone.run('event', id, rev);
      work.tombstones.set(id, rev);
      if (row === undefined) return false;
      if (work.pending.has(id)) {
        // The last view stays until the replay writes the new one (a doc always has base or view).
        this.rows.clearBase(row);
        work.rows.set(id, { ...row, base_rev: null });
        work.recompute.add(id);
      } else {
        this.rows.delete(row);
        work.rows.delete(id);
      }
      return true;
    }
    if (held > 0 && (row === undefined || row.base_rev === null)) {
      this.s.deleteTombstone.run('event', id);
      work.tombstones.delete(id);
    }
    const base = JSON.stringify(event);
    // An event with unsettled commands gets its view (and search text) from the replay below.
    const replayed = work.pending.has(id);
    if (replayed) work.recompute.add(id);
    const stored = row === undefined ? this.rows.insert(id, rev, 0, event, base, null) : this.rows.setBase(row, rev, event, base);
    work.rows.set(id, stored);
    if (!replayed) this.rows.syncSearch(stored.seq, event, row === undefined);
    return true;
  }
}

/**
 * The ids the batch's event items name, read before any is parsed (for the one read of
 * their rows and tombstones): a superset of the valid ones is harmless (ids without a
 * row read nothing), and an id no valid item may carry (not a string, too long) is left out.
 */
function eventIdsOf(items: readonly unknown[]): string[] {
  const ids: string[] = [];
  for (const item of items) {
    if (typeof item !== 'object' || item === null) continue;
    const { type, id } = item as { type?: unknown; id?: unknown };
    if (type === 'event' && typeof id === 'string' && id.length > 0 && id.length <= LIMITS.id) ids.push(id);
  }
  return ids;
}

function mark(work: BatchWork, type: EntityType, id: string): void {
  const set = work.changed.get(type) ?? new Set<string>();
  set.add(id);
  work.changed.set(type, set);
}

function entityTables(db: SqliteDatabase): Record<Exclude<EntityType, 'event'>, EntityTable> {
  const simple = (table: string, key: string): EntityTable => {
    const put = db.prepare(`INSERT INTO ${table} (${key}, rev, data) VALUES (?, ?, ?) ON CONFLICT (${key}) DO UPDATE SET rev = excluded.rev, data = excluded.data`);
    const del = db.prepare(`DELETE FROM ${table} WHERE ${key} = ?`);
    return {
      rev: db.prepare<{ rev: number }>(`SELECT rev FROM ${table} WHERE ${key} = ?`),
      put: (id, rev, e) => void put.run(id, rev, JSON.stringify(e.value)),
      del: (id) => void del.run(id),
    };
  };
  const grid = {
    put: db.prepare(
      `INSERT INTO grids (code, rev, level, parent, data) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (code) DO UPDATE SET rev = excluded.rev, level = excluded.level, parent = excluded.parent, data = excluded.data`,
    ),
    del: db.prepare('DELETE FROM grids WHERE code = ?'),
  };
  const worker = {
    put: db.prepare(
      'INSERT INTO workers (id, rev, on_duty, data) VALUES (?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET rev = excluded.rev, on_duty = excluded.on_duty, data = excluded.data',
    ),
    del: db.prepare('DELETE FROM workers WHERE id = ?'),
    clearGrids: db.prepare('DELETE FROM worker_grids WHERE worker_id = ?'),
    addGrid: db.prepare('INSERT OR IGNORE INTO worker_grids (grid, worker_id) VALUES (?, ?)'),
  };
  return {
    grid: {
      rev: db.prepare<{ rev: number }>('SELECT rev FROM grids WHERE code = ?'),
      put: (id, rev, e) => {
        const g = e.value as Grid;
        grid.put.run(id, rev, g.level, g.parent, JSON.stringify(g));
      },
      del: (id) => void grid.del.run(id),
    },
    department: simple('departments', 'id'),
    category: simple('categories', 'code'),
    worker: {
      rev: db.prepare<{ rev: number }>('SELECT rev FROM workers WHERE id = ?'),
      put: (id, rev, e) => {
        const w = e.value as Worker;
        worker.put.run(id, rev, w.onDuty ? 1 : 0, JSON.stringify(w));
        worker.clearGrids.run(id);
        for (const g of w.grids) worker.addGrid.run(g, id);
      },
      del: (id) => {
        worker.del.run(id);
        worker.clearGrids.run(id);
      },
    },
  };
}
