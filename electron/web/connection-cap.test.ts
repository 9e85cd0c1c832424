import { describe, expect, it } from 'vitest';
import { ConnectionCap } from './connection-cap';

describe('ConnectionCap', () => {
  it('admits an address until it holds the cap, and again once one closes', () => {
    const cap = new ConnectionCap(2);
    expect(cap.admits('10.0.0.5')).toBe(true);
    cap.opened('10.0.0.5');
    cap.opened('10.0.0.5');
    expect(cap.admits('10.0.0.5')).toBe(false);
    expect(cap.admits('10.0.0.6')).toBe(true);
    cap.closed('10.0.0.5');
    expect(cap.count('10.0.0.5')).toBe(1);
    expect(cap.admits('10.0.0.5')).toBe(true);
    cap.closed('10.0.0.5');
    cap.closed('10.0.0.5');
    expect(cap.count('10.0.0.5')).toBe(0);
  });

  it('refuses a cap that admits no one', () => {
    for (const bad of [0, -1, 1.5, Number.NaN]) expect(() => new ConnectionCap(bad), String(bad)).toThrow(/positive integer/);
  });
});
