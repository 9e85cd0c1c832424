import { describe, expect, it } from 'vitest';
import { parseIso } from '../../../core/time/shanghai';
import { bannerText, clockText, hottestVillage, isArrivingUrgent, keepUnchanged, linkDown, newerLink, overdueText, statusLabel } from './model';

const NOW = parseIso('2026-11-30T09:30:00+08:00');

describe('clockText', () => {
  it('prints Shanghai time, with the date when not today', () => {
    expect(clockText('2026-11-30T01:05:00Z')).toBe('09:05');
    expect(clockText('2026-11-29T23:10:00+08:00', '2026-11-30')).toBe('11-29 23:10');
    expect(clockText('2026-11-30T08:10:00+08:00', '2026-11-30')).toBe('08:10');
    expect(clockText(null)).toBe('—');
    expect(clockText('yesterday')).toBe('—');
  });
});

describe('the link banner', () => {
  const link = { state: 'offline' as const, since: '2026-11-30T09:14:00+08:00', offlineSince: '2026-11-30T09:12:00+08:00', waiting: 2, lastSyncAt: null };
  it('says since when the county link is down and where the data comes from', () => {
    expect(bannerText(link, NOW)).toBe('县级联网中断 · 自 09:12 起 · 本屏数据来自本地副本');
    expect(bannerText({ ...link, offlineSince: null }, NOW)).toBe('县级联网中断 · 自 09:14 起 · 本屏数据来自本地副本');
  });
  it('shows for offline, connecting and refused, not while online or without a county', () => {
    expect(linkDown({ state: 'offline' })).toBe(true);
    expect(linkDown({ state: 'connecting' })).toBe(true);
    expect(linkDown({ state: 'refused' })).toBe(true);
    expect(linkDown({ state: 'online' })).toBe(false);
    expect(linkDown({ state: 'none' })).toBe(false);
  });
});

describe('isArrivingUrgent', () => {
  const e = { urgency: 'urgent' as const, status: 'reported' as const, reportedAt: '2026-11-30T09:28:00+08:00' };
  it('flies to an open urgent or critical event reported in the last minutes', () => {
    expect(isArrivingUrgent(e, NOW)).toBe(true);
    expect(isArrivingUrgent({ ...e, urgency: 'critical' }, NOW)).toBe(true);
  });
  it('not to a normal, finished, old or unreadable one', () => {
    expect(isArrivingUrgent({ ...e, urgency: 'normal' }, NOW)).toBe(false);
    expect(isArrivingUrgent({ ...e, status: 'closed' }, NOW)).toBe(false);
    expect(isArrivingUrgent({ ...e, reportedAt: '2026-11-30T09:10:00+08:00' }, NOW)).toBe(false);
    expect(isArrivingUrgent({ ...e, reportedAt: 'soon' }, NOW)).toBe(false);
  });
  it('labels statuses in Chinese', () => {
    expect(statusLabel('dispatched')).toBe('处置中');
  });
});

describe('newerLink', () => {
  const stats = { state: 'online' as const, since: '2026-11-30T09:00:00+08:00', offlineSince: null, waiting: 0, lastSyncAt: '2026-11-30T09:29:00+08:00' };
  const pushed = { ...stats, state: 'offline' as const, since: '2026-11-30T09:20:00+08:00', offlineSince: '2026-11-30T09:20:00+08:00', waiting: 3 };
  it('takes whichever is there when one is missing', () => {
    expect(newerLink(null, null)).toBeNull();
    expect(newerLink(stats, null)).toBe(stats);
    expect(newerLink(null, pushed)).toBe(pushed);
  });
  it('prefers a state entered later, and the stats on the same state', () => {
    expect(newerLink(stats, pushed)).toBe(pushed);
    expect(newerLink({ ...stats, since: '2026-11-30T09:25:00+08:00' }, pushed)?.state).toBe('online');
    const same = { ...stats, waiting: 9 };
    expect(newerLink(stats, same)).toBe(stats);
  });
});

describe('hottestVillage', () => {
  const grids = [
    { code: 'g1', parent: 'v1' },
    { code: 'g2', parent: 'v1' },
    { code: 'g3', parent: 'v2' },
    { code: 'g4', parent: null },
  ];
  const villages = [
    { code: 'v1', name: '课功村' },
    { code: 'v2', name: '汨水村' },
  ];
  it('sums the grids’ open events by village and takes the most loaded', () => {
    const load = [
      { code: 'g3', open: 5, overdue: 0 },
      { code: 'g1', open: 3, overdue: 1 },
      { code: 'g2', open: 3, overdue: 0 },
      { code: 'g4', open: 9, overdue: 9 },
    ];
    expect(hottestVillage(load, grids, villages)).toEqual({ code: 'v1', name: '课功村', open: 6, overdue: 1 });
  });
  it('breaks a tie by the overdue ones; none when nothing is open', () => {
    expect(hottestVillage([{ code: 'g3', open: 2, overdue: 1 }, { code: 'g1', open: 2, overdue: 0 }], grids, villages)?.code).toBe('v2');
    expect(hottestVillage([{ code: 'g1', open: 0, overdue: 0 }], grids, villages)).toBeNull();
  });
});

describe('overdueText', () => {
  const clock = (dueAt: string, over: Partial<{ stoppedAt: string; remainingAtPause: number }> = {}) => ({
    kind: 'finish' as const,
    limit: { value: 1, unit: 'days' as const },
    startedAt: '2026-11-20T09:00:00+08:00',
    dueAt,
    pausedAt: null,
    remainingAtPause: over.remainingAtPause ?? null,
    stoppedAt: over.stoppedAt ?? null,
    extensions: [],
  });
  it('says how long the earliest running clock is past due', () => {
    expect(overdueText({ status: 'dispatched', deadlines: { finish: clock('2026-11-28T07:00:00+08:00') } }, NOW)).toBe('2天2小时');
    expect(overdueText({ status: 'dispatched', deadlines: { finish: clock('2026-11-30T04:30:00+08:00') } }, NOW)).toBe('5小时');
    expect(overdueText({ status: 'reported', deadlines: { accept: clock('2026-11-30T09:10:00+08:00') } }, NOW)).toBe('20分钟');
  });
  it('is null for a clock not yet due, stopped or paused, and for a finished event', () => {
    expect(overdueText({ status: 'dispatched', deadlines: { finish: clock('2026-11-30T12:00:00+08:00') } }, NOW)).toBeNull();
    expect(overdueText({ status: 'dispatched', deadlines: { finish: clock('2026-11-28T07:00:00+08:00', { stoppedAt: '2026-11-27T00:00:00+08:00' }) } }, NOW)).toBeNull();
    expect(overdueText({ status: 'suspended', deadlines: { finish: clock('2026-11-28T07:00:00+08:00', { remainingAtPause: 60 }) } }, NOW)).toBeNull();
    expect(overdueText({ status: 'closed', deadlines: { finish: clock('2026-11-28T07:00:00+08:00') } }, NOW)).toBeNull();
  });
});

describe('keepUnchanged', () => {
  it('keeps the parts whose values did not change as the same objects', () => {
    const before = { at: '1', trend: [{ d: 1 }], load: [{ g: 2 }], open: 3 };
    const next = { at: '2', trend: [{ d: 1 }], load: [{ g: 5 }], open: 3 };
    const kept = keepUnchanged(before, next);
    expect(kept).toEqual(next);
    expect(kept.trend).toBe(before.trend);
    expect(kept.load).toBe(next.load);
    expect(keepUnchanged(undefined, next)).toBe(next);
  });
});
