// How the county pages a town's change log into `changes` batches: which rows, how
// many, and the batch's cursors and lastN. The link server reads the next batch while
// the town applies the one in flight; the catch-up benchmark pages a county database the
// same way for its baseline. Pure over the store: no socket, no timer.
import { LIMITS, type ChangesBatch } from '../../core/sync/protocol';
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

/** A batch read from the change log and encoded, ready to send. */
export interface PreparedBatch {
  /** The batch without its items (what the server needs to follow it: `to`). */
  envelope: Omit<ChangesBatch, 'items'>;
  /** How many items it carries. */
  count: number;
  /** The whole batch as JSON text: the items' data straight from the store, never parsed and encoded again. */
  json: string;
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
  /** Goes out even empty (to carry a lastN the town has not had: a command rejected since). */
  always?: boolean;
}

/** One row of a town's change log joined with its entity, as a batch reads it (store.ts ChangeRow). */
export interface BatchRow {
  seq: number;
  type: string;
  id: string;
  rev: number;
  deleted: boolean;
  /** The entity's JSON text as stored. */
  data: string | null;
}

/**
 * Which of `rows` (up to limit + 1 read after afterSeq) the batch carries, and its `to`:
 * the last item's seq when more remain, else the head of the log (`head`).
 */
export function pageOf(r: BatchRequest, rows: readonly BatchRow[], head: number): { page: readonly BatchRow[]; more: boolean; toSeq: number } | null {
  if (rows.length === 0 && r.first === null && r.always !== true) return null;
  const more = rows.length > r.limit;
  const page = more ? rows.slice(0, r.limit) : rows;
  const toSeq = more ? page[page.length - 1]!.seq : Math.max(head, r.afterSeq);
  return { page, more, toSeq };
}

/**
 * The batch as JSON text: each item's `data` is the JSON text the store holds (written by
 * JSON.stringify), so the county neither parses nor encodes it again. One implementation for
 * the simulator's SQLite store and the hub's PostgreSQL one.
 */
export function encodeBatch(
  r: BatchRequest,
  paged: { page: readonly BatchRow[]; more: boolean; toSeq: number },
  cursor: (seq: number) => string,
  lastN: number | null,
): PreparedBatch {
  const { page, more, toSeq } = paged;
  const envelope: Omit<ChangesBatch, 'items'> = {
    from: r.first !== null ? (r.first.reset ? null : r.first.presented) : cursor(r.afterSeq),
    to: cursor(toSeq),
    more,
    reset: r.first?.reset ?? false,
    lastN,
  };
  const items = page.map((row) => {
    const head = `{"type":${JSON.stringify(row.type)},"op":"${row.deleted ? 'del' : 'put'}","id":${JSON.stringify(row.id)},"rev":${row.rev}`;
    return row.deleted ? `${head}}` : `${head},"data":${row.data ?? 'null'}}`;
  });
  const json = `${JSON.stringify(envelope).slice(0, -1)},"items":[${items.join(',')}]}`;
  return { envelope, count: page.length, json, afterSeq: r.afterSeq, toSeq, limit: r.limit };
}

/**
 * The next batch after `afterSeq`: at most `limit` items of the town's changes in log
 * order; `more` when further changes of the town remain (then `to` is the last item's
 * seq), else `to` is the head of the whole log. Null when there is nothing to send
 * (never for a first batch). Items and lastN are read in the same synchronous turn, so
 * the lastN always matches the data the items carry.
 */
export function readBatch(store: CountyStore, r: BatchRequest): PreparedBatch | null {
  const paged = pageOf(r, store.changesAfter(r.town, r.afterSeq, r.limit + 1), store.head());
  if (paged === null) return null;
  return encodeBatch(r, paged, (seq) => store.cursor(seq), store.lastNFor(r.replica, r.town, r.afterSeq, paged.toSeq));
}

/** The batch as an object (what the town receives), for tests and the benchmark's baselines. */
export function batchOf(prepared: PreparedBatch): ChangesBatch {
  return JSON.parse(prepared.json) as ChangesBatch;
}

/**
 * A `changes` batch already encoded, as the argument of `socket.emit`: the server's
 * encoder (`encodeWith`) writes its JSON text as is. Anything else that serialises it
 * (JSON.stringify) gets the same batch through toJSON.
 */
export class EncodedBatch {
  constructor(readonly prepared: PreparedBatch) {}

  toJSON(): ChangesBatch {
    return batchOf(this.prepared);
  }
}

/** A Socket.IO packet as the server's encoder receives it. */
interface Packet {
  type: number;
  nsp?: string;
  id?: number;
  data?: unknown;
}

/** Socket.IO's packet type of an event (socket.io-parser PacketType.EVENT). */
const EVENT = 2;

/**
 * The server's encoder: an event packet whose one argument is an EncodedBatch is written as
 * Socket.IO's default JSON parser writes it (`2/town,<id>["changes",<batch>]`), with the
 * batch's prepared text; every other packet goes to `standard`. Same bytes on the wire
 * as before, without encoding the batch again after the ack.
 */
export function encodeWith(standard: { encode(packet: unknown): unknown[] }): { encode(packet: unknown): unknown[] } {
  return {
    encode(packet: unknown): unknown[] {
      const p = packet as Packet;
      const data = p.data;
      if (p.type !== EVENT || !Array.isArray(data) || data.length !== 2 || !(data[1] instanceof EncodedBatch)) return standard.encode(packet);
      const nsp = p.nsp && p.nsp !== '/' ? `${p.nsp},` : '';
      return [`${EVENT}${nsp}${p.id ?? ''}[${JSON.stringify(data[0])},${data[1].prepared.json}]`];
    },
  };
}
