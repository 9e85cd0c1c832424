// The hub's admin command, `npm run hub -- towns (--database URL | --url http://127.0.0.1:N
// [--token-file F])`: the towns served, their tokens (masked), their last contact and the
// head of their log, read from the database or from a running hub's HTTP API.
import { parseFlags } from '../../node-common/flags';
import { maskToken } from './api';
import { FLAGS, readTokens } from './cli-options';
import { openSql } from './sql';
import { HubStore, type TownRow } from './store';
import { hubCall } from './world';

/** Prints the listing, a header line then one tab-separated line per town. */
export async function listTowns(argv: readonly string[], print: (line: string) => void): Promise<void> {
  const v = parseFlags(argv, FLAGS);
  let rows: TownRow[];
  if (v.database !== undefined) {
    const store = await HubStore.open(await openSql(v.database));
    try {
      rows = (await store.towns()).map((t) => ({ ...t, token: maskToken(t.token) }));
    } finally {
      await store.close();
    }
  } else if (v.url !== undefined) {
    const token = readTokens(v['token-file'])?.all ?? undefined;
    rows = await hubCall<TownRow[]>(v.url.replace(/\/$/, ''), token, 'GET', '/api/towns');
  } else throw new Error('towns needs --database URL or --url of a running hub');
  print(['town', 'name', 'token', 'last contact', 'head'].join('\t'));
  for (const t of rows) print([t.code, t.name, t.token ?? '-', t.lastContact ?? 'never', t.head].join('\t'));
}
