// The typed client of the app API, independent of the transport: the renderer
// gives it the Electron bridge or a Socket.IO connection; tests give it a
// function. Arguments are checked before sending (a view's mistake shows at
// once, with the path) and results are checked on arrival (a service's
// mistake never reaches a view as a half-formed object).
//
// Commands are idempotent (issue 15, core/api/idempotency.ts): each carries a key the
// client made. When its answer is lost (the transport failed or timed out, the service
// answered `unavailable` because it died or restarts) nobody knows whether it was
// applied: the call fails with code `pending` (待确认, never "failed, try again") and the
// client keeps sending it with the same key, at once when the transport reconnects and
// with a doubling wait meanwhile, until an answer comes; the service answers a key it
// knows with its first answer. The same command called again while it is pending (a
// second click) goes out under the same key.
import type { ApiError, ApiResponse, MethodName, PayloadOf, PushTopic, ResultOf } from './contract';
import { ApiResponseSchema, PUBLIC_METHODS, PUSH_TOPICS } from './contract';
import { PENDING_MESSAGE, newIdempotencyKey, withIdempotencyKey } from './idempotency';
import { isCommand } from './contract';
import type { ArgsTuple } from './validate';
import { check, validateArgs, validateResult } from './validate';

export type Invoke = (method: MethodName, args: unknown) => Promise<ApiResponse>;
/** Subscribes to one push topic; returns the unsubscribe function. */
export type Subscribe = (topic: PushTopic, listener: (payload: unknown) => void) => () => void;

/** A failed call, with the contract's error code and a Chinese message for the operator. */
export class ApiCallError extends Error implements ApiError {
  readonly code: ApiError['code'];
  readonly method: string;

  constructor(method: string, error: ApiError) {
    super(error.message);
    this.name = 'ApiCallError';
    this.code = error.code;
    this.method = method;
  }
}

export interface ApiClient {
  call<M extends MethodName>(method: M, ...args: ArgsTuple<M>): Promise<ResultOf<M>>;
  /** Listens to a push topic; payloads that do not match the contract are dropped (and reported). */
  on<T extends PushTopic>(topic: T, listener: (payload: PayloadOf<T>) => void): () => void;
  /** The commands whose outcome is not known yet (being sent again), oldest first. */
  pendingCommands(): readonly PendingCommand[];
  /** Told when that list changes, and with each pending command's outcome once it is known. */
  onCommands(listener: (change: CommandsChange) => void): () => void;
}

/** A command sent, whose answer was lost: it is sent again under the same key until one comes. */
export interface PendingCommand {
  key: string;
  method: MethodName;
  args: unknown;
  /** When it was first sent (epoch ms), and how often. */
  since: number;
  attempts: number;
}

/** What became of a pending command: answered (applied or refused), or given up without an answer. */
export type SettledCommand =
  | { key: string; method: MethodName; status: 'answered'; response: ApiResponse }
  | { key: string; method: MethodName; status: 'unknown' };

export interface CommandsChange {
  pending: readonly PendingCommand[];
  settled: SettledCommand | null;
}

export interface RetryOptions {
  /** The first wait before a command is sent again, doubled after each attempt up to maxMs. */
  firstMs: number;
  maxMs: number;
  /** After this long without an answer the client stops (the service keeps keys a day): the outcome stays unknown. */
  giveUpMs: number;
}

export const DEFAULT_RETRY: RetryOptions = { firstMs: 1_000, maxMs: 15_000, giveUpMs: 10 * 60_000 };

export interface ClientOptions {
  subscribe?: Subscribe;
  /** Where dropped push payloads are reported; silent by default. */
  onDropped?: (topic: PushTopic, error: ApiError) => void;
  /**
   * A method that needs a session answered `unauthorized`: the session the client
   * presented is gone (expired, logged out elsewhere, revoked). The renderer returns
   * to its login screen. Not called for the public methods (a wrong password is not
   * a lost session).
   */
  onUnauthorized?: (method: MethodName, error: ApiError) => void;
  /** The transport connected again: pending commands are sent again at once. */
  onReconnect?: (listener: () => void) => () => void;
  retry?: Partial<RetryOptions>;
  /** Makes the commands' keys (tests); random by default. */
  newKey?: () => string;
  /** Epoch ms (tests); Date.now by default. */
  now?: () => number;
}

/** The host's timers (core is typed without DOM or Node: both have these two). */
type TimerHandle = { readonly __timer: unique symbol };
const timers = globalThis as unknown as { setTimeout(fn: () => void, ms: number): TimerHandle; clearTimeout(handle: TimerHandle): void };

type Entry = PendingCommand & { fingerprint: string; delay: number; timer: TimerHandle | null; inFlight: Promise<ApiResponse | null> | null };

/** A lost answer: the transport failed, or the service could not say (it died, restarts, timed out). */
const outcomeUnknown = (response: ApiResponse | null): boolean => response === null || (!response.ok && response.error.code === 'unavailable');

export function createClient(invoke: Invoke, options: ClientOptions = {}): ApiClient {
  const send = async (method: MethodName, args: unknown): Promise<ApiResponse | null> => {
    try {
      return (await invoke(method, args)) as ApiResponse;
    } catch {
      return null;
    }
  };
  const commands = createCommandRetry(send, options);
  return {
    async call<M extends MethodName>(method: M, ...rest: ArgsTuple<M>): Promise<ResultOf<M>> {
      const args: unknown = rest[0] ?? {};
      const checkedArgs = validateArgs(method, args);
      if (!checkedArgs.ok) throw new ApiCallError(method, checkedArgs.error);
      if (isCommand(method)) return answerOf(method, await commands.call(method, args), options);
      let raw: unknown;
      try {
        raw = await invoke(method, args);
      } catch (cause) {
        throw new ApiCallError(method, {
          code: 'unavailable',
          message: `无法连接数据服务:${cause instanceof Error ? cause.message : String(cause)}`,
        });
      }
      return answerOf(method, raw, options);
    },

    on<T extends PushTopic>(topic: T, listener: (payload: PayloadOf<T>) => void): () => void {
      if (!options.subscribe) return () => undefined;
      return options.subscribe(topic, (payload) => {
        const parsed = check(PUSH_TOPICS[topic], payload);
        if (parsed.ok) listener(parsed.value as PayloadOf<T>);
        else options.onDropped?.(topic, parsed.error);
      });
    },
    pendingCommands: () => commands.pending(),
    onCommands: (listener) => commands.listen(listener),
  };
}

/** A service's answer as a view gets it: the result checked against the contract, or an ApiCallError. */
function answerOf<M extends MethodName>(method: M, raw: unknown, options: ClientOptions): ResultOf<M> {
  const response = check(ApiResponseSchema, raw);
  if (!response.ok) {
    throw new ApiCallError(method, { code: 'internal', message: `数据服务的应答格式错误:${response.error.message}` });
  }
  if (!response.value.ok) {
    const error = response.value.error;
    if (error.code === 'unauthorized' && !PUBLIC_METHODS.includes(method)) options.onUnauthorized?.(method, error);
    throw new ApiCallError(method, error);
  }
  const result = validateResult(method, response.value.result);
  if (!result.ok) throw new ApiCallError(method, result.error);
  return result.value;
}

/**
 * The commands in flight under their keys: `call` sends one (or joins the same command
 * already pending) and answers the service's response, or throws `pending` when the
 * outcome is unknown; then it is sent again until answered or given up.
 */
function createCommandRetry(send: (method: MethodName, args: unknown) => Promise<ApiResponse | null>, options: ClientOptions) {
  const retry = { ...DEFAULT_RETRY, ...options.retry };
  const now = options.now ?? Date.now;
  const newKey = options.newKey ?? newIdempotencyKey;
  const entries = new Map<string, Entry>();
  const listeners = new Set<(change: CommandsChange) => void>();
  const pending = (): PendingCommand[] =>
    [...entries.values()].filter((e) => e.attempts > 0 && e.timer !== null).map(({ key, method, args, since, attempts }) => ({ key, method, args, since, attempts }));
  const tell = (settled: SettledCommand | null): void => {
    const change = { pending: pending(), settled };
    listeners.forEach((l) => l(change));
  };

  const attempt = (entry: Entry): Promise<ApiResponse | null> => {
    entry.inFlight ??= send(entry.method, withIdempotencyKey(entry.args, entry.key)).then((response) => {
      entry.inFlight = null;
      entry.attempts++;
      if (outcomeUnknown(response)) return null;
      finish(entry, { key: entry.key, method: entry.method, status: 'answered', response: response as ApiResponse });
      return response;
    });
    return entry.inFlight;
  };
  const finish = (entry: Entry, settled: SettledCommand): void => {
    if (entries.get(entry.fingerprint) !== entry) return;
    entries.delete(entry.fingerprint);
    const wasPending = entry.timer !== null;
    if (entry.timer !== null) timers.clearTimeout(entry.timer);
    entry.timer = null;
    if (wasPending) tell(settled);
  };
  const schedule = (entry: Entry, delay: number): void => {
    if (entries.get(entry.fingerprint) !== entry) return;
    const first = entry.timer === null;
    if (entry.timer !== null) timers.clearTimeout(entry.timer);
    entry.timer = timers.setTimeout(() => void again(entry), delay);
    if (first) tell(null);
  };
  const again = async (entry: Entry): Promise<void> => {
    if (now() - entry.since > retry.giveUpMs) return finish(entry, { key: entry.key, method: entry.method, status: 'unknown' });
    const response = await attempt(entry);
    if (response !== null) return;
    entry.delay = Math.min(entry.delay * 2, retry.maxMs);
    schedule(entry, entry.delay);
  };
  options.onReconnect?.(() => {
    for (const entry of entries.values()) if (entry.timer !== null) schedule(entry, 0);
  });

  return {
    async call(method: MethodName, args: unknown): Promise<ApiResponse> {
      const fingerprint = `${method}\u0000${JSON.stringify(args)}`;
      let entry = entries.get(fingerprint);
      if (!entry) {
        entry = { key: newKey(), method, args, since: now(), attempts: 0, fingerprint, delay: retry.firstMs, timer: null, inFlight: null };
        entries.set(fingerprint, entry);
      }
      const response = await attempt(entry);
      if (response !== null) return response;
      schedule(entry, entry.delay);
      return { ok: false, error: { code: 'pending', message: PENDING_MESSAGE } };
    },
    pending,
    listen(listener: (change: CommandsChange) => void): () => void {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
  };
}
