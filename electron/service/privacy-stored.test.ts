// The queue and the event detail are read from the masks the replica stores with each
// event (replica/event-masks.ts); what every role gets must be exactly what masking
// the unmasked answer on the fly gives (withPrivacy), scoped or not, and a room's
// screen must get the same event in a push as in a read.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Caller } from '../../core/api/channels';
import type { PayloadOf, ResultOf } from '../../core/api/contract';
import type { GridEvent } from '../../core/model';
import { maskPersonalData } from '../../core/privacy/mask';
import { fuzzEvent, seededRandom } from '../../core/privacy/mask-fuzz';
import type { Replica } from './replica/replica';
import { GRID_A, MINUTE, T0, TOWN, batch, countyEvent, eventItem, seededReplica, tempDir } from './replica/test-fixtures';
import { createReplicaService } from './replica-service';
import { screenLevel } from './privacy';
import type { ApiService } from './service';

const VILLAGE_A = TOWN.grids.find((g) => g.code === GRID_A)!.parent!;
const CALLERS: Caller[] = [
  { role: 'dispatcher' },
  { role: 'leader' },
  { role: 'viewer' },
  { role: 'secretary' },
  { role: 'village', grids: [VILLAGE_A] },
  { role: 'department', departmentId: 'dept-rj' },
];
const PAGE = { paging: { offset: 0, limit: 200 } };

let tmp: ReturnType<typeof tempDir>;
let replica: Replica;
let service: ApiService;

const ok = async <T,>(method: string, args: unknown, caller: Caller): Promise<T> => {
  const r = (await service.handle(method, args, caller)) as { ok: true; result: T } | { ok: false; error: { code: string } };
  if (!r.ok) throw new Error(`${method}: ${r.error.code}`);
  return r.result;
};

beforeAll(async () => {
  tmp = tempDir();
  replica = (await seededReplica(tmp.file('stored.db'))).replica;
  const rng = seededRandom(77);
  const grids = TOWN.grids.map((g) => g.code);
  const events = Array.from({ length: 80 }, (_, i) => fuzzEvent(rng, i, countyEvent({ id: `fz-${i}`, grid: grids[i % 7]! }, i % 2 === 0 ? 'dispatched' : 'reported')));
  expect(replica.applyBatch(batch('c-1', 'c-2', events.map((e) => eventItem(e, 1)))).ignored).toEqual([]);
  service = createReplicaService({ replica, clock: () => T0 + 10 * MINUTE });
});

afterAll(async () => {
  await service.close();
  await replica.close();
  tmp.cleanup();
});

describe('reads from the stored masks', () => {
  it('give every role what masking its unmasked answer on the fly gives, in the queue and the detail', async () => {
    for (const caller of CALLERS) {
      const level = screenLevel(caller);
      const page = await ok<ResultOf<'events.list'>>('events.list', PAGE, caller);
      // The same rows unmasked, as the replica holds them.
      const unmasked = page.items.map((e) => replica.getEvent(e.id) as GridEvent);
      expect(page.items, caller.role).toEqual(maskPersonalData(unmasked, level));
      expect(page.total).toBeGreaterThan(0);
      for (const e of unmasked.slice(0, 20)) expect(await ok('events.get', { id: e.id }, caller)).toEqual(maskPersonalData(e, level));
    }
    const wall = JSON.stringify(await ok('events.list', PAGE, { role: 'viewer' }));
    expect(wall).not.toMatch(/1[3-9]\d{9}|\d{17}[\dXx]/);
  });

  it('give a room’s screen the same event in a push as in a read', async () => {
    const pushed: PayloadOf<'entities.changed'>[] = [];
    const off = service.subscribe((topic, payload) => topic === 'entities.changed' && pushed.push(payload as PayloadOf<'entities.changed'>), { role: 'viewer' });
    await ok('event.comment', { id: 'fz-3', note: '来电人电话１３８ １２３４ ５６７８，已回访' }, { role: 'dispatcher' });
    off();
    const event = pushed.flatMap((p) => p.events ?? []).find((e) => e.id === 'fz-3');
    expect(event).toBeDefined();
    expect(event).toEqual(await ok('events.get', { id: 'fz-3' }, { role: 'viewer' }));
    expect(event?.history.at(-1)?.note).toBe('来电人电话138****5678，已回访');
  });
});
