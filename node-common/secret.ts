// Comparing a presented token with the expected one (the web shell's access tokens, the
// county's token of a town).
import { timingSafeEqual } from 'node:crypto';

/**
 * True when both strings are the same, in a time that does not depend on where they
 * first differ (a plain === leaks, byte by byte, how much of a guess was right). The
 * length still shows; tokens are of a fixed length anyway.
 */
export function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
