// Towns' tokens as the hub keeps them: never in clear, only as a scrypt record
// (`scrypt$N$r$p$<salt>$<key>`, base64url, a fresh 16-byte salt per token), checked in
// constant time. Why scrypt rather than a salted SHA-256: the tokens the hub issues
// (`npm run hub -- token issue`) are 256 random bits, for which a salted SHA-256 would be
// enough; but a token file may hold tokens an operator chose (and the migration of the
// clear tokens kept before brought those in), and against a stolen database a memory-hard
// hash is what keeps a guessable token from being found offline. Its cost (tens of ms)
// is paid once per town and process: a verified token is remembered in memory by its
// SHA-256 beside the record it matched, so a town's reconnects, or twenty towns after a
// restart, cost a hash each, and a rotated record is never matched by the old entry.
import { createHash, randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { KeyedBuckets } from '../../node-common/token-bucket';
import type { TokenCheck } from './store';

/** scrypt's parameters for new records (Node's defaults: 16 MB, tens of ms); a record carries its own. */
const PARAMS = { N: 16_384, r: 8, p: 1 } as const;
const KEY_BYTES = 32;
const SALT_BYTES = 16;

function scrypt(secret: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scryptCb(secret, salt, KEY_BYTES, { ...options, maxmem: 64 * 1024 * 1024 }, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

/** A new token for a town: 256 random bits, URL-safe (43 characters). */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** A new token's id for the admin listing (random: nothing of the token shows). */
export function newTokenId(): string {
  return randomBytes(4).toString('hex');
}

/** The stored record of a token. */
export async function hashToken(token: string): Promise<string> {
  if (token === '') throw new Error('a token cannot be empty');
  const salt = randomBytes(SALT_BYTES);
  const key = await scrypt(token, salt, PARAMS);
  return ['scrypt', PARAMS.N, PARAMS.r, PARAMS.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/** Whether `token` is the one `record` was made from; false for a record this hub cannot read. */
export async function verifyToken(token: string, record: string): Promise<boolean> {
  const m = /^scrypt\$(\d{1,7})\$(\d{1,3})\$(\d{1,3})\$([\w-]{16,64})\$([\w-]{16,128})$/.exec(record);
  if (!m) return false;
  const [N, r, p] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const expected = Buffer.from(m[5]!, 'base64url');
  if (expected.length !== KEY_BYTES || N < 2 || (N & (N - 1)) !== 0) return false;
  const key = await scrypt(token, Buffer.from(m[4]!, 'base64url'), { N, r, p });
  return timingSafeEqual(key, expected);
}

const digest = (token: string): Buffer => createHash('sha256').update(token).digest();

/**
 * Verifies tokens against records, remembering (per key: a town, or the default) the
 * SHA-256 of the last token that matched and the record it matched: the next check of
 * the same token against the same record is a hash and a constant-time compare.
 */
export class TokenVerifier {
  private readonly known = new Map<string, { record: string; digest: Buffer }>();
  /**
   * scrypt checks per key: a burst of 5, then one every 10 s. Each wrong token costs
   * 50-150 ms of CPU; past the budget a wrong or unknown token is refused without one,
   * so a stream of guesses cannot keep the hub's cores busy. A town whose token is
   * remembered is never held back; one with a cold memory (after a restart or a
   * rotation) meets the limit only while someone floods its own code with guesses.
   */
  private readonly attempts: KeyedBuckets;

  constructor(options: { now?: () => number } = {}) {
    this.attempts = new KeyedBuckets({ burst: 5, ratePerSecond: 0.1, ...(options.now ? { now: options.now } : {}) });
  }

  async check(key: string, token: string, record: string): Promise<boolean> {
    const given = digest(token);
    const hit = this.known.get(key);
    if (hit && hit.record === record && timingSafeEqual(hit.digest, given)) return true;
    if (!this.attempts.take(key)) return false;
    if (!(await verifyToken(token, record))) return false;
    this.attempts.refund(key);
    this.known.set(key, { record, digest: given });
    return true;
  }
}

/** What the token gate reads of the store (HubStore). */
export interface TokenStore {
  tokenOf(town: string): Promise<TokenCheck | null>;
  tokensOf(towns: readonly string[]): Promise<Map<string, TokenCheck>>;
  setTownToken(town: string, record: string | null, id: string | null): Promise<boolean>;
  setDefaultToken(record: string): Promise<void>;
  defaultToken(): Promise<string | null>;
  hasTown(town: string): Promise<boolean>;
}

export type Refusal = { code: 'unauthorized' | 'unknown-town'; message: string };

/**
 * A town's handshake: an unknown town is `unknown-town` (town codes are public); a revoked
 * token is refused; a town's own token, else the county-wide one, must match; a town with
 * neither is admitted only while the hub has never been given a token (the embedded demo).
 */
export async function admitTown(store: TokenStore, verifier: TokenVerifier, town: string, token: string, admitted?: (t: TokenCheck) => void): Promise<Refusal | null> {
  const t = await store.tokenOf(town);
  if (t === null) return { code: 'unknown-town', message: `town ${town} is not served here` };
  const refused: Refusal = { code: 'unauthorized', message: 'token refused' };
  let ok: boolean;
  if (t.state === 'revoked') ok = false;
  else if (t.record !== null) ok = await verifier.check(`town/${town}`, token, t.record);
  else if (t.fallback !== null) ok = await verifier.check('default', token, t.fallback);
  else ok = !t.required;
  if (!ok) return refused;
  admitted?.(t);
  return null;
}

/** What a town was admitted by: a change (issued, rotated, revoked, a new county-wide token) changes it. */
export function tokenStamp(t: TokenCheck): string {
  return `${t.state}|${t.record ?? ''}|${t.fallback ?? ''}|${t.required}`;
}

/**
 * The connections of a town stay only while what admitted them holds: every poll, the
 * towns connected here whose token changed since (issued, rotated, revoked) are dropped,
 * and their next handshake is checked against the new token.
 */
export class TokenWatch {
  private readonly seen = new Map<string, string>();
  private busy = false;

  /** A town admitted with `t` (the first stamp of a town sticks until the watch sees it change). */
  admitted(town: string, t: TokenCheck): void {
    if (!this.seen.has(town)) this.seen.set(town, tokenStamp(t));
  }

  /** The connected towns whose token changed since they were admitted. */
  async changed(store: Pick<TokenStore, 'tokensOf'>, connected: readonly string[]): Promise<string[]> {
    for (const town of this.seen.keys()) if (!connected.includes(town)) this.seen.delete(town);
    if (this.seen.size === 0 || this.busy) return [];
    this.busy = true;
    let now: Map<string, TokenCheck>;
    try {
      now = await store.tokensOf([...this.seen.keys()]);
    } finally {
      this.busy = false;
    }
    const out: string[] = [];
    for (const [town, stamp] of this.seen) {
      const t = now.get(town);
      const current = t === undefined ? 'gone' : tokenStamp(t);
      if (current === stamp) continue;
      this.seen.set(town, current);
      out.push(town);
    }
    return out;
  }
}

/** The token file, as `--token-file` gives it (index.ts parseTokenFile). */
export interface TokenFile {
  all: string | null;
  byTown: ReadonlyMap<string, string>;
}

/**
 * The token file's tokens into the store, as records: the one token as the county-wide
 * default, or each listed town's own (replacing what the database held for it: the file is
 * the operator's word at start). A token the database already holds is left as it is.
 */
export async function loadTokenFile(store: TokenStore, file: TokenFile, log: (line: string) => void): Promise<void> {
  if (file.all !== null) {
    const kept = await store.defaultToken();
    if (kept === null || !(await verifyToken(file.all, kept))) {
      await store.setDefaultToken(await hashToken(file.all));
      log('county hub: the county-wide token set from the token file');
    }
  }
  for (const [town, token] of file.byTown) {
    const t = await store.tokenOf(town);
    if (t === null) {
      log(`county hub: the token file names town ${town}, which is not served here`);
      continue;
    }
    if (t.record !== null && (await verifyToken(token, t.record))) continue;
    await store.setTownToken(town, await hashToken(token), newTokenId());
    log(`county hub: the token of town ${town} set from the token file${t.state === 'none' ? '' : ` (it replaces the ${t.state} one)`}`);
  }
}
