// Idempotent commands (issue 15): every command a screen sends carries a key the client
// made, `idempotencyKey`, beside its own arguments. The data service answers a repeated
// key with the first answer and changes nothing, so a client that lost an answer (a
// dropped socket, a timeout, a service that died) sends the same command again with the
// same key and learns what happened instead of applying it twice. Written once here:
// the client adds the key, the service's dispatcher takes it off before it checks the
// command's own (strict) arguments.
import * as z from 'zod';

/** The top-level field of a command's arguments that carries the key. */
export const IDEMPOTENCY_FIELD = 'idempotencyKey';

/** A key as a client makes it: 8-128 characters of letters, digits and `-_:.` (a UUID fits). */
export const IdempotencyKeySchema = z.string().regex(/^[\w:.-]{8,128}$/, '指令编号格式无效');

/** How long the service keeps a key's first answer: a client retries within minutes, a day is ample. */
export const IDEMPOTENCY_TTL_MS = 24 * 3_600_000;

/** A new key: 128 random bits as hex (crypto.getRandomValues works outside secure contexts, randomUUID does not). */
export function newIdempotencyKey(): string {
  const bytes = new Uint8Array(16);
  const crypto = (globalThis as { crypto?: { getRandomValues(a: Uint8Array): Uint8Array } }).crypto;
  if (crypto) crypto.getRandomValues(bytes);
  else for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(Math.random() * 256);
  return `k-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

/** The arguments with the key added (the caller's object is not changed). */
export function withIdempotencyKey(args: unknown, key: string): Record<string, unknown> {
  const base = typeof args === 'object' && args !== null && !Array.isArray(args) ? (args as Record<string, unknown>) : {};
  return { ...base, [IDEMPOTENCY_FIELD]: key };
}

export type SplitKey = { ok: true; key: string | null; args: unknown } | { ok: false; message: string };

/**
 * The key taken off a command's arguments: `key` null when there is none (the arguments
 * unchanged), the rest of the arguments otherwise; a malformed key is refused.
 */
export function splitIdempotencyKey(args: unknown): SplitKey {
  if (typeof args !== 'object' || args === null || Array.isArray(args) || !Object.hasOwn(args, IDEMPOTENCY_FIELD)) return { ok: true, key: null, args };
  const { [IDEMPOTENCY_FIELD]: raw, ...rest } = args as Record<string, unknown>;
  const key = IdempotencyKeySchema.safeParse(raw);
  if (!key.success) return { ok: false, message: `参数 ${IDEMPOTENCY_FIELD}:指令编号格式无效(8-128 个字母、数字或 -_:.)` };
  return { ok: true, key: key.data, args: rest };
}

/** What the client tells a screen while a command's outcome is not known (code `pending`). */
export const PENDING_MESSAGE = '指令结果待确认:与数据服务的连接中断,恢复后会用同一指令编号自动重发,不会重复办理;请勿重复操作。';
