// validateArgs answers whatever an in-process caller passes: a method name that is not
// a string (String() of `{ toString: 1 }` throws), arguments whose getter or proxy
// throws. Found by the fuzz suite (tests/fuzz/hostile-api.test.ts).
import { describe, expect, it } from 'vitest';
import { methodLabel, validateArgs } from './validate';

describe('validateArgs with values no transport carries', () => {
  it('labels any method name without throwing', () => {
    expect(methodLabel('events.list')).toBe('events.list');
    expect(methodLabel('x'.repeat(100))).toBe('x'.repeat(80));
    expect(methodLabel({ toString: 1 })).toBe('(object)');
    expect(methodLabel(Symbol('m'))).toBe('(symbol)');
    expect(methodLabel(undefined)).toBe('(undefined)');
  });

  it('refuses an unknown method of any type as unknown-method', () => {
    for (const method of [{ toString: 1 }, { toString: () => 'events.list' }, Symbol('x'), 7, null, ['events.list']]) {
      const checked = validateArgs(method as unknown as string, {});
      expect(checked).toEqual({ ok: false, error: { code: 'unknown-method', message: `未知的方法:(${typeof method})` } });
    }
  });

  it('refuses arguments that throw when read as invalid', () => {
    const getter = {
      get id(): string {
        throw new Error('boom');
      },
    };
    const proxy = new Proxy(
      {},
      {
        ownKeys: () => {
          throw new Error('boom');
        },
      },
    );
    expect(validateArgs('events.get', getter)).toEqual({ ok: false, error: { code: 'invalid', message: '参数无效:参数无法读取' } });
    expect(validateArgs('events.list', proxy)).toMatchObject({ ok: false, error: { code: 'invalid' } });
  });
});
