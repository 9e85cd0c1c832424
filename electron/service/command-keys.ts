// The first answer to each idempotency key (issue 15, core/api/idempotency.ts), kept in
// the replica (migration 0012) so that a command retried after a restart of the data
// service is still answered, not applied again. The dispatcher (service.ts) looks a key
// up before it runs a command and keeps a successful answer after; a workflow command
// keeps its answer inside the outbox's transaction (replica-service.ts), so a kill
// between the two cannot leave a queued command whose key is unknown.
import type { ApiResponse } from '../../core/api/contract';
import { IDEMPOTENCY_TTL_MS } from '../../core/api/idempotency';
import type { Caller } from '../../core/api/channels';
import type { SqliteDatabase } from './db/sqlite';

/** A key's first answer, with the method and the caller it was given to. */
export interface KeptAnswer {
  method: string;
  caller: string;
  response: ApiResponse;
}

export interface CommandKeyStore {
  find(key: string): KeptAnswer | null;
  /** Keeps the first answer to `key` (a later one for the same key changes nothing). Writes in its own transaction. */
  remember(key: string, answer: KeptAnswer): void;
  /** The same inside a write already open (the outbox's transaction). */
  rememberIn(key: string, answer: KeptAnswer): void;
}

/** Who a key belongs to: the person's account, or '' for an in-process caller. */
export const keyOwner = (caller: Caller): string => caller.user?.id ?? '';

/** Forgotten keys are deleted once every this many answers kept (and at open). */
const SWEEP_EVERY = 200;

/** The store over the replica's file (its writer's transaction for `remember`). */
export function sqliteCommandKeys(store: { db: SqliteDatabase; write<T>(fn: () => T): T }, clock: () => number, ttlMs = IDEMPOTENCY_TTL_MS): CommandKeyStore {
  const { db } = store;
  const get = db.prepare<{ method: string; caller: string; response: string; at_ms: number }>('SELECT method, caller, response, at_ms FROM command_keys WHERE key = ?');
  const insert = db.prepare('INSERT OR IGNORE INTO command_keys (key, method, caller, response, at_ms) VALUES (?, ?, ?, ?, ?)');
  const expire = db.prepare('DELETE FROM command_keys WHERE at_ms < ?');
  let kept = 0;
  const rememberIn = (key: string, answer: KeptAnswer): void => {
    insert.run(key, answer.method, answer.caller, JSON.stringify(answer.response), clock());
    if (++kept % SWEEP_EVERY === 0) expire.run(clock() - ttlMs);
  };
  store.write(() => expire.run(clock() - ttlMs));
  return {
    find(key) {
      const row = get.get(key);
      // An expired key that was not swept yet is as good as gone.
      if (row === undefined || row.at_ms < clock() - ttlMs) return null;
      return { method: row.method, caller: row.caller, response: JSON.parse(row.response) as ApiResponse };
    },
    remember: (key, answer) => store.write(() => rememberIn(key, answer)),
    rememberIn,
  };
}

/** The store of a service without a replica file (a test's fake replica): in memory, for the process's life. */
export function memoryCommandKeys(): CommandKeyStore {
  const kept = new Map<string, KeptAnswer>();
  const rememberIn = (key: string, answer: KeptAnswer): void => {
    if (!kept.has(key)) kept.set(key, structuredClone(answer));
  };
  return { find: (key) => kept.get(key) ?? null, remember: rememberIn, rememberIn };
}
