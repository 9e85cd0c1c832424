// The data service's one entry point for every transport: `handle(method, args)`
// validates against the contract, dispatches to a handler and always answers an
// ApiResponse; it never throws, whatever a caller sends.
import type {
  ApiResponse,
  KindOf,
  MethodName,
  ParsedArgsOf,
  PayloadOf,
  PushTopic,
  ResultOf,
} from '../../core/api/contract';
import { apiError } from '../../core/api/contract';
import { methodLabel, validateArgs } from '../../core/api/validate';
import type { Caller } from '../../core/api/channels';

export type PushListener = <T extends PushTopic>(topic: T, payload: PayloadOf<T>) => void;

export interface ApiService {
  /**
   * `caller`: who calls, as the transport knows it (a read-only screen is a `viewer`);
   * answers to a role that may not see residents' personal data are masked
   * (privacy.ts). Absent: an in-process caller, treated as a dispatcher.
   */
  handle(method: string, args: unknown, caller?: Caller): Promise<ApiResponse>;
  /**
   * Listens to every push topic; returns the unsubscribe function. `caller`: who will
   * see the pushes (as for `handle`): a change's events are masked for a viewer.
   */
  subscribe(listener: PushListener, caller?: Caller): () => void;
  close(): Promise<void>;
}

export type Handler<M extends MethodName> = (args: ParsedArgsOf<M>) => ResultOf<M> | Promise<ResultOf<M>>;
type QueryName = { [M in MethodName]: KindOf<M> extends 'query' ? M : never }[MethodName];

/** Every query must be answered; commands arrive in a later stage, so they may be missing. */
export type Handlers = { [M in QueryName]: Handler<M> } & { [M in Exclude<MethodName, QueryName>]?: Handler<M> };

export interface ServiceLog {
  error(message: string, detail?: unknown): void;
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

/** Builds `handle` from a table of handlers. */
export function createDispatcher(handlers: Handlers, log: ServiceLog = consoleLog): ApiService['handle'] {
  const table = handlers as Partial<Record<MethodName, (args: unknown) => unknown>>;
  return async (method, args) => {
    try {
      const checked = validateArgs(method, args);
      if (!checked.ok) return { ok: false, error: checked.error };
      const handler = table[method as MethodName];
      if (!handler) return apiError('unavailable', `该功能尚未建成:${method}`);
      const result = await handler(checked.value);
      return { ok: true, result };
    } catch (error) {
      if (error instanceof ApiFailure) return apiError(error.code, error.message);
      log.error(`[service] ${methodLabel(method)} failed`, error);
      return apiError('internal', '数据服务内部错误,请查看日志');
    }
  };
}

/** A service that answers every method with the same reason, e.g. when the dataset cannot be loaded. */
export function createUnavailableService(reason: string): ApiService {
  return {
    handle: async (method) => {
      const checked = validateArgs(method, {});
      if (!checked.ok && checked.error.code === 'unknown-method') return { ok: false, error: checked.error };
      return apiError('unavailable', reason);
    },
    subscribe: () => () => undefined,
    close: async () => undefined,
  };
}
