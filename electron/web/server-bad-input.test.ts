// The web shell answers every call and stays up: before, invoke({ toString: 1 }, …)
// threw inside the async socket handler (String() of that object), an unhandled
// rejection that ends a Node process. Found by the fuzz suite (tests/fuzz/hostile-api.test.ts).
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SOCKET } from '../../core/api/channels';
import type { ApiResponse } from '../../core/api/contract';
import type { ShellService } from './api';
import { startWebServer, type WebServer } from './server';

const rejections: unknown[] = [];
const onRejection = (e: unknown): number => rejections.push(e);
let server: WebServer;
let socket: Socket;

// A service that breaks its promise never to throw: the shell must still answer.
const service: ShellService = {
  call: async (method) => {
    if (method === 'app.info') throw new Error('a broken service');
    return { ok: true, result: [] };
  },
  resolve: () => null,
  onSessionEnded: () => () => undefined,
  subscribe: () => () => undefined,
};

beforeAll(async () => {
  process.on('unhandledRejection', onRejection);
  server = await startWebServer({ service, port: 0, host: '127.0.0.1', rendererDir: '/nonexistent' });
  socket = io(`${server.url}${SOCKET.namespace}`, { transports: ['websocket'], reconnection: false, forceNew: true });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
});

afterAll(async () => {
  socket.close();
  await server.close();
  process.off('unhandledRejection', onRejection);
});

const invoke = (method: unknown, args?: unknown): Promise<ApiResponse> => socket.timeout(5000).emitWithAck(SOCKET.invoke, method, args) as Promise<ApiResponse>;

describe('web shell: hostile method names', () => {
  it('answers unknown-method for a method name String() cannot convert, and stays up', async () => {
    expect(await invoke({ toString: 1 }, {})).toEqual({ ok: false, error: { code: 'unknown-method', message: '未知的方法:(object)' } });
    expect(await invoke([{ toString: 1 }], {})).toEqual({ ok: false, error: { code: 'unknown-method', message: '未知的方法:(object)' } });
    expect(await invoke('grids.list', {})).toEqual({ ok: true, result: [] });
    expect(rejections).toEqual([]);
  });

  it('answers internal when the service throws, instead of leaving a rejected promise', async () => {
    expect(await invoke('app.info', {})).toEqual({ ok: false, error: { code: 'internal', message: '数据服务内部错误,请查看日志' } });
    expect(await invoke('grids.list', {})).toMatchObject({ ok: true });
    expect(rejections).toEqual([]);
  });
});
