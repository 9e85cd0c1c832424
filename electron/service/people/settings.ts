// The settings table (migration 0006): key → JSON value, read over the defaults. A value
// that does not pass the contract's schema (an old or hand-edited row) is ignored.
import type { z } from 'zod';
import { SettingsSchema } from '../../../core/api/people';
import { DEFAULT_SESSION_IDLE_HOURS } from '../../../core/people/policy';
import type { SqliteDatabase } from '../db/sqlite';
import { stmt } from './store';

export type Settings = z.output<typeof SettingsSchema>;

export const DEFAULT_SETTINGS: Settings = { sessionIdleHours: DEFAULT_SESSION_IDLE_HOURS };

export function readSettings(db: SqliteDatabase): Settings {
  const stored: Record<string, unknown> = {};
  for (const { key, value } of stmt<{ key: string; value: string }>(db, 'SELECT key, value FROM settings').all()) {
    try {
      stored[key] = JSON.parse(value);
    } catch {
      // A damaged value: the default stands.
    }
  }
  const out: Record<string, unknown> = { ...DEFAULT_SETTINGS };
  for (const [key, field] of Object.entries(SettingsSchema.shape)) {
    const parsed = (field as z.ZodType).safeParse(stored[key]);
    if (parsed.success) out[key] = parsed.data;
  }
  return out as Settings;
}

export function writeSettings(db: SqliteDatabase, patch: Partial<Settings>): void {
  for (const [key, value] of Object.entries(patch)) {
    if (value !== undefined) stmt(db, 'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, JSON.stringify(value));
  }
}
