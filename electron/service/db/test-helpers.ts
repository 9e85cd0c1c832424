// Test helpers for the migrations: what a database's schema holds.
import type { SqliteDatabase } from './sqlite';

export function tableNames(db: SqliteDatabase): string[] {
  return db
    .prepare<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '%fts_%' ORDER BY name")
    .all()
    .map((r) => r.name);
}

export function columnNames(db: SqliteDatabase, table: string): string[] {
  return db
    .prepare<{ name: string }>('SELECT name FROM pragma_table_info(?) ORDER BY cid')
    .all(table)
    .map((r) => r.name);
}

/** Index name → its columns, for one table (automatic indexes of constraints left out). */
export function indexColumns(db: SqliteDatabase, table: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const { name } of db.prepare<{ name: string }>("SELECT name FROM pragma_index_list(?) WHERE origin = 'c'").all(table)) {
    out[name] = db
      .prepare<{ name: string }>('SELECT name FROM pragma_index_info(?) ORDER BY seqno')
      .all(name)
      .map((r) => r.name);
  }
  return out;
}
