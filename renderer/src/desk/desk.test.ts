import { describe, expect, it } from 'vitest';
import { deadlineFromInput } from './Supervise';
import type { GridEvent } from '../../../core/model';
import { concernsSupervisions } from './desk-data';

describe('the supervision form', () => {
  it('reads the 办理时限 box as Shanghai time, and nothing typed as the level\'s default', () => {
    expect(deadlineFromInput('2026-12-05T17:30')).toBe('2026-12-05T17:30:00+08:00');
    expect(deadlineFromInput('')).toBeUndefined();
    expect(deadlineFromInput('明天')).toBeUndefined();
  });
});

describe('which changes concern a list of supervisions', () => {
  const event = (id: string, supervisionCount: number) => ({ id, supervisionCount }) as unknown as GridEvent;
  it('a supervised event (of the list, when it is one event’s) or an unnamed change; not a new report or an unsupervised one', () => {
    const change = (ids: string[] | null, events: [string, GridEvent | null][]) => ({ ids, events: new Map(events) });
    expect(concernsSupervisions(change(['e1'], [['e1', event('e1', 0)]]))).toBe(false);
    expect(concernsSupervisions(change(['e1'], [['e1', event('e1', 1)]]))).toBe(true);
    expect(concernsSupervisions(change(['e2'], []))).toBe(true);
    expect(concernsSupervisions(change(null, []))).toBe(true);
    expect(concernsSupervisions(change(['e1'], [['e1', event('e1', 0)]]), 'e1')).toBe(false);
    expect(concernsSupervisions(change(['e1'], [['e1', event('e1', 1)]]), 'e1')).toBe(true);
    expect(concernsSupervisions(change(['e3'], [['e3', event('e3', 2)]]), 'e1')).toBe(false);
  });
});
