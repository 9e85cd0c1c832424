// Bad input from a file: a replica file that is not SQLite (garbage), one cut short, one
// migrated by a newer version, one of another program, one of another town, a folder.
// The data service refuses to start with one clear line and leaves the file byte for byte as it was;
// the web shell's command line exits with that line. A good file still opens.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { afterAll, describe, expect, it } from 'vitest';
import { createRng } from '../../county/demo/random';
import { DatabaseFileError } from '../../electron/service/db/sqlite';
import { openDataService } from '../../electron/service/data-service';
import { Replica } from '../../electron/service/replica/replica';
import { T0, TOWN_CODE, batch, townItems } from '../../electron/service/replica/test-fixtures';
import { fuzzDir, fuzzSeed, guardProcess } from './hostile';

const guard = guardProcess();
const tmp = fuzzDir();
afterAll(() => {
  guard.dispose();
  tmp.cleanup();
});

const digest = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex');
// Nothing listens on port 9 of loopback: the service must fail on the file, not on the county.
const NO_COUNTY = 'http://127.0.0.1:9';
const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** A good replica file holding the demo town, closed cleanly (WAL checkpointed). */
async function goodReplica(name: string): Promise<string> {
  const file = tmp.file(name);
  const replica = await Replica.open({ file, town: TOWN_CODE, now: () => T0 });
  replica.applyBatch(batch(null, 'c-1', townItems()));
  await replica.close();
  return file;
}

interface Case {
  label: string;
  make: () => Promise<string>;
  problem: DatabaseFileError['problem'] | 'other-town';
  says: RegExp;
}

const Database = createRequire(import.meta.url)('better-sqlite3') as new (file: string) => { exec(sql: string): void; prepare(sql: string): { run(...a: unknown[]): unknown }; close(): void };

const cases: Case[] = [
  {
    label: 'garbage bytes',
    make: async () => {
      const rng = createRng(fuzzSeed()).fork('garbage');
      const file = tmp.file('garbage.sqlite');
      writeFileSync(file, Buffer.from(Array.from({ length: 64 * 1024 }, () => rng.int(0, 255))));
      return file;
    },
    problem: 'not-sqlite',
    says: /不是 SQLite 数据库文件/,
  },
  {
    label: 'a text file',
    make: async () => {
      const file = tmp.file('notes.sqlite');
      writeFileSync(file, "'; DROP TABLE events; --\n<script>alert(1)</script>\n");
      return file;
    },
    problem: 'not-sqlite',
    says: /不是 SQLite 数据库文件/,
  },
  {
    label: 'cut to half its size',
    make: async () => {
      const file = tmp.file('half.sqlite');
      copyFileSync(await goodReplica('half-src.sqlite'), file);
      truncateSync(file, Math.floor(readFileSync(file).length / 2));
      return file;
    },
    problem: 'truncated',
    says: /文件不完整/,
  },
  {
    label: 'cut to one page',
    make: async () => {
      const file = tmp.file('page.sqlite');
      copyFileSync(await goodReplica('page-src.sqlite'), file);
      truncateSync(file, 4096);
      return file;
    },
    problem: 'truncated',
    says: /文件不完整/,
  },
  {
    label: 'cut inside its header',
    make: async () => {
      const file = tmp.file('header.sqlite');
      copyFileSync(await goodReplica('header-src.sqlite'), file);
      truncateSync(file, 50);
      return file;
    },
    problem: 'not-sqlite',
    says: /不是 SQLite 数据库文件/,
  },
  {
    label: 'migrated by a newer version',
    make: async () => {
      const file = await goodReplica('newer.sqlite');
      const db = new Database(file);
      db.prepare('INSERT INTO migrations (timestamp, name) VALUES (?, ?)').run(9_999_999_999_999, 'FutureSchema9999999999999');
      db.close();
      return file;
    },
    problem: 'newer',
    says: /更新版本的 GridDeck.*FutureSchema9999999999999/,
  },
  {
    label: 'the database of another program',
    make: async () => {
      const file = tmp.file('other.sqlite');
      const db = new Database(file);
      db.exec("CREATE TABLE accounts (id INTEGER PRIMARY KEY, owner TEXT); INSERT INTO accounts (owner) VALUES ('someone')");
      db.close();
      return file;
    },
    problem: 'foreign',
    says: /不是 GridDeck 的本地副本.*accounts/,
  },
  {
    label: 'the replica of another town',
    make: async () => {
      const file = tmp.file('other-town.sqlite');
      const replica = await Replica.open({ file, town: '430624101', now: () => T0 });
      await replica.close();
      return file;
    },
    problem: 'other-town',
    says: /serves town 430624101, not 430624103/,
  },
];

describe('fuzz: bad replica files', () => {
  for (const c of cases) {
    it(`refuses ${c.label} with one clear line and leaves it untouched`, async () => {
      const file = await c.make();
      const before = digest(file);
      const siblings = readdirSync(tmp.dir).sort();
      let error: unknown = null;
      try {
        const data = await openDataService({ db: file, county: NO_COUNTY, town: TOWN_CODE, logger: quiet });
        await data.close();
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(Error);
      const message = (error as Error).message;
      expect(message).toMatch(c.says);
      expect(message).not.toMatch(/\n/);
      expect(message.length).toBeLessThan(400);
      if (c.problem !== 'other-town') {
        expect(error).toBeInstanceOf(DatabaseFileError);
        expect((error as DatabaseFileError).problem).toBe(c.problem);
        expect(message).toContain(file);
      }
      // Byte for byte as it was, and nothing left beside it.
      expect(digest(file)).toBe(before);
      expect(readdirSync(tmp.dir).sort()).toEqual(siblings);
    });
  }

  it('refuses a folder given as the file', async () => {
    const folder = tmp.file('a-folder.sqlite');
    mkdirSync(folder);
    await expect(openDataService({ db: folder, county: NO_COUNTY, town: TOWN_CODE, logger: quiet })).rejects.toThrow(/这是一个文件夹/);
  });

  it('opens a good file, and an empty one as a new replica', async () => {
    const good = await goodReplica('good.sqlite');
    const replica = await Replica.open({ file: good, town: TOWN_CODE, now: () => T0 });
    expect(replica.state().cursor).toBe('c-1');
    expect(replica.integrityCheck()).toBe('ok');
    await replica.close();
    const empty = tmp.file('empty.sqlite');
    writeFileSync(empty, '');
    const fresh = await Replica.open({ file: empty, town: TOWN_CODE, now: () => T0 });
    expect(fresh.state().cursor).toBeNull();
    await fresh.close();
  });

  it('the web shell exits with that one line (exit code 1) and the file untouched', () => {
    const file = tmp.file('shell-garbage.sqlite');
    writeFileSync(file, Buffer.from('not a database at all, just some bytes'.repeat(100)));
    const before = digest(file);
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'electron/web/cli.ts', '--county', NO_COUNTY, '--town', TOWN_CODE, '--db', file, '--port', '0'], {
      encoding: 'utf8',
      timeout: 60_000,
      env: { ...process.env, GRIDDECK_COUNTY_TOKEN: '' },
    });
    expect(run.status).toBe(1);
    expect(run.stdout).not.toMatch(/GridDeck listening/);
    const lines = run.stderr.split('\n').filter((l) => l.trim() !== '');
    expect(lines).toEqual([`griddeck web: 本地数据库文件 ${file} 无法使用:不是 SQLite 数据库文件(文件头不符)。文件未作任何改动;请检查 --db 路径,或从备份恢复`]);
    expect(digest(file)).toBe(before);
  }, 90_000);

  it('nothing crashed', () => {
    expect(guard.crashes).toEqual([]);
  });
});
