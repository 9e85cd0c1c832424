// The app API's people methods (auth.*, accounts.*, devices.*, audit.list, settings.*,
// personal.reveal) over People. A service without a people store (a test's fake
// replica) answers them `unavailable`.
import type { Caller } from '../../../core/api/channels';
import type { ADMIN_METHODS, AUTH_METHODS, REVEAL_METHODS } from '../../../core/api/contract';
import type { GridEvent } from '../../../core/model';
import { ApiFailure, type Handlers } from '../service';
import { createAccount, issueDevice, listAccounts, listDevices, resetPassword, revokeDeviceToken, setupFirstAdmin, updateAccount, updateSettings } from './admin';
import { listAudit } from './audit';
import { whoOf, type People } from './people';

export type PeopleMethod = keyof typeof AUTH_METHODS | keyof typeof ADMIN_METHODS | keyof typeof REVEAL_METHODS;
export type PeopleHandlers = Pick<Handlers, PeopleMethod>;

const REVEAL_LABELS = { phone: '电话', idNumber: '身份证号' } as const;

export interface PeopleHandlerOptions {
  /** The event a reveal reads (as the caller may see it: a scoped role's events only). */
  getEvent: (id: string, caller: Caller) => GridEvent | null;
}

export function peopleHandlers(people: People, options: PeopleHandlerOptions): PeopleHandlers {
  return {
    'auth.login': ({ username, password }, caller) => people.login(username, password, caller.seat),
    'auth.device': ({ code }, caller) => people.loginDevice(code, caller.seat),
    'auth.setup': (args, caller) => setupFirstAdmin(people, args, caller.seat),
    'auth.logout': (_args, caller) => people.logout(caller),
    'auth.me': (_args, caller) => people.me(caller),
    'auth.password': ({ current, next }, caller) => people.changePassword(caller, current, next),
    'accounts.list': () => listAccounts(people),
    'accounts.create': (args, caller) => createAccount(people, args, whoOf(caller), { mustChangePassword: true }),
    'accounts.update': (args, caller) => updateAccount(people, args, caller),
    'accounts.reset': ({ id, password }, caller) => resetPassword(people, id, password, whoOf(caller)),
    'devices.list': () => listDevices(people),
    'devices.issue': ({ name }, caller) => issueDevice(people, name, caller),
    'devices.revoke': ({ id }, caller) => revokeDeviceToken(people, id, caller),
    'audit.list': (args) => listAudit(people.db, args),
    'settings.get': () => people.settings(),
    'settings.update': (patch, caller) => updateSettings(people, patch, caller),
    'personal.reveal': ({ eventId, field, reason }, caller) => {
      const event = options.getEvent(eventId, caller);
      if (!event) throw new ApiFailure('not-found', `没有编号为 ${eventId} 的事件`);
      const value = event.reporter?.[field] || null;
      people.audit({
        ...whoOf(caller),
        kind: 'reveal',
        action: `personal.reveal:${field}`,
        target: eventId,
        detail: `查看${event.code ? `事件 ${event.code} ` : ''}报告人${REVEAL_LABELS[field]}${value === null ? '(无此信息)' : ''};原因:${reason}`,
      });
      return { value };
    },
  };
}

/** Without a people store: every people method answers `unavailable`. */
export function noPeopleHandlers(methods: readonly PeopleMethod[]): PeopleHandlers {
  const refuse = (): never => {
    throw new ApiFailure('unavailable', '此数据服务没有账户库');
  };
  return Object.fromEntries(methods.map((m) => [m, refuse])) as unknown as PeopleHandlers;
}
