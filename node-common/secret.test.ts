import { describe, expect, it } from 'vitest';
import { sameSecret } from './secret';

describe('sameSecret', () => {
  it('is true for the same string only', () => {
    expect(sameSecret('full-token-0000', 'full-token-0000')).toBe(true);
    expect(sameSecret('full-token-000', 'full-token-0000')).toBe(false);
    expect(sameSecret('full-token-0001', 'full-token-0000')).toBe(false);
    expect(sameSecret('', 'x')).toBe(false);
  });

  it('compares bytes, not UTF-16 units: a look-alike of the same length is refused', () => {
    expect(sameSecret('令牌', '令牌')).toBe(true);
    expect(sameSecret('令牌', '令箭')).toBe(false);
  });
});
