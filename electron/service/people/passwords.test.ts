import { describe, expect, it } from 'vitest';
import { DEFAULT_SCRYPT, hashPassword, randomSecret, sha256Hex, verifyPassword } from './passwords';
import { FAST_SCRYPT } from './test-people';

describe('passwords (scrypt, a salt per hash)', () => {
  it('verifies the password it hashed, with the production parameters, and nothing else', async () => {
    const stored = await hashPassword('Grid-deck-2026');
    expect(JSON.parse(stored.params)).toEqual(DEFAULT_SCRYPT);
    expect(Buffer.from(stored.salt, 'base64')).toHaveLength(16);
    expect(Buffer.from(stored.hash, 'base64')).toHaveLength(DEFAULT_SCRYPT.keylen);
    expect(await verifyPassword('Grid-deck-2026', stored)).toBe(true);
    expect(await verifyPassword('grid-deck-2026', stored)).toBe(false);
    expect(await verifyPassword('', stored)).toBe(false);
  });

  it('salts every hash: the same password twice gives two hashes', async () => {
    const a = await hashPassword('Grid-deck-2026', FAST_SCRYPT);
    const b = await hashPassword('Grid-deck-2026', FAST_SCRYPT);
    expect(a.salt).not.toBe(b.salt);
    expect(a.hash).not.toBe(b.hash);
  });

  it('checks a hash with the parameters it was made with, and never matches a damaged record', async () => {
    const stored = await hashPassword('Grid-deck-2026', FAST_SCRYPT);
    expect(await verifyPassword('Grid-deck-2026', stored)).toBe(true);
    expect(await verifyPassword('Grid-deck-2026', { ...stored, params: 'not json' })).toBe(false);
    expect(await verifyPassword('Grid-deck-2026', { ...stored, params: JSON.stringify({ ...FAST_SCRYPT, keylen: 16 }) })).toBe(false);
    expect(await verifyPassword('Grid-deck-2026', { ...stored, hash: '' })).toBe(false);
  });

  it('makes random secrets and hashes tokens with SHA-256', () => {
    expect(randomSecret()).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(randomSecret()).not.toBe(randomSecret());
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});
