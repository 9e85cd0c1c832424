import { describe, expect, it } from 'vitest';
import { matchesList, queueVerdict, sameOrder } from './queue-change';
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
