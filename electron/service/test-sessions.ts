// Test support: a SessionService in memory, for the transports' tests (electron/web,
// electron/service/main.ts) before and beside the real data service. Accounts and
// device codes are given; sessions are random tokens; the role gate is core's
// (core/api/access.ts), PUBLIC_METHODS pass without a session. It answers like the
// data service's contract says; it is not the data service.
import { randomUUID } from 'node:crypto';
import type { CallContext, Caller } from '../../core/api/channels';
import type { ApiResponse, PayloadOf, PushTopic } from '../../core/api/contract';
import { PUBLIC_METHODS, apiError, isMethodName } from '../../core/api/contract';
import { forbiddenMessage, mayCall } from '../../core/api/access';
import type { AccountRole } from '../../core/model';
import type { PushListener } from './service';
import type { TransportService } from './ipc';

export interface FakeAccount {
  username: string;
  password: string;
  role: AccountRole;
}

interface Session {
  id: string;
  token: string;
  caller: Caller;
}

type Ended = PayloadOf<'auth.ended'>;

export interface FakeSessions extends TransportService {
  /** Every call as the service saw it (method and context). */
  readonly calls: { method: string; context: CallContext }[];
  /** Issues a one-time device code (a wall's enrolment). */
  issueDevice(name: string): string;
  /** Ends a session as the admin's revocation or an expiry would. */
  end(sessionId: string, reason: Ended['reason']): void;
  /** Pushes to every subscriber (each gets it as its caller may). */
  push<T extends PushTopic>(topic: T, payload: PayloadOf<T>): void;
  sessionOf(token: string): Session | undefined;
  readonly subscribers: number;
}

export function fakeSessions(accounts: readonly FakeAccount[]): FakeSessions {
  const sessions = new Map<string, Session>();
  const codes = new Map<string, string>();
  const listeners = new Set<{ listener: PushListener; caller: Caller }>();
  const ended = new Set<(sessionId: string, reason: Ended) => void>();
  const calls: { method: string; context: CallContext }[] = [];

  const open = (caller: Omit<Caller, 'sessionId'>): Session => {
    const session: Session = { id: randomUUID(), token: randomUUID(), caller: { ...caller } };
    session.caller.sessionId = session.id;
    sessions.set(session.token, session);
    return session;
  };
  const result = (session: Session): ApiResponse => ({
    ok: true,
    result: { token: session.token, user: { id: session.caller.user?.id ?? '', username: session.caller.user?.username ?? '', name: session.caller.user?.name ?? '', role: session.caller.role }, idleTimeoutMs: null },
  });
  const resolve = (context: CallContext): Caller | null => {
    const session = context.token === undefined ? undefined : sessions.get(context.token);
    if (!session) return context.seat.kind === 'window' && context.view === 'wall' ? { role: 'viewer', seat: context.seat } : null;
    return context.view === 'wall' ? { ...session.caller, role: 'viewer', seat: context.seat } : { ...session.caller, seat: context.seat };
  };
  const end = (sessionId: string, reason: Ended['reason']): void => {
    for (const [token, session] of sessions) if (session.id === sessionId) sessions.delete(token);
    for (const listener of [...ended]) listener(sessionId, { reason, message: '会话已结束,请重新登录' });
  };
  const authenticated = (method: string, args: Record<string, unknown>, caller: Caller | null): ApiResponse | null => {
    if (method === 'auth.login') {
      const account = accounts.find((a) => a.username === args.username && a.password === args.password);
      if (!account) return apiError('unauthorized', '用户名或密码错误');
      return result(open({ role: account.role, user: { id: `u-${account.username}`, name: account.username, username: account.username } }));
    }
    if (method === 'auth.device') {
      const name = codes.get(String(args.code));
      if (name === undefined) return apiError('unauthorized', '设备码无效或已使用');
      codes.delete(String(args.code));
      return result(open({ role: 'viewer', user: { id: `d-${name}`, name, deviceId: `d-${name}` } }));
    }
    if (method === 'auth.logout' && caller?.sessionId) {
      end(caller.sessionId, 'logout');
      return { ok: true, result: { loggedOut: true } };
    }
    return null;
  };

  return {
    calls,
    async call(method, args, context) {
      calls.push({ method, context });
      if (!isMethodName(method)) return apiError('unknown-method', '未知的方法');
      const caller = resolve(context);
      if (!caller && !PUBLIC_METHODS.includes(method)) return apiError('unauthorized', '请先登录');
      const auth = authenticated(method, (args ?? {}) as Record<string, unknown>, caller);
      if (auth) return auth;
      if (method === 'app.info') return { ok: true, result: { version: '1', mode: 'web' } };
      if (!caller) return apiError('unauthorized', '请先登录');
      if (!mayCall(caller.role, method)) return apiError('forbidden', forbiddenMessage(caller.role, method));
      return { ok: true, result: { method, role: caller.role } };
    },
    resolve,
    onSessionEnded(listener) {
      ended.add(listener);
      return () => ended.delete(listener);
    },
    subscribe(listener, caller) {
      const entry = { listener, caller: caller ?? { role: 'dispatcher' } };
      listeners.add(entry);
      return () => listeners.delete(entry);
    },
    issueDevice(name) {
      const code = randomUUID();
      codes.set(code, name);
      return code;
    },
    end,
    push(topic, payload) {
      for (const { listener } of listeners) listener(topic, payload);
    },
    sessionOf: (token) => sessions.get(token),
    get subscribers() {
      return listeners.size;
    },
  };
}
