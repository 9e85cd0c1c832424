import { describe, expect, it } from 'vitest';
import { advance, replayFor, replayKey, seek } from './replay';

// Saturday 2026-11-28 10:30 in Shanghai.
const NOW = Date.parse('2026-11-28T10:30:00+08:00');

describe('replay periods', () => {
  it('the last hour, today since midnight, and yesterday, on Shanghai days, starting at the beginning', () => {
    expect(replayFor('w1', 'hour', NOW)).toEqual({ workerId: 'w1', from: '2026-11-28T09:30:00+08:00', to: '2026-11-28T10:30:00+08:00', at: '2026-11-28T09:30:00+08:00' });
    expect(replayFor('w1', 'today', NOW)).toMatchObject({ from: '2026-11-28T00:00:00+08:00', to: '2026-11-28T10:30:00+08:00' });
    expect(replayFor('w1', 'yesterday', NOW)).toMatchObject({ from: '2026-11-27T00:00:00+08:00', to: '2026-11-28T00:00:00+08:00' });
    // 01:00 Shanghai is still the previous UTC day: the day is Shanghai's.
    expect(replayFor('w1', 'today', Date.parse('2026-11-28T01:00:00+08:00')).from).toBe('2026-11-28T00:00:00+08:00');
  });
});

describe('playback', () => {
  const r = replayFor('w1', 'hour', NOW);
  it('moves the cursor by elapsed time × speed and stops at the end', () => {
    expect(advance(r, 1000, 60)).toEqual({ at: '2026-11-28T09:31:00+08:00', done: false });
    expect(advance({ ...r, at: '2026-11-28T10:29:30+08:00' }, 1000, 60)).toEqual({ at: '2026-11-28T10:30:00+08:00', done: true });
    expect(advance(r, -5, 60).at).toBe(r.from);
  });
  it('seeks within the period only', () => {
    expect(seek(r, Date.parse('2026-11-28T10:00:00+08:00')).at).toBe('2026-11-28T10:00:00+08:00');
    expect(seek(r, 0).at).toBe(r.from);
    expect(seek(r, NOW + 999_999).at).toBe(r.to);
    expect(replayKey(r)).toBe(`w1|${r.from}|${r.to}`);
  });
});
