import { describe, expect, it } from 'vitest';
import { riskKey } from '../../../core/events/risk';
import type { GridEvent } from '../../../core/model';
import { matchesList, placeChange, queueVerdict, sameOrder } from './queue-change';
import { listArgs } from './tabs';
import { GRID, MINUTE, T0, handled, reported, run } from './test-events';

const NOW = T0 + 5 * MINUTE;

describe('matchesList', () => {
  it('applies the tab and every filter like events.list', () => {
    const e = reported('e-1');
    expect(matchesList(e, listArgs('all', {}, 'risk', 0, 1), NOW)).toBe(true);
    expect(matchesList(e, listArgs('reported', {}, 'risk', 0, 1), NOW)).toBe(true);
    expect(matchesList(e, listArgs('accepted', {}, 'risk', 0, 1), NOW)).toBe(false);
    expect(matchesList(e, listArgs('all', { grid: GRID.slice(0, 12) }, 'risk', 0, 1), NOW)).toBe(true);
    expect(matchesList(e, listArgs('all', { grid: '999' }, 'risk', 0, 1), NOW)).toBe(false);
    expect(matchesList(e, listArgs('all', { urgency: 'urgent' }, 'risk', 0, 1), NOW)).toBe(false);
    expect(matchesList(e, listArgs('all', { text: e.title.slice(0, 2) }, 'risk', 0, 1), NOW)).toBe(true);
    expect(matchesList(e, listArgs('all', { text: '没有这几个字' }, 'risk', 0, 1), NOW)).toBe(false);
    expect(matchesList(e, listArgs('all', { from: '2030-01-01T00:00:00+08:00' }, 'risk', 0, 1), NOW)).toBe(false);
  });

  it('counts an event overdue once its running clock is past due', () => {
    const e = reported('e-1');
    const args = listArgs('overdue', {}, 'risk', 0, 1);
    expect(matchesList(e, args, NOW)).toBe(false);
    expect(matchesList(e, args, T0 + 10 * 24 * 60 * MINUTE)).toBe(true);
  });
});

describe('queueVerdict', () => {
  const all = listArgs('all', {}, 'risk', 0, 1);
  const reportedTab = listArgs('reported', {}, 'risk', 0, 1);

  it('replaces a loaded row in place when the event stays in the list at the same place', () => {
    const row = reported('e-1');
    const now = { ...row, title: '改过的标题' };
    expect(sameOrder(row, now)).toBe(true);
    expect(queueVerdict(now, row, all, NOW)).toBe('replace');
  });

  it('re-lists when the order may have moved, the event enters or leaves, or was not carried', () => {
    const row = reported('e-1');
    const accepted = run(row, 'event.accept', { id: 'e-1' }, T0 + MINUTE);
    expect(queueVerdict(accepted, row, all, NOW)).toBe('relist');
    expect(queueVerdict(accepted, row, reportedTab, NOW)).toBe('relist');
    expect(queueVerdict(reported('e-2'), undefined, all, NOW)).toBe('relist');
    expect(queueVerdict(undefined, undefined, all, NOW)).toBe('relist');
    expect(queueVerdict(null, row, all, NOW)).toBe('relist');
  });

  it('does nothing for an event that neither was loaded nor belongs to the list', () => {
    expect(queueVerdict(handled('e-3'), undefined, reportedTab, NOW)).toBe('none');
    expect(queueVerdict(null, undefined, all, NOW)).toBe('none');
  });
});

describe('placeChange: a carried event placed among the loaded rows by the sort key', () => {
  const all = { args: listArgs('all', {}, 'risk', 0, 1), sort: 'risk' as const, nowMs: NOW };
  const at = (m: number, id = `e-${m}`, urgency: 'normal' | 'urgent' | 'critical' = 'normal') => reported(id, T0 + m * MINUTE, urgency);
  /** Pages of `size` rows from the top, as the queue holds them. */
  const paged = (rows: GridEvent[], size: number, count = Math.ceil(rows.length / size) || 1, pending: string[] = []) =>
    new Map(
      Array.from({ length: count }, (_, p) => {
        const items = rows.slice(p * size, (p + 1) * size);
        return [p, { items, pending: new Set(items.filter((e) => pending.includes(e.id)).map((e) => e.id)) }] as const;
      }),
    );
  const ids = (pages: Map<number, { items: GridEvent[] }> | null) => (pages ? [...pages.values()].map((p) => p.items.map((e) => e.id)) : null);

  it('puts a new event at its place in the risk order, the last row moving to the next page', () => {
    const rows = [at(0), at(2), at(4), at(6), at(8)];
    const placed = placeChange(paged(rows, 3), { id: 'e-3', now: at(3), pending: null }, all, 3);
    expect(ids(placed)).toEqual([
      ['e-0', 'e-2', 'e-3'],
      ['e-4', 'e-6', 'e-8'],
    ]);
    // Two full pages of a longer list: the row pushed past them is dropped (its page is not loaded).
    const full = placeChange(paged([...rows, at(10)], 3), { id: 'e-1', now: at(1), pending: null }, all, 3);
    expect(ids(full)).toEqual([
      ['e-0', 'e-1', 'e-2'],
      ['e-4', 'e-6', 'e-8'],
    ]);
  });

  it('orders by urgency at the same due, and newest first in the report-time order', () => {
    const rows = [at(0), at(5), at(9)];
    expect(ids(placeChange(paged(rows, 10), { id: 'c', now: at(5, 'c', 'critical'), pending: null }, all, 10))).toEqual([['e-0', 'c', 'e-5', 'e-9']]);
    const newest = { ...all, args: listArgs('all', {}, 'reportedAt', 0, 1), sort: 'reportedAt' as const };
    const desc = [at(9), at(5), at(0)];
    expect(ids(placeChange(paged(desc, 10), { id: 'n', now: at(7, 'n'), pending: null }, newest, 10))).toEqual([['e-9', 'n', 'e-5', 'e-0']]);
  });

  it('leaves the loaded rows alone when the event falls beyond them in a longer list', () => {
    const rows = [at(0), at(2), at(4)];
    expect(ids(placeChange(paged(rows, 3), { id: 'e-9', now: at(9), pending: null }, all, 3))).toEqual([['e-0', 'e-2', 'e-4']]);
    // The same event at the end of a complete list is appended.
    expect(ids(placeChange(paged(rows.slice(0, 2), 3), { id: 'e-9', now: at(9), pending: null }, all, 3))).toEqual([['e-0', 'e-2', 'e-9']]);
  });

  it('moves a loaded row whose order changed, and takes out one that left the list', () => {
    const rows = [at(0), at(2), at(4), at(6)];
    expect(ids(placeChange(paged(rows, 10), { id: 'e-0', now: at(5, 'e-0'), pending: null }, all, 10))).toEqual([['e-2', 'e-4', 'e-0', 'e-6']]);
    expect(ids(placeChange(paged(rows, 10), { id: 'e-2', now: null, pending: null }, all, 10))).toEqual([['e-0', 'e-4', 'e-6']]);
    const accepted = run(rows[1] as GridEvent, 'event.accept', { id: 'e-2' }, T0 + 3 * MINUTE);
    const reportedOnly = { ...all, args: listArgs('reported', {}, 'risk', 0, 1) };
    expect(ids(placeChange(paged(rows, 10), { id: 'e-2', now: accepted, pending: null }, reportedOnly, 10))).toEqual([['e-0', 'e-4', 'e-6']]);
  });

  it('keeps which rows show pending commands, and takes the pushed flag for the changed one', () => {
    const rows = [at(0), at(2)];
    const placed = placeChange(paged(rows, 10, 1, ['e-2']), { id: 'e-1', now: at(1), pending: true }, all, 10);
    expect([...(placed?.get(0)?.pending ?? [])].sort()).toEqual(['e-1', 'e-2']);
  });

  it('gives up (a re-list) where the place cannot be known here', () => {
    const rows = [at(0), at(2), at(4), at(6)];
    // A row of the same key: the replica orders those by its seq.
    expect(placeChange(paged(rows, 10), { id: 'x', now: at(2, 'x'), pending: null }, all, 10)).toBeNull();
    // Pages not from the top, or with a gap: the event may have been above them before.
    const lower = new Map([[1, { items: rows.slice(0, 2), pending: new Set<string>() }]]);
    expect(placeChange(lower, { id: 'e-1', now: at(1), pending: null }, all, 2)).toBeNull();
    const gap = new Map([...paged(rows, 2)].map(([p, page]) => [p * 2, page] as const));
    expect(placeChange(gap, { id: 'e-1', now: at(1), pending: null }, all, 2)).toBeNull();
    // A row leaving a longer list: the row that comes in from the next page is unknown.
    expect(placeChange(paged(rows, 2), { id: 'e-0', now: null, pending: null }, all, 2)).toBeNull();
    expect(placeChange(paged(rows, 2), { id: 'e-0', now: at(9, 'e-0'), pending: null }, all, 2)).toBeNull();
    expect(placeChange(new Map(), { id: 'e-1', now: at(1), pending: null }, all, 2)).toBeNull();
  });

  it('agrees with the service order (risk, then seq) on random lists and changes, or gives up', () => {
    let seed = 7;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const urgencies = ['normal', 'urgent', 'critical'] as const;
    let placedCount = 0;
    for (let round = 0; round < 300; round++) {
      let nextSeq = 0;
      const list = Array.from({ length: rand(12) }, (_, i) => ({ seq: nextSeq++, e: at(rand(40), `r-${i}`, urgencies[rand(3)]) }));
      const order = (xs: typeof list) => [...xs].sort((a, b) => riskKey(a.e) - riskKey(b.e) || a.seq - b.seq).map((x) => x.e);
      const size = 3;
      const before = order(list);
      const count = Math.max(1, Math.min(Math.ceil(before.length / size), 1 + rand(3)));
      const pages = paged(before, size, count);
      const kind = rand(3);
      const id = kind === 0 || list.length === 0 ? 'new' : (list[rand(list.length)] as { e: GridEvent }).e.id;
      const now = kind === 1 ? null : at(rand(40), id, urgencies[rand(3)]);
      const after = list.filter((x) => x.e.id !== id);
      if (now) after.push({ seq: list.find((x) => x.e.id === id)?.seq ?? nextSeq++, e: now });
      const placed = placeChange(pages, { id, now, pending: null }, all, size);
      if (placed === null) continue;
      placedCount++;
      // The loaded rows as the service would list them now: all of a complete list, else as many as before.
      const expected = order(after).slice(0, before.length < count * size ? undefined : count * size);
      expect(ids(placed)?.flat(), `round ${round}`).toEqual(expected.map((e) => e.id));
    }
    expect(placedCount).toBeGreaterThan(100);
  });
});
