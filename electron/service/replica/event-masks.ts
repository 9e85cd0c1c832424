// Each event's view masked for the rooms' screens (event_masks, migration 0014; the
// levels of core/privacy/stored-mask.ts STORED_MASK_LEVELS): made when the view is
// written, read instead of masking on every read (stored-mask.ts is the stored form,
// core/privacy/mask.ts the rules). Reads at a level not stored mask the view on the fly.
//
// - Writing: event-rows.ts, the only writer of the event tables, names every event whose
//   document it wrote in a transaction (`changed`); just before COMMIT each one is masked
//   once from its final view. The database's triggers delete a row of event_masks
//   whenever its document changes, so no path can leave a mask of an older view behind.
// - Reading: a masked read takes the stored text; an event without one (not filled yet
//   after an upgrade, or one masking failed on) is masked on the fly, as before.
// - Upgrading: at open, masks made by other rules are dropped; events without masks are
//   filled in steps (`fillStep`), newest first, in the background (replica.ts).
// - Catching up: a batch the county sends while the town catches up (`more`) stores no
//   masks (`deferToFill`): the fill is restarted instead and run in the background once
//   the replica is current, so a town coming back from an outage is current sooner
//   (issue 8); reads mask those events on the fly meanwhile, as after an upgrade.
import type { GridEvent } from '../../../core/model';
import type { MaskLevel } from '../../../core/privacy/mask';
import { MASK_RULES_VERSION } from '../../../core/privacy/mask';
import { decodeMasked, encodeMasked, maskedNow, STORED_MASK_LEVELS } from '../../../core/privacy/stored-mask';
import type { SqliteDatabase } from '../db/sqlite';
import type { ReplicaWriter } from './writer';

/** Pages of events one fill step may walk over (see fillStep). */
const FILL_WALK = 40;

interface MaskState {
  rules: number;
  filled: number;
  fill_below: number | null;
}

/** The column of each stored level (the migration's names). */
const COLUMN: Readonly<Partial<Record<MaskLevel, string>>> = { all: 'level_all' };
for (const level of STORED_MASK_LEVELS) if (COLUMN[level] === undefined) throw new Error(`event_masks has no column for level ${level}`);
const COLUMNS = STORED_MASK_LEVELS.map((level) => COLUMN[level]!);

function prepare(db: SqliteDatabase) {
  return {
    // The stored text only: the view's row is read only when it is needed (nothing usable stored).
    read: Object.fromEntries(STORED_MASK_LEVELS.map((level) => [level, db.prepare<{ masked: string }>(`SELECT ${COLUMN[level]!} AS masked FROM event_masks WHERE seq = ?`)])),
    doc: db.prepare<{ view: string }>('SELECT coalesce(view, base) AS view FROM event_docs WHERE seq = ?'),
    upsert: db.prepare(`INSERT OR REPLACE INTO event_masks (seq, ${COLUMNS.join(', ')}) VALUES (?${', ?'.repeat(COLUMNS.length)})`),
    state: db.prepare<MaskState>('SELECT rules, filled, fill_below FROM event_mask_state WHERE id = 1'),
    setState: db.prepare('UPDATE event_mask_state SET rules = ?, filled = ?, fill_below = ? WHERE id = 1'),
    // A step of the fill: the next events below the cursor, each with its view when it has no mask.
    fillRange: db.prepare<{ seq: number; doc: string | null }>(
      `SELECT s.seq AS seq, CASE WHEN m.seq IS NULL THEN coalesce(d.view, d.base) END AS doc
       FROM (SELECT seq FROM events WHERE seq < ? ORDER BY seq DESC LIMIT ?) s
       JOIN event_docs d ON d.seq = s.seq LEFT JOIN event_masks m ON m.seq = s.seq ORDER BY s.seq DESC`,
    ),
  };
}

export class EventMasks {
  private readonly s: ReturnType<typeof prepare>;
  /** Events whose document this transaction wrote: their final view (null: read it before COMMIT). */
  private readonly dirty = new Map<number, GridEvent | null>();
  /** This transaction stores no masks: the events it wrote are left to the fill (deferToFill). */
  private deferred = false;
  /** Events masking threw on (a view the rules cannot read): left without masks, masked on every read as before. */
  failures = 0;

  constructor(private readonly writer: ReplicaWriter) {
    this.s = prepare(writer.db);
    writer.onBeforeCommit(() => this.flush());
    writer.onRollback(() => {
      this.dirty.clear();
      this.deferred = false;
    });
  }

  /**
   * Inside a write: the events this transaction writes get no masks now; the fill starts
   * over from the newest event (it skips events that have masks), to be run by the caller
   * when it is time (see `fillDue`).
   */
  deferToFill(): void {
    this.deferred = true;
  }

  /** Whether events may lack masks that the fill would store (a fill is due or under way). */
  fillDue(): boolean {
    return (this.s.state.get() as MaskState).filled === 0;
  }

  /** The event's document was written in this transaction; `view`: the view it now shows, when the caller has it. */
  changed(seq: number, view: GridEvent | null): void {
    this.dirty.set(seq, view);
  }

  /** The event is gone (its masks went with its document, by trigger). */
  gone(seq: number): void {
    this.dirty.delete(seq);
  }

  /**
   * The event's view as `level` shows it: stored, or masked now (a level not stored, an
   * event not masked yet). Vouched for as masked at `level`. Null: no such event.
   */
  read(seq: number, level: MaskLevel): GridEvent | null {
    const stored = this.s.read[level]?.get(seq)?.masked ?? null;
    const event = stored === null ? null : decodeMasked(stored, null, level);
    if (event !== null) return event;
    const view = this.s.doc.get(seq)?.view;
    if (view === undefined) return null;
    return stored === null ? maskedNow(JSON.parse(view) as GridEvent, level) : decodeMasked(stored, view, level);
  }

  // ---------------------------------------------------------------- the rules' version and the fill

  /**
   * At open (outside any write): masks made by other rules than this code's are dropped.
   * Returns whether events may lack masks (a fill is due).
   */
  open(): boolean {
    const state = this.s.state.get() as MaskState;
    if (state.rules !== MASK_RULES_VERSION) {
      // A replica without events (a new one) has nothing to fill.
      const empty = this.writer.db.prepare('SELECT 1 FROM events LIMIT 1').get() === undefined;
      this.writer.write(() => {
        this.writer.db.exec('DELETE FROM event_masks');
        this.s.setState.run(MASK_RULES_VERSION, empty ? 1 : 0, null);
      });
      return !empty;
    }
    return state.filled === 0;
  }

  /**
   * Inside a write: masks up to `limit` events below the fill's cursor that have none, and
   * moves the cursor. Events that have masks are walked over, up to FILL_WALK pages of
   * `limit` in one step: after a catch-up most of a large replica is masked already, and a
   * step (a COMMIT) per 500 of them would make the walk thousands of writes. Returns
   * whether events remain below the cursor.
   */
  fillStep(limit: number): boolean {
    const state = this.s.state.get() as MaskState;
    if (state.filled !== 0) return false;
    let below = state.fill_below ?? Number.MAX_SAFE_INTEGER;
    let stored = 0;
    let more = true;
    for (let page = 0; more && stored < limit && page < FILL_WALK; page++) {
      const rows = this.s.fillRange.all(below, limit);
      for (const r of rows) {
        if (r.doc === null) continue;
        this.store(r.seq, JSON.parse(r.doc) as GridEvent);
        stored++;
      }
      more = rows.length === limit;
      if (rows.length > 0) below = rows.at(-1)!.seq;
    }
    this.s.setState.run(MASK_RULES_VERSION, more ? 0 : 1, more ? below : null);
    return more;
  }

  private flush(): void {
    if (this.deferred) {
      this.deferred = false;
      if (this.dirty.size > 0) this.s.setState.run(MASK_RULES_VERSION, 0, null);
      this.dirty.clear();
      return;
    }
    for (const [seq, view] of this.dirty) {
      const json = view === null ? this.s.doc.get(seq)?.view : undefined;
      const final = view ?? (json === undefined ? null : (JSON.parse(json) as GridEvent));
      if (final !== null) this.store(seq, final);
    }
    this.dirty.clear();
  }

  private store(seq: number, view: GridEvent): void {
    let texts: string[];
    try {
      texts = STORED_MASK_LEVELS.map((level) => encodeMasked(view, level));
    } catch {
      // The read masks it on the fly, and fails there as it always did: a write never fails for masking.
      this.failures++;
      return;
    }
    this.s.upsert.run(seq, ...texts);
  }
}
