// The registers' handlers' view of the service (replica-service.ts): scope, events at an
// address through the scoped events.list, the audit trail with the caller's person.
import type { Caller } from '../../../core/api/channels';
import type { GridEvent } from '../../../core/model';
import type { Handlers } from '../service';
import type { People } from '../people/people';
import { whoOf } from '../people/people';
import type { Scopes } from '../scope';
import type { ReplicaServiceOptions } from '../replica-service';
import type { Actor } from '../../../core/model';
import type { RegisterDeps } from './handlers';

export function registerDeps(
  options: ReplicaServiceOptions,
  people: People | null,
  scopes: Scopes,
  clock: () => number,
  handlers: () => Handlers,
  kick: () => void,
  actorOf: (caller: Caller) => Actor,
): Omit<RegisterDeps, 'db' | 'queueCommand' | 'queueCommands' | 'write'> {
  const { replica } = options;
  return {
    gridsOf: (caller) => scopes.of(caller)?.grids ?? null,
    getEvent: (id, caller) => {
      const e = replica.getEvent(id);
      return e !== null && scopes.eventInScope(e, caller) ? e : null;
    },
    eventsAt: async (address: string, caller: Caller): Promise<GridEvent[]> => {
      if (address.length < 3) return [];
      const page = await handlers()['events.list']({ text: address, paging: { offset: 0, limit: 20 }, sort: 'reportedAt' }, caller);
      return page.items;
    },
    grids: () => replica.grids(),
    workers: () => replica.workers({}),
    actorOf,
    auditIn: people ? (entry, caller) => void people.auditIn({ ...whoOf(caller), ...entry }) : null,
    audit: people ? (entry, caller) => void people.audit({ ...whoOf(caller), ...entry }) : null,
    kick,
    clock,
  };
}
