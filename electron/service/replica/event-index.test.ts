import { describe, expect, it } from 'vitest';
import type { Clock, GridEvent } from '../../../core/model';
import { toIso } from '../../../core/time/shanghai';
import { eventColumns, eventFilterSql, overdueRiskBound, prefixRange, riskKey, searchText, textQuery } from './event-index';
import { HOUR, T0, countyEvent } from './test-fixtures';

const clock = (dueMs: number, extra: Partial<Clock> = {}): Clock => ({
  kind: 'finish',
  limit: { value: 1, unit: 'hours' },
  startedAt: toIso(dueMs - HOUR),
  dueAt: toIso(dueMs),
  pausedAt: null,
  remainingAtPause: null,
  stoppedAt: null,
  extensions: [],
  ...extra,
});

const base = countyEvent({ id: 'x' });
const ev = (patch: Partial<GridEvent>): GridEvent => ({ ...base, deadlines: {}, ...patch });

describe('riskKey', () => {
  it('puts running clocks first by earliest due, urgency breaking ties, then clockless open events, then final ones', () => {
    const overdue = ev({ deadlines: { finish: clock(T0 - HOUR) } });
    const soonNormal = ev({ deadlines: { finish: clock(T0 + HOUR) } });
    const soonCritical = ev({ urgency: 'critical', deadlines: { finish: clock(T0 + HOUR) } });
    // the earliest of several running clocks counts; a stopped or paused one does not
    const twoClocks = ev({ deadlines: { accept: clock(T0 - 3 * HOUR, { stoppedAt: toIso(T0) }), finish: clock(T0 + 30 * 60_000), verify: clock(T0 - 5 * HOUR, { pausedAt: toIso(T0), remainingAtPause: 5 }) } });
    const suspendedUrgent = ev({ status: 'suspended', urgency: 'urgent', deadlines: { finish: clock(T0 - 9 * HOUR, { pausedAt: toIso(T0), remainingAtPause: 10 }) } });
    const suspendedNormal = ev({ status: 'suspended', urgency: 'normal' });
    const closedOld = ev({ status: 'closed', reportedAt: toIso(T0 - 10 * HOUR), deadlines: { finish: clock(T0 - 20 * HOUR) } });
    const closedNew = ev({ status: 'merged', reportedAt: toIso(T0) });
    const order = [overdue, twoClocks, soonCritical, soonNormal, suspendedUrgent, suspendedNormal, closedNew, closedOld];
    const keys = order.map(riskKey);
    expect([...keys].sort((a, b) => a - b)).toEqual(keys);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys.every(Number.isSafeInteger)).toBe(true);
  });

  it('fills the indexed columns from the view', () => {
    expect(eventColumns(base)).toEqual({
      code: base.code,
      status: 'reported',
      category: base.category,
      grid: base.grid,
      source: base.source,
      urgency: base.urgency,
      reported_at: T0,
      risk: riskKey(base),
    });
    expect(searchText(base)).toEqual([base.code, base.title, base.description, base.location.address]);
  });
});

describe('text queries', () => {
  it('uses the trigram index from three characters, LIKE below, and keeps the text literal', () => {
    expect(textQuery(undefined)).toBeNull();
    expect(textQuery('   ')).toBeNull();
    expect(textQuery('垃圾')).toEqual({ kind: 'like', pattern: '%垃圾%' });
    expect(textQuery('%_')).toEqual({ kind: 'like', pattern: '%\\%\\_%' });
    expect(textQuery('a\\')).toEqual({ kind: 'like', pattern: '%a\\\\%' });
    // code points, not UTF-16 units: two astral characters are two characters
    expect(textQuery('𠀀𠀁')?.kind).toBe('like');
    expect(textQuery(' 垃圾堆 ')).toEqual({ kind: 'match', query: '"垃圾堆"' });
    expect(textQuery('a"b OR c')).toEqual({ kind: 'match', query: '"a""b OR c"' });
  });

  it('bounds a prefix for an index range', () => {
    const [lo, hi] = prefixRange('4306');
    expect(lo).toBe('4306');
    expect(['4306', '430624103', '4306~'].every((s) => s >= lo && s < hi)).toBe(true);
    expect(['4305', '4307', '430'].some((s) => s >= lo && s < hi)).toBe(false);
  });
});

describe('the queue filters as SQL', () => {
  it('bounds overdue risk keys at the current second: a running clock due before now is below, one due later is not', () => {
    const now = Date.parse('2026-11-30T09:00:00+08:00');
    const bound = overdueRiskBound(now);
    const dueAt = (s: number): number => (Math.floor(now / 1000) + s) * 4;
    expect(dueAt(-1) + 2).toBeLessThan(bound); // critical is 0, normal 2: all below when due a second ago
    expect(dueAt(0)).toBe(bound);
    expect(overdueRiskBound(-5)).toBe(0);
  });

  it('builds bound conditions in a fixed order, with values never in the SQL', () => {
    const now = Date.parse('2026-11-30T09:00:00+08:00');
    const { where, params } = eventFilterSql(
      {
        status: ['reported', 'reported', 'accepted'],
        overdue: true,
        category: '03',
        grid: '',
        source: 'hotline',
        urgency: 'urgent',
        from: '2026-11-30T00:00:00+08:00',
        to: '2026-11-30T23:59:59+08:00',
        text: "垃'圾堆",
      },
      now,
    );
    expect(where).toEqual([
      'status IN (?, ?)',
      'risk < ?',
      'category >= ? AND category < ?',
      'source = ?',
      'urgency = ?',
      'reported_at >= ?',
      'reported_at <= ?',
      'seq IN (SELECT rowid FROM events_fts WHERE events_fts MATCH ?)',
    ]);
    expect(params).toEqual([
      'reported',
      'accepted',
      overdueRiskBound(now),
      '03',
      '03\u{10FFFF}',
      'hotline',
      'urgent',
      Date.parse('2026-11-30T00:00:00+08:00'),
      Date.parse('2026-11-30T23:59:59+08:00'),
      '"垃\'圾堆"',
    ]);
    expect(eventFilterSql({}, now)).toEqual({ where: [], params: [] });
    expect(eventFilterSql({ text: '垃圾' }, now).params).toEqual(['%垃圾%', '%垃圾%', '%垃圾%', '%垃圾%']);
  });
});
