// The hub's database, one SQL dialect on two engines: PGlite (Postgres compiled to WASM,
// in this process: the embedded default) and a PostgreSQL server through `pg`. Both take
// the same statements with $1 parameters; a transaction is a callback that gets its own
// query function. Integers of bigint columns come back as strings (pg) or numbers
// (PGlite): callers read them with Number().
//
// PGlite runs initdb in WASM for every new database, seconds of CPU (6-20 s on a loaded
// 2-core machine). An in-memory PGlite therefore starts from a pristine image of a fresh
// cluster (initdb's output, no data), dumped once per PGlite version into the temporary
// folder and loaded in about a second; a missing or unreadable image means a fresh initdb
// (one process makes it while the others starting at the same time wait for it).
import { PGlite } from '@electric-sql/pglite';
import { readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import pg from 'pg';

export type Row = Record<string, unknown>;

export interface Query {
  query<R extends Row = Row>(text: string, params?: readonly unknown[]): Promise<R[]>;
}

export interface Sql extends Query {
  readonly kind: 'pglite' | 'postgres';
  /** Run `fn` in one transaction (READ COMMITTED): committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: Query) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** Where the hub keeps its data: a postgres:// URL, a PGlite folder (a path or file: URL), or null for PGlite in memory. */
export async function openSql(database: string | null): Promise<Sql> {
  if (database !== null && /^postgres(ql)?:\/\//i.test(database)) return openPostgres(database);
  const dir = database === null ? undefined : database.startsWith('file:') ? new URL(database).pathname : database;
  return openPglite(dir);
}

/** Where the pristine cluster image of this PGlite version is kept. */
function imagePath(): string {
  const entry = createRequire(import.meta.url).resolve('@electric-sql/pglite');
  const { version } = JSON.parse(readFileSync(join(dirname(entry), '..', 'package.json'), 'utf8')) as { version: string };
  return join(tmpdir(), `griddeck-pglite-${version.replace(/[^0-9A-Za-z.-]/g, '_')}-initdb.tar`);
}

function readImage(file: string): Buffer | null {
  try {
    return readFileSync(file);
  } catch {
    return null;
  }
}

/** How long a process that finds another one making the image waits for it before running initdb itself. */
const IMAGE_WAIT_MS = 60_000;

/**
 * The image, or null when this process is to make it: when another process is making it
 * (its lock file is younger than IMAGE_WAIT_MS), wait for that one instead of running a
 * second initdb beside it (two at once on two cores take as long as both in a row).
 */
async function imageOrTurn(file: string): Promise<{ image: Buffer | null; lock: string | null }> {
  const lock = `${file}.lock`;
  for (const deadline = Date.now() + IMAGE_WAIT_MS; ; ) {
    const image = readImage(file);
    if (image) return { image, lock: null };
    try {
      writeFileSync(lock, String(process.pid), { flag: 'wx' });
      return { image: null, lock };
    } catch {
      let age: number;
      try {
        age = Date.now() - statSync(lock).mtimeMs;
      } catch {
        continue; // the other process just finished or gave up: look again
      }
      if (age > IMAGE_WAIT_MS || Date.now() > deadline) return { image: null, lock: null };
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

/** A new in-memory PGlite: from the image when there is a good one, else initdb (and the image written for next time). */
async function inMemory(): Promise<PGlite> {
  const file = imagePath();
  const { image, lock } = await imageOrTurn(file).catch(() => ({ image: null, lock: null }));
  if (image) {
    try {
      return await PGlite.create({ loadDataDir: new Blob([new Uint8Array(image)]) });
    } catch {
      rmSync(file, { force: true });
    }
  }
  try {
    const db = await PGlite.create();
    try {
      const dump = Buffer.from(await (await db.dumpDataDir('none')).arrayBuffer());
      const part = `${file}.${process.pid}.part`;
      writeFileSync(part, dump);
      renameSync(part, file);
    } catch {
      // No image this time (a read-only temporary folder, say): the next start runs initdb again.
    }
    return db;
  } finally {
    if (lock) rmSync(lock, { force: true });
  }
}

async function openPglite(dir: string | undefined): Promise<Sql> {
  const db = dir === undefined ? await inMemory() : new PGlite(dir);
  await db.waitReady;
  const query = async <R extends Row>(text: string, params: readonly unknown[] = []): Promise<R[]> => (await db.query<R>(text, [...params])).rows;
  return {
    kind: 'pglite',
    query,
    transaction: (fn) => db.transaction((tx) => fn({ query: async <R extends Row>(text: string, params: readonly unknown[] = []) => (await tx.query<R>(text, [...params])).rows })),
    close: () => db.close(),
  };
}

async function openPostgres(url: string): Promise<Sql> {
  const pool = new pg.Pool({ connectionString: url, max: 8, connectionTimeoutMillis: 10_000 });
  // An idle client that loses its server (a restart) must not crash the process.
  pool.on('error', () => undefined);
  const check = await pool.connect();
  check.release();
  const query = async <R extends Row>(text: string, params: readonly unknown[] = []): Promise<R[]> => (await pool.query<R>(text, [...params])).rows;
  return {
    kind: 'postgres',
    query,
    transaction: async (fn) => {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await fn({ query: async <R extends Row>(text: string, params: readonly unknown[] = []) => (await client.query<R>(text, [...params])).rows });
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}
