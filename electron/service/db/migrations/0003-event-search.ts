// Migration 3: full-text search over events (case number, title, description,
// address) for the console's search box. The trigram tokenizer indexes every run of
// three characters, so a Chinese phrase is found inside a sentence without word
// breaking (unicode61 would make a whole unspaced sentence one token). The rowid is
// events.seq. Events already in the replica are indexed from their view.
import { SqlMigration, migrationName } from './sql-migration';

export class Migration0003EventSearch extends SqlMigration {
  readonly name = migrationName('EventSearch', 3);

  protected readonly upSql = [
    `CREATE VIRTUAL TABLE events_fts USING fts5(code, title, description, address, tokenize = 'trigram')`,
    `INSERT INTO events_fts (rowid, code, title, description, address)
      SELECT e.seq, e.code,
        coalesce(json_extract(coalesce(d.view, d.base), '$.title'), ''),
        coalesce(json_extract(coalesce(d.view, d.base), '$.description'), ''),
        coalesce(json_extract(coalesce(d.view, d.base), '$.location.address'), '')
      FROM events e JOIN event_docs d ON d.seq = e.seq`,
  ];

  protected readonly downSql = ['DROP TABLE events_fts'];
}
