// The invariants of a chaos run, as pure functions over what the run recorded and what
// the two databases hold at the end. Each returns null when it holds, or a one-line
// reason. Kept apart from the runner so each rule has a unit test that makes it fail.
import { isDeepStrictEqual } from 'node:util';

/** What the driver got back from a command call: the service's receipt. */
export interface Receipt {
  n: number;
  commandId: string;
  name: string;
  eventId: string;
  /** A text unique to this call, placed in the command's note or reason (null when the command has none). */
  token: string | null;
  step: number;
  /** Called through a screen's client whose call was broken and sent again under its key (retry.ts). */
  retried?: boolean;
}

export interface SettledRow {
  n: number;
  name: string;
  status: 'applied' | 'rejected';
  code?: string;
}

export interface OutboxRow {
  n: number;
  id: string;
  name: string;
  state: string;
  code: string | null;
}

// ---------------------------------------------------------------- commands

/** No command lost: every receipt is settled at the county, under its own n, id and name; no n was handed out twice. */
export function checkReceipts(receipts: readonly Receipt[], settled: readonly SettledRow[], replicaId: string): string | null {
  const byN = new Map(settled.map((s) => [s.n, s]));
  const seen = new Map<number, Receipt>();
  for (const r of receipts) {
    const twin = seen.get(r.n);
    if (twin) return `n ${r.n} was handed out twice (steps ${twin.step} and ${r.step}): a committed command was lost`;
    seen.set(r.n, r);
    if (r.commandId !== `${replicaId}:${r.n}`) return `receipt of step ${r.step} has id ${r.commandId}, expected ${replicaId}:${r.n}`;
    const s = byN.get(r.n);
    if (!s) return `command lost: n ${r.n} (${r.name}, step ${r.step}) was never settled by the county`;
    if (s.name !== r.name) return `n ${r.n} settled as ${s.name} at the county, but the receipt of step ${r.step} is ${r.name}`;
  }
  return null;
}

/** None applied twice: the county settled exactly 1..max, each n once, and exactly the replica's outbox. */
export function checkSettled(settled: readonly SettledRow[], outbox: readonly OutboxRow[]): string | null {
  for (let i = 0; i < settled.length; i++) {
    const n = settled[i]?.n;
    if (n !== i + 1) return `the county's settled commands are not 1..${settled.length}: position ${i + 1} holds n ${n}`;
  }
  if (outbox.length !== settled.length) return `the replica's outbox holds ${outbox.length} commands, the county settled ${settled.length}`;
  for (let i = 0; i < outbox.length; i++) {
    const o = outbox[i] as OutboxRow;
    const s = settled[i] as SettledRow;
    if (o.n !== s.n || o.name !== s.name) return `outbox n ${o.n} (${o.name}) does not match the county's n ${s.n} (${s.name})`;
    if (o.state !== s.status) return `n ${o.n} (${o.name}) is ${o.state} in the replica, ${s.status} at the county`;
    if (s.status === 'rejected' && (o.code ?? undefined) !== s.code) return `n ${o.n} rejected with ${s.code} at the county, ${o.code} in the replica`;
  }
  return null;
}

/** Per-replica order kept: the county settled the commands in n order (settledInOrder: n in the order the county stored them). */
export function checkOrder(settledInOrder: readonly number[]): string | null {
  for (let i = 1; i < settledInOrder.length; i++) {
    const a = settledInOrder[i - 1] as number;
    const b = settledInOrder[i] as number;
    if (b <= a) return `the county settled n ${b} after n ${a}`;
  }
  return null;
}

/**
 * Effects applied once: a command's token is in its event's county history exactly once
 * when the county applied it, and nowhere when it rejected it; no token twice anywhere.
 */
export function checkTokens(
  receipts: readonly Receipt[],
  settled: readonly SettledRow[],
  histories: ReadonlyMap<string, readonly { note: string }[]>,
  tokenPattern: RegExp,
): string | null {
  const count = new Map<string, number>();
  for (const [eventId, history] of histories) {
    const here = new Map<string, number>();
    for (const h of history) for (const t of h.note.match(tokenPattern) ?? []) here.set(t, (here.get(t) ?? 0) + 1);
    for (const [t, c] of here) {
      if (c > 1) return `token ${t} appears ${c} times in the history of event ${eventId}: a command applied twice`;
      count.set(`${eventId} ${t}`, c);
    }
  }
  const status = new Map(settled.map((s) => [s.n, s.status]));
  for (const r of receipts) {
    if (r.token === null) continue;
    const c = count.get(`${r.eventId} ${r.token}`) ?? 0;
    const st = status.get(r.n);
    if (st === 'applied' && c !== 1) return `n ${r.n} (${r.name}, step ${r.step}) was applied but its note is in event ${r.eventId}'s history ${c} times`;
    if (st === 'rejected' && c !== 0) return `n ${r.n} (${r.name}, step ${r.step}) was rejected but its note is in event ${r.eventId}'s history`;
  }
  return null;
}

/** A command a screen sent again under its key, and whether it was finally told it was applied. */
export interface ScreenCall {
  step: number;
  name: string;
  eventId: string;
  /** The note's unique text; null for a new report (its fresh id is its mark: the event exists or not). */
  token: string | null;
  ok: boolean;
}

/**
 * What the screen was told is what happened: a command whose note reached the county's
 * history was answered as applied, never refused (a retry refused because the first
 * attempt had already moved the event on is a command applied behind the screen's back).
 */
export function checkScreenCalls(calls: readonly ScreenCall[], histories: ReadonlyMap<string, readonly { note: string }[]>): string | null {
  for (const c of calls) {
    const token = c.token;
    const history = histories.get(c.eventId);
    const count = token === null ? (history ? 1 : 0) : (history ?? []).filter((h) => h.note.includes(token)).length;
    if (count > 1) return `step ${c.step}: ${c.name} sent again under its key is in event ${c.eventId}'s history ${count} times`;
    if (count === 1 && !c.ok) return `step ${c.step}: ${c.name} was applied, but the screen that sent it again under its key was told it was refused`;
  }
  return null;
}

// ---------------------------------------------------------------- state

export interface Snapshot {
  grids: readonly { code: string }[];
  departments: readonly { id: string }[];
  categories: readonly { code: string }[];
  workers: readonly { id: string }[];
  events: readonly { id: string }[];
}

/** Replica equal to the county: every list, entity by entity; the first difference named. */
export function compareSnapshots(replica: Snapshot, county: Snapshot): string | null {
  for (const type of ['grids', 'departments', 'categories', 'workers', 'events'] as const) {
    const key = (e: object): string => String((e as { id?: string; code?: string }).id ?? (e as { code?: string }).code);
    const mine = new Map(replica[type].map((e) => [key(e), e]));
    const theirs = new Map(county[type].map((e) => [key(e), e]));
    for (const [id, e] of theirs) {
      const m = mine.get(id);
      if (m === undefined) return `${type}: ${id} is at the county but not in the replica`;
      if (!isDeepStrictEqual(m, e)) return `${type}: ${id} differs: ${firstDifference(m, e)}`;
    }
    for (const id of mine.keys()) if (!theirs.has(id)) return `${type}: ${id} is in the replica but not at the county`;
  }
  return null;
}

/** The path of the first difference between two JSON values, with both values (clipped). */
export function firstDifference(a: unknown, b: unknown, path = ''): string {
  if (isDeepStrictEqual(a, b)) return '';
  if (a && b && typeof a === 'object' && typeof b === 'object' && Array.isArray(a) === Array.isArray(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
    for (const k of keys) {
      const x = (a as Record<string, unknown>)[k];
      const y = (b as Record<string, unknown>)[k];
      if (!isDeepStrictEqual(x, y)) return firstDifference(x, y, `${path}.${k}`);
    }
  }
  const clip = (v: unknown): string => {
    const s = JSON.stringify(v) ?? String(v);
    return s.length > 120 ? `${s.slice(0, 120)}…` : s;
  };
  return `${path || '(root)'}: replica ${clip(a)}, county ${clip(b)}`;
}

// ---------------------------------------------------------------- the cursor

export interface ParsedCursor {
  epoch: string;
  seq: number;
}

export function parseCursor(cursor: string): ParsedCursor | null {
  const m = /^c-([0-9a-f]+)-(\d+)$/.exec(cursor);
  return m ? { epoch: m[1] as string, seq: Number(m[2]) } : null;
}

/**
 * Watches the stored cursor: committed cursors reported in commit order (the service's
 * own report after each batch, and the file read while no service runs) must never go
 * back. A reset batch starts the snapshot over, so each reset the driver asked the
 * county for allows one step back. A read of the file while the service runs is checked
 * against what was reported before it, but cannot order what is reported after it.
 */
export class CursorWatch {
  private last: { cursor: string; parsed: ParsedCursor; where: string } | null = null;
  private resetsAllowed = 0;
  violation: string | null = null;
  observations = 0;

  allowReset(): void {
    this.resetsAllowed++;
  }

  /** A cursor committed after every cursor observed before (reported by the service, or read with no service running). */
  observe(cursor: string | null, where: string, reset = false): void {
    if (cursor === null || this.violation) return;
    this.observations++;
    const parsed = parseCursor(cursor);
    if (!parsed) {
      this.violation = `cursor ${JSON.stringify(cursor)} (${where}) is not a county cursor`;
      return;
    }
    const back = this.backwards(parsed);
    if (back || reset) {
      if (this.resetsAllowed > 0) this.resetsAllowed--;
      else if (back) {
        this.violation = `cursor moved backwards: ${this.last?.cursor} (${this.last?.where}) then ${cursor} (${where})${reset ? ', by a reset nobody asked for' : ''}`;
        return;
      } else {
        this.violation = `a reset nobody asked for moved the cursor to ${cursor} (${where})`;
        return;
      }
    }
    this.last = { cursor, parsed, where };
  }

  /** A read of the file while the service runs: at least what was reported before the read. */
  sample(cursor: string | null, where: string): void {
    if (cursor === null || this.violation || this.last === null) return;
    const parsed = parseCursor(cursor);
    if (!parsed) {
      this.violation = `cursor ${JSON.stringify(cursor)} (${where}) is not a county cursor`;
      return;
    }
    if (this.backwards(parsed) && this.resetsAllowed === 0) {
      this.violation = `cursor moved backwards: ${this.last.cursor} (${this.last.where}) then ${cursor} (${where})`;
    }
  }

  private backwards(p: ParsedCursor): boolean {
    if (this.last === null) return false;
    // Another epoch would be another county database: in a run there is only one.
    return p.epoch !== this.last.parsed.epoch || p.seq < this.last.parsed.seq;
  }
}
