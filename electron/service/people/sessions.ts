// The sessions table (migration 0006): a session is opened by a login (an account) or by
// a device's enrolment (a device), found by the SHA-256 of its token (the token itself is
// never stored), and ended with a reason. Rows in and out; people.ts applies the rules.
import type { PayloadOf } from '../../../core/api/contract';
import type { SqliteDatabase } from '../db/sqlite';
import { randomSecret, sha256Hex } from './passwords';
import { stmt } from './store';

export type EndReason = PayloadOf<'auth.ended'>['reason'];

export interface SessionRow {
  id: string;
  token_hash: string;
  account_id: string | null;
  device_id: string | null;
  created_at: number;
  last_seen_at: number;
  ended_at: number | null;
  end_reason: string | null;
  seat: string;
}

/** Opens a session; the token (32 random bytes, base64url) is returned once and only its hash kept. */
export function openSession(db: SqliteDatabase, owner: { accountId: string } | { deviceId: string }, seat: string, now: number): { id: string; token: string } {
  const token = randomSecret(32);
  const id = `s-${randomSecret(12)}`;
  stmt(db, 'INSERT INTO sessions (id, token_hash, account_id, device_id, created_at, last_seen_at, seat) VALUES (?, ?, ?, ?, ?, ?, ?)').run(
    id,
    sha256Hex(token),
    'accountId' in owner ? owner.accountId : null,
    'deviceId' in owner ? owner.deviceId : null,
    now,
    now,
    seat,
  );
  return { id, token };
}

export const sessionByToken = (db: SqliteDatabase, token: string): SessionRow | undefined =>
  stmt<SessionRow>(db, 'SELECT * FROM sessions WHERE token_hash = ?').get(sha256Hex(token));

export const sessionById = (db: SqliteDatabase, id: string): SessionRow | undefined => stmt<SessionRow>(db, 'SELECT * FROM sessions WHERE id = ?').get(id);

export function touchSession(db: SqliteDatabase, id: string, now: number): void {
  stmt(db, 'UPDATE sessions SET last_seen_at = ? WHERE id = ? AND ended_at IS NULL').run(now, id);
}

/** Ends one session; false when it had ended already. */
export function endSession(db: SqliteDatabase, id: string, reason: EndReason, now: number): boolean {
  return stmt(db, 'UPDATE sessions SET ended_at = ?, end_reason = ? WHERE id = ? AND ended_at IS NULL').run(now, reason, id).changes > 0;
}

/** Ends every open session of an account or a device (but `exceptId`); returns their ids. */
export function endSessionsOf(db: SqliteDatabase, owner: { accountId: string } | { deviceId: string }, reason: EndReason, now: number, exceptId = ''): string[] {
  const ids =
    'accountId' in owner
      ? stmt<{ id: string }>(db, 'SELECT id FROM sessions WHERE account_id = ? AND ended_at IS NULL AND id <> ?').all(owner.accountId, exceptId)
      : stmt<{ id: string }>(db, 'SELECT id FROM sessions WHERE device_id = ? AND ended_at IS NULL AND id <> ?').all(owner.deviceId, exceptId);
  return ids.map((r) => r.id).filter((id) => endSession(db, id, reason, now));
}

/** Open sessions of people (not devices) unused since before `cutoff`. */
export const idleSessions = (db: SqliteDatabase, cutoff: number): SessionRow[] =>
  stmt<SessionRow>(db, 'SELECT * FROM sessions WHERE ended_at IS NULL AND account_id IS NOT NULL AND last_seen_at < ?').all(cutoff);
