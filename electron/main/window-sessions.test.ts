import { describe, expect, it } from 'vitest';
import type { ServiceSubscription } from '../../core/api/channels';
import { WindowSessions, tokenOf } from './window-sessions';

function sessions(): { ws: WindowSessions; sent: ServiceSubscription[] } {
  const sent: ServiceSubscription[] = [];
  return { ws: new WindowSessions((m) => sent.push(m)), sent };
}

describe('WindowSessions', () => {
  it('subscribes each window with its seat; the wall as a viewer without a token', () => {
    const { ws, sent } = sessions();
    ws.open('1', 'console');
    ws.open('2', 'wall');
    expect(sent).toEqual([
      { subscribe: '1', context: { seat: { kind: 'window', window: 'console' } } },
      { subscribe: '2', context: { seat: { kind: 'window', window: 'wall' }, view: 'wall' } },
    ]);
    expect(ws.contextFor('2', undefined)).toEqual({ seat: { kind: 'window', window: 'wall' }, view: 'wall' });
    expect(ws.contextFor('9', undefined)).toBeNull();
  });

  it('renews the subscription when a login opens a session, and when the page logs out', () => {
    const { ws, sent } = sessions();
    ws.open('1', 'console');
    sent.length = 0;
    ws.answered('1', 'auth.login', { ok: false, error: { code: 'unauthorized' } });
    ws.answered('1', 'events.list', { ok: true, result: { token: 'not-a-session' } });
    expect(sent).toEqual([]);
    ws.answered('1', 'auth.login', { ok: true, result: { token: 't1', user: {} } });
    expect(sent).toEqual([{ subscribe: '1', context: { token: 't1', seat: { kind: 'window', window: 'console' } } }]);
    // The same token with the next call: nothing to renew.
    expect(ws.contextFor('1', 't1')).toEqual({ token: 't1', seat: { kind: 'window', window: 'console' } });
    expect(sent).toHaveLength(1);
    ws.answered('1', 'auth.logout', { ok: true, result: { loggedOut: true } });
    expect(sent.at(-1)).toEqual({ subscribe: '1', context: { seat: { kind: 'window', window: 'console' } } });
  });

  it('follows the token a page presents (a reload restoring its session), and ends it when told', () => {
    const { ws, sent } = sessions();
    ws.open('1', 'console');
    sent.length = 0;
    expect(ws.contextFor('1', 'restored')).toEqual({ token: 'restored', seat: { kind: 'window', window: 'console' } });
    expect(sent).toEqual([{ subscribe: '1', context: { token: 'restored', seat: { kind: 'window', window: 'console' } } }]);
    ws.ended('1');
    expect(sent.at(-1)).toEqual({ subscribe: '1', context: { seat: { kind: 'window', window: 'console' } } });
  });

  it('the wall stays a viewer with a token too; re-sends everything to a restarted service; unsubscribes a closed window', () => {
    const { ws, sent } = sessions();
    ws.open('1', 'console');
    ws.open('2', 'wall');
    expect(ws.contextFor('2', 'dispatcher-token')).toEqual({ token: 'dispatcher-token', seat: { kind: 'window', window: 'wall' }, view: 'wall' });
    sent.length = 0;
    ws.resubscribeAll();
    expect(sent.map((m) => ('subscribe' in m ? m.subscribe : null))).toEqual(['1', '2']);
    ws.close('2');
    ws.close('2');
    expect(sent.at(-1)).toEqual({ unsubscribe: '2' });
    expect(sent.filter((m) => 'unsubscribe' in m)).toHaveLength(1);
  });

  it('tokenOf takes non-empty strings of sane length only', () => {
    expect(tokenOf('abc')).toBe('abc');
    for (const bad of ['', 'x'.repeat(513), 5, null, undefined, { toString: () => 't' }]) expect(tokenOf(bad)).toBeUndefined();
  });
});
