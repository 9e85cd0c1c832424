// The service process's IPC (ipc.ts) with a session service in memory: calls with the
// window's context, one push subscription per window as its caller may see them, a
// session that ends told once, and messages handled in order once the service is open.
import { describe, expect, it } from 'vitest';
import type { ServiceMessage } from '../../core/api/channels';
import type { Channel } from './ipc';
import { serveChannel } from './ipc';
import { fakeSessions } from './test-sessions';

function channel(): { channel: Channel; sent: ServiceMessage[]; receive(message: unknown): void } {
  const sent: ServiceMessage[] = [];
  let listener: (message: unknown) => void = () => undefined;
  return {
    channel: { onMessage: (l) => (listener = l), send: (m) => sent.push(m) },
    sent,
    receive: (message) => listener(message),
  };
}

const tick = (): Promise<void> => new Promise((r) => setTimeout(r, 0));
const CONSOLE = { seat: { kind: 'window', window: 'console' } } as const;
const WALL = { seat: { kind: 'window', window: 'wall' }, view: 'wall' } as const;
const STATUS = { state: 'online', since: '2026-11-30T02:00:00.000Z', queueLength: 0, lastSyncAt: null, catchingUp: false } as const;

describe('serveChannel', () => {
  it('answers requests with the window\'s context once the service is open', async () => {
    const service = fakeSessions([{ username: 'd', password: 'p', role: 'dispatcher' }]);
    let open: (s: typeof service) => void = () => undefined;
    const c = channel();
    serveChannel(c.channel, new Promise((r) => (open = r)));
    c.receive({ id: 1, method: 'app.info', args: {}, context: CONSOLE });
    c.receive({ id: 2, method: 'events.list', args: {}, context: CONSOLE });
    c.receive({ id: 3, method: 'events.list', args: {}, context: WALL });
    c.receive({ id: 4, method: 'events.list', args: {} });
    c.receive('garbage');
    c.receive({ id: 'x', method: 'app.info' });
    await tick();
    expect(c.sent).toEqual([]);
    open(service);
    await tick();
    await tick();
    // Answered by id (a call to the service takes longer than a refusal of the context).
    expect([...c.sent].sort((a, b) => ('id' in a && 'id' in b ? a.id - b.id : 0))).toEqual([
      { id: 1, response: { ok: true, result: { version: '1', mode: 'web' } } },
      { id: 2, response: { ok: false, error: { code: 'unauthorized', message: '请先登录' } } },
      // The wall window runs as a viewer without a login.
      { id: 3, response: { ok: true, result: { method: 'events.list', role: 'viewer' } } },
      { id: 4, response: { ok: false, error: { code: 'unauthorized', message: '调用缺少来源(窗口)' } } },
    ]);
    expect(service.calls.map((call) => call.context)).toEqual([CONSOLE, CONSOLE, WALL]);
  });

  it('keeps one subscription per window, made with its context, replaced and dropped by main', async () => {
    const service = fakeSessions([{ username: 'd', password: 'p', role: 'dispatcher' }]);
    const c = channel();
    serveChannel(c.channel, Promise.resolve(service));
    c.receive({ subscribe: '1', context: CONSOLE });
    c.receive({ subscribe: '2', context: WALL });
    c.receive({ subscribe: '3', context: { seat: 'nowhere' } });
    await tick();
    // A console without a login receives nothing; the wall does.
    expect(service.subscribers).toBe(1);
    c.receive({ id: 1, method: 'auth.login', args: { username: 'd', password: 'p' }, context: CONSOLE });
    await tick();
    const token = (c.sent[0] as { response: { result: { token: string } } }).response.result.token;
    c.receive({ subscribe: '1', context: { token, ...CONSOLE } });
    c.receive({ subscribe: '1', context: { token, ...CONSOLE } });
    await tick();
    expect(service.subscribers).toBe(2);
    c.sent.length = 0;
    service.push('link.status', STATUS);
    expect(c.sent).toEqual([
      { push: { topic: 'link.status', payload: STATUS }, subscription: '2' },
      { push: { topic: 'link.status', payload: STATUS }, subscription: '1' },
    ]);
    c.receive({ unsubscribe: '2' });
    await tick();
    expect(service.subscribers).toBe(1);
  });

  it('tells a window whose session ended, once, and stops its pushes', async () => {
    const service = fakeSessions([{ username: 'd', password: 'p', role: 'dispatcher' }]);
    const c = channel();
    serveChannel(c.channel, Promise.resolve(service));
    c.receive({ id: 1, method: 'auth.login', args: { username: 'd', password: 'p' }, context: CONSOLE });
    await tick();
    const token = (c.sent[0] as { response: { result: { token: string } } }).response.result.token;
    c.receive({ subscribe: '1', context: { token, ...CONSOLE } });
    c.receive({ subscribe: '2', context: WALL });
    await tick();
    c.sent.length = 0;
    service.end(service.sessionOf(token)!.id, 'disabled');
    expect(c.sent).toEqual([{ push: { topic: 'auth.ended', payload: { reason: 'disabled', message: '会话已结束,请重新登录' } }, subscription: '1' }]);
    service.push('link.status', STATUS);
    expect(c.sent.slice(1)).toEqual([{ push: { topic: 'link.status', payload: STATUS }, subscription: '2' }]);
  });

  it('answers internal when the service breaks its promise never to throw', async () => {
    const service = fakeSessions([]);
    service.call = () => Promise.reject(new Error('broken'));
    const c = channel();
    serveChannel(c.channel, Promise.resolve(service));
    c.receive({ id: 7, method: 'app.info', args: {}, context: CONSOLE });
    await tick();
    expect(c.sent).toEqual([{ id: 7, response: { ok: false, error: { code: 'internal', message: '数据服务内部错误,请查看日志' } } }]);
  });
});
