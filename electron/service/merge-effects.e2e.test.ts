// A command's effects on other events look the same in the town while the command is
// pending and after the county has answered: the town's replica and the county carry
// them out through the same core function (core/events/effects.ts). The case: two
// events merged while the county link is down; the target's history shows the merge's
// note at once, and is the very same history once the county has applied the merge.
// The data service and the county simulator on loopback, real SQLite files; every wait
// polls for an outcome.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CommandReceipt } from '../../core/api/contract';
import type { GridEvent } from '../../core/model';
import { startCountySimulator, type CountySimulator } from '../../county/simulator/index';
import { openDataService, type DataService } from './data-service';

const SEED = 20241112;
/** Monday 10:00 in Shanghai. Both sides share this manual clock. */
const BASE = Date.parse('2026-11-30T10:00:00+08:00');
const TOKEN = 'county-test-token';
const clock = (): number => BASE;
const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'griddeck-merge-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function county(dbFile: string, port = 0): Promise<CountySimulator> {
  const sim = await startCountySimulator({ port, seed: SEED, dbFile, token: TOKEN, activity: false, clock });
  const stop = sim.close.bind(sim);
  let closed = false;
  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    await stop();
  };
  cleanups.push(close);
  return Object.assign(sim, { close });
}

async function service(url: string, town: string): Promise<DataService> {
  const data = await openDataService({
    db: join(dir, 'replica.sqlite'),
    county: url,
    countyToken: TOKEN,
    town,
    clock,
    logger: quiet,
    link: { backoffMinMs: 20, backoffMaxMs: 300, mutateTimeoutMs: 5_000, transports: ['websocket'] },
  });
  cleanups.push(() => data.close());
  return data;
}

async function until(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function call<T>(data: DataService, method: string, args: unknown = {}): Promise<T> {
  const response = await data.service.handle(method, args);
  if (!response.ok) throw new Error(`${method}: ${response.error.code} ${response.error.message}`);
  return response.result as T;
}

const getEvent = (data: DataService, id: string) => call<GridEvent | null>(data, 'events.get', { id });

describe('a merge made offline', () => {
  it("shows the target's history the same before and after the county answers", async () => {
    const countyFile = join(dir, 'county.sqlite');
    const sim = await county(countyFile);
    const port = Number(new URL(sim.url).port);
    const town = sim.towns[0] ?? '';
    const data = await service(sim.url, town);
    await until(() => data.replica.state().cursor !== null && !data.replica.state().catchingUp, 'initial sync');
    const dup = sim.createEvent(town, { title: '村口垃圾', source: 'hotline' });
    const target = sim.createEvent(town, { title: '村口垃圾堆放', source: 'hotline' });
    await until(async () => (await getEvent(data, dup)) !== null && (await getEvent(data, target)) !== null, 'both events in the replica');
    const original = (await getEvent(data, target)) as GridEvent;

    // The county goes away; the dispatcher merges the duplicate into the target.
    await sim.close();
    await until(() => data.link.status().state === 'offline', 'offline');
    const receipt = await call<CommandReceipt>(data, 'event.merge', { id: dup, into: target, note: '同一处' });
    expect(receipt.event).toMatchObject({ status: 'merged', mergedInto: target });
    const pending = (await getEvent(data, target)) as GridEvent;
    expect(pending.history).toHaveLength(original.history.length + 1);
    expect(pending.history.at(-1)).toMatchObject({ action: 'event.merge', note: expect.stringContaining('已合并至本事件：同一处') as unknown });
    // The target's view shows a command the county has not settled.
    const page = await call<{ pending: string[] }>(data, 'events.list', { paging: { offset: 0, limit: 500 } });
    expect(page.pending).toEqual(expect.arrayContaining([dup, target]));

    // The county comes back on the same address and applies the merge.
    const back = await county(countyFile, port);
    await until(() => data.replica.queueLength() === 0 && data.replica.state().lastN === 1, 'the merge settled');
    await until(() => isDeepStrictEqual(data.replica.snapshot(), back.snapshot(town)), 'the replica equal to the county');
    expect(back.applied(data.replica.replicaId)).toEqual([{ n: 1, name: 'event.merge', status: 'applied' }]);

    const settled = (await getEvent(data, target)) as GridEvent;
    expect(settled.history).toEqual(pending.history);
    expect(back.snapshot(town).events.find((e) => e.id === target)?.history).toEqual(pending.history);
    expect((await call<{ pending: string[] }>(data, 'events.list', { paging: { offset: 0, limit: 500 } })).pending).toEqual([]);
  }, 90_000);
});
