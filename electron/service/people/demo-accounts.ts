// The demo's accounts: one per role, username = the role key, with passwords made at the
// demo's first start and kept beside the replica in demo-accounts.json (mode 0600), so
// that the web shell and `npm start` print the same lines at every start and the login
// screen lists them (app.info, demo only). A demo account whose password no longer
// matches the file (changed in the app) gets the file's back: the printed lines stay true.
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import * as z from 'zod';
import { DemoAccountSchema, type DemoAccount } from '../../../core/api/people';
import { ACCOUNT_ROLES, type AccountRole } from '../../../core/model';
import { checkPassword } from '../../../core/people/policy';
import { accountByUsername, storedPassword } from './accounts';
import { createAccount, resetPassword } from './admin';
import { randomSecret, verifyPassword } from './passwords';
import type { People, Who } from './people';

export const DEMO_ACCOUNTS_FILE = 'demo-accounts.json';

/** Where the demo's scoped accounts work: a department of the demo town and a village's code. */
export interface DemoScopes {
  departmentId?: string | undefined;
  village?: string | undefined;
}

const DEMO_NAMES: Readonly<Record<AccountRole, string>> = {
  admin: '演示管理员',
  dispatcher: '演示调度员',
  leader: '演示领导',
  secretary: '演示会商秘书',
  department: '演示部门经办人',
  village: '演示村（社区）工作站',
  viewer: '演示大屏',
};

const DEMO_WHO: Who = { actorId: null, actorName: '演示初始化', role: 'system', seat: 'local:demo' };

const FileSchema = z.object({ accounts: z.array(DemoAccountSchema) });

// Letters and digits a person reads without mistaking one for another (no 0/O, 1/l/I).
const ALPHABET = 'abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** A random password the policy accepts, easy to read off a terminal: `xxxx-xxxx-xxxx`. */
export function demoPassword(username: string): string {
  for (;;) {
    const chars = [...Buffer.from(randomSecret(24), 'base64url')].slice(0, 12).map((b) => ALPHABET[b % ALPHABET.length]);
    const password = `${chars.slice(0, 4).join('')}-${chars.slice(4, 8).join('')}-${chars.slice(8).join('')}`;
    if (checkPassword(password, username).ok) return password;
  }
}

function readFile(file: string): DemoAccount[] {
  if (!existsSync(file)) return [];
  try {
    const parsed = FileSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    return parsed.success ? parsed.data.accounts : [];
  } catch {
    return [];
  }
}

/**
 * Makes sure every role has its demo account with the password of `file` (made and
 * written there when missing). A scoped role without its scope (the replica knows no
 * department or village yet) is left out until a later start. Returns the accounts.
 */
export async function ensureDemoAccounts(people: People, file: string, scopes: DemoScopes): Promise<DemoAccount[]> {
  const kept = new Map(readFile(file).map((a) => [a.username, a]));
  const roles = ACCOUNT_ROLES.filter((role) => (role === 'department' ? scopes.departmentId : role === 'village' ? scopes.village : true));
  const accounts = await Promise.all(
    roles.map(async (role): Promise<DemoAccount> => {
      const password = kept.get(role)?.password ?? demoPassword(role);
      const existing = accountByUsername(people.db, role);
      if (!existing) {
        const scope = role === 'department' ? { departmentId: scopes.departmentId } : role === 'village' ? { grids: [scopes.village as string] } : {};
        await createAccount(people, { username: role, name: DEMO_NAMES[role], role, password, ...scope }, DEMO_WHO, { mustChangePassword: false, id: `demo-${role}` });
      } else if (!(await verifyPassword(password, storedPassword(existing)))) {
        await resetPassword(people, existing.id, password, DEMO_WHO, false);
      }
      return { username: role, role, password };
    }),
  );
  const text = `${JSON.stringify({ accounts }, null, 2)}\n`;
  if (!existsSync(file) || readFileSync(file, 'utf8') !== text) writeFileSync(file, text, { mode: 0o600 });
  chmodSync(file, 0o600);
  return accounts;
}

/** The lines the shells print at start, exactly `demo account <username> (<role>): <password>`. */
export const demoAccountLines = (accounts: readonly DemoAccount[]): string[] => accounts.map((a) => `demo account ${a.username} (${a.role}): ${a.password}`);
