import { describe, expect, it } from 'vitest';
import { EventsListArgsSchema } from '../../../core/api/contract';
import { TABS, cleanFilters, isoToLocalInput, listArgs, localInputToIso, tabCount, tabSpec } from './tabs';

const counts = {
  all: 120,
  byStatus: { reported: 5, accepted: 7, dispatched: 30, handled: 4, verified: 2, closed: 60, rejected: 3, suspended: 1, escalated: 6, merged: 2 },
  overdue: 9,
  at: '2026-11-28T09:00:00+08:00',
};

describe('queue tabs', () => {
  it('names the stages in Chinese, in the order of the workflow', () => {
    expect(TABS.map((t) => t.label)).toEqual(['全部', '待受理', '待派遣', '处置中', '待核查', '待结案', '超时', '已上报县级', '已结案']);
  });

  it('reads each tab count from one events.counts answer', () => {
    expect(TABS.map((t) => tabCount(t, counts))).toEqual([120, 5, 7, 30, 4, 2, 9, 6, 60]);
    expect(tabCount(tabSpec('reported'), undefined)).toBeNull();
  });

  it('turns a tab and filters into valid events.list arguments', () => {
    const args = listArgs('overdue', { grid: '430624103001', text: '  垃圾 ', source: undefined }, 'risk', 200, 100);
    expect(args).toEqual({ grid: '430624103001', text: '垃圾', overdue: true, sort: 'risk', paging: { offset: 200, limit: 100 } });
    expect(EventsListArgsSchema.safeParse(args).success).toBe(true);
    expect(listArgs('handled', {}, 'reportedAt', 0, 50)).toEqual({ status: ['handled'], sort: 'reportedAt', paging: { offset: 0, limit: 50 } });
    expect(tabSpec('nope' as never).key).toBe('all');
  });

  it('drops empty filters so equal filters make equal keys', () => {
    expect(cleanFilters({ category: '', grid: undefined, text: '   ', urgency: 'urgent' })).toEqual({ urgency: 'urgent' });
    expect(cleanFilters({ text: 'x'.repeat(150) }).text).toHaveLength(100);
  });

  it('reads datetime-local input as Shanghai time and back', () => {
    expect(localInputToIso('2026-11-28T09:05')).toBe('2026-11-28T09:05:00+08:00');
    expect(localInputToIso('2026-11-28T09:05:30')).toBe('2026-11-28T09:05:30+08:00');
    expect(localInputToIso('')).toBeUndefined();
    expect(isoToLocalInput('2026-11-28T09:05:00+08:00')).toBe('2026-11-28T09:05');
    expect(isoToLocalInput(undefined)).toBe('');
  });
});
