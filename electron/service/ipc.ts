// The data service's side of the Electron IPC (main.ts runs it over the utilityProcess's
// parent port): requests `{ id, method, args, context }` answered `{ id, response }`
// through SessionService.call with the window's context; one push subscription per
// window (`{ subscribe: id, context }` makes or replaces it, `{ unsubscribe: id }` drops
// it), each push sent as `{ push, subscription: id }` as that window's caller may see it;
// a window whose session ends is told `auth.ended` once and loses its subscription.
import type { CallContext, Caller, ServiceMessage, ServiceRequest, ServiceSubscription } from '../../core/api/channels';
import { apiError } from '../../core/api/contract';
import type { ApiService, SessionService } from './service';

/** What a transport needs of the data service: sessions, and pushes as a caller may see them. */
export type TransportService = SessionService & Pick<ApiService, 'subscribe'>;

export interface Channel {
  onMessage(listener: (message: unknown) => void): void;
  send(message: ServiceMessage): void;
}

function isContext(value: unknown): value is CallContext {
  if (typeof value !== 'object' || value === null) return false;
  const c = value as Record<string, unknown>;
  const seat = c.seat as Record<string, unknown> | undefined;
  if (typeof seat !== 'object' || seat === null || typeof seat.kind !== 'string') return false;
  if (c.token !== undefined && typeof c.token !== 'string') return false;
  return c.view === undefined || c.view === 'wall';
}

export function isRequest(message: unknown): message is ServiceRequest {
  if (typeof message !== 'object' || message === null) return false;
  const m = message as Record<string, unknown>;
  return typeof m.id === 'number' && Number.isSafeInteger(m.id) && typeof m.method === 'string';
}

function isSubscription(message: unknown): message is ServiceSubscription {
  if (typeof message !== 'object' || message === null) return false;
  const m = message as Record<string, unknown>;
  return (typeof m.subscribe === 'string' && isContext(m.context)) || typeof m.unsubscribe === 'string';
}

interface Subscription {
  caller: Caller;
  stop(): void;
  endedSent: boolean;
}

/**
 * Serves `channel` with the service `ready` resolves to. Messages are handled in the
 * order they come, each once the service is open (none is lost during start-up).
 */
export function serveChannel(channel: Channel, ready: Promise<TransportService>): void {
  const subscriptions = new Map<string, Subscription>();
  const drop = (id: string): void => {
    subscriptions.get(id)?.stop();
    subscriptions.delete(id);
  };
  const subscribe = (service: TransportService, id: string, context: CallContext): void => {
    drop(id);
    const caller = service.resolve(context);
    if (!caller) return;
    const subscription: Subscription = { caller, endedSent: false, stop: () => undefined };
    subscription.stop = service.subscribe((topic, payload) => {
      if (topic === 'auth.ended') subscription.endedSent = true;
      channel.send({ push: { topic, payload }, subscription: id });
    }, caller);
    subscriptions.set(id, subscription);
  };
  void ready.then((service) =>
    service.onSessionEnded((sessionId, reason) => {
      for (const [id, subscription] of [...subscriptions]) {
        if (subscription.caller.sessionId !== sessionId) continue;
        if (!subscription.endedSent) channel.send({ push: { topic: 'auth.ended', payload: reason }, subscription: id });
        drop(id);
      }
    }),
  );
  channel.onMessage((message) => {
    if (isRequest(message)) {
      const { id, method, args, context } = message;
      void ready
        .then((service) => (isContext(context) ? service.call(method, args, context) : apiError('unauthorized', '调用缺少来源(窗口)')))
        .catch(() => apiError('internal', '数据服务内部错误,请查看日志'))
        .then((response) => channel.send({ id, response }));
      return;
    }
    if (!isSubscription(message)) return;
    if ('unsubscribe' in message) void ready.then(() => drop(message.unsubscribe));
    else void ready.then((service) => subscribe(service, message.subscribe, message.context));
  });
}
