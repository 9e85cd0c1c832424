// The data service against the county simulator (issue 12): a replica damaged on purpose
// whose unsent commands still reach the county, once each, after the recovery at start;
// and a disk that fills during a batch: 磁盘空间不足, the link paused (no loop), then
// resumed once there is room. No timed assertions: every wait polls for an outcome.
import { closeSync, existsSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CommandReceipt } from '../../../core/api/contract';
import { startCountySimulator, type CountySimulator } from '../../../county/simulator/index';
import { openSqlite } from '../../../node-common/sqlite';
import { openDataService, type DataService, type DataServiceOptions } from '../data-service';

const SEED = 20241112;
const BASE = Date.parse('2026-11-30T10:00:00+08:00');
const TOKEN = 'ops-test-token';
const clock = (): number => BASE;
const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'griddeck-ops-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const clean of cleanups.splice(0).reverse()) await clean();
});

async function county(dbFile: string, port = 0): Promise<CountySimulator> {
  const sim = await startCountySimulator({ port, seed: SEED, dbFile, token: TOKEN, activity: false, clock });
  let closed = false;
  const close = sim.close;
  sim.close = async () => {
    if (!closed) await close();
    closed = true;
  };
  cleanups.push(() => sim.close());
  return sim;
}

async function service(url: string, db: string, extra: Partial<DataServiceOptions> = {}): Promise<DataService> {
  const data = await openDataService({
    db,
    county: url,
    countyToken: TOKEN,
    town: '430624103',
    clock,
    logger: quiet,
    ...extra,
    link: { backoffMinMs: 20, backoffMaxMs: 300, mutateTimeoutMs: 5_000, ...extra.link },
  });
  cleanups.push(() => data.close());
  return data;
}

async function until(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function call<T>(data: DataService, method: string, args: unknown): Promise<T> {
  const response = await data.service.handle(method, args);
  if (!response.ok) throw new Error(`${method}: ${response.error.code} ${response.error.message}`);
  return response.result as T;
}

const synced = (data: DataService) => until(() => data.replica.state().cursor !== null && !data.replica.state().catchingUp, 'synced');

/** Garbage over the pages of one index of a closed file: integrity_check fails, the outbox stays readable. */
function damageIndex(file: string, index: string): void {
  const db = openSqlite<{ prepare(s: string): { get(): unknown }; pragma(s: string, o: { simple: true }): unknown; close(): void }>(file, { readonly: true });
  const root = (db.prepare(`SELECT rootpage FROM sqlite_master WHERE name = '${index}'`).get() as { rootpage: number }).rootpage;
  const pageSize = Number(db.pragma('page_size', { simple: true }));
  db.close();
  const fd = openSync(file, 'r+');
  writeSync(fd, Buffer.alloc(pageSize, 0x5a), 0, pageSize, (root - 1) * pageSize);
  closeSync(fd);
}

describe('a replica damaged on purpose', () => {
  it('is recovered at start and its unsent commands reach the county once each', async () => {
    const countyFile = join(dir, 'county-1.sqlite');
    const db = join(dir, 'replica-1.sqlite');
    const sim = await county(countyFile);
    const port = Number(new URL(sim.url).port);
    const first = await service(sim.url, db);
    await synced(first);
    const a = sim.createEvent(first.town);
    const b = sim.createEvent(first.town);
    await until(() => first.replica.getEvent(a) !== null && first.replica.getEvent(b) !== null, 'both events');
    await call<CommandReceipt>(first, 'event.accept', { id: a });
    await until(() => first.replica.state().lastN === 1, 'the first command settled');
    expect(await first.maintenance?.backupNow()).not.toBeNull();

    await sim.close();
    await until(() => first.link.status().state === 'offline', 'offline');
    await call<CommandReceipt>(first, 'event.comment', { id: a, note: '请尽快处理' });
    await call<CommandReceipt>(first, 'event.reject', { id: b, reason: '不属于受理范围' });
    const replicaId = first.replica.replicaId;
    await first.close();
    damageIndex(db, 'events_risk');

    const back = await county(countyFile, port);
    const second = await service(back.url, db);
    expect(second.recovery?.message).toMatch(/本地数据库已损坏.*已从备份.*抢救出 2 条未发送的指令/);
    expect(existsSync(second.recovery!.movedTo)).toBe(true);
    expect(second.replica.replicaId).toBe(replicaId);
    await until(() => second.replica.queueLength() === 0 && second.replica.state().lastN === 3, 'the salvaged commands settled', 30_000);
    expect(back.applied(replicaId)).toEqual([
      { n: 1, name: 'event.accept', status: 'applied' },
      { n: 2, name: 'event.comment', status: 'applied' },
      { n: 3, name: 'event.reject', status: 'applied' },
    ]);
    await synced(second);
    expect(second.replica.getEvent(b)?.status).toBe('rejected');
    expect(second.replica.integrityCheck()).toBe('ok');
  }, 60_000);
});

describe('a disk that fills during a batch', () => {
  it('says 磁盘空间不足, pauses the link instead of looping, and resumes when there is room', async () => {
    const sim = await county(join(dir, 'county-2.sqlite'));
    let room = false;
    let probes = 0;
    const data = await service(sim.url, join(dir, 'replica-2.sqlite'), {
      link: { diskRetryMs: 50, diskProbe: () => (probes++, room) },
    });
    await synced(data);
    const first = sim.createEvent(data.town);
    await until(() => data.replica.getEvent(first) !== null, 'an event before the disk fills');
    const raw = data.replica.store().db;
    // The replica may not grow by one page: the next batch of new events cannot be stored.
    raw.pragma(`max_page_count = ${Number(raw.pragma('page_count', { simple: true }))}`);
    const ids = Array.from({ length: 30 }, (_, i) => sim.createEvent(data.town, { title: `积水点 ${i} ${'路面'.repeat(40)}` }));
    await until(() => data.link.status().diskFull === true, 'the link reports a full disk');
    expect(data.link.status()).toMatchObject({ state: 'offline', detail: expect.stringContaining('磁盘空间不足') });
    const connections = (): number => data.link.log().filter((e) => e.message.startsWith('connected to')).length;
    const before = connections();
    const probesBefore = probes;
    await until(() => probes >= probesBefore + 3, 'three probes of the disk');
    // Paused: no new connection, so the same batch is not downloaded again and again.
    expect(connections()).toBe(before);
    expect(data.link.log().filter((e) => e.message.includes('the disk is full')).length).toBe(1);

    // Dispatchers' commands fill what room is left, then are refused as such (nothing queued), never `internal`.
    let refused: Awaited<ReturnType<DataService['service']['handle']>> | null = null;
    for (let i = 0; i < 500 && refused === null; i++) {
      const answer = await data.service.handle('event.comment', { id: first, note: `第 ${i} 次督办:${'请尽快处理'.repeat(20)}` });
      if (!answer.ok) refused = answer;
    }
    expect(refused).toMatchObject({ ok: false, error: { code: 'unavailable', message: expect.stringContaining('磁盘空间不足') } });

    raw.pragma('max_page_count = 1073741823');
    room = true;
    await until(() => ids.every((id) => data.replica.getEvent(id) !== null), 'the batch stored after the disk had room');
    await until(() => data.link.status().diskFull === undefined && data.link.status().state === 'online', 'online again');
  }, 60_000);
});
