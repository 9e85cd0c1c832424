// Test helpers of the people modules: a seeded replica on a temporary file with its
// people store (cheap scrypt parameters: the cost is the production default's concern,
// tested once in passwords.test.ts) and the replica service over both.
import type { Caller, CallContext } from '../../../core/api/channels';
import type { ApiResponse } from '../../../core/api/contract';
import { seededReplica, tempDir, T0 } from '../replica/test-fixtures';
import type { Replica } from '../replica/replica';
import { createReplicaService, type ReplicaService } from '../replica-service';
import { createAccount, type AccountInput } from './admin';
import { People } from './people';
import type { ScryptParams } from './passwords';

export const FAST_SCRYPT: ScryptParams = { N: 2 ** 10, r: 8, p: 1, keylen: 32 };

/** A password the policy accepts. */
export const GOOD_PASSWORD = 'Grid-deck-2026';

export const CONSOLE: CallContext['seat'] = { kind: 'window', window: 'console' };
export const REMOTE: CallContext['seat'] = { kind: 'remote', address: '192.168.1.20' };

export const ADMIN_CALLER: Caller = { role: 'admin', user: { id: 'a-root', name: '管理员甲', username: 'root' }, seat: CONSOLE };

export interface PeopleFixture {
  replica: Replica;
  people: People;
  service: ReplicaService;
  clock: { now: number };
  dir: string;
  file: string;
  /** Creates an account (as the admin, no password change required). */
  account(input: Partial<AccountInput> & Pick<AccountInput, 'username'>): ReturnType<typeof createAccount>;
  /** auth.login through `call`, returning the token (throws on failure). */
  login(username: string, password?: string, seat?: CallContext['seat']): Promise<string>;
  call(method: string, args: unknown, context: Partial<CallContext>): Promise<ApiResponse>;
  close(): Promise<void>;
}

export async function peopleFixture(): Promise<PeopleFixture> {
  const tmp = tempDir();
  const file = tmp.file('replica.sqlite');
  const clock = { now: T0 };
  const { replica } = await seededReplica(file, { now: () => clock.now });
  const people = new People({
    store: replica.store(),
    clock: () => clock.now,
    scrypt: FAST_SCRYPT,
    knownDepartment: (id) => replica.departments().some((d) => d.id === id),
  });
  const service = createReplicaService({ replica, people, clock: () => clock.now });
  const call: PeopleFixture['call'] = (method, args, context) => service.call(method, args, { seat: CONSOLE, ...context });
  return {
    replica,
    people,
    service,
    clock,
    dir: tmp.dir,
    file,
    account: (input) =>
      createAccount(
        people,
        { name: `用户${input.username}`, role: 'dispatcher', password: GOOD_PASSWORD, ...input },
        { actorId: 'a-root', actorName: '管理员甲', role: 'admin', seat: 'window:console' },
        { mustChangePassword: false },
      ),
    call,
    login: async (username, password = GOOD_PASSWORD, seat = CONSOLE) => {
      const r = await call('auth.login', { username, password }, { seat });
      if (!r.ok) throw new Error(`login failed: ${r.error.code} ${r.error.message}`);
      return (r.result as { token: string }).token;
    },
    close: async () => {
      await service.close();
      await replica.close();
      tmp.cleanup();
    },
  };
}
