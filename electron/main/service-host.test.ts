// The Electron host's side of the data service (issue 15) with a fake utility process
// (the Electron binary cannot be had here): a crash restarts the service with a doubling
// back-off that a healthy minute resets, a call unanswered in time becomes `unavailable`,
// and a command with an idempotency key that the dead service left unanswered is sent
// again, unchanged, to the next one (never "意外退出…请重试").
import { EventEmitter } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ServiceMessage, ServiceRequest } from '../../core/api/channels';

vi.mock('electron', () => ({ utilityProcess: { fork: () => { throw new Error('no Electron in tests'); } } }));
const { ServiceHost } = await import('./service-host');

class FakeProcess extends EventEmitter {
  readonly received: ServiceRequest[] = [];
  killed = false;
  postMessage(message: unknown): void {
    if (typeof message === 'object' && message !== null && 'method' in message) this.received.push(message as ServiceRequest);
  }
  kill(): boolean {
    this.killed = true;
    return true;
  }
  answer(id: number, result: unknown): void {
    this.emit('message', { id, response: { ok: true, result } } satisfies ServiceMessage);
  }
  crash(code = 1): void {
    this.emit('exit', code);
  }
}

let forks: FakeProcess[];
let log: string[];
const context = { seat: { kind: 'window', window: 'console' } } as const;

function host(timeoutMs = 5_000) {
  const h = new ServiceHost({
    modulePath: 'service.js',
    args: [],
    onPush: () => undefined,
    onStart: () => undefined,
    log: (line) => log.push(line),
    timeoutMs,
    fork: () => {
      const p = new FakeProcess();
      forks.push(p);
      return p;
    },
  });
  h.start();
  return h;
}

beforeEach(() => {
  vi.useFakeTimers();
  forks = [];
  log = [];
});
afterEach(() => vi.useRealTimers());

const latest = (): FakeProcess => forks.at(-1) as FakeProcess;

describe('ServiceHost', () => {
  it('relays a call and its answer by id', async () => {
    const h = host();
    const answer = h.invoke('app.info', {}, context);
    const sent = latest().received[0] as ServiceRequest;
    expect(sent).toMatchObject({ method: 'app.info', context });
    latest().answer(sent.id, 'info');
    await expect(answer).resolves.toEqual({ ok: true, result: 'info' });
  });

  it('restarts a crashed service after a doubling back-off, capped, and reset by a healthy minute', async () => {
    const h = host();
    const waits: number[] = [];
    for (let i = 0; i < 8; i++) {
      latest().crash();
      const before = forks.length;
      const wait = Number(/restarting in (\d+) ms/.exec(log.at(-1) ?? '')?.[1]);
      waits.push(wait);
      await vi.advanceTimersByTimeAsync(wait - 1);
      expect(forks.length).toBe(before);
      await vi.advanceTimersByTimeAsync(1);
      expect(forks.length).toBe(before + 1);
    }
    expect(waits).toEqual([500, 1000, 2000, 4000, 8000, 16_000, 30_000, 30_000]);
    await vi.advanceTimersByTimeAsync(60_001);
    latest().crash();
    expect(log.at(-1)).toContain('restarting in 500 ms');
    h.stop();
  });

  it('answers `unavailable` when the service does not answer in time', async () => {
    const h = host(2_000);
    const answer = h.invoke('events.list', {}, context);
    await vi.advanceTimersByTimeAsync(2_000);
    await expect(answer).resolves.toMatchObject({ ok: false, error: { code: 'unavailable', message: '数据服务没有及时应答' } });
    h.stop();
  });

  it('sends a keyed command the dead service left unanswered to the restarted one, with the same key; fails only the queries', async () => {
    const h = host(60_000);
    const command = h.invoke('event.comment', { id: 'e1', note: '已联系', idempotencyKey: 'k-host-0001' }, context);
    const query = h.invoke('events.list', {}, context);
    const first = latest();
    first.crash();
    await expect(query).resolves.toMatchObject({ ok: false, error: { code: 'unavailable' } });
    // While it restarts a new keyed command waits too.
    const later = h.invoke('event.accept', { id: 'e2', idempotencyKey: 'k-host-0002' }, context);
    await vi.advanceTimersByTimeAsync(500);
    const second = latest();
    expect(second).not.toBe(first);
    const resent = second.received.map((r) => [r.method, (r.args as { idempotencyKey: string }).idempotencyKey]);
    expect(resent).toEqual([
      ['event.comment', 'k-host-0001'],
      ['event.accept', 'k-host-0002'],
    ]);
    for (const r of second.received) second.answer(r.id, { n: r.id });
    await expect(command).resolves.toMatchObject({ ok: true });
    await expect(later).resolves.toMatchObject({ ok: true });
    h.stop();
  });

  it('tells a keyed command that timed out that its outcome is pending, not failed', async () => {
    const h = host(1_000);
    const command = h.invoke('event.comment', { id: 'e1', note: 'x', idempotencyKey: 'k-host-0003' }, context);
    await vi.advanceTimersByTimeAsync(1_000);
    const answer = await command;
    expect(answer).toMatchObject({ ok: false, error: { code: 'unavailable' } });
    expect(answer.ok ? '' : answer.error.message).toContain('待确认');
    h.stop();
  });
});
