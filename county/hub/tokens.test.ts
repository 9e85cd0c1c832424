// Towns' tokens at rest: scrypt records only, the migration of the clear tokens kept
// before, the operator's issue / rotate / revoke, and what a handshake is admitted by.
// On one in-memory PGlite (a start costs seconds): no socket, the gate itself (the wire
// refusal is shown in cli.test.ts and the conformance suite).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCounty } from '../demo/town';
import { tokenAction, describeToken } from './admin';
import { migrate } from './migrations';
import { openSql, type Sql } from './sql';
import { HubStore } from './store';
import { TokenVerifier, admitTown, hashToken, loadTokenFile, verifyToken } from './tokens';

describe('token records', () => {
  it('keeps a salted scrypt record that only the token matches', async () => {
    const [a, b] = await Promise.all([hashToken('town-token-1'), hashToken('town-token-1')]);
    expect(a).toMatch(/^scrypt\$16384\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
    expect(a).not.toBe(b); // a salt of its own
    expect(a).not.toContain('town-token-1');
    expect(await verifyToken('town-token-1', a)).toBe(true);
    expect(await verifyToken('town-token-2', a)).toBe(false);
    expect(await verifyToken('town-token-1', 'town-token-1')).toBe(false); // a clear token is no record
    expect(await verifyToken('town-token-1', a.replace('$16384$', '$1000$'))).toBe(false);
    await expect(hashToken('')).rejects.toThrow(/empty/);
  });

  it('remembers a verified token only against the record it matched', async () => {
    const v = new TokenVerifier();
    const first = await hashToken('t-1');
    expect(await v.check('town/1', 't-1', first)).toBe(true);
    expect(await v.check('town/1', 't-1', first)).toBe(true);
    expect(await v.check('town/1', 't-2', first)).toBe(false);
    const rotated = await hashToken('t-2');
    expect(await v.check('town/1', 't-1', rotated)).toBe(false);
    expect(await v.check('town/1', 't-2', rotated)).toBe(true);
  });

  it('runs scrypt for at most 5 guesses at once per town, then one every 10 s; a remembered token always passes', async () => {
    let now = 0;
    const v = new TokenVerifier({ now: () => now });
    const record = await hashToken('right');
    expect(await v.check('town/1', 'right', record)).toBe(true);
    for (let i = 0; i < 5; i++) expect(await v.check('town/1', `guess-${i}`, record)).toBe(false);
    // Over the budget: refused without a check (the right token too, while its memory is cold)...
    expect(await v.check('town/2', 'right', record)).toBe(true); // another town has its own budget
    expect(await v.check('town/1', 'guess-6', record)).toBe(false);
    // ...but the remembered token still passes: a hash, not scrypt.
    expect(await v.check('town/1', 'right', record)).toBe(true);
    const cold = new TokenVerifier({ now: () => now });
    for (let i = 0; i < 5; i++) expect(await cold.check('town/1', `guess-${i}`, record)).toBe(false);
    expect(await cold.check('town/1', 'right', record)).toBe(false);
    now += 10_000;
    expect(await cold.check('town/1', 'right', record)).toBe(true);
  });
});

describe('towns’ tokens in the hub’s database', () => {
  const [t1, t2, t3] = generateCounty({ seed: 5, towns: 3, gridsPerTown: 6 }).towns;
  let sql: Sql;
  let store: HubStore;
  const verifier = new TokenVerifier();
  const admit = (town: string, token: string) => admitTown(store, verifier, town, token);

  beforeAll(async () => {
    sql = await openSql(null);
    // A database of the last session: its towns' tokens in clear.
    await migrate(sql, 2);
    await sql.query("INSERT INTO towns (code, name, token) VALUES ($1, 'a', 'clear-token-of-a'), ($2, 'b', NULL)", [t1!.town.code, t2!.town.code]);
    store = await HubStore.open(sql);
    expect(await store.addTown(t3!)).toBe(true);
  }, 30_000);
  afterAll(async () => {
    await store?.close();
  });

  const everything = async (): Promise<string> => JSON.stringify([await sql.query('SELECT * FROM towns'), await sql.query('SELECT * FROM hub_meta')]);

  it('migrates a clear token to its record and keeps requiring tokens', async () => {
    const columns = await sql.query<{ column_name: string }>("SELECT column_name FROM information_schema.columns WHERE table_name = 'towns'");
    expect(columns.map((c) => c.column_name)).not.toContain('token');
    expect(await everything()).not.toContain('clear-token-of-a');
    expect(await admit(t1!.town.code, 'clear-token-of-a')).toBeNull();
    expect(await admit(t1!.town.code, 'clear-token-of-b')).toMatchObject({ code: 'unauthorized' });
    // No token of its own, and the hub had tokens: refused.
    expect(await admit(t2!.town.code, 'anything')).toMatchObject({ code: 'unauthorized' });
    expect(await admit('430624199', 'clear-token-of-a')).toMatchObject({ code: 'unknown-town' });
    const [a, b] = await store.towns();
    expect(a!.token).toMatchObject({ state: 'issued', id: expect.stringMatching(/^[0-9a-f]{8}$/), countyWide: false });
    expect(describeToken(b!.token)).toBe('-');
  });

  it('issues, rotates and revokes a town’s token; the database never holds one', async () => {
    const town = t2!.town.code;
    await expect(tokenAction(store, 'rotate', town)).rejects.toThrow(/no token to rotate/);
    const issued = (await tokenAction(store, 'issue', town))!;
    expect(issued.token).toMatch(/^[\w-]{43}$/);
    expect(await admit(town, issued.token)).toBeNull();
    await expect(tokenAction(store, 'issue', town)).rejects.toThrow(/has a token: rotate it/);
    const rotated = (await tokenAction(store, 'rotate', town))!;
    expect(await admit(town, issued.token)).toMatchObject({ code: 'unauthorized' });
    expect(await admit(town, rotated.token)).toBeNull();
    expect(describeToken((await store.towns()).find((t) => t.code === town)!.token)).toMatch(new RegExp(`^${rotated.id} \\d{4}-`));
    expect(await tokenAction(store, 'revoke', town)).toBeNull();
    expect(await admit(town, rotated.token)).toMatchObject({ code: 'unauthorized' });
    await expect(tokenAction(store, 'revoke', town)).rejects.toThrow(/revoked already/);
    await expect(tokenAction(store, 'issue', '430624199')).rejects.toThrow(/not served/);
    const text = await everything();
    for (const token of [issued.token, rotated.token]) expect(text).not.toContain(token);
  });

  it('takes a token file as records: the one token for towns without their own, a town’s line replacing what it had', async () => {
    const lines: string[] = [];
    await loadTokenFile(store, { all: 'county-wide-token', byTown: new Map() }, (l) => lines.push(l));
    expect(await admit(t3!.town.code, 'county-wide-token')).toBeNull();
    expect(await admit(t3!.town.code, 'clear-token-of-a')).toMatchObject({ code: 'unauthorized' });
    expect(await admit(t1!.town.code, 'county-wide-token')).toMatchObject({ code: 'unauthorized' }); // its own token wins
    expect(await admit(t2!.town.code, 'county-wide-token')).toMatchObject({ code: 'unauthorized' }); // revoked stays revoked
    await loadTokenFile(store, { all: 'county-wide-token', byTown: new Map([[t2!.town.code, 'file-token-b'], ['430624199', 'x']]) }, (l) => lines.push(l));
    expect(await admit(t2!.town.code, 'file-token-b')).toBeNull();
    expect(lines).toEqual([
      'county hub: the county-wide token set from the token file',
      `county hub: the token of town ${t2!.town.code} set from the token file (it replaces the revoked one)`,
      'county hub: the token file names town 430624199, which is not served here',
    ]);
    expect(describeToken((await store.towns()).find((t) => t.code === t3!.town.code)!.token)).toBe('county-wide');
    expect(await everything()).not.toMatch(/county-wide-token|file-token-b/);
  });
});
