// The typed client of the app API, independent of the transport: the renderer
// gives it the Electron bridge or a Socket.IO connection; tests give it a
// function. Arguments are checked before sending (a view's mistake shows at
// once, with the path) and results are checked on arrival (a service's
// mistake never reaches a view as a half-formed object).
import type { ApiError, ApiResponse, MethodName, PayloadOf, PushTopic, ResultOf } from './contract';
import { ApiResponseSchema, PUBLIC_METHODS, PUSH_TOPICS } from './contract';
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
}

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
}

export function createClient(invoke: Invoke, options: ClientOptions = {}): ApiClient {
  return {
    async call<M extends MethodName>(method: M, ...rest: ArgsTuple<M>): Promise<ResultOf<M>> {
      const args: unknown = rest[0] ?? {};
      const checkedArgs = validateArgs(method, args);
      if (!checkedArgs.ok) throw new ApiCallError(method, checkedArgs.error);

      let raw: unknown;
      try {
        raw = await invoke(method, args);
      } catch (cause) {
        throw new ApiCallError(method, {
          code: 'unavailable',
          message: `无法连接数据服务:${cause instanceof Error ? cause.message : String(cause)}`,
        });
      }
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
    },

    on<T extends PushTopic>(topic: T, listener: (payload: PayloadOf<T>) => void): () => void {
      if (!options.subscribe) return () => undefined;
      return options.subscribe(topic, (payload) => {
        const parsed = check(PUSH_TOPICS[topic], payload);
        if (parsed.ok) listener(parsed.value as PayloadOf<T>);
        else options.onDropped?.(topic, parsed.error);
      });
    },
  };
}
