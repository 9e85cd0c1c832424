// The replica's one writer: every write is one synchronous BEGIN IMMEDIATE … COMMIT
// with no await inside, so the single JS thread runs them one at a time and a nested
// write throws. Modules that keep state for the open transaction (the queue counters'
// pending deltas) flush it before COMMIT and drop it on ROLLBACK through the hooks.
// The writer also holds the sync position as last committed (the `meta` row).
import type { SqliteDatabase, Statement } from '../db/sqlite';
import type { ReplicaState } from './types';

export interface MetaRow {
  replica_id: string;
  town: string;
  cursor: string | null;
  last_n: number | null;
  next_n: number;
  last_sync_at: number | null;
  catching_up: number;
}

export function stateOf(meta: MetaRow): ReplicaState {
  return {
    cursor: meta.cursor,
    lastN: meta.last_n,
    nextN: meta.next_n,
    lastSyncAt: meta.last_sync_at,
    catchingUp: meta.catching_up !== 0,
  };
}

export class ReplicaWriter {
  /** The sync position and command counter as committed. */
  meta: ReplicaState;
  private isClosed = false;
  private readonly beforeCommit: (() => void)[] = [];
  private readonly afterRollback: (() => void)[] = [];
  private readonly statements = new Map<string, Statement>();

  constructor(
    readonly db: SqliteDatabase,
    meta: MetaRow,
  ) {
    this.meta = stateOf(meta);
  }

  get closed(): boolean {
    return this.isClosed;
  }

  close(): void {
    this.isClosed = true;
  }

  /** Runs inside every write, after its body and before COMMIT (a throw rolls the write back). */
  onBeforeCommit(hook: () => void): void {
    this.beforeCommit.push(hook);
  }

  /** Runs after a write rolled back. */
  onRollback(hook: () => void): void {
    this.afterRollback.push(hook);
  }

  /** One write transaction at a time, synchronous from BEGIN to COMMIT. */
  write<T>(fn: () => T): T {
    if (this.isClosed) throw new Error('the replica is closed');
    if (this.db.inTransaction) throw new Error('nested write: the replica has one serial writer');
    try {
      return this.db
        .transaction(() => {
          const result = fn();
          for (const hook of this.beforeCommit) hook();
          return result;
        })
        .immediate();
    } catch (error) {
      for (const hook of this.afterRollback) hook();
      throw error;
    }
  }

  /** Prepared once per SQL text (query shapes are few: which filters are present). */
  prepared<Row>(sql: string): Statement<Row> {
    let statement = this.statements.get(sql);
    if (statement === undefined) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement as Statement<Row>;
  }
}
