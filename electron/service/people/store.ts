// Where the people's tables live: the replica's SQLite file (migration 0006), reached
// through its connection and its one serial writer (electron/service/replica/writer.ts),
// or, for the command-line tools, a connection of their own.
import type { Seat } from '../../../core/api/channels';
import type { SqliteDatabase, Statement } from '../db/sqlite';

export interface PeopleDb {
  db: SqliteDatabase;
  /** Runs fn in one write transaction (BEGIN IMMEDIATE … COMMIT; ROLLBACK when it throws). */
  write<T>(fn: () => T): T;
}

/** A connection of its own (the command-line tools): each write is one immediate transaction. */
export function ownConnection(db: SqliteDatabase): PeopleDb {
  return { db, write: (fn) => db.transaction(fn).immediate() };
}

/** The seat as the audit trail writes it: `window:console`, `remote:192.168.1.20`, `cli`, plus ` device:d-…` for a device's session. */
export function seatText(seat: Seat | undefined, deviceId?: string): string {
  const base = !seat ? 'local:service' : seat.kind === 'window' ? `window:${seat.window}` : seat.kind === 'remote' ? `remote:${seat.address}` : seat.name === 'cli' ? 'cli' : `local:${seat.name}`;
  return deviceId ? `${base} device:${deviceId}` : base;
}

export const bool = (v: number | null | undefined): boolean => v !== null && v !== undefined && v !== 0;

const cache = new WeakMap<SqliteDatabase, Map<string, Statement>>();

/** A statement prepared once per connection and SQL text. */
export function stmt<Row = Record<string, unknown>>(db: SqliteDatabase, sql: string): Statement<Row> {
  let byText = cache.get(db);
  if (!byText) cache.set(db, (byText = new Map()));
  let s = byText.get(sql);
  if (!s) byText.set(sql, (s = db.prepare(sql)));
  return s as Statement<Row>;
}
