// React access to the app API: a query's state as a value, re-run on demand or
// when a push says the data changed, and the transport's connection state.
import { useCallback, useEffect, useState, useSyncExternalStore } from 'react';
import type { MethodName, PayloadOf, PushTopic, ResultOf } from '../../../core/api/contract';
import type { ArgsTuple } from '../../../core/api/validate';
import type { Connection } from './index';
import { ApiCallError } from './index';
import { useServices } from './context';
import type { EventChange } from './event-store';

export type QueryState<T> =
  | { status: 'loading'; data?: undefined; error?: undefined }
  | { status: 'ok'; data: T; error?: undefined }
  | { status: 'error'; data?: undefined; error: string };

export function useQuery<M extends MethodName>(
  method: M,
  ...args: ArgsTuple<M>
): QueryState<ResultOf<M>> & { reload: () => void } {
  const [state, setState] = useState<QueryState<ResultOf<M>>>({ status: 'loading' });
  const [round, setRound] = useState(0);
  const { api } = useServices();
  // Arguments are compared by value, so an inline object literal does not loop.
  const key = JSON.stringify(args[0] ?? {});

  useEffect(() => {
    let live = true;
    const parsedArgs = JSON.parse(key) as ArgsTuple<M>[0];
    const call = api.call as (m: M, a: unknown) => Promise<ResultOf<M>>;
    call(method, parsedArgs).then(
      (data) => live && setState({ status: 'ok', data }),
      (error: unknown) => live && setState({ status: 'error', error: error instanceof ApiCallError ? error.message : String(error) }),
    );
    return () => {
      live = false;
    };
  }, [api, method, key, round]);

  const reload = useCallback(() => setRound((r) => r + 1), []);
  return { ...state, reload };
}

/** Calls `onPayload` with each valid payload of a push topic; pass a stable callback. */
export function usePush<T extends PushTopic>(topic: T, onPayload: (payload: PayloadOf<T>) => void): void {
  const { api } = useServices();
  useEffect(() => api.on(topic, onPayload), [api, topic, onPayload]);
}

export function useConnection(): Connection {
  const services = useServices();
  return useSyncExternalStore(services.onConnection, services.connection);
}

/** Calls `onChange` with every resolved change of the event store (event-store.ts); pass a stable callback. */
export function useEventChanges(onChange: (change: EventChange) => void): void {
  const { store } = useServices();
  useEffect(() => store.subscribe(onChange), [store, onChange]);
}
