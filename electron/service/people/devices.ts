// The devices table (migration 0006): the wall and meeting screens' tokens. A device is
// issued with a one-time enrolment code (only its SHA-256 is kept), exchanged once for
// the device's session; revoking it ends its sessions. Rows in and out.
import type { z } from 'zod';
import type { DeviceSchema } from '../../../core/api/people';
import { toIso } from '../../../core/time/shanghai';
import type { SqliteDatabase } from '../db/sqlite';
import { stmt } from './store';

export type Device = z.output<typeof DeviceSchema>;

export interface DeviceRow {
  id: string;
  name: string;
  code_hash: string | null;
  created_at: number;
  created_by: string;
  enrolled_at: number | null;
  last_seen_at: number | null;
  revoked_at: number | null;
}

const iso = (ms: number | null): string | null => (ms === null ? null : toIso(ms));

export function toDevice(row: DeviceRow): Device {
  return {
    id: row.id,
    name: row.name,
    role: 'viewer',
    createdAt: toIso(row.created_at),
    createdBy: row.created_by,
    enrolledAt: iso(row.enrolled_at),
    lastSeenAt: iso(row.last_seen_at),
    revokedAt: iso(row.revoked_at),
  };
}

export function insertDevice(db: SqliteDatabase, d: { id: string; name: string; codeHash: string; createdBy: string }, now: number): DeviceRow {
  stmt(db, 'INSERT INTO devices (id, name, code_hash, created_at, created_by) VALUES (?, ?, ?, ?, ?)').run(d.id, d.name, d.codeHash, now, d.createdBy);
  return deviceById(db, d.id) as DeviceRow;
}

export const deviceById = (db: SqliteDatabase, id: string): DeviceRow | undefined => stmt<DeviceRow>(db, 'SELECT * FROM devices WHERE id = ?').get(id);

export const deviceByCodeHash = (db: SqliteDatabase, codeHash: string): DeviceRow | undefined =>
  stmt<DeviceRow>(db, 'SELECT * FROM devices WHERE code_hash = ?').get(codeHash);

export const listDeviceRows = (db: SqliteDatabase): DeviceRow[] => stmt<DeviceRow>(db, 'SELECT * FROM devices ORDER BY created_at DESC, id').all();

/** The code is used: true only for the first exchange of a device not revoked. */
export function enrolDevice(db: SqliteDatabase, id: string, now: number): boolean {
  return stmt(db, 'UPDATE devices SET enrolled_at = ?, last_seen_at = ? WHERE id = ? AND enrolled_at IS NULL AND revoked_at IS NULL').run(now, now, id).changes > 0;
}

export function revokeDevice(db: SqliteDatabase, id: string, now: number): boolean {
  return stmt(db, 'UPDATE devices SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL').run(now, id).changes > 0;
}

export function touchDevice(db: SqliteDatabase, id: string, now: number): void {
  stmt(db, 'UPDATE devices SET last_seen_at = ? WHERE id = ?').run(now, id);
}
