// Migration 14: each event's view kept masked at every level of core/privacy/mask.ts
// (issue 9: a room's screen reads the queue as fast as the console). event_masks holds,
// per event (events.seq), the view masked for the rooms' screens (level `all`: the
// levels core/privacy/stored-mask.ts STORED_MASK_LEVELS names, one column each), in
// that file's form, which names the masking rules' version and the level. The replica writes a row with every write of
// the event's view (electron/service/replica/event-masks.ts); rows of a database from
// before this migration are filled in the background after open, newest events first,
// and until then a read masks that event on the fly, as before.
//
// A stored mask must never outlive the view it was made from: the triggers delete it
// whenever event_docs' row is inserted, changed or deleted, whoever writes it, so a row
// of event_masks is either the mask of the view as it stands or absent (then masked on
// the fly). event_mask_state: the rules' version the rows were made with (another
// version empties the table at open), whether the fill is done, and where it stopped.
import { SqlMigration, migrationName } from './sql-migration';

export class Migration0014EventMasks extends SqlMigration {
  readonly name = migrationName('EventMasks', 14);

  protected readonly upSql = [
    `CREATE TABLE event_masks (
      seq INTEGER PRIMARY KEY,
      level_all TEXT NOT NULL
    )`,
    `CREATE TABLE event_mask_state (
      id INTEGER PRIMARY KEY CHECK (id = 1),
      rules INTEGER NOT NULL,
      filled INTEGER NOT NULL,
      fill_below INTEGER
    )`,
    // Rules version 0: no rules; the first open sets its own and fills.
    'INSERT INTO event_mask_state (id, rules, filled, fill_below) VALUES (1, 0, 0, NULL)',
    'CREATE TRIGGER event_masks_doc_insert AFTER INSERT ON event_docs BEGIN DELETE FROM event_masks WHERE seq = new.seq; END',
    'CREATE TRIGGER event_masks_doc_update AFTER UPDATE ON event_docs BEGIN DELETE FROM event_masks WHERE seq IN (old.seq, new.seq); END',
    'CREATE TRIGGER event_masks_doc_delete AFTER DELETE ON event_docs BEGIN DELETE FROM event_masks WHERE seq = old.seq; END',
  ];

  protected readonly downSql = [
    'DROP TRIGGER event_masks_doc_delete',
    'DROP TRIGGER event_masks_doc_update',
    'DROP TRIGGER event_masks_doc_insert',
    'DROP TABLE event_mask_state',
    'DROP TABLE event_masks',
  ];
}
