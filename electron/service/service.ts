// The data service's one entry point for every transport: `handle(method, args, caller)`
// checks the method, then the caller's role against the role table (core/api/access.ts),
// then the arguments against the contract, dispatches to a handler and always answers
// an ApiResponse; it never throws, whatever a caller sends. The transports decide
// nothing: they say who calls and carry the answer.
import type {
  ApiResponse,
  CommandReceipt,
  MethodName,
  ParsedArgsOf,
  PayloadOf,
  PushTopic,
  ResultOf,
} from '../../core/api/contract';
import { apiError, isCommand, isMethodName } from '../../core/api/contract';
import { splitIdempotencyKey } from '../../core/api/idempotency';
import { forbiddenMessage, mayCall } from '../../core/api/access';
import type { CommandName } from '../../core/events/commands';
import { COMMAND_NAMES } from '../../core/events/commands';
import { methodLabel, validateArgs } from '../../core/api/validate';
import type { CallContext, Caller } from '../../core/api/channels';
import { DEFAULT_CALLER } from './privacy';
import { DISK_FULL_MESSAGE, isDiskFull } from './ops/disk';
import { keyOwner, memoryCommandKeys, type CommandKeyStore } from './command-keys';

export type PushListener = <T extends PushTopic>(topic: T, payload: PayloadOf<T>) => void;

/**
 * The data service as every transport sees it: `call` with the call's context (the
 * session's token, the seat) is the entry of every transport (SessionService, below);
 * `handle` is the same dispatch for in-process callers who state their Caller.
 */
export interface ApiService extends SessionService {
  /**
   * `caller`: who calls, as the transport knows it (a read-only screen is a `viewer`).
   * A role may call only what core/api/access.ts grants it (else `forbidden`); answers
   * to a role that may not see residents' personal data are masked (privacy.ts).
   * Absent: an in-process caller, treated as a dispatcher.
   */
  handle(method: string, args: unknown, caller?: Caller): Promise<ApiResponse>;
  /**
   * Listens to every push topic; returns the unsubscribe function. `caller`: who will
   * see the pushes (as for `handle`): a change's events are masked for a viewer. A
   * caller with a session also gets `auth.ended` when that session ends (only then).
   */
  subscribe(listener: PushListener, caller?: Caller): () => void;
  close(): Promise<void>;
}

/** A method's implementation: the validated arguments and who calls (scope, person, seat). */
export type Handler<M extends MethodName> = (args: ParsedArgsOf<M>, caller: Caller) => ResultOf<M> | Promise<ResultOf<M>>;

/** Every method of the contract has its handler. */
export type Handlers = { [M in MethodName]: Handler<M> };

/**
 * The handlers of every workflow command (core/events), all run by one function: the
 * contract declares them from COMMAND_NAMES, so they are built from it too.
 */
export function workflowHandlers(run: (name: CommandName, args: ParsedArgsOf<CommandName>, caller: Caller) => CommandReceipt): { [N in CommandName]: Handler<N> } {
  // One object per name: what fromEntries loses of the key-to-type link, the signature restores.
  return Object.fromEntries(
    COMMAND_NAMES.map((name) => [name, (args: ParsedArgsOf<CommandName>, caller: Caller) => run(name, args, caller)]),
  ) as { [N in CommandName]: Handler<N> };
}

/**
 * What the transports call (issue 9): `call` resolves the context's session into a Caller
 * (PUBLIC_METHODS need none; any other method without a valid session answers
 * `unauthorized`), then `handle`s. `resolve` gives a transport the Caller to subscribe
 * pushes with; `onSessionEnded` tells it which session to cut off (logout, expiry, a
 * disabled account, a revoked device).
 */
export interface SessionService {
  /** Never throws: a malformed context is refused like a missing session (`unauthorized`). */
  call(method: string, args: unknown, context: CallContext): Promise<ApiResponse>;
  /** The Caller of a context, or null when it has no valid session (the Electron wall window: a viewer). */
  resolve(context: CallContext): Caller | null;
  onSessionEnded(listener: (sessionId: string, reason: PayloadOf<'auth.ended'>) => void): () => void;
}

export interface ServiceLog {
  error(message: string, detail?: unknown): void;
  /** The log file the lines go to (ops/log.ts): named in the operator's "请查看日志". */
  file?: string;
}

/** The answer to a bug, saying where the log is (when it is a file). */
export function internalError(log?: ServiceLog): ApiResponse {
  return apiError('internal', log?.file ? `数据服务内部错误,请查看日志:${log.file}` : '数据服务内部错误,请查看日志');
}

const consoleLog: ServiceLog = { error: (message, detail) => console.error(message, detail ?? '') };

/**
 * Thrown by a handler to answer `{ ok: false, error }` with its own code and Chinese
 * message (e.g. a workflow rejection), instead of the `internal` error of a bug.
 */
export class ApiFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiFailure';
  }
}

export interface PushHub {
  subscribe(listener: PushListener): () => void;
  emit: PushListener;
  clear(): void;
}

/** A small push hub shared by the service implementations. */
export function createPushHub(): PushHub {
  const listeners = new Set<PushListener>();
  return {
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    emit(topic, payload) {
      for (const listener of listeners) {
        try {
          listener(topic, payload);
        } catch {
          // One failing transport must not stop pushes to the others.
        }
      }
    },
    clear: () => listeners.clear(),
  };
}

/**
 * Builds `handle` from a table of handlers: the role gate first (a refused caller learns
 * nothing of the arguments' shape), then the arguments, then the handler.
 */
export function createDispatcher(handlers: Handlers, log: ServiceLog = consoleLog, keys: CommandKeyStore = memoryCommandKeys()): ApiService['handle'] {
  const table = handlers as Record<MethodName, (args: unknown, caller: Caller) => unknown>;
  // A key whose first call is still running: a repeat waits for its answer (async handlers).
  const running = new Map<string, Promise<ApiResponse>>();
  const dispatch = async (method: MethodName, args: unknown, caller: Caller, key: string | null): Promise<ApiResponse> => {
    const checked = validateArgs(method, args);
    if (!checked.ok) return { ok: false, error: checked.error };
    const keyed: KeyedCaller = key === null ? caller : { ...caller, idempotencyKey: key };
    const result = await table[method](checked.value, keyed);
    const response: ApiResponse = { ok: true, result };
    // A refusal changed nothing: only a success is kept (a workflow command kept it in its own transaction already).
    if (key !== null) {
      try {
        keys.remember(key, { method, caller: keyOwner(caller), response });
      } catch (error) {
        // The command ran: its answer is still the truth, only a repeat of it would not be recognised.
        log.error(`[service] keeping the answer to ${methodLabel(method)} failed`, error);
      }
    }
    return response;
  };
  return async (method, args, caller = DEFAULT_CALLER) => {
    try {
      if (!isMethodName(method)) return apiError('unknown-method', `未知的方法:${methodLabel(method)}`);
      if (!mayCall(caller.role, method)) return apiError('forbidden', forbiddenMessage(caller.role, method));
      if (!isCommand(method)) return await dispatch(method, args, caller, null);
      // A command may carry the client's idempotency key: a key answered before gets that answer, nothing runs again.
      const split = splitIdempotencyKey(args);
      if (!split.ok) return apiError('invalid', split.message);
      const key = split.key;
      if (key === null) return await dispatch(method, split.args, caller, null);
      const kept = keys.find(key);
      if (kept) return kept.method === method && kept.caller === keyOwner(caller) ? kept.response : apiError('invalid', KEY_REUSED);
      const earlier = running.get(key);
      if (earlier) return await earlier;
      const answer = dispatch(method, split.args, caller, key);
      running.set(key, answer);
      try {
        return await answer;
      } finally {
        running.delete(key);
      }
    } catch (error) {
      if (error instanceof ApiFailure) return apiError(error.code, error.message);
      log.error(`[service] ${methodLabel(method)} failed`, error);
      if (isDiskFull(error)) return apiError('unavailable', DISK_FULL_MESSAGE);
      return internalError(log);
    }
  };
}

const KEY_REUSED = '指令编号已用于另一条指令,请重新操作';

/** The caller a handler gets for a command that carries an idempotency key (a workflow command keeps its answer under it). */
export type KeyedCaller = Caller & { idempotencyKey?: string };

/** A service that answers every method with the same reason: a data service that could not start (main.ts). */
export function createUnavailableService(reason: string): ApiService {
  const handle: ApiService['handle'] = async (method) => {
    const checked = validateArgs(method, {});
    if (!checked.ok && checked.error.code === 'unknown-method') return { ok: false, error: checked.error };
    return apiError('unavailable', reason);
  };
  return {
    handle,
    // No session can be checked: every call gets the reason (as handle answers it).
    call: (method) => handle(method, undefined),
    resolve: () => null,
    onSessionEnded: () => () => undefined,
    subscribe: () => () => undefined,
    close: async () => undefined,
  };
}
