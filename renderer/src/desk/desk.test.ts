import { describe, expect, it } from 'vitest';
import { deadlineFromInput } from './Supervise';

describe('the supervision form', () => {
  it('reads the 办理时限 box as Shanghai time, and nothing typed as the level\'s default', () => {
    expect(deadlineFromInput('2026-12-05T17:30')).toBe('2026-12-05T17:30:00+08:00');
    expect(deadlineFromInput('')).toBeUndefined();
    expect(deadlineFromInput('明天')).toBeUndefined();
  });
});
