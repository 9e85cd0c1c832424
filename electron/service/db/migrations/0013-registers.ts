// Migration 13: the registers of people, houses and organisations (issue 17), as the
// county replicates them (entity types person, house, organisation, visit, mediation:
// core/registers/types.ts). Each table holds the county's entity as JSON with the
// columns its queries filter on; `search` is the lower-cased text a register search
// matches (name, address, the ID number's last four, tag labels), `pending_n` the
// outbox command of a row the town wrote before the county answered (null once the
// county's own version arrived). The view `register_visits` is what the assessment
// reads (走访户数: visits per worker and per grid in a period; docs/api.md, "Registers").
import { SqlMigration, migrationName } from './sql-migration';

export class Migration0013Registers extends SqlMigration {
  readonly name = migrationName('Registers', 13);

  protected readonly upSql = [
    `CREATE TABLE reg_houses (
      id TEXT PRIMARY KEY, rev INTEGER NOT NULL, grid TEXT NOT NULL, address TEXT NOT NULL,
      lon REAL, lat REAL, search TEXT NOT NULL, data TEXT NOT NULL, pending_n INTEGER
    )`,
    `CREATE INDEX reg_houses_grid ON reg_houses (grid)`,
    `CREATE INDEX reg_houses_address ON reg_houses (address)`,
    `CREATE INDEX reg_houses_lon ON reg_houses (lon, lat) WHERE lon IS NOT NULL`,
    `CREATE TABLE reg_persons (
      id TEXT PRIMARY KEY, rev INTEGER NOT NULL, grid TEXT NOT NULL, house TEXT, name TEXT NOT NULL,
      id_number TEXT NOT NULL, organisation TEXT, tags TEXT NOT NULL, pools TEXT NOT NULL,
      search TEXT NOT NULL, data TEXT NOT NULL, pending_n INTEGER
    )`,
    `CREATE INDEX reg_persons_grid ON reg_persons (grid)`,
    `CREATE INDEX reg_persons_house ON reg_persons (house)`,
    `CREATE INDEX reg_persons_name ON reg_persons (name)`,
    `CREATE INDEX reg_persons_id_number ON reg_persons (id_number)`,
    `CREATE INDEX reg_persons_organisation ON reg_persons (organisation) WHERE organisation IS NOT NULL`,
    `CREATE INDEX reg_persons_tagged ON reg_persons (grid, house) WHERE tags <> ''`,
    `CREATE TABLE reg_organisations (
      id TEXT PRIMARY KEY, rev INTEGER NOT NULL, grid TEXT NOT NULL, name TEXT NOT NULL, address TEXT NOT NULL,
      lon REAL, lat REAL, search TEXT NOT NULL, data TEXT NOT NULL, pending_n INTEGER
    )`,
    `CREATE INDEX reg_organisations_grid ON reg_organisations (grid)`,
    `CREATE TABLE reg_visits (
      id TEXT PRIMARY KEY, rev INTEGER NOT NULL, house TEXT NOT NULL, grid TEXT NOT NULL, worker TEXT NOT NULL,
      at_ms INTEGER NOT NULL, data TEXT NOT NULL, pending_n INTEGER
    )`,
    `CREATE INDEX reg_visits_grid ON reg_visits (grid, at_ms)`,
    `CREATE INDEX reg_visits_worker ON reg_visits (worker, at_ms)`,
    `CREATE INDEX reg_visits_house ON reg_visits (house, at_ms)`,
    `CREATE TABLE reg_mediations (
      id TEXT PRIMARY KEY, rev INTEGER NOT NULL, grid TEXT NOT NULL, opened_ms INTEGER NOT NULL,
      status TEXT NOT NULL, data TEXT NOT NULL, pending_n INTEGER
    )`,
    `CREATE INDEX reg_mediations_grid ON reg_mediations (grid, opened_ms)`,
    // The assessment's read (走访户数): one row per visit the county holds or the town
    // recorded and the county did not reject.
    `CREATE VIEW register_visits AS
      SELECT v.id, v.worker, v.grid, v.house, v.at_ms FROM reg_visits v
      WHERE v.pending_n IS NULL OR NOT EXISTS (SELECT 1 FROM outbox o WHERE o.n = v.pending_n AND o.state = 'rejected')`,
  ];

  protected readonly downSql = [
    'DROP VIEW register_visits',
    'DROP TABLE reg_mediations',
    'DROP TABLE reg_visits',
    'DROP TABLE reg_organisations',
    'DROP TABLE reg_persons',
    'DROP TABLE reg_houses',
  ];
}
