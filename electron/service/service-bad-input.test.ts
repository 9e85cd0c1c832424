// handle() never throws, whatever a caller sends: before, a method name such as
// `{ toString: 1 }` made String() throw inside the dispatcher's own error path, so the
// promise rejected (and the web shell, which awaited it in a socket handler, died of
// an unhandled rejection). Found by the fuzz suite (tests/fuzz/hostile-api.test.ts).
import { describe, expect, it } from 'vitest';
import type { Handlers } from './service';
import { createDispatcher, createUnavailableService } from './service';

const handlers = {
  'events.get': ({ id }: { id: string }) => (id === 'boom' ? (() => { throw new Error('a bug'); })() : null),
} as unknown as Handlers;

describe('createDispatcher with hostile method names and arguments', () => {
  it('answers unknown-method for names of any type, without throwing', async () => {
    const errors: string[] = [];
    const handle = createDispatcher(handlers, { error: (m) => errors.push(m) });
    for (const method of [{ toString: 1 }, { toString: 1, valueOf: 1 }, Symbol('events.get'), null, undefined, 7, ['events.get']]) {
      await expect(handle(method as unknown as string, {})).resolves.toEqual({ ok: false, error: { code: 'unknown-method', message: `未知的方法:(${typeof method})` } });
    }
    expect(errors).toEqual([]);
  });

  it('answers invalid for arguments that throw when read, internal (logged) for a failing handler', async () => {
    const errors: string[] = [];
    const handle = createDispatcher(handlers, { error: (m) => errors.push(m) });
    const getter = {
      get id(): string {
        throw new Error('boom');
      },
    };
    await expect(handle('events.get', getter)).resolves.toMatchObject({ ok: false, error: { code: 'invalid' } });
    await expect(handle('events.get', { id: 'boom' })).resolves.toMatchObject({ ok: false, error: { code: 'internal' } });
    expect(errors).toEqual(['[service] events.get failed']);
  });

  it('the unavailable service answers names of any type too', async () => {
    const service = createUnavailableService('演示数据无法使用');
    await expect(service.handle({ toString: 1 } as unknown as string, {})).resolves.toMatchObject({ ok: false, error: { code: 'unknown-method' } });
    await expect(service.handle('app.info', {})).resolves.toEqual({ ok: false, error: { code: 'unavailable', message: '演示数据无法使用' } });
  });
});
