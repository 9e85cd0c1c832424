// npm run soak [-- --minutes M] : 24 hours of the demo county (at its heavy load) compressed into M minutes
// (default 9; the simulator's --speedup 1440/M) against the web shell, with a console
// open: a dispatcher's socket that keeps the event queue on screen (events.list after
// every push) and gives a command every few seconds. It checks what a town that never
// restarts needs (issue 12):
//   - the service's RSS (the web shell process: replica, link, API) after the first
//     simulated hour and at the end: within 10 %;
//   - no stuck queue: the outbox drains (link.status queueLength 0) at the end;
//   - every command applied once: the county's /applied list for the replica equals the
//     receipts, n = 1..N, each once;
//   - `PRAGMA integrity_check` of the replica after the service stopped: ok.
// Prints one JSON summary and a markdown row for docs/performance.md; exit 1 when a check fails.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { io, type Socket } from 'socket.io-client';
import { SOCKET } from '../../core/api/channels';
import { checkFile } from '../../electron/service/ops/backup';
import { DEMO_LOADS } from '../../county/demo/volume';

const ROOT = new URL('../../', import.meta.url).pathname;
const TOKEN = 'soak-county-token';
const minutesArg = process.argv.indexOf('--minutes');
const MINUTES = minutesArg > 0 ? Number(process.argv[minutesArg + 1]) : 9;
const SPEEDUP = 1440 / MINUTES;
const HOUR_REAL_MS = 3_600_000 / SPEEDUP;
const COMMAND_EVERY_MS = 3_000;
/** The demo's heavy load (county/demo/volume.ts), not a town's default: a day of a city's events is the soak's point. */
const HEAVY_RATE = DEMO_LOADS.heavy.eventsPerHour;

function start(script: string, args: string[], env: Record<string, string> = {}): { child: ChildProcess; line: (re: RegExp) => Promise<RegExpMatchArray> } {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout?.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr?.on('data', () => undefined);
  const line = (re: RegExp) =>
    new Promise<RegExpMatchArray>((resolve, reject) => {
      const timer = setInterval(() => {
        const m = re.exec(out);
        if (m) {
          clearInterval(timer);
          resolve(m);
        } else if (child.exitCode !== null) {
          clearInterval(timer);
          reject(new Error(`${script} exited: ${out.slice(-500)}`));
        }
      }, 50);
    });
  return { child, line };
}

const rssMb = (pid: number): number => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;

async function invoke<T>(socket: Socket, method: string, args: unknown = {}): Promise<T> {
  const answer = (await socket.timeout(30_000).emitWithAck(SOCKET.invoke, method, args)) as { ok: boolean; result?: unknown; error?: unknown };
  if (!answer.ok) throw new Error(`${method}: ${JSON.stringify(answer.error)}`);
  return answer.result as T;
}

async function connect(url: string, token?: string): Promise<Socket> {
  // A generous handshake timeout: the shell may still be busy with its first sync on a loaded
  // machine. The session token goes in the handshake, so a reconnection keeps the session.
  const socket = io(`${url}${SOCKET.namespace}`, { transports: ['websocket'], forceNew: true, timeout: 120_000, ...(token ? { auth: { token } } : {}) });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', (error) => reject(new Error(`cannot connect to the web shell at ${url}: ${error.message}`)));
  });
  return socket;
}

/** The first admin, then a dispatcher logged in on its own socket: the console. */
async function console_(url: string): Promise<Socket> {
  const admin = await connect(url);
  const password = 'Soak-test-2026!';
  await invoke(admin, 'auth.setup', { username: 'admin', name: '管理员', password });
  await invoke(admin, 'accounts.create', { username: 'dispatcher', name: '调度员', role: 'dispatcher', password });
  const { token } = await invoke<{ token: string }>(admin, 'auth.login', { username: 'dispatcher', password });
  admin.close();
  return connect(url, token);
}

interface Page {
  items: { id: string; status: string }[];
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'griddeck-soak-'));
  const county = start('county/simulator/cli.ts', ['--port', '0', '--seed', '20241112', '--db', join(dir, 'county.sqlite'), '--speedup', String(SPEEDUP), '--duty', 'always', '--token', TOKEN, '--rate', String(HEAVY_RATE)]);
  const [, countyUrl, towns] = await county.line(/county simulator on (\S+) serving towns: (\S+)/);
  const town = towns!.split(',')[0]!;
  const db = join(dir, 'replica.sqlite');
  const shell = start('electron/web/cli.ts', ['--county', countyUrl!, '--town', town, '--db', db, '--port', '0', '--renderer', dir], { GRIDDECK_COUNTY_TOKEN: TOKEN });
  const [, shellUrl] = await shell.line(/GridDeck listening on (\S+)/);
  const socket = await console_(shellUrl!);
  const t0 = Date.now();
  const failures = new Map<string, number>();
  const samples: { simHours: number; rssMb: number }[] = [];
  const receipts: number[] = [];
  let pushes = 0;
  let refreshing = false;
  // The console keeps its queue on screen: each push re-reads the first page (as a tab count change does).
  // (At most once a second, as a person's screen would; position pushes only move markers.)
  let lastRefresh = 0;
  socket.on(SOCKET.push, (topic: string) => {
    pushes++;
    if (topic !== 'entities.changed' || refreshing || Date.now() - lastRefresh < 1_000) return;
    refreshing = true;
    lastRefresh = Date.now();
    void invoke(socket, 'events.list', { paging: { offset: 0, limit: 50 }, sort: 'risk' })
      .catch(() => failures.set('events.list', (failures.get('events.list') ?? 0) + 1))
      .finally(() => (refreshing = false));
  });
  let disconnects = 0;
  socket.on('disconnect', (reason) => {
    disconnects++;
    console.error(`soak: the console's socket disconnected (${reason}) at ${((Date.now() - t0) / HOUR_REAL_MS).toFixed(1)} h simulated; it reconnects with its session`);
  });
  let reported = 0;
  const sampler = setInterval(() => {
    const sample = { simHours: (Date.now() - t0) / HOUR_REAL_MS, rssMb: rssMb(shell.child.pid!) };
    samples.push(sample);
    if (sample.simHours >= reported + 4) {
      reported = Math.floor(sample.simHours);
      console.error(`soak: ${reported} h simulated, RSS ${Math.round(sample.rssMb)} MB, ${receipts.length} commands, ${pushes} pushes`);
    }
  }, 2_000);
  const commander = setInterval(() => {
    void (async () => {
      // A new report is accepted; otherwise (the county's auto-dispatch is quick at this speed) the top event gets a note.
      const page = await invoke<Page>(socket, 'events.list', { paging: { offset: 0, limit: 20 }, sort: 'reportedAt' });
      const target = page.items.find((e) => e.status === 'reported') ?? page.items[0];
      if (!target) return;
      const command = target.status === 'reported' ? ['event.accept', { id: target.id }] : ['event.comment', { id: target.id, note: `督办第 ${receipts.length + 1} 次` }];
      const receipt = await invoke<{ n: number }>(socket, command[0] as string, command[1]);
      receipts.push(receipt.n);
    })().catch((error: unknown) => {
      // A workflow refusal (the county dispatched the event first) or a call lost with a dropped socket.
      const code = /"code":"([^"]+)"/.exec(String(error))?.[1] ?? (String(error).includes('timed out') ? 'timeout' : 'other');
      failures.set(code, (failures.get(code) ?? 0) + 1);
    });
  }, COMMAND_EVERY_MS);

  await new Promise((r) => setTimeout(r, MINUTES * 60_000));
  clearInterval(commander);
  const drainedBy = Date.now() + 60_000;
  let status = await invoke<{ queueLength: number; state: string }>(socket, 'link.status');
  while (status.queueLength > 0 && Date.now() < drainedBy) {
    await new Promise((r) => setTimeout(r, 500));
    status = await invoke(socket, 'link.status');
  }
  clearInterval(sampler);
  const info = await invoke<{ replicaId: string }>(socket, 'app.info');
  const applied = (await (await fetch(`${countyUrl}/applied?replica=${info.replicaId}`, { headers: { authorization: `Bearer ${TOKEN}` } })).json()) as { n: number; status: string }[];
  socket.close();
  shell.child.kill('SIGTERM');
  await new Promise((r) => shell.child.once('exit', r));
  county.child.kill('SIGTERM');
  const integrity = checkFile(db);

  // RSS moves with each garbage collection: the median of the samples of the second simulated
  // hour (after the first) against the median of the last simulated hour.
  const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
  const lastHour = samples.at(-1)!.simHours;
  const firstHour = { rssMb: median(samples.filter((x) => x.simHours >= 1 && x.simHours < 2).map((x) => x.rssMb)) };
  const end = { simHours: lastHour, rssMb: median(samples.filter((x) => x.simHours >= lastHour - 1).map((x) => x.rssMb)) };
  const growth = (end.rssMb - firstHour.rssMb) / firstHour.rssMb;
  // Each command applied once: the county's numbers are 1..N without a repeat or a gap, and
  // every receipt is among them (a call whose answer was lost may still have been queued).
  const ns = applied.map((a) => a.n).sort((a, b) => a - b);
  const once = ns.every((n, i) => n === i + 1) && receipts.every((n) => ns.includes(n));
  const summary = {
    minutes: MINUTES,
    speedup: Math.round(SPEEDUP),
    simulatedHours: Math.round(end.simHours * 10) / 10,
    rssFirstHourMb: Math.round(firstHour.rssMb),
    rssEndMb: Math.round(end.rssMb),
    rssGrowthPct: Math.round(growth * 1000) / 10,
    commands: receipts.length,
    appliedByCounty: ns.length,
    failedCalls: Object.fromEntries(failures),
    appliedOnce: once,
    queueAtEnd: status.queueLength,
    pushes,
    consoleDisconnects: disconnects,
    loadAverage: loadavg().map((l) => Math.round(l * 10) / 10),
    integrity,
  };
  console.log(JSON.stringify(summary));
  const ok = Math.abs(growth) <= 0.1 && once && status.queueLength === 0 && integrity === 'ok';
  console.log(
    `| ${new Date().toISOString().slice(0, 10)} | ${summary.simulatedHours} h in ${MINUTES} min (×${summary.speedup}) | ${summary.rssFirstHourMb} MB | ${summary.rssEndMb} MB | ${summary.rssGrowthPct} % | ${summary.commands}, ${once ? 'each applied once' : 'NOT each once'} | ${status.queueLength} | ${integrity} | ${ok ? 'pass' : 'FAIL'} |`,
  );
  rmSync(dir, { recursive: true, force: true });
  process.exit(ok ? 0 : 1);
}

void main().catch((error: unknown) => {
  console.error(`soak: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
