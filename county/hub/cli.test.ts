// `npm run hub` alone: its one line, its token file, its health endpoint, the HTTP API the
// world uses, and the admin listing of the towns; and the parsing of its command line.
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestTown, tempDir } from '../simulator/test-client';
import { listTowns, tokenCommand } from './admin';
import { parseHubCli } from './cli-options';
import { parseTokenFile } from './index';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TOWN = '430624103';
const TOKEN = 'hub-cli-token-1234';

describe('npm run hub (embedded: PGlite, the demo world)', () => {
  const tmp = tempDir();
  let proc: ChildProcess;
  let url = '';
  const auth = { authorization: `Bearer ${TOKEN}` };
  beforeAll(async () => {
    writeFileSync(tmp.file('tokens'), `# the county's token for its towns\n${TOKEN}\n`);
    proc = spawn(process.execPath, ['--import', 'tsx', 'county/hub/cli.ts', '--port', '0', '--token-file', tmp.file('tokens')], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    url = await new Promise<string>((resolve, reject) => {
      let out = '';
      proc.stdout!.setEncoding('utf8').on('data', (c: string) => {
        out += c;
        const m = /^county hub on (http:\/\/127\.0\.0\.1:\d+) serving towns: (\S+)\n/.exec(out);
        if (m) resolve(m[1]!);
      });
      proc.once('exit', (code) => reject(new Error(`hub exited ${code}`)));
    });
  }, 60_000);
  afterAll(() => {
    proc.kill('SIGTERM');
    tmp.remove();
  });

  it('prints its one line, answers health, and refuses any other token', async () => {
    const health = (await (await fetch(`${url}/health`)).json()) as Record<string, unknown>;
    expect(health).toMatchObject({ ok: true, database: 'pglite', redis: 'none' });
    await expect(TestTown.connect(url, { town: TOWN, token: 'other' })).rejects.toThrow(/^unauthorized$/);
    const town = await TestTown.connect(url, { town: TOWN, token: TOKEN });
    await town.synced();
    expect(town.state.size).toBeGreaterThan(200);
    expect((await fetch(`${url}/api/towns`)).status).toBe(401);
    const status = (await (await fetch(`${url}/status`, { headers: auth })).json()) as Record<string, unknown>;
    expect(status).toMatchObject({ ok: true, towns: [TOWN], head: expect.stringMatching(/^c-[0-9a-f]+-\d+$/), duty: 'day' });
    town.close();
  });

  it('takes reports and departments’ actions through its HTTP API, and lists its towns for the admin', async () => {
    const post = async (path: string, body: unknown): Promise<Record<string, unknown>> =>
      (await (await fetch(`${url}${path}`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify(body) })).json()) as Record<string, unknown>;
    const created = await post('/control', { action: 'create-event', town: TOWN, overrides: { category: '0301' } });
    expect(created).toMatchObject({ ok: true });
    const id = created.id as string;
    const acted = await post(`/api/towns/${TOWN}/events/${id}/commands`, { name: 'event.accept', args: {}, actor: { id: 'sim-dispatcher', role: 'dispatcher' } });
    expect(acted).toEqual({ ok: true, id });
    expect(await post(`/api/towns/${TOWN}/events/${id}/commands`, { name: 'event.accept', args: {}, actor: { id: 'd', role: 'dispatcher' } })).toMatchObject({ ok: false, code: 'invalid-transition' });
    expect(await post(`/api/towns/${TOWN}/positions`, { at: Date.now(), items: [['w-1', 112.9, 28.6, Date.now(), null, null, null], ['bad']] })).toEqual({ ok: true, sent: 1, dropped: 1 });
    // The admin command in this process (its own process costs a tsx start; cli.ts only routes `towns` to it).
    const lines: string[] = [];
    await listTowns(['--url', url, '--token-file', tmp.file('tokens')], (line) => lines.push(line));
    expect(lines[0]).toBe('town\tname\ttoken\tlast contact\thead');
    expect(lines[1]).toMatch(new RegExp(`^${TOWN}\\t古培镇\\tcounty-wide\\t\\d{4}-\\d\\d-\\d\\dT[^\\t]+\\t\\d+$`));
    expect(lines.join('\n')).not.toContain(TOKEN);
  }, 30_000);
});

describe('hub command line', () => {
  it('reads its flags: the embedded default runs the demo world, a database does not', () => {
    expect(parseHubCli(['--port', '0'])).toMatchObject({ port: 0, database: null, redis: null, world: 'demo', tokens: null, scale: null });
    expect(parseHubCli(['--port', '5', '--database', 'postgres://h/db', '--redis', 'redis://r:6379'])).toMatchObject({ database: 'postgres://h/db', redis: 'redis://r:6379', world: 'none' });
    expect(() => parseHubCli([])).toThrow('--port is required');
    expect(() => parseHubCli(['--port', '1', '--towns', '3'])).toThrow(/go together/);
    expect(() => parseHubCli(['--port', '1', '--redis', 'localhost'])).toThrow(/bad --redis/);
    expect(() => parseHubCli(['--port', '1', '--world', 'mars'])).toThrow(/bad --world/);
    expect(parseHubCli(['--port', '1', '--duty', 'always'])).toMatchObject({ duty: 'always' });
    expect(() => parseHubCli(['--port', '1', '--duty', 'night'])).toThrow(/bad --duty/);
    expect(parseHubCli(['--port', '1'])).toMatchObject({ registers: false });
    expect(parseHubCli(['--port', '1', '--registers', 'synthetic'])).toMatchObject({ registers: true });
    expect(() => parseHubCli(['--port', '1', '--registers', 'real'])).toThrow(/bad --registers/);
  });

  it('refuses a token command it cannot carry out before touching any database', async () => {
    const out: string[] = [];
    const run = (argv: string[]): Promise<void> => tokenCommand(argv, (l) => out.push(l), (l) => out.push(l));
    await expect(run([])).rejects.toThrow(/token needs an action: issue, rotate, revoke/);
    await expect(run(['issue', '--town', TOWN])).rejects.toThrow(/needs --database/);
    await expect(run(['rotate', '--database', 'postgres://127.0.0.1:1/x', '--town', '4306'])).rejects.toThrow(/needs --town CODE/);
    expect(out).toEqual([]);
  });

  it('reads a token file: one token for all towns, or one per town', () => {
    expect(parseTokenFile('abc\n')).toEqual({ all: 'abc', byTown: new Map() });
    expect(parseTokenFile('# towns\n430624101 t1\n430624102 t2\n')).toEqual({ all: null, byTown: new Map([['430624101', 't1'], ['430624102', 't2']]) });
    expect(() => parseTokenFile('\n# nothing\n')).toThrow(/no token/);
    expect(() => parseTokenFile('43062 a\nb c')).toThrow(/bad token file line/);
  });
});
