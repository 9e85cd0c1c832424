// How the county pages a town's change log into `changes` batches: which rows, how
// many, and the batch's cursors and lastN. The link server reads the next batch while
// the town applies the one in flight; the catch-up benchmark pages a county database the
// same way for its baseline. Pure over the store: no socket, no timer.
import { LIMITS, type ChangeItem, type ChangesBatch } from '../../core/sync/protocol';
import type { CountyStore } from './store';

/**
 * The size of the batch that follows one of `size` items: twice as large while the town
 * is catching up (`more`), up to `max`; back to `base` once it has caught up. The first
 * batch of a connection has `base` items at most, so a town sees its first batch (and
 * that it is catching up) at once, and a link that keeps dropping loses little.
 */
export function nextBatchSize(size: number, more: boolean, base: number, max: number): number {
  return more ? Math.max(base, Math.min(max, size * 2)) : base;
}

/** The largest batch the county sends: what a town accepts in one (county-link-v1 LIMITS). */
export const MAX_BATCH_ITEMS = LIMITS.batchItems;

/** A batch read from the change log and ready to send. */
export interface PreparedBatch {
  batch: ChangesBatch;
  /** The seq the batch follows (the connection's cursor when it was read). */
  afterSeq: number;
  /** The seq of `batch.to`. */
  toSeq: number;
  /** The most items it could carry. */
  limit: number;
}

export interface BatchRequest {
  town: string;
  replica: string;
  afterSeq: number;
  limit: number;
  /** The first batch of a connection: `from` is the presented cursor (null on a reset), and it goes out even empty. */
  first: { presented: string | null; reset: boolean } | null;
}

/**
 * The next batch after `afterSeq`: at most `limit` items of the town's changes in log
 * order; `more` when further changes of the town remain (then `to` is the last item's
 * seq), else `to` is the head of the whole log. Null when there is nothing to send
 * (never for a first batch). Items and lastN are read in the same synchronous turn, so
 * the lastN always matches the data the items carry.
 */
export function readBatch(store: CountyStore, r: BatchRequest): PreparedBatch | null {
  const rows = store.changesAfter(r.town, r.afterSeq, r.limit + 1);
  if (rows.length === 0 && r.first === null) return null;
  const more = rows.length > r.limit;
  const page = more ? rows.slice(0, r.limit) : rows;
  const toSeq = more ? page[page.length - 1]!.seq : Math.max(store.head(), r.afterSeq);
  const items: ChangeItem[] = page.map((row) =>
    row.deleted
      ? { type: row.type, op: 'del', id: row.id, rev: row.rev }
      : { type: row.type, op: 'put', id: row.id, rev: row.rev, data: JSON.parse(row.data ?? 'null') as unknown },
  );
  const batch: ChangesBatch = {
    from: r.first !== null ? (r.first.reset ? null : r.first.presented) : store.cursor(r.afterSeq),
    to: store.cursor(toSeq),
    more,
    reset: r.first?.reset ?? false,
    lastN: store.lastNFor(r.replica, r.town, r.afterSeq, toSeq),
    items,
  };
  return { batch, afterSeq: r.afterSeq, toSeq, limit: r.limit };
}
