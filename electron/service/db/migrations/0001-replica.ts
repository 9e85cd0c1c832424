// Migration 1: the replica's own state (meta), the replicated entities, the events
// with their county base and optimistic view, the outbox and the inbound rejects.
import { SqlMigration, migrationName } from './sql-migration';

export class Migration0001Replica extends SqlMigration {
  readonly name = migrationName('Replica', 1);

  protected readonly upSql = [
    // One row: the replica's identity and sync position. The id is generated once by
    // the service (crypto.randomUUID), never here, and never changes afterwards.
    `CREATE TABLE meta (
      id INTEGER PRIMARY KEY CHECK (id = 1),
      replica_id TEXT NOT NULL,
      town TEXT NOT NULL,
      cursor TEXT,
      last_n INTEGER,
      next_n INTEGER NOT NULL DEFAULT 1 CHECK (next_n >= 1),
      last_sync_at INTEGER,
      catching_up INTEGER NOT NULL DEFAULT 0
    )`,
    // Replicated entities: the county's JSON as normalised by core/sync/protocol.ts,
    // its revision, and the columns queries filter on.
    `CREATE TABLE grids (
      code TEXT PRIMARY KEY,
      rev INTEGER NOT NULL,
      level INTEGER NOT NULL,
      parent TEXT,
      data TEXT NOT NULL
    ) WITHOUT ROWID`,
    `CREATE INDEX grids_level ON grids (level, code)`,
    `CREATE TABLE departments (id TEXT PRIMARY KEY, rev INTEGER NOT NULL, data TEXT NOT NULL) WITHOUT ROWID`,
    `CREATE TABLE categories (code TEXT PRIMARY KEY, rev INTEGER NOT NULL, data TEXT NOT NULL) WITHOUT ROWID`,
    `CREATE TABLE workers (id TEXT PRIMARY KEY, rev INTEGER NOT NULL, on_duty INTEGER NOT NULL, data TEXT NOT NULL) WITHOUT ROWID`,
    `CREATE TABLE worker_grids (grid TEXT NOT NULL, worker_id TEXT NOT NULL, PRIMARY KEY (grid, worker_id)) WITHOUT ROWID`,
    `CREATE INDEX worker_grids_worker ON worker_grids (worker_id)`,
    // The revision of a deleted entity, so that an older put arriving late does nothing.
    `CREATE TABLE tombstones (type TEXT NOT NULL, id TEXT NOT NULL, rev INTEGER NOT NULL, PRIMARY KEY (type, id)) WITHOUT ROWID`,
    // An event exists in the replica while there is something to show. `events` is
    // narrow (the columns filters and orders read, about 100 bytes a row) so that a
    // query over a million events scans and sorts small rows; the JSON lives in
    // event_docs under the same seq. base: the county's entity (null for an event
    // only created here, not yet replicated back; base_rev is null exactly then).
    // view: base with the unsettled commands replayed, stored only when it differs
    // from base (null: the view is the base). The filter columns describe the view.
    `CREATE TABLE events (
      seq INTEGER PRIMARY KEY,
      id TEXT NOT NULL UNIQUE,
      status TEXT NOT NULL,
      category TEXT NOT NULL,
      grid TEXT NOT NULL,
      source TEXT NOT NULL,
      urgency TEXT NOT NULL,
      reported_at INTEGER NOT NULL,
      risk INTEGER NOT NULL,
      pending INTEGER NOT NULL DEFAULT 0,
      code TEXT NOT NULL,
      base_rev INTEGER
    )`,
    `CREATE TABLE event_docs (
      seq INTEGER PRIMARY KEY,
      base TEXT,
      view TEXT,
      CHECK (base IS NOT NULL OR view IS NOT NULL)
    )`,
    // Every index covers every filter column, so a page and its count are read from
    // one index without touching the rows: the two orders (risk, report time), and
    // the selective filters (status, category, grid) with the risk order behind
    // them. seq breaks ties (it is in every index as the rowid).
    `CREATE INDEX events_risk ON events (risk, status, category, grid, source, urgency, reported_at)`,
    `CREATE INDEX events_reported ON events (reported_at, status, category, grid, source, urgency, risk)`,
    `CREATE INDEX events_status ON events (status, risk, category, grid, source, urgency, reported_at)`,
    `CREATE INDEX events_category ON events (category, risk, status, grid, source, urgency, reported_at)`,
    `CREATE INDEX events_grid ON events (grid, risk, status, category, source, urgency, reported_at)`,
    // The dispatcher's commands, numbered n = 1, 2, … for ever. queued: not yet
    // acknowledged by the county; applied / rejected: its acknowledgement.
    `CREATE TABLE outbox (
      n INTEGER PRIMARY KEY CHECK (n >= 1),
      id TEXT NOT NULL UNIQUE,
      name TEXT NOT NULL,
      args TEXT NOT NULL,
      at TEXT NOT NULL,
      at_ms INTEGER NOT NULL,
      actor TEXT NOT NULL,
      event_id TEXT NOT NULL,
      target_id TEXT,
      state TEXT NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'applied', 'rejected')),
      code TEXT,
      message TEXT,
      acked_at INTEGER,
      rejected_at TEXT
    )`,
    `CREATE INDEX outbox_event ON outbox (event_id, n)`,
    `CREATE INDEX outbox_target ON outbox (target_id, n) WHERE target_id IS NOT NULL`,
    `CREATE INDEX outbox_state ON outbox (state, n)`,
    // Change items the replica refused, for the operator: why, and a short excerpt.
    `CREATE TABLE inbound_rejects (
      seq INTEGER PRIMARY KEY,
      at INTEGER NOT NULL,
      batch_to TEXT,
      item_index INTEGER NOT NULL,
      unknown_type INTEGER NOT NULL DEFAULT 0,
      reason TEXT NOT NULL,
      excerpt TEXT
    )`,
  ];

  protected readonly downSql = [
    'DROP TABLE inbound_rejects',
    'DROP TABLE outbox',
    'DROP TABLE event_docs',
    'DROP TABLE events',
    'DROP TABLE tombstones',
    'DROP TABLE worker_grids',
    'DROP TABLE workers',
    'DROP TABLE categories',
    'DROP TABLE departments',
    'DROP TABLE grids',
    'DROP TABLE meta',
  ];
}
