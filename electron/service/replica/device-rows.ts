// The county's sensors and cameras (`device`, a type the project adds to county-link-v1)
// in the replica: the same revision rule and tombstones as the other non-event entities,
// in their own table (field_devices, migration 0011). The batch's transaction is the
// caller's (sync.ts hands every `device` item here).
import { ChangeItemSchema } from '../../../core/sync/protocol';
import { DEVICE_TYPE, parseDevice, type Device } from '../../../core/devices/device';
import type { SqliteDatabase } from '../db/sqlite';

export const isDeviceItem = (raw: unknown): boolean => (raw as { type?: unknown } | null)?.type === DEVICE_TYPE;

export class DeviceRows {
  private readonly s;

  constructor(db: SqliteDatabase) {
    this.s = {
      rev: db.prepare<{ rev: number }>('SELECT rev FROM field_devices WHERE id = ?'),
      tombstone: db.prepare<{ rev: number }>("SELECT rev FROM tombstones WHERE type = 'device' AND id = ?"),
      put: db.prepare('INSERT INTO field_devices (id, rev, grid, data) VALUES (?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET rev = excluded.rev, grid = excluded.grid, data = excluded.data'),
      del: db.prepare('DELETE FROM field_devices WHERE id = ?'),
      putTombstone: db.prepare("INSERT INTO tombstones (type, id, rev) VALUES ('device', ?, ?) ON CONFLICT (type, id) DO UPDATE SET rev = excluded.rev"),
      deleteTombstone: db.prepare("DELETE FROM tombstones WHERE type = 'device' AND id = ?"),
      all: db.prepare<{ id: string; data: string }>('SELECT id, data FROM field_devices ORDER BY id'),
      clear: db.prepare('DELETE FROM field_devices'),
    };
  }

  /** One `device` change item: applied (true: the replica changed), stale (false), or refused with the reason. */
  apply(raw: unknown): { ok: true; changed: boolean; id: string } | { ok: false; reason: string } {
    const item = ChangeItemSchema.safeParse(raw);
    if (!item.success) return { ok: false, reason: `invalid device item: ${item.error.issues.map((i) => i.message).join('; ')}` };
    const { op, id, rev, data } = item.data;
    let device: Device | null = null;
    if (op === 'put') {
      const parsed = parseDevice(id, data);
      if (!parsed.ok) return { ok: false, reason: parsed.reason };
      device = parsed.device;
    }
    const current = this.s.rev.get(id)?.rev;
    const held = current ?? this.s.tombstone.get(id)?.rev ?? 0;
    if (rev <= held) return { ok: true, changed: false, id };
    if (device === null) {
      this.s.putTombstone.run(id, rev);
      if (current === undefined) return { ok: true, changed: false, id };
      this.s.del.run(id);
      return { ok: true, changed: true, id };
    }
    const { id: _id, ...wire } = device;
    this.s.put.run(id, rev, device.grid, JSON.stringify(wire));
    if (current === undefined && held > 0) this.s.deleteTombstone.run(id);
    return { ok: true, changed: true, id };
  }

  /** A reset: the county's devices go with its other entities. */
  clear(): void {
    this.s.clear.run();
  }

  list(): Device[] {
    return this.s.all.all().map((r) => ({ id: r.id, ...(JSON.parse(r.data) as Omit<Device, 'id'>) }));
  }
}
