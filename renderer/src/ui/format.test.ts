import { describe, expect, it } from 'vitest';
import { formatShanghai, gridCountLabel } from './format';

describe('formatShanghai', () => {
  it('shows any offset in Beijing time', () => {
    expect(formatShanghai('2026-11-28T01:05:00Z')).toBe('2026-11-28 09:05');
    expect(formatShanghai('2026-11-28T23:30:00+08:00')).toBe('2026-11-28 23:30');
    expect(formatShanghai('2026-11-28T20:00:00-05:00')).toBe('2026-11-29 09:00');
  });

  it('shows a dash for nothing and for garbage', () => {
    expect(formatShanghai(null)).toBe('—');
    expect(formatShanghai('yesterday')).toBe('—');
  });
});

describe('gridCountLabel', () => {
  it('counts grids and names the dedicated ones', () => {
    expect(gridCountLabel([{ kind: 'basic', level: 3 }, { kind: 'basic', level: 3 }])).toBe('2 个网格');
    expect(gridCountLabel([{ kind: 'basic', level: 3 }, { kind: 'dedicated', level: 3 }])).toBe('2 个网格(含 1 个专属网格)');
    expect(gridCountLabel([])).toBe('0 个网格');
  });
});
