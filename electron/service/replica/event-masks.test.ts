// The masks the replica stores with each event (migration 0014, event-masks.ts) are what
// masking the view on the fly gives, at every level, whatever wrote the view: the
// county's batches, the town's commands and their replay, a county delete under pending
// commands, a reset, and a tool that writes the documents behind the replica's back. A
// read of an event without masks masks it on the fly; masks of other rules are dropped.
import { copyFileSync } from 'node:fs';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { GridEvent } from '../../../core/model';
import { MASK_RULES_VERSION, maskPersonalData } from '../../../core/privacy/mask';
import { fuzzEvent, seededRandom } from '../../../core/privacy/mask-fuzz';
import { MASK_LEVELS } from '../../../core/privacy/stored-mask';
import { County } from '../../../county/simulator/county';
import { CountyStore } from '../../../county/simulator/store';
import { DISPATCHER, HOUR, MINUTE, T0, TOWN_CODE, batch, countyEvent, del, eventItem, openReplica, seededReplica, tempDir } from './test-fixtures';
import type { Replica } from './replica';

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => {
  tmp = tempDir();
});
afterEach(() => tmp.cleanup());

const PAGE = { paging: { offset: 0, limit: 500 }, sort: 'risk' } as const;
const storedCount = (replica: Replica): number => (replica.store().db.prepare('SELECT COUNT(*) AS c FROM event_masks').get() as { c: number }).c;

/** Every event of the replica, read at every level, equals its view masked on the fly; the page too. */
function expectMaskedAsOnTheFly(replica: Replica): void {
  const raw = replica.listEvents(PAGE, T0).items;
  expect(raw.length).toBeGreaterThan(0);
  for (const level of MASK_LEVELS) {
    expect(replica.listEvents(PAGE, T0, level).items).toEqual(maskPersonalData(raw, level));
    for (const e of raw) expect(replica.getEvent(e.id, level), `${e.id} at ${level}`).toEqual(maskPersonalData(e, level));
  }
}

/** The demo county's events after a simulated day (hotline callers, notes, extensions, photos). */
function demoItems(): unknown[] {
  const store = new CountyStore(tmp.file('county.db'));
  try {
    const county = new County(store, { seed: 7, scale: null, eventsPerHour: 12, autoDispatchAfterMs: 10 * MINUTE, duty: 'always', log: () => undefined }, T0 - 24 * HOUR);
    for (let t = county.simTime + 10 * MINUTE; t < T0; t += 10 * MINUTE) county.step(t);
    return county.snapshot(TOWN_CODE).events.map((e, i) => eventItem(e, 1 + i));
  } finally {
    store.close();
  }
}

describe('the stored masks', () => {
  it("equal the masking on the fly over the demo county's events, at every level", async () => {
    const { replica } = await seededReplica(tmp.file('demo.db'));
    const items = demoItems();
    expect(items.length).toBeGreaterThan(100);
    replica.applyBatch(batch('c-1', 'c-2', items));
    expect(storedCount(replica)).toBe(items.length);
    expectMaskedAsOnTheFly(replica);
    await replica.close();
  });

  it('equal the masking on the fly over generated events full of numbers, and follow every write of the view', async () => {
    const { replica } = await seededReplica(tmp.file('fuzz.db'));
    const rng = seededRandom(31);
    const events = Array.from({ length: 120 }, (_, i) => fuzzEvent(rng, i, countyEvent({ id: `fz-${i}` }, i % 3 === 0 ? 'dispatched' : 'reported')));
    replica.applyBatch(batch('c-1', 'c-2', events.map((e) => eventItem(e, 1))));
    expectMaskedAsOnTheFly(replica);
    // The town's commands (the optimistic view), the county's new base, a delete under a pending command.
    for (const id of ['fz-1', 'fz-2', 'fz-4']) {
      expect(replica.command('event.comment', { id, note: `来电人电话13912345678，${id}` }, DISPATCHER, T0 + MINUTE).ok).toBe(true);
    }
    const changed = fuzzEvent(rng, 5, countyEvent({ id: 'fz-5' }));
    replica.applyBatch(batch('c-2', 'c-3', [eventItem({ ...changed, description: '新电话 138 0000 1111' }, 2), del('event', 'fz-2', 2), del('event', 'fz-7', 2)]));
    expect(replica.getEvent('fz-7')).toBeNull();
    expect(replica.getEvent('fz-7', 'all')).toBeNull();
    expect(JSON.stringify(replica.getEvent('fz-2', 'numbers'))).not.toContain('13912345678');
    expect(JSON.stringify(replica.getEvent('fz-5', 'all'))).not.toContain('0000 1111');
    expectMaskedAsOnTheFly(replica);
    expect(storedCount(replica)).toBe(replica.listEvents(PAGE, T0).total);
    // A reset keeps only the events of pending commands, then the snapshot comes again.
    replica.applyBatch(batch('c-3', 'c-4', events.slice(0, 10).map((e) => eventItem(e, 3)), { reset: true }));
    expectMaskedAsOnTheFly(replica);
    expect(storedCount(replica)).toBe(replica.listEvents(PAGE, T0).total);
    await replica.close();
  });

  it('never outlive their view: a document written behind the replica loses its masks, and the read masks it on the fly', async () => {
    const { replica } = await seededReplica(tmp.file('behind.db'));
    replica.applyBatch(batch('c-1', 'c-2', [eventItem(countyEvent({ id: 'e1', description: '群众来电' }), 1)]));
    const db = replica.store().db;
    const view = { ...(replica.getEvent('e1') as GridEvent), description: '来电人李娜电话13812345678', reporter: { name: '李娜', phone: '13812345678' } };
    db.prepare("UPDATE event_docs SET base = ? WHERE seq = (SELECT seq FROM events WHERE id = 'e1')").run(JSON.stringify(view));
    expect(storedCount(replica)).toBe(0);
    for (const level of MASK_LEVELS) expect(replica.getEvent('e1', level)).toEqual(maskPersonalData(view, level));
    expect(JSON.stringify(replica.listEvents(PAGE, T0, 'all').items)).not.toMatch(/13812345678|李娜/);
    await replica.close();
  });
});

describe('filling the masks of events stored without them', () => {
  /** 1,100 events (three steps of the fill), made once: each test opens a copy. */
  const EVENTS = 1100;
  const shared = tempDir();
  let made: string | null = null;
  afterAll(() => shared.cleanup());
  async function replicaWithoutMasks(file: string): Promise<void> {
    if (made === null) {
      made = shared.file('made.db');
      const { replica } = await seededReplica(made);
      const rng = seededRandom(5);
      const events = Array.from({ length: EVENTS }, (_, i) => fuzzEvent(rng, i, countyEvent({ id: `fz-${i}` })));
      expect(replica.applyBatch(batch('c-1', 'c-2', events.map((e) => eventItem(e, 1)))).ignored).toEqual([]);
      // As a replica from before migration 0014 is, or one masked by other rules.
      replica.store().db.exec('DELETE FROM event_masks; UPDATE event_mask_state SET rules = 0, filled = 1');
      await replica.close();
    }
    copyFileSync(made, file);
  }

  it('reads them masked on the fly meanwhile, then fills them in steps, newest first', async () => {
    const file = tmp.file('fill.db');
    await replicaWithoutMasks(file);
    const { replica } = await seededReplicaAgain(file, 'off');
    expect(storedCount(replica)).toBe(0);
    expectMaskedAsOnTheFly(replica);
    expect(replica.fillMasks()).toBe(3);
    expect(storedCount(replica)).toBe(EVENTS);
    expectMaskedAsOnTheFly(replica);
    await replica.close();
  });

  it('fills them in the background after open, and a stored text of other rules is dropped first', async () => {
    const file = tmp.file('background.db');
    await replicaWithoutMasks(file);
    const opened = await seededReplicaAgain(file, 'background');
    const replica = opened.replica;
    await waitFor(() => storedCount(replica) === EVENTS);
    expectMaskedAsOnTheFly(replica);
    const db = replica.store().db;
    expect(db.prepare('SELECT filled, fill_below FROM event_mask_state').get()).toEqual({ filled: 1, fill_below: null });
    // Another release's rules: its texts name another version and are never read as this one's.
    db.exec(`UPDATE event_masks SET level_all = replace(level_all, 'm${MASK_RULES_VERSION}:all:', 'm${MASK_RULES_VERSION - 1}:all:')`);
    expectMaskedAsOnTheFly(replica);
    await replica.close();
  });
});

describe('a catch-up', () => {
  it('stores no masks while the town catches up, reads them on the fly meanwhile, and fills them once it is current', async () => {
    const { replica } = await seededReplica(tmp.file('catchup.db'));
    const rng = seededRandom(11);
    const events = Array.from({ length: 600 }, (_, i) => fuzzEvent(rng, i, countyEvent({ id: `cu-${i}` })));
    const items = events.map((e) => eventItem(e, 1));
    replica.applyBatch(batch('c-1', 'c-2', items.slice(0, 300), { more: true }));
    replica.applyBatch(batch('c-2', 'c-3', items.slice(300, 550), { more: true }));
    expect(storedCount(replica)).toBe(0);
    expectMaskedAsOnTheFly(replica);
    // A batch that rolls back while catching up leaves the next one to store its masks as usual.
    const db = replica.store().db;
    db.exec("CREATE TEMP TRIGGER fail_sync BEFORE UPDATE ON meta BEGIN SELECT RAISE(ABORT, 'disk gone'); END");
    expect(() => replica.applyBatch(batch('c-3', 'c-4', [eventItem(events[0]!, 2)], { more: true }))).toThrow(/disk gone/);
    db.exec('DROP TRIGGER fail_sync');
    // Current: the last batch stores its own masks (the rolled-back one left nothing deferred), the fill the catch-up's, in the background.
    replica.applyBatch(batch('c-3', 'c-4', items.slice(550)));
    expect(storedCount(replica)).toBe(50);
    await waitFor(() => storedCount(replica) === events.length);
    expect(replica.store().db.prepare('SELECT filled FROM event_mask_state').get()).toEqual({ filled: 1 });
    expectMaskedAsOnTheFly(replica);
    await replica.close();
  });

  it('is filled in one step when the rest of the replica is masked already', async () => {
    const { replica } = await seededReplica(tmp.file('walk.db'));
    const rng = seededRandom(13);
    const items = Array.from({ length: 2600 }, (_, i) => eventItem(fuzzEvent(rng, i, countyEvent({ id: `wk-${i}` })), 1));
    replica.applyBatch(batch('c-1', 'c-2', items.slice(0, 2500)));
    replica.applyBatch(batch('c-2', 'c-3', items.slice(2500), { more: true }));
    replica.applyBatch(batch('c-3', 'c-4', []));
    expect(storedCount(replica)).toBe(2500);
    // Synchronously, before the background's first step: 100 to mask among 2,600 to walk.
    expect(replica.fillMasks()).toBe(1);
    expect(storedCount(replica)).toBe(2600);
    await replica.close();
  });

  it('stores its masks as it goes when no background fill runs', async () => {
    const { replica } = await seededReplica(tmp.file('nofill.db'), { maskFill: 'off' });
    const rng = seededRandom(12);
    const items = Array.from({ length: 40 }, (_, i) => eventItem(fuzzEvent(rng, i, countyEvent({ id: `nf-${i}` })), 1));
    replica.applyBatch(batch('c-1', 'c-2', items, { more: true }));
    expect(storedCount(replica)).toBe(items.length);
    await replica.close();
  });
});

/** The replica reopened, its masks filled in the background or left to fillMasks. */
const seededReplicaAgain = (file: string, maskFill: 'off' | 'background') => openReplica(file, { maskFill });

async function waitFor(done: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !done(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(done()).toBe(true);
}
