// The county simulator's own SQLite file: the county's entities, the change log
// the towns read from, the settled commands of every replica and the activity's
// position in time. Everything a restart needs lives here, so a simulator started
// again on the same file carries on where it stopped and old cursors stay valid.
//
// The change log keeps only the latest change per (town, type, id): a town that
// catches up receives each entity once, in its latest version, whatever happened
// to it meanwhile. Cursors are "c-<epoch>-<seq>"; the epoch is drawn once per
// database, so a cursor from another database (or a deleted one) is recognised
// as unknown and answered with a reset.
import { randomBytes } from 'node:crypto';
import { openSqlite } from '../../node-common/sqlite';

type SqlValue = string | number | bigint | null;

interface RunResult {
  changes: number;
  lastInsertRowid: number | bigint;
}
interface Statement<Row> {
  run(...params: SqlValue[]): RunResult;
  get(...params: SqlValue[]): Row | undefined;
  all(...params: SqlValue[]): Row[];
}
interface Database {
  prepare<Row = Record<string, unknown>>(sql: string): Statement<Row>;
  exec(sql: string): void;
  pragma(source: string): unknown;
  transaction<A extends unknown[], R>(fn: (...args: A) => R): (...args: A) => R;
  close(): void;
}

// better-sqlite3 ships no type declarations: the small part used here is typed above.
// openSqlite loads the Electron build of it inside Electron's data service (the embedded demo county).

/** Bump when the tables change; an older file is refused rather than misread. */
export const SCHEMA_VERSION = 1;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS entities (
  town TEXT NOT NULL, type TEXT NOT NULL, id TEXT NOT NULL,
  rev INTEGER NOT NULL, deleted INTEGER NOT NULL DEFAULT 0, data TEXT,
  PRIMARY KEY (town, type, id)
);
CREATE TABLE IF NOT EXISTS changes (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  town TEXT NOT NULL, type TEXT NOT NULL, id TEXT NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS changes_key ON changes (town, type, id);
CREATE INDEX IF NOT EXISTS changes_town_seq ON changes (town, seq);
CREATE TABLE IF NOT EXISTS replicas (replica TEXT PRIMARY KEY, town TEXT NOT NULL, last_n INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS settled (
  replica TEXT NOT NULL, n INTEGER NOT NULL, name TEXT NOT NULL,
  status TEXT NOT NULL, code TEXT, message TEXT,
  covered_seq INTEGER NOT NULL, keys TEXT NOT NULL,
  PRIMARY KEY (replica, n)
);
CREATE INDEX IF NOT EXISTS settled_covered ON settled (replica, covered_seq);
`;

export interface EntityKey {
  type: string;
  id: string;
}

export interface StoredEntity {
  town: string;
  type: string;
  id: string;
  rev: number;
  deleted: boolean;
  data: unknown;
}

/** One row of the change log joined with the entity's current state, ready for the wire. */
export interface ChangeRow {
  seq: number;
  type: string;
  id: string;
  rev: number;
  deleted: boolean;
  data: string | null;
}

export interface SettledCommand {
  n: number;
  name: string;
  status: 'applied' | 'rejected';
  code?: string;
  message?: string;
}

export type StoredAck = { status: 'applied' } | { status: 'rejected'; code: string; message: string };

export class CountyStore {
  readonly epoch: string;
  private readonly db: Database;
  private readonly st: {
    metaGet: Statement<{ value: string }>;
    metaSet: Statement<never>;
    entityGet: Statement<{ rev: number; deleted: number; data: string | null }>;
    entityPut: Statement<never>;
    changeDel: Statement<never>;
    changeAdd: Statement<never>;
    changeSeqOf: Statement<{ seq: number }>;
    changesAfter: Statement<{ seq: number; type: string; id: string; rev: number; deleted: number; data: string | null }>;
    head: Statement<{ seq: number | null }>;
    replicaGet: Statement<{ last_n: number; town: string }>;
    replicaPut: Statement<never>;
    settledGet: Statement<{ name: string; status: string; code: string | null; message: string | null }>;
    settledAdd: Statement<never>;
    settledList: Statement<{ n: number; name: string; status: string; code: string | null; message: string | null }>;
    lastCovered: Statement<{ n: number | null }>;
    coveredIn: Statement<{ n: number; keys: string }>;
    entitiesOf: Statement<{ town: string; type: string; id: string; rev: number; deleted: number; data: string | null }>;
  };

  constructor(file: string) {
    this.db = openSqlite<Database>(file);
    this.db.pragma('journal_mode = WAL');
    // The simulator is a test double and a demo: a crash may lose the last
    // transaction, never corrupt the file (WAL with NORMAL keeps it consistent).
    this.db.pragma('synchronous = NORMAL');
    this.db.exec(SCHEMA);
    const db = this.db;
    this.st = {
      metaGet: db.prepare('SELECT value FROM meta WHERE key = ?'),
      metaSet: db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value'),
      entityGet: db.prepare('SELECT rev, deleted, data FROM entities WHERE town = ? AND type = ? AND id = ?'),
      entityPut: db.prepare(
        'INSERT INTO entities (town, type, id, rev, deleted, data) VALUES (?, ?, ?, ?, ?, ?) ' +
          'ON CONFLICT(town, type, id) DO UPDATE SET rev = excluded.rev, deleted = excluded.deleted, data = excluded.data',
      ),
      changeDel: db.prepare('DELETE FROM changes WHERE town = ? AND type = ? AND id = ?'),
      changeAdd: db.prepare('INSERT INTO changes (town, type, id) VALUES (?, ?, ?)'),
      changeSeqOf: db.prepare('SELECT seq FROM changes WHERE town = ? AND type = ? AND id = ?'),
      changesAfter: db.prepare(
        'SELECT c.seq AS seq, c.type AS type, c.id AS id, e.rev AS rev, e.deleted AS deleted, e.data AS data ' +
          'FROM changes c JOIN entities e ON e.town = c.town AND e.type = c.type AND e.id = c.id ' +
          'WHERE c.town = ? AND c.seq > ? ORDER BY c.seq LIMIT ?',
      ),
      // AUTOINCREMENT never reuses a number, and a moved change always takes a new
      // highest one, so the sequence's value is the head of the log.
      head: db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'changes'"),
      replicaGet: db.prepare('SELECT last_n, town FROM replicas WHERE replica = ?'),
      replicaPut: db.prepare(
        'INSERT INTO replicas (replica, town, last_n) VALUES (?, ?, ?) ON CONFLICT(replica) DO UPDATE SET last_n = excluded.last_n',
      ),
      settledGet: db.prepare('SELECT name, status, code, message FROM settled WHERE replica = ? AND n = ?'),
      settledAdd: db.prepare(
        'INSERT INTO settled (replica, n, name, status, code, message, covered_seq, keys) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      settledList: db.prepare('SELECT n, name, status, code, message FROM settled WHERE replica = ? ORDER BY n'),
      lastCovered: db.prepare('SELECT MAX(n) AS n FROM settled WHERE replica = ? AND covered_seq <= ?'),
      coveredIn: db.prepare(
        "SELECT n, keys FROM settled WHERE replica = ? AND covered_seq > ? AND covered_seq <= ? AND keys <> '[]' ORDER BY n",
      ),
      entitiesOf: db.prepare('SELECT town, type, id, rev, deleted, data FROM entities ORDER BY town, type, id'),
    };
    const version = this.meta('schema');
    if (version === null) this.setMeta('schema', String(SCHEMA_VERSION));
    else if (Number(version) !== SCHEMA_VERSION) {
      this.db.close();
      throw new Error(`county simulator database ${file} has schema ${version}, expected ${SCHEMA_VERSION}`);
    }
    let epoch = this.meta('epoch');
    if (epoch === null) {
      epoch = randomBytes(6).toString('hex');
      this.setMeta('epoch', epoch);
    }
    this.epoch = epoch;
  }

  close(): void {
    this.db.close();
  }

  transaction<R>(fn: () => R): R {
    return this.db.transaction(fn)();
  }

  meta(key: string): string | null {
    return this.st.metaGet.get(key)?.value ?? null;
  }

  setMeta(key: string, value: string): void {
    this.st.metaSet.run(key, value);
  }

  /** True once the world has been written (a fresh file is seeded first). */
  get seeded(): boolean {
    return this.meta('seeded') === '1';
  }

  /**
   * Write an entity and log its change: the revision goes up by one and the
   * change moves to the head of the log (its older entry is dropped). Returns the change's seq.
   */
  put(town: string, type: string, id: string, data: unknown, deleted = false): { rev: number; seq: number } {
    const old = this.st.entityGet.get(town, type, id);
    const rev = (old?.rev ?? 0) + 1;
    this.st.entityPut.run(town, type, id, rev, deleted ? 1 : 0, deleted ? null : JSON.stringify(data));
    this.st.changeDel.run(town, type, id);
    const seq = Number(this.st.changeAdd.run(town, type, id).lastInsertRowid);
    return { rev, seq };
  }

  rev(town: string, type: string, id: string): number {
    return this.st.entityGet.get(town, type, id)?.rev ?? 0;
  }

  /** Every stored entity (restart), in (town, type, id) order. */
  entities(): StoredEntity[] {
    return this.st.entitiesOf.all().map((r) => ({
      town: r.town,
      type: r.type,
      id: r.id,
      rev: r.rev,
      deleted: r.deleted === 1,
      data: r.data === null ? null : (JSON.parse(r.data) as unknown),
    }));
  }

  head(): number {
    return this.st.head.get()?.seq ?? 0;
  }

  /** Up to `limit` changes of a town after `seq`, oldest first, with the entities' current data. */
  changesAfter(town: string, seq: number, limit: number): ChangeRow[] {
    return this.st.changesAfter.all(town, seq, limit).map((r) => ({ ...r, deleted: r.deleted === 1 }));
  }

  cursor(seq: number): string {
    return `c-${this.epoch}-${seq}`;
  }

  /** The seq a cursor of this database stands for, or null when it is unknown (another epoch, garbage, ahead of the log). */
  parseCursor(cursor: string): number | null {
    const m = /^c-([0-9a-f]+)-(\d{1,15})$/.exec(cursor);
    if (!m || m[1] !== this.epoch) return null;
    const seq = Number(m[2]);
    return seq <= this.head() ? seq : null;
  }

  // ---------------------------------------------------------------- commands

  lastN(replica: string): number {
    return this.st.replicaGet.get(replica)?.last_n ?? 0;
  }

  ackOf(replica: string, n: number): StoredAck | null {
    const row = this.st.settledGet.get(replica, n);
    if (!row) return null;
    return row.status === 'applied' ? { status: 'applied' } : { status: 'rejected', code: row.code ?? 'invalid', message: row.message ?? '' };
  }

  /**
   * Record a settled command. `keys` are the entities its effects changed; it is
   * covered by the change log up to the highest of their seqs, or up to the head
   * when it changed nothing (a rejection).
   */
  settle(replica: string, town: string, n: number, name: string, ack: StoredAck, keys: readonly EntityKey[], coveredSeq: number | null): void {
    const covered = coveredSeq ?? this.head();
    const code = ack.status === 'rejected' ? ack.code : null;
    const message = ack.status === 'rejected' ? ack.message : null;
    this.st.settledAdd.run(replica, n, name.slice(0, 64), ack.status, code, message, covered, JSON.stringify(keys));
    this.st.replicaPut.run(replica, town, n);
  }

  settledOf(replica: string): SettledCommand[] {
    return this.st.settledList.all(replica).map((r) => {
      const out: SettledCommand = { n: r.n, name: r.name, status: r.status as SettledCommand['status'] };
      if (r.code !== null) out.code = r.code;
      if (r.message !== null) out.message = r.message;
      return out;
    });
  }

  /**
   * lastN of a batch that carries the town's changes in (fromSeq, toSeq]: the
   * highest n of the replica whose effects the client holds once it has applied
   * the batch. A command settled in that range whose entity has since moved past
   * toSeq (changed again, and the log keeps only the latest change) is not held
   * yet, so lastN stops just before it.
   */
  lastNFor(replica: string, town: string, fromSeq: number, toSeq: number): number | null {
    const max = this.st.lastCovered.get(replica, toSeq)?.n ?? null;
    if (max === null) return null;
    for (const row of this.st.coveredIn.all(replica, fromSeq, toSeq)) {
      const keys = JSON.parse(row.keys) as EntityKey[];
      const moved = keys.some((k) => (this.st.changeSeqOf.get(town, k.type, k.id)?.seq ?? 0) > toSeq);
      if (moved) return row.n > 1 ? row.n - 1 : null;
    }
    return max;
  }
}
