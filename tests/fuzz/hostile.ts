// Shared material of the fuzz suite: the seed, hostile strings and values, a guard
// that records any crash of the process (unhandled rejection or exception), and
// checks of what landed in a SQLite file. Everything random comes from one seeded
// stream per test, so a failing seed replays exactly: FUZZ_SEED=<n> npx vitest run tests/fuzz
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRng, type Rng } from '../../county/demo/random';

interface RawDatabase {
  prepare(sql: string): { all(...params: unknown[]): unknown[]; get(...params: unknown[]): unknown };
  pragma(source: string, options?: { simple?: boolean }): unknown;
  close(): void;
}
// better-sqlite3 ships no type declarations; the little used here is typed above.
const Database = createRequire(import.meta.url)('better-sqlite3') as new (file: string, options?: { readonly?: boolean; fileMustExist?: boolean }) => RawDatabase;

/** The seed of this run: FUZZ_SEED, or a fixed default so `npm test` is repeatable. */
export function fuzzSeed(): number {
  const raw = process.env.FUZZ_SEED;
  const seed = raw === undefined || raw === '' ? 20261130 : Number(raw);
  if (!Number.isSafeInteger(seed)) throw new Error(`FUZZ_SEED must be an integer, got ${JSON.stringify(raw)}`);
  return seed;
}

/** A named stream of the run's seed (printed, so a failure names what to replay). */
export function fuzzRng(label: string): Rng {
  const seed = fuzzSeed();
  console.log(`[fuzz] ${label}: seed ${seed} (replay: FUZZ_SEED=${seed} npx vitest run tests/fuzz)`);
  return createRng(seed).fork(label);
}

/**
 * The scale of the run: FUZZ_SCALE=10 for a long soak (`npm run fuzz`), a fraction (down
 * to 0.1) for the short fresh-seed pass of the test command. Counts scale with it, and so
 * do the tests' time limits (never below the scale-1 limit).
 */
export const FUZZ_SCALE = Math.max(0.1, Number(process.env.FUZZ_SCALE ?? 1) || 1);

/** `count` at this run's scale (at least 1). */
export const scaled = (count: number): number => Math.max(1, Math.round(count * FUZZ_SCALE));

/** A test's time limit at this run's scale: the scale-1 limit, times the scale when larger. */
export const scaledTimeout = (ms: number): number => Math.round(ms * Math.max(1, FUZZ_SCALE));

export const MB = 1_000_000;
/** One megabyte of text, built once. */
export const HUGE = 'x'.repeat(MB);

export const SQL_TEXT = [
  "'; DROP TABLE events; --",
  "' OR '1'='1",
  '1; DELETE FROM outbox; --',
  "Robert'); DROP TABLE meta;--",
  '" OR 1=1 --',
  "'); ATTACH DATABASE '/tmp/x' AS x; --",
];
export const SCRIPT_TEXT = [
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  'javascript:alert(document.cookie)',
  '${process.exit(1)}',
  "{{constructor.constructor('return process')().exit()}}",
  '</textarea><svg onload=alert(1)>',
];
/** FTS5 query syntax: must be taken literally by the text search. */
export const FTS_TEXT = ['"', '*', 'NEAR(', 'OR', '-', 'a" OR "b', 'NEAR(垃圾 堆放, 2)', '^垃圾', 'title:垃圾', '(', ')', 'AND NOT x', '垃圾*', '""', '\\"', 'a:b'];
export const ODD_TEXT = [
  '\u202Eevil\u202C',
  '👩‍👩‍👧‍👦🧱',
  '\uFEFF',
  '\u200B\u200C\u200D',
  'ＳＥＬＥＣＴ',
  '\r\n\t',
  '%_\\%',
  '../../etc/passwd',
  '__proto__',
  'constructor',
  'toString',
  'null',
  'undefined',
  '垃圾堆放',
];
/** Hostile text that is still valid data (within every length limit): it must land verbatim. */
export const HOSTILE_TEXT = [...SQL_TEXT, ...SCRIPT_TEXT, ...FTS_TEXT, ...ODD_TEXT];

/** Nested objects `depth` levels deep. */
export function deep(depth: number): unknown {
  let value: unknown = 'bottom';
  for (let i = 0; i < depth; i++) value = { a: value };
  return value;
}

/** A value of some type, picked so that a field expecting something else refuses it. */
export function wrongValue(rng: Rng): unknown {
  const values: (() => unknown)[] = [
    () => null,
    () => true,
    () => 0,
    () => -1,
    () => 1.5,
    () => 1e300,
    () => -1e300,
    () => Number.NaN,
    () => Number.POSITIVE_INFINITY,
    () => '',
    () => rng.pick(HOSTILE_TEXT),
    () => [],
    () => [1, 'two', null],
    () => ({}),
    () => ({ toString: 1, valueOf: 1 }),
    () => deep(rng.int(2, 300)),
  ];
  return rng.pick(values)();
}

/**
 * A temporary folder for the run's SQLite files, in memory (/dev/shm) when the machine
 * has one: real files, real SQLite, but the thousands of fsyncs of synchronous=FULL
 * cost nothing there (durability is the chaos suite's subject, not this one's).
 */
export function fuzzDir(): { dir: string; file: (name: string) => string; cleanup: () => void } {
  const base = existsSync('/dev/shm') ? '/dev/shm' : tmpdir();
  const dir = mkdtempSync(join(base, 'griddeck-fuzz-'));
  return { dir, file: (name) => join(dir, name), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

// ------------------------------------------------------------------ the process guard

/**
 * Records unhandled rejections and uncaught exceptions while a fuzz test runs: the
 * test asserts the list is empty. (Vitest reports them too; this names them in the
 * test's own failure.)
 */
export function guardProcess(): { crashes: unknown[]; dispose: () => void } {
  const crashes: unknown[] = [];
  const onCrash = (error: unknown): void => {
    crashes.push(error);
  };
  process.on('unhandledRejection', onCrash);
  process.on('uncaughtException', onCrash);
  return {
    crashes,
    dispose: () => {
      process.off('unhandledRejection', onCrash);
      process.off('uncaughtException', onCrash);
    },
  };
}

// ------------------------------------------------------------------ what landed in a file

/**
 * Every table of a SQLite file as text (rows JSON-encoded), except the ones named:
 * a scan for markers of refused input. FTS5 shadow tables are skipped (their
 * content is the FTS table's, read through it).
 */
export function tableTexts(file: string, skip: readonly string[]): Map<string, string> {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[])
      .map((r) => r.name)
      .filter((name) => !skip.includes(name) && !/^events_fts_/.test(name) && !name.startsWith('sqlite_'));
    const out = new Map<string, string>();
    for (const name of tables) {
      const rows = db.prepare(`SELECT * FROM "${name.replace(/"/g, '""')}"`).all();
      out.set(name, JSON.stringify(rows, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : Buffer.isBuffer(v) ? v.toString('latin1') : v)));
    }
    return out;
  } finally {
    db.close();
  }
}

/** A read-only connection of its own, to see what is committed in a file. */
export function readonlyDb(file: string): RawDatabase {
  return new Database(file, { readonly: true, fileMustExist: true });
}

/** `PRAGMA integrity_check` of a file through its own connection. */
export function integrityOf(file: string): string {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return String(db.pragma('integrity_check', { simple: true }));
  } finally {
    db.close();
  }
}

/** Polls `condition` until it holds; throws naming `what` after `timeoutMs` (a bound, not a timed assertion). */
export async function until(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
