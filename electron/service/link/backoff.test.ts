// The county link's backoff values (issue 15): the other link tests pin the backoff to
// 20-100 ms, so nothing checked the defaults, the doubling, the cap or the jitter. The
// link's own waits (a refused handshake without a code, a forced reconnect, an
// out-of-order answer) and Socket.IO's reconnection settings are both read here.
import { afterEach, describe, expect, it } from 'vitest';
import { CountyLink } from './county-link';

const links: CountyLink[] = [];
afterEach(() => {
  for (const link of links.splice(0)) link.stop();
});

/** A link that is never started (or started against a closed port); the backoff needs no county. */
function link(options: Partial<ConstructorParameters<typeof CountyLink>[0]> = {}): CountyLink {
  const replica = { town: '430624103', replicaId: 'r-backoff', state: () => ({ cursor: null }) } as unknown as ConstructorParameters<typeof CountyLink>[0]['replica'];
  const l = new CountyLink({ url: 'http://127.0.0.1:9', token: 't', replica, transports: ['websocket'], ...options });
  links.push(l);
  return l;
}

/** The link's wait before its attempt number `attempt` (the private rule, read as the link uses it). */
const waitOf = (l: CountyLink, attempt: number): number => (l as unknown as { backoff(attempt: number): number }).backoff(attempt);

describe('the county link\'s backoff', () => {
  it('starts at 500 ms by default, doubles, and stops at 30 s (jitter at its middle)', () => {
    const l = link({ random: () => 0.5 });
    expect(Array.from({ length: 10 }, (_, i) => waitOf(l, i))).toEqual([500, 1000, 2000, 4000, 8000, 16_000, 30_000, 30_000, 30_000, 30_000]);
    expect(waitOf(l, 1000)).toBe(30_000);
  });

  it('spreads each wait over ±25 % (towns do not reconnect in lockstep)', () => {
    expect(waitOf(link({ random: () => 0 }), 3)).toBe(3000);
    expect(waitOf(link({ random: () => 0.999999 }), 3)).toBe(5000);
    expect(waitOf(link({ random: () => 0 }), 50)).toBe(22_500);
    expect(waitOf(link({ random: () => 0.999999 }), 50)).toBe(37_500);
  });

  it('follows the configured bounds, a max below the min taken as the min', () => {
    const l = link({ backoffMinMs: 100, backoffMaxMs: 1000, random: () => 0.5 });
    expect([0, 1, 2, 3, 4, 5].map((i) => waitOf(l, i))).toEqual([100, 200, 400, 800, 1000, 1000]);
    expect(waitOf(link({ backoffMinMs: 2000, backoffMaxMs: 10, random: () => 0.5 }), 4)).toBe(2000);
  });

  it('gives Socket.IO the same bounds and jitter for its own reconnections', () => {
    const l = link({ backoffMinMs: 700, backoffMaxMs: 9000 });
    l.start();
    const manager = (l as unknown as { socket: { io: { reconnectionDelay(): number; reconnectionDelayMax(): number; randomizationFactor(): number } } }).socket.io;
    expect([manager.reconnectionDelay(), manager.reconnectionDelayMax(), manager.randomizationFactor()]).toEqual([700, 9000, 0.5]);
  });
});
