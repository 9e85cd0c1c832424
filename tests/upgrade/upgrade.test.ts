// Upgrades from replica files written by earlier releases (issue 15). Each fixture was
// made by the code of its schema version (make-fixtures.sh: a git worktree of that
// release, make-fixture.ts run there), not by hand: the demo town, events in several
// states, a cursor, commands settled, applied but unsettled, rejected and queued. The
// current code opens each, keeps every row, then goes on syncing: the queued commands go
// out in order, the county's next batch settles them, a new command runs. And an upgrade
// killed inside a migration's transaction leaves a file the current code opens.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Replica } from '../../electron/service/replica/replica';
import { HOUR, T0, TOWN_CODE, batch, countyEvent, eventItem, runCommands, tempDir } from '../../electron/service/replica/test-fixtures';
import { createReplicaService } from '../../electron/service/replica-service';
import { MIGRATIONS } from '../../electron/service/db/migrations';
import { executedMigrations, openDatabase } from '../../electron/service/db/sqlite';
import type { QueryRunner } from 'typeorm';
import { maskPersonalData } from '../../core/privacy/mask';
import { MASK_LEVELS } from '../../core/privacy/stored-mask';

const FIXTURES = join(import.meta.dirname, 'fixtures');
/** Each fixture and the migrations its release had run. */
const VERSIONS = [
  ['v3', 3],
  ['v4', 4],
  ['v5', 5],
  ['v6', 6],
  ['v7', 7],
] as const;

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => {
  tmp = tempDir();
});
afterEach(() => tmp.cleanup());

function fixture(version: string): string {
  const file = tmp.file(`replica-${version}.sqlite`);
  writeFileSync(file, gunzipSync(readFileSync(join(FIXTURES, `replica-${version}.sqlite.gz`))));
  return file;
}

const open = (file: string, now = T0 + HOUR) => Replica.open({ file, town: TOWN_CODE, now: () => now, log: { info: () => undefined, warn: () => undefined } });

/** What every fixture holds, read through the current code. */
function expectFixtureRows(replica: Replica): void {
  expect(replica.state()).toMatchObject({ cursor: 'c-3', lastN: 1 });
  expect(replica.queueLength()).toBe(3);
  expect(replica.unsentCount()).toBe(2);
  expect(replica.rejectedCommands(10).map((c) => [c.n, c.name, c.code])).toEqual([[3, 'event.accept', 'invalid-transition']]);
  // The optimistic views of the queued commands: the dispatch shows, the rejected accept does not.
  expect(replica.getEvent('up-accepted')?.status).toBe('dispatched');
  expect(replica.getEvent('up-reported')?.status).toBe('reported');
  expect(replica.getEvent('up-reported')?.history.at(-1)?.note).toBe('待确认位置');
  expect(replica.listEvents({ text: '井盖', paging: { offset: 0, limit: 10 }, sort: 'risk' }, T0 + HOUR).items.map((e) => e.id)).toEqual(['up-dispatched']);
  expect(replica.counterMismatches()).toEqual([]);
}

/**
 * Every event of an upgraded file reads masked at every level as the masking on the fly
 * shows its view, before its masks are made (migration 0014 adds none) and after.
 */
function expectMaskedAsBefore(replica: Replica): void {
  const db = replica.store().db;
  const stored = (): number => (db.prepare('SELECT COUNT(*) AS c FROM event_masks').get() as { c: number }).c;
  const events = replica.listEvents({ paging: { offset: 0, limit: 100 }, sort: 'risk' }, T0 + HOUR).items;
  expect(events.length).toBeGreaterThan(0);
  const check = (): void => {
    for (const level of MASK_LEVELS) for (const e of events) expect(replica.getEvent(e.id, level), `${e.id} at ${level}`).toEqual(maskPersonalData(e, level));
  };
  expect(stored()).toBe(0);
  check();
  replica.fillMasks();
  expect(stored()).toBe(events.length);
  check();
}

/** The current code opens a file an upgrade left halfway, with every row of the fixture. */
async function expectOpens(file: string): Promise<void> {
  const replica = await open(file);
  try {
    expectFixtureRows(replica);
    expect(replica.integrityCheck()).toBe('ok');
  } finally {
    await replica.close();
  }
}

describe('upgrades from the replica files of earlier releases', () => {
  it.each(VERSIONS)('opens a %s file, keeps every row and goes on syncing', async (version, migrations) => {
    const file = fixture(version);
    // The file really is of that version: its migrations table says so.
    const raw = await openDatabase(file, MIGRATIONS.slice(0, migrations));
    expect(executedMigrations(raw.db)).toEqual(MIGRATIONS.slice(0, migrations).map((M) => new M().name));
    await raw.dataSource.destroy();
    const replica = await open(file);
    try {
      expect(executedMigrations(replica.store().db)).toEqual(MIGRATIONS.map((M) => new M().name));
      expectFixtureRows(replica);
      expectMaskedAsBefore(replica);

      // The link goes on from the stored cursor: the queued commands leave in order, the county settles them.
      expect(replica.nextOutbound()).toMatchObject({ n: 4, name: 'event.comment' });
      replica.acknowledge(4, { status: 'applied' });
      expect(replica.nextOutbound()).toMatchObject({ n: 5, name: 'event.dispatch' });
      replica.acknowledge(5, { status: 'applied' });
      const reported = runCommands(countyEvent({ id: 'up-reported', title: '路灯不亮' }), [['event.comment', { id: 'up-reported', note: '待确认位置' }, T0 + 4 * 60_000]]);
      const accepted = runCommands(countyEvent({ id: 'up-accepted', title: '垃圾堆放' }, 'accepted'), [
        ['event.dispatch', { id: 'up-accepted', to: { kind: 'department', id: 'dept-rj' }, note: '请尽快处理' }, T0 + 5 * 60_000],
      ]);
      const dispatched = runCommands(countyEvent({ id: 'up-dispatched', title: '井盖破损' }, 'dispatched'), [['event.comment', { id: 'up-dispatched', note: '已电话督促' }, T0 + 2 * 60_000]]);
      const result = replica.applyBatch(batch('c-3', 'c-4', [eventItem(reported, 2), eventItem(accepted, 2), eventItem(dispatched, 2)], { lastN: 5 }));
      expect(result.status).toBe('applied');
      expect(replica.queueLength()).toBe(0);
      expect(replica.getEvent('up-accepted')?.status).toBe('dispatched');
      expect(replica.counterMismatches()).toEqual([]);

      // A new command, with an idempotency key (migration 0012), through the service; accounts (0006) work too.
      const service = createReplicaService({ replica, clock: () => T0 + HOUR });
      const args = { id: 'up-closed', note: '升级后回访', idempotencyKey: `k-upgrade-${version}` };
      const first = await service.handle('event.comment', args);
      expect(first).toMatchObject({ ok: true, result: { n: 6 } });
      expect(await service.handle('event.comment', args)).toEqual(first);
      await service.close();
      expect(replica.integrityCheck()).toBe('ok');
    } finally {
      await replica.close();
    }
  });

  it('an upgrade of a v3 file SIGKILLed inside a migration leaves a file the current code opens', async () => {
    const file = fixture('v3');
    const child = spawnSync(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'kill-upgrade.ts'), file, '6'], { encoding: 'utf8', timeout: 60_000 });
    expect(child.signal, child.stderr).toBe('SIGKILL');
    await expectOpens(file);
  }, 90_000);

  it.each([4, 5, 7, 12, 14])('the files as a kill inside migration %i leaves them (copied inside its transaction) open with every row', async (k) => {
    const file = fixture('v3');
    const copy = tmp.file(`killed-in-${k}.sqlite`);
    const migrations = MIGRATIONS.map((M) => {
      if (!(new M().name ?? '').endsWith(String(k).padStart(13, '0'))) return M;
      return class extends M {
        override async up(queryRunner: QueryRunner): Promise<void> {
          await super.up(queryRunner);
          // What is on disk now, the transaction open: exactly what a kill here leaves behind.
          for (const suffix of ['', '-wal', '-shm']) if (existsSync(`${file}${suffix}`)) copyFileSync(`${file}${suffix}`, `${copy}${suffix}`);
          throw new Error('stop here');
        }
      };
    });
    await expect(openDatabase(file, migrations)).rejects.toThrow();
    await expectOpens(copy);
  });
});
