// Migration 9: the assessment's tables (issue 11).
// - event_facts: one narrow row per event (keyed by events.seq) with the instants and
//   verdicts the assessment formulas read from the history (core/assessment/facts.ts
//   states each column). The replica writes it with the event's view
//   (electron/service/replica/event-rows.ts); rows of a version-8 database are filled
//   at the first open after this migration (electron/service/assessment/facts-store.ts,
//   backfillFacts), since they are computed by core's history functions, not by SQL.
// - patrol_days: a grid worker's patrol per Shanghai day (time online, distance, grids
//   entered, stops), made from the track before the track is pruned (tracks last a day,
//   the assessment reads a month), or, in the demo, from the simulator's patrol model.
// - assessment_settings: the scheme imported from Excel (overrides the settings file).
import { SqlMigration, migrationName } from './sql-migration';

export class Migration0009Assessment extends SqlMigration {
  readonly name = migrationName('Assessment', 9);

  protected readonly upSql = [
    `CREATE TABLE event_facts (
      seq INTEGER PRIMARY KEY,
      reporter TEXT,
      department TEXT,
      grid TEXT NOT NULL,
      village TEXT,
      reported_at INTEGER NOT NULL,
      status TEXT NOT NULL,
      open INTEGER NOT NULL,
      merged INTEGER NOT NULL,
      merged_into TEXT,
      self_handled INTEGER NOT NULL,
      accepted_at INTEGER,
      decision_at INTEGER,
      decision_ok INTEGER,
      finish_due INTEGER,
      escalated_at INTEGER,
      suspensions TEXT,
      closed_on_time INTEGER NOT NULL,
      handled_at INTEGER,
      close_last INTEGER,
      close_all TEXT,
      verify_last INTEGER,
      verify_all TEXT,
      rework_at INTEGER,
      accept_verdict_at INTEGER,
      accept_met INTEGER,
      verify_verdict_at INTEGER,
      verify_met INTEGER,
      eval_last INTEGER,
      eval_all TEXT,
      satisfied INTEGER,
      return_last INTEGER,
      return_all TEXT,
      returned_by TEXT,
      ext_last INTEGER,
      ext_all TEXT
    )`,
    `CREATE INDEX event_facts_merged_into ON event_facts (merged_into) WHERE merged_into IS NOT NULL`,
    `CREATE TABLE patrol_days (
      worker_id TEXT NOT NULL,
      day TEXT NOT NULL,
      online_ms INTEGER NOT NULL,
      distance_m REAL NOT NULL,
      fixes INTEGER NOT NULL,
      grids TEXT NOT NULL,
      stops INTEGER NOT NULL,
      first_at INTEGER,
      last_at INTEGER,
      source TEXT NOT NULL CHECK (source IN ('track', 'model')),
      PRIMARY KEY (worker_id, day)
    ) WITHOUT ROWID`,
    `CREATE INDEX patrol_days_day ON patrol_days (day, worker_id)`,
    // The assessment's settings kept by the service: the scheme imported from Excel.
    `CREATE TABLE assessment_settings (key TEXT PRIMARY KEY, value TEXT NOT NULL, at INTEGER NOT NULL) WITHOUT ROWID`,
  ];

  protected readonly downSql = ['DROP TABLE assessment_settings', 'DROP TABLE patrol_days', 'DROP TABLE event_facts'];
}
