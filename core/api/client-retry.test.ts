// The client's side of idempotent commands (issue 15): keys on commands, `pending` while
// an answer is lost, the same key sent again after a reconnect or a wait, a second click
// joined to the first, and "applied once" counted by a fake service that honours keys.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ApiResponse } from './contract';
import type { Invoke, SettledCommand } from './client';
import { createClient } from './client';
import { PENDING_MESSAGE } from './idempotency';

/** A service that applies each key once, and a network between that can lose requests or answers. */
function fakeService() {
  const answers = new Map<string, ApiResponse>();
  const keys: (string | undefined)[] = [];
  let applied = 0;
  let network: 'up' | 'lose-request' | 'lose-answer' | 'service-died' = 'up';
  const invoke: Invoke = async (method, args) => {
    const key = (args as { idempotencyKey?: string }).idempotencyKey;
    keys.push(key);
    if (network === 'lose-request') throw new Error('socket closed');
    if (network === 'service-died') return { ok: false, error: { code: 'unavailable', message: '数据服务意外退出,正在重启' } };
    if (method !== 'view.share') return { ok: true, result: [] };
    let answer = key ? answers.get(key) : undefined;
    if (!answer) {
      applied++;
      // view.share answers null for a stopped share: a command whose result the contract lets a fake give simply.
      answer = { ok: true, result: null };
      if (key) answers.set(key, answer);
    }
    if (network === 'lose-answer') throw new Error('operation has timed out');
    return answer;
  };
  return {
    invoke,
    keys,
    applied: () => applied,
    set: (state: typeof network) => {
      network = state;
    },
  };
}

let reconnect: (() => void) | null;
const onReconnect = (listener: () => void): (() => void) => {
  reconnect = listener;
  return () => (reconnect = null);
};
beforeEach(() => {
  reconnect = null;
  vi.useFakeTimers();
});
afterEach(() => vi.useRealTimers());

const share = { view: null, by: '调度台' };

describe('idempotent commands in the client', () => {
  it('sends a key with every command and none with a query', async () => {
    const s = fakeService();
    const client = createClient(s.invoke, { newKey: () => 'k-test-0001' });
    await client.call('view.share', share);
    await client.call('departments.list');
    expect(s.keys).toEqual(['k-test-0001', undefined]);
  });

  it('says pending (never "failed, try again") when the answer is lost, and learns the outcome after a reconnect with the same key', async () => {
    const s = fakeService();
    const client = createClient(s.invoke, { onReconnect });
    const settled: SettledCommand[] = [];
    client.onCommands((c) => c.settled && settled.push(c.settled));
    s.set('lose-answer');
    const error = await client.call('view.share', share).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'pending', message: PENDING_MESSAGE });
    expect((error as Error).message).not.toMatch(/失败|请重试/);
    expect(client.pendingCommands()).toMatchObject([{ method: 'view.share', attempts: 1 }]);
    s.set('up');
    reconnect?.();
    await vi.advanceTimersByTimeAsync(0);
    expect(settled).toMatchObject([{ status: 'answered', response: { ok: true, result: null } }]);
    expect(client.pendingCommands()).toEqual([]);
    expect(s.applied()).toBe(1);
    expect(new Set(s.keys).size).toBe(1);
  });

  it('joins a second click on the same command to the pending one: applied once', async () => {
    const s = fakeService();
    const client = createClient(s.invoke, { onReconnect });
    s.set('lose-answer');
    await expect(client.call('view.share', share)).rejects.toMatchObject({ code: 'pending' });
    s.set('up');
    await expect(client.call('view.share', share)).resolves.toBeNull();
    expect(s.applied()).toBe(1);
    expect(client.pendingCommands()).toEqual([]);
    // Once settled, the same command again is a new one.
    await expect(client.call('view.share', share)).resolves.toBeNull();
    expect(s.applied()).toBe(2);
  });

  it('sends again with a doubling wait while the service is down, and stops after giving up', async () => {
    const s = fakeService();
    const client = createClient(s.invoke, { retry: { firstMs: 1000, maxMs: 4000, giveUpMs: 20_000 } });
    const settled: SettledCommand[] = [];
    client.onCommands((c) => c.settled && settled.push(c.settled));
    s.set('service-died');
    await expect(client.call('view.share', share)).rejects.toMatchObject({ code: 'pending' });
    const attempts = (): number => client.pendingCommands()[0]?.attempts ?? -1;
    await vi.advanceTimersByTimeAsync(999);
    expect(attempts()).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(attempts()).toBe(2);
    await vi.advanceTimersByTimeAsync(2000);
    expect(attempts()).toBe(3);
    await vi.advanceTimersByTimeAsync(4000);
    expect(attempts()).toBe(4);
    await vi.advanceTimersByTimeAsync(4000);
    expect(attempts()).toBe(5);
    await vi.advanceTimersByTimeAsync(20_000);
    expect(settled).toMatchObject([{ status: 'unknown', method: 'view.share' }]);
    expect(client.pendingCommands()).toEqual([]);
    expect(new Set(s.keys).size).toBe(1);
    expect(s.applied()).toBe(0);
  });

  it('counts a request that never arrived once it arrives', async () => {
    const s = fakeService();
    const client = createClient(s.invoke, { onReconnect });
    s.set('lose-request');
    await expect(client.call('view.share', share)).rejects.toMatchObject({ code: 'pending' });
    expect(s.applied()).toBe(0);
    s.set('up');
    await vi.advanceTimersByTimeAsync(1000);
    expect(s.applied()).toBe(1);
    expect(client.pendingCommands()).toEqual([]);
  });
});
