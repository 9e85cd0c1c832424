// Passwords, hashed with scrypt (node:crypto) and a random salt per account. The
// parameters are stored with each hash, so that raising them later leaves existing
// accounts able to log in (their hash is checked with the parameters it was made with).
// Hashing runs on libuv's thread pool (async scrypt): a login never blocks the service.
import { createHash, randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

export interface ScryptParams {
  /** CPU/memory cost (a power of two). */
  N: number;
  r: number;
  p: number;
  /** Length of the derived key in bytes. */
  keylen: number;
}

/** About 0.1 s and 32 MiB per hash on the center's PCs (OWASP's floor for scrypt is N=2^17 with r=8 at 1 s budgets; 2^15 keeps logins snappy). */
export const DEFAULT_SCRYPT: ScryptParams = { N: 2 ** 15, r: 8, p: 1, keylen: 32 };

export interface StoredPassword {
  /** base64 of the derived key. */
  hash: string;
  /** base64 of 16 random bytes. */
  salt: string;
  /** JSON of the ScryptParams the hash was made with. */
  params: string;
}

const derive = (password: string, salt: Buffer, params: ScryptParams): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    const options: ScryptOptions = { N: params.N, r: params.r, p: params.p, maxmem: 256 * params.N * params.r };
    scrypt(password.normalize('NFC'), salt, params.keylen, options, (error, key) => (error ? reject(error) : resolve(key)));
  });

export async function hashPassword(password: string, params: ScryptParams = DEFAULT_SCRYPT): Promise<StoredPassword> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, params);
  return { hash: key.toString('base64'), salt: salt.toString('base64'), params: JSON.stringify(params) };
}

function parseParams(text: string): ScryptParams | null {
  try {
    const p = JSON.parse(text) as Partial<ScryptParams>;
    const ok = [p.N, p.r, p.p, p.keylen].every((v) => typeof v === 'number' && Number.isInteger(v) && v > 0);
    return ok ? (p as ScryptParams) : null;
  } catch {
    return null;
  }
}

/** Does `password` match the stored hash? Compared in constant time; a damaged record never matches. */
export async function verifyPassword(password: string, stored: StoredPassword): Promise<boolean> {
  const params = parseParams(stored.params);
  const expected = Buffer.from(stored.hash, 'base64');
  if (!params || expected.length !== params.keylen) return false;
  const key = await derive(password, Buffer.from(stored.salt, 'base64'), params);
  return timingSafeEqual(key, expected);
}

let dummy: Promise<StoredPassword> | null = null;

/**
 * Spends the time a real check takes, for a username that does not exist: a failed
 * login answers as slowly whether or not the account exists.
 */
export async function spendVerifyTime(password: string, params: ScryptParams = DEFAULT_SCRYPT): Promise<void> {
  dummy ??= hashPassword(randomBytes(12).toString('base64'), params);
  await verifyPassword(password, await dummy);
}

/** A secret made for a person or a screen: `bytes` random bytes, base64url. */
export const randomSecret = (bytes = 32): string => randomBytes(bytes).toString('base64url');

/** How tokens and one-time codes are stored: their SHA-256, hex (they are random, so no salt is needed). */
export const sha256Hex = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');
