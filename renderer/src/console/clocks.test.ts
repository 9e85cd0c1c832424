import { describe, expect, it } from 'vitest';
import { eventClocks, pressingClock } from './clocks';
import { MINUTE, T0, calendar, handled, reported } from './test-events';

describe('clocks as the console shows them', () => {
  it('counts the accept limit down in natural minutes, then overdue', () => {
    const e = reported('e1', T0);
    expect(pressingClock(e, T0 + 10 * MINUTE, calendar)).toMatchObject({ kind: 'accept', remaining: '剩余 20 分', status: { state: 'onTime' } });
    expect(pressingClock(e, T0 + 25 * MINUTE, calendar)?.status.state).toBe('warning');
    expect(pressingClock(e, T0 + 95 * MINUTE, calendar)).toMatchObject({ remaining: '超时 1 小时 5 分', status: { state: 'overdue' } });
  });

  it('shows stopped clocks as met and picks the running one for the row', () => {
    const e = handled('e2', T0);
    const clocks = eventClocks(e, T0 + 2 * 60 * MINUTE, calendar);
    expect(clocks.map((c) => [c.kind, c.status.state])).toEqual([
      ['accept', 'met'],
      ['finish', 'met'],
      ['verify', 'onTime'],
    ]);
    // 1 working day to verify, fed back at 10:00 Monday: due at the end of Tuesday's office hours
    expect(pressingClock(e, T0 + 2 * 60 * MINUTE, calendar)).toMatchObject({ kind: 'verify', remaining: '剩余 1 个工作日 4 个工作小时' });
  });
});
