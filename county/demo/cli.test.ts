import { afterEach, describe, expect, it, vi } from 'vitest';
import { cliArgs, seedFlag } from './cli';

describe('the demo generators’ command lines', () => {
  afterEach(() => {
    process.exitCode = undefined;
    vi.restoreAllMocks();
  });

  it('reads a seed, negative ones too, and refuses anything else', () => {
    expect(seedFlag(undefined, 7)).toBe(7);
    expect(seedFlag('-5', 7)).toBe(-5);
    expect(() => seedFlag('abc', 7)).toThrow(/bad --seed: abc/);
  });

  it('prints the usage and sets exit code 2 on a bad flag', () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    expect(cliArgs('gen-x [--seed N]', () => { throw new Error('unknown option: --y'); }, [])).toBeNull();
    expect(process.exitCode).toBe(2);
    expect(error.mock.calls[0]?.[0]).toMatch(/unknown option: --y\nusage: gen-x/);
    expect(cliArgs('gen-x', (argv) => argv.length, ['a'])).toBe(1);
  });
});
