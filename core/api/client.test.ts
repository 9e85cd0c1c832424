import { describe, expect, it } from 'vitest';
import { ApiCallError, createClient } from './client';
import type { Invoke, Subscribe } from './client';
import type { ApiResponse, PushTopic } from './contract';

const department = { id: 'd-1', name: '综治中心', categories: ['01'] };

function recordingInvoke(answer: (method: string, args: unknown) => unknown) {
  const calls: Array<[string, unknown]> = [];
  const invoke: Invoke = async (method, args) => {
    calls.push([method, args]);
    return answer(method, args) as ApiResponse;
  };
  return { invoke, calls };
}

describe('createClient().call', () => {
  it('sends the method and args, and returns the validated result', async () => {
    const { invoke, calls } = recordingInvoke(() => ({ ok: true, result: [department] }));
    const client = createClient(invoke);
    await expect(client.call('departments.list')).resolves.toEqual([department]);
    expect(calls).toEqual([['departments.list', {}]]);
  });

  it('refuses bad args before sending anything', async () => {
    const { invoke, calls } = recordingInvoke(() => ({ ok: true, result: null }));
    const client = createClient(invoke);
    await expect(client.call('events.get', { id: '' })).rejects.toMatchObject({ code: 'invalid', method: 'events.get' });
    expect(calls).toHaveLength(0);
  });

  it('raises the service error as an ApiCallError', async () => {
    const { invoke } = recordingInvoke(() => ({ ok: false, error: { code: 'forbidden', message: '只读账号不能执行操作' } }));
    const error = await createClient(invoke).call('link.status').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiCallError);
    expect(error).toMatchObject({ code: 'forbidden', message: '只读账号不能执行操作' });
  });

  it('refuses a result that breaks the contract', async () => {
    const { invoke } = recordingInvoke(() => ({ ok: true, result: [{ id: 'd-1' }] }));
    await expect(createClient(invoke).call('departments.list')).rejects.toMatchObject({ code: 'internal' });
  });

  it('refuses a malformed response', async () => {
    const { invoke } = recordingInvoke(() => ({ result: [] }));
    await expect(createClient(invoke).call('departments.list')).rejects.toMatchObject({ code: 'internal' });
  });

  it('turns a transport failure into "unavailable"', async () => {
    const invoke: Invoke = () => Promise.reject(new Error('socket closed'));
    const error = await createClient(invoke).call('app.info').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'unavailable' });
    expect((error as Error).message).toContain('socket closed');
  });
});

describe('createClient() and a lost session', () => {
  const unauthorized = { ok: false, error: { code: 'unauthorized', message: '请先登录' } };

  it('reports an unauthorized answer of a method that needs a session', async () => {
    const lost: string[] = [];
    const client = createClient(async () => unauthorized as ApiResponse, { onUnauthorized: (method) => lost.push(method) });
    await expect(client.call('link.status')).rejects.toMatchObject({ code: 'unauthorized' });
    expect(lost).toEqual(['link.status']);
  });

  it('does not report a refused login (a wrong password is not a lost session)', async () => {
    const lost: string[] = [];
    const client = createClient(async () => unauthorized as ApiResponse, { onUnauthorized: (method) => lost.push(method) });
    await expect(client.call('auth.login', { username: 'admin', password: 'x' })).rejects.toMatchObject({ code: 'unauthorized' });
    expect(lost).toEqual([]);
  });

  it('does not report other refusals', async () => {
    const lost: string[] = [];
    const forbidden = { ok: false, error: { code: 'forbidden', message: '无权' } } as ApiResponse;
    const client = createClient(async () => forbidden, { onUnauthorized: (method) => lost.push(method) });
    await expect(client.call('link.status')).rejects.toMatchObject({ code: 'forbidden' });
    expect(lost).toEqual([]);
  });
});

describe('createClient().on', () => {
  it('delivers valid payloads and drops invalid ones with a report', () => {
    const listeners = new Map<PushTopic, (payload: unknown) => void>();
    const subscribe: Subscribe = (topic, listener) => {
      listeners.set(topic, listener);
      return () => listeners.delete(topic);
    };
    const dropped: string[] = [];
    const client = createClient(async () => ({ ok: true, result: null }), {
      subscribe,
      onDropped: (topic, error) => dropped.push(`${topic}:${error.code}`),
    });
    const received: unknown[] = [];
    const off = client.on('entities.changed', (payload) => received.push(payload.types));

    listeners.get('entities.changed')?.({ types: ['grid'] });
    listeners.get('entities.changed')?.({ types: ['planet'] });
    expect(received).toEqual([['grid']]);
    expect(dropped).toEqual(['entities.changed:invalid']);

    off();
    expect(listeners.has('entities.changed')).toBe(false);
  });

  it('is a no-op without a subscribe function', () => {
    const client = createClient(async () => ({ ok: true, result: null }));
    const off = client.on('link.status', () => undefined);
    expect(off()).toBeUndefined();
  });
});
