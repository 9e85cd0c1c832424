// The hub's admin commands:
//
//   npm run hub -- towns (--database URL | --url http://127.0.0.1:N [--token-file F])
//     the towns served, their token's state and id (never a token), their last contact and
//     the head of their log, read from the database or from a running hub's HTTP API
//   npm run hub -- token (issue | rotate | revoke) --database URL --town CODE
//     a town's token: `issue` (the town has none, or a revoked one) and `rotate` (it has one)
//     draw a new random token, store only its scrypt record (./tokens.ts) and print the
//     token once, on stdout alone (what to do with it goes to stderr); `revoke` refuses the
//     town from its next handshake on. The running hub processes read the database at every
//     handshake: no restart is needed. Once a town has a token, the hub refuses towns without one.
import { TOWN_CODE_PATTERN } from '../../core/grid/codes';
import { parseFlags } from '../../node-common/flags';
import { FLAGS, readTokens } from './cli-options';
import { openSql } from './sql';
import { HubStore, type TownRow, type TownToken } from './store';
import { hashToken, newToken, newTokenId } from './tokens';
import { hubCall } from './world';

/** The token column of the listing: the state, the token's random id and when it changed. */
export function describeToken(t: TownToken): string {
  const when = t.changedAt === null ? '' : ` ${t.changedAt}`;
  if (t.state === 'issued') return `${t.id ?? '?'}${when}`;
  if (t.state === 'revoked') return `revoked${when}`;
  return t.countyWide ? 'county-wide' : '-';
}

async function withStore<T>(database: string, fn: (store: HubStore) => Promise<T>): Promise<T> {
  const store = await HubStore.open(await openSql(database));
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

/** Prints the listing, a header line then one tab-separated line per town. */
export async function listTowns(argv: readonly string[], print: (line: string) => void): Promise<void> {
  const v = parseFlags(argv, FLAGS);
  let rows: TownRow[];
  if (v.database !== undefined) rows = await withStore(v.database, (store) => store.towns());
  else if (v.url !== undefined) {
    const token = readTokens(v['token-file'])?.all ?? undefined;
    rows = await hubCall<TownRow[]>(v.url.replace(/\/$/, ''), token, 'GET', '/api/towns');
  } else throw new Error('towns needs --database URL or --url of a running hub');
  print(['town', 'name', 'token', 'last contact', 'head'].join('\t'));
  for (const t of rows) print([t.code, t.name, describeToken(t.token), t.lastContact ?? 'never', t.head].join('\t'));
}

export const TOKEN_ACTIONS = ['issue', 'rotate', 'revoke'] as const;

export type TokenAction = (typeof TOKEN_ACTIONS)[number];

/** What a token action did: the new token (issue, rotate; shown once) and its id, or null (revoke). */
export type TokenOutcome = { token: string; id: string } | null;

/** A token action on the hub's store; throws with the reason when it cannot be done. */
export async function tokenAction(store: HubStore, action: TokenAction, town: string): Promise<TokenOutcome> {
  const t = await store.tokenOf(town);
  if (t === null) throw new Error(`town ${town} is not served by this hub`);
  if (action === 'revoke') {
    if (t.state === 'revoked') throw new Error(`the token of town ${town} is revoked already`);
    await store.setTownToken(town, null, null);
    return null;
  }
  if (action === 'issue' && t.state === 'issued') throw new Error(`town ${town} has a token: rotate it (token rotate)`);
  if (action === 'rotate' && t.state !== 'issued') throw new Error(`town ${town} has no token to rotate: issue one (token issue)`);
  const token = newToken();
  const id = newTokenId();
  await store.setTownToken(town, await hashToken(token), id);
  return { token, id };
}

/**
 * `token issue|rotate|revoke --database URL --town CODE`. `print` gets the new token alone
 * (stdout), `say` what happened (stderr). Throws with the reason when it cannot be done.
 */
export async function tokenCommand(argv: readonly string[], print: (line: string) => void, say: (line: string) => void): Promise<void> {
  const action = TOKEN_ACTIONS.find((a) => a === argv[0]);
  if (!action) throw new Error(`token needs an action: ${TOKEN_ACTIONS.join(', ')}`);
  const v = parseFlags(argv.slice(1), FLAGS);
  if (v.database === undefined) throw new Error('token needs --database URL (the hub’s database)');
  const town = v.town ?? '';
  if (!TOWN_CODE_PATTERN.test(town)) throw new Error('token needs --town CODE (9 digits)');
  const done = await withStore(v.database, (store) => tokenAction(store, action, town));
  if (done === null) {
    say(`county hub: the token of town ${town} is revoked; its next handshake is refused (unauthorized)`);
    return;
  }
  say(`county hub: new token ${done.id} of town ${town}, shown this once: put it in the town's county settings; ${action === 'rotate' ? 'the old one is refused from now on' : 'the county-wide token, if any, no longer admits it'}`);
  print(done.token);
}
