// The hub's schema, as numbered migrations that run in order, each once, in one
// transaction that holds a PostgreSQL advisory lock: hub processes that start together on
// one database never race. The same statements run on PGlite and on PostgreSQL.
//
//   towns     the towns served: code, name, token (for the admin listing), the head of
//             its change log, the version of its reference data, its last contact
//   entities  every entity of every town, its revision and JSON text
//   changes   the per-town change log: one row per (town, type, id), at the seq of its
//             latest change (older changes of the entity are dropped: a town that catches
//             up receives each entity once, in its latest version)
//   replicas  the last settled command number of each town replica
//   settled   the answers given to (replica, n), kept for deduplication, with the seq
//             that covers their effects (lastN) and the entities they changed
//   (2) notices      worker.notify messages to grid workers' phones, in the order the
//                    county settled them: the workers, the text, the event, and which of
//                    them (on duty then) ride to which point near it; the command's (replica, n)
//   (2) worker_duty  each worker's last clock-in or clock-out as its phone reported it and
//                    when (a late report older than the one kept is ignored); the worker
//                    entity's `onDuty` follows it
//   (2) entities_type  the register entity types (person, house, …) live in `entities` and
//                    `changes` like every other type; this index serves reads by type
//   (3) towns' tokens  no token in clear any more: `token` goes, each town has its token's
//                    scrypt record (`token_hash`, ./tokens.ts), a random id for the listing,
//                    its state (none, issued, revoked) and when it changed; a clear token
//                    kept before is hashed by the migration. hub_meta may hold
//                    `token:default` (the county-wide token's record, from a token file of one
//                    token) and `tokens` = `required` (towns without a token are refused);
//                    entities_type goes (the primary key serves reads by type)
import { hashToken, newTokenId } from './tokens';
import type { Query, Sql } from './sql';

export interface Migration {
  version: number;
  name: string;
  up: string[];
  /** Work SQL alone cannot do (hashing), after `up`, in the same transaction. */
  run?: (tx: Query) => Promise<void>;
  /** Statements after `run`. */
  then?: string[];
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'towns, entities, change log, settled commands',
    up: [
      'CREATE TABLE hub_meta (key text PRIMARY KEY, value text NOT NULL)',
      `CREATE TABLE towns (
        code text PRIMARY KEY, name text NOT NULL, token text,
        head bigint NOT NULL DEFAULT 0, ref_version bigint NOT NULL DEFAULT 0,
        counters text NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL DEFAULT now(), last_contact timestamptz
      )`,
      `CREATE TABLE entities (
        town text NOT NULL REFERENCES towns (code), type text NOT NULL, id text NOT NULL,
        rev integer NOT NULL, deleted boolean NOT NULL DEFAULT false, data text,
        PRIMARY KEY (town, type, id)
      )`,
      `CREATE TABLE changes (
        town text NOT NULL, seq bigint NOT NULL, type text NOT NULL, id text NOT NULL,
        PRIMARY KEY (town, seq), UNIQUE (town, type, id)
      )`,
      'CREATE TABLE replicas (replica text PRIMARY KEY, town text NOT NULL REFERENCES towns (code), last_n integer NOT NULL)',
      `CREATE TABLE settled (
        replica text NOT NULL, n integer NOT NULL, name text NOT NULL, status text NOT NULL,
        code text, message text, covered_seq bigint NOT NULL, keys text NOT NULL,
        settled_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (replica, n)
      )`,
      'CREATE INDEX settled_covered ON settled (replica, covered_seq)',
    ],
  },
  {
    version: 2,
    name: 'worker.notify notices, worker duty, entities by type (registers)',
    up: [
      `CREATE TABLE notices (
        id bigserial PRIMARY KEY, town text NOT NULL REFERENCES towns (code),
        replica text, n integer, at bigint NOT NULL,
        workers text NOT NULL, text text NOT NULL, event_id text, summons text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`,
      'CREATE INDEX notices_town ON notices (town, id)',
      `CREATE TABLE worker_duty (
        town text NOT NULL REFERENCES towns (code), worker text NOT NULL,
        on_duty boolean NOT NULL, at bigint NOT NULL,
        PRIMARY KEY (town, worker)
      )`,
      'CREATE INDEX entities_type ON entities (town, type)',
    ],
  },
  {
    version: 3,
    name: 'towns keep a hash of their token, never the token; entities_type dropped',
    up: [
      'ALTER TABLE towns ADD COLUMN token_hash text',
      'ALTER TABLE towns ADD COLUMN token_id text',
      "ALTER TABLE towns ADD COLUMN token_state text NOT NULL DEFAULT 'none' CHECK (token_state IN ('none', 'issued', 'revoked'))",
      'ALTER TABLE towns ADD COLUMN token_changed_at timestamptz',
    ],
    run: hashClearTokens,
    // entities_type (2) is the primary key's prefix: reads by type use the key, and without
    // statistics (a town just seeded) the planner took it for the change log's join by
    // (town, type, id), filtering thousands of rows per change (a 7,000-entry register took 20 s to sync).
    then: ['ALTER TABLE towns DROP COLUMN token', 'DROP INDEX entities_type'],
  },
];

/** Migration 3: each clear token kept before becomes its scrypt record; a hub that had tokens keeps requiring them. */
async function hashClearTokens(tx: Query): Promise<void> {
  const rows = await tx.query<{ code: string; token: string }>("SELECT code, token FROM towns WHERE token IS NOT NULL AND token <> ''");
  for (const row of rows) {
    await tx.query("UPDATE towns SET token_hash = $1, token_id = $2, token_state = 'issued', token_changed_at = now() WHERE code = $3", [await hashToken(row.token), newTokenId(), row.code]);
  }
  if (rows.length > 0) await tx.query("INSERT INTO hub_meta (key, value) VALUES ('tokens', 'required') ON CONFLICT (key) DO UPDATE SET value = excluded.value");
}

/** An arbitrary constant: the advisory lock every hub process takes to migrate. */
const MIGRATION_LOCK = 4_306_241_030;

/** Bring the database up to the latest migration (tests: up to `upTo`); returns the versions applied now. */
export async function migrate(sql: Sql, upTo = Infinity): Promise<number[]> {
  return sql.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await tx.query('CREATE TABLE IF NOT EXISTS hub_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())');
    const done = new Set((await tx.query<{ version: number }>('SELECT version FROM hub_migrations')).map((r) => Number(r.version)));
    const latest = MIGRATIONS[MIGRATIONS.length - 1]?.version ?? 0;
    const ahead = [...done].filter((v) => v > latest);
    if (ahead.length > 0) throw new Error(`the hub database has migration ${Math.max(...ahead)}, newer than this hub knows (${latest})`);
    const applied: number[] = [];
    for (const m of MIGRATIONS) {
      if (done.has(m.version) || m.version > upTo) continue;
      await apply(tx, m);
      applied.push(m.version);
    }
    return applied;
  });
}

async function apply(tx: Query, m: Migration): Promise<void> {
  for (const statement of m.up) await tx.query(statement);
  await m.run?.(tx);
  for (const statement of m.then ?? []) await tx.query(statement);
  await tx.query('INSERT INTO hub_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
}
