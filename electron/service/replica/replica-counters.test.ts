// The queue's counters (event_counts, event_due_counts) against a recount of the rows
// after random batches (puts, deletes, settled commands), commands, the county's
// answers, resets and a batch that fails half way: they must never drift, and the
// unfiltered counts and totals read from them must equal the counted ones.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { GridEvent } from '../../../core/model';
import type { Replica } from './replica';
import { DISPATCHER, HOUR, T0, batch, countyEvent, createArgs, del, eventItem, seededReplica, tempDir, townItems } from './test-fixtures';

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => {
  tmp = tempDir();
});
afterEach(() => tmp.cleanup());

/** mulberry32: a small seeded generator, so a failure replays. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const STATUSES = ['reported', 'accepted', 'dispatched', 'closed'] as const;
/** Any filter that selects every event but makes the replica count rows instead of reading its counters. */
const EVERYTHING = { from: '2000-01-01T00:00:00+08:00' };

function expectCountersAgree(replica: Replica, when: string): void {
  expect(replica.counterMismatches(), when).toEqual([]);
  for (const now of [T0 - 10 * HOUR, T0, T0 + 3 * HOUR + 7 * 60_000, T0 + 40 * HOUR, T0 + 30 * 24 * HOUR]) {
    const fast = replica.countEvents({}, now);
    const counted = replica.countEvents(EVERYTHING, now);
    expect(fast, `${when}, counts at ${now}`).toEqual(counted);
    const page = { paging: { offset: 0, limit: 1 }, sort: 'risk' as const };
    expect(replica.listEvents(page, now).total, when).toBe(counted.all);
    expect(replica.listEvents({ ...page, overdue: true }, now).total, when).toBe(counted.overdue);
    expect(replica.listEvents({ ...page, status: ['reported', 'closed'] }, now).total, when).toBe(
      (counted.byStatus.reported ?? 0) + (counted.byStatus.closed ?? 0),
    );
  }
}

describe('queue counters', () => {
  it('equal a recount after random batches, commands, answers, resets and a failed batch', async () => {
    const { replica } = await seededReplica(tmp.file('r.db'));
    const random = rng(20261203);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
    // A pool of county versions: 30 events, each in every main status, reported over two days.
    const ids = Array.from({ length: 30 }, (_, i) => `e${i}`);
    const versions = new Map<string, GridEvent[]>(
      ids.map((id, i) => [id, STATUSES.map((s) => countyEvent({ id, at: T0 + (i % 10) * 2 * HOUR - 5 * HOUR, urgency: pick(['normal', 'urgent', 'critical']) }, s))]),
    );
    const rev = new Map<string, number>();
    let cursor = 'c-1';
    let lastN = 0;
    let local = 0;
    const next = (): string => `c-${Number(cursor.slice(2)) + 1}`;

    for (let step = 0; step < 120; step++) {
      const roll = random();
      if (roll < 0.45) {
        const items = Array.from({ length: 1 + Math.floor(random() * 8) }, () => {
          const id = pick(ids);
          const r = (rev.get(id) ?? 0) + 1 + Math.floor(random() * 2);
          rev.set(id, r);
          return random() < 0.15 ? del('event', id, r) : eventItem(pick(versions.get(id)!), r);
        });
        const settle = random() < 0.5 ? replica.state().nextN - 1 : null;
        replica.applyBatch(batch(cursor, next(), items, { lastN: settle }));
        cursor = next();
        if (settle !== null) lastN = Math.max(lastN, settle);
      } else if (roll < 0.7) {
        const id = pick(ids);
        const name = pick(['event.accept', 'event.comment', 'event.reject'] as const);
        const args = name === 'event.comment' ? { id, note: '已联系' } : name === 'event.reject' ? { id, reason: '重复' } : { id };
        replica.command(name, args, DISPATCHER, T0 + step * 60_000);
      } else if (roll < 0.8) {
        replica.command('event.create', createArgs({ id: `local-${++local}`, at: T0 }), DISPATCHER, T0 + step * 60_000 - 3 * HOUR);
      } else if (roll < 0.9) {
        const out = replica.nextOutbound();
        if (out) replica.acknowledge(out.n, random() < 0.5 ? { status: 'applied' } : { status: 'rejected', code: 'invalid-transition', message: '不可' });
      } else if (roll < 0.95) {
        // The county's snapshot: the town again and a third of the events.
        const items = [...townItems(), ...ids.filter(() => random() < 0.33).map((id) => eventItem(pick(versions.get(id)!), (rev.get(id) ?? 1)))];
        rev.clear();
        replica.applyBatch(batch(null, `s-${step}`, items, { reset: true, lastN }));
        cursor = `s-${step}`;
      } else {
        // A batch that fails half way stores nothing, counters included.
        const internals = (replica as unknown as { sync: { applyEventItem: (...args: unknown[]) => boolean } }).sync;
        const original = internals.applyEventItem.bind(internals);
        let calls = 0;
        const spy = vi.spyOn(internals, 'applyEventItem').mockImplementation((...args: unknown[]) => {
          if (++calls === 2) throw new Error('disk full');
          return original(...args);
        });
        const items = ids.slice(0, 3).map((id) => eventItem(versions.get(id)![3]!, (rev.get(id) ?? 0) + 5));
        expect(() => replica.applyBatch(batch(cursor, next(), items))).toThrow('disk full');
        spy.mockRestore();
      }
      expectCountersAgree(replica, `after step ${step} (${roll.toFixed(2)})`);
    }
    expect(replica.countEvents({}, T0).all).toBeGreaterThan(0);
    expect(replica.integrityCheck()).toBe('ok');
    await replica.close();
  });
});
