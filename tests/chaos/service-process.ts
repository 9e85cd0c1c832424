// The data service as the chaos suite runs it: a child process it can SIGKILL. The same
// pieces as the web shell (electron/web/cli.ts): openDataService (replica + county link +
// app API) behind startWebServer (Socket.IO /api), with the link's timeouts and backoff
// cut to fractions of a second so a run heals in seconds, not minutes.
//
//   node --import tsx tests/chaos/service-process.ts --county URL --town CODE --db FILE
//        [--clock MS] [--kill-in KIND:K]
//
// Prints "GridDeck listening on <url>", then "cursor <c>" after every committed batch
// (the driver checks that the cursor never moves backwards between two of them).
//
// --kill-in KIND:K makes the process SIGKILL itself in the middle of its K-th write of
// that kind, inside the open SQLite transaction (a TEMP trigger calls a function that
// sends the signal): a crash mid-write that an outside kill could only hit by luck.
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { openDataService, type DataService } from '../../electron/service/data-service';
import { startWebServer, type WebServer } from '../../electron/web/server';
import { CHAOS_ACCOUNT, CHAOS_ADMIN } from './processes';

const KILL_KINDS = ['batch', 'item', 'command', 'ack', 'positions'] as const;
type KillKind = (typeof KILL_KINDS)[number];

/** The statement each kind of write runs inside its transaction (the trigger fires there). */
const KILL_TRIGGERS: Record<KillKind, string> = {
  // applyBatch: the cursor is written last, after every item of the batch.
  batch: 'AFTER UPDATE OF cursor ON main.meta',
  // applyBatch: each event an item puts (mid-batch, half of the items written).
  item: 'AFTER INSERT ON main.event_docs',
  // command(): the outbox row of a dispatcher's command, before its optimistic view.
  command: 'AFTER INSERT ON main.outbox',
  // acknowledge(): the county's answer recorded.
  ack: 'AFTER UPDATE OF state ON main.outbox',
  // applyPositions: each stored fix.
  positions: 'AFTER INSERT ON main.track_points',
};

interface Args {
  county: string;
  town: string;
  db: string;
  clock: number | null;
  killIn: { kind: KillKind; at: number } | null;
}

function parse(argv: readonly string[]): Args {
  const get = (flag: string): string | undefined => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const county = get('--county');
  const town = get('--town');
  const db = get('--db');
  if (!county || !town || !db) throw new Error('usage: service-process.ts --county URL --town CODE --db FILE [--clock MS] [--kill-in KIND:K]');
  const clock = get('--clock');
  const kill = get('--kill-in');
  let killIn: Args['killIn'] = null;
  if (kill) {
    const [kind, at] = kill.split(':');
    if (!(KILL_KINDS as readonly string[]).includes(kind ?? '') || !(Number(at) >= 1)) throw new Error(`bad --kill-in ${kill}`);
    killIn = { kind: kind as KillKind, at: Number(at) };
  }
  return { county, town, db, clock: clock === undefined ? null : Number(clock), killIn };
}

interface RawDb {
  exec(sql: string): void;
  function(name: string, fn: () => number): void;
}

/** Arms the self-kill: a TEMP trigger (this connection only, never stored in the file) on the replica's own handle. */
function armKill(data: DataService, kind: KillKind, at: number): void {
  // The replica keeps its better-sqlite3 handle private; the harness reaches in on purpose,
  // so the kill happens inside the replica's own transaction.
  const db = (data.replica as unknown as { db: RawDb }).db;
  let count = 0;
  db.function('chaos_kill', () => {
    if (++count >= at) process.kill(process.pid, 'SIGKILL');
    return 0;
  });
  db.exec(`CREATE TEMP TRIGGER chaos_kill ${KILL_TRIGGERS[kind]} BEGIN SELECT chaos_kill(); END;`);
}

async function main(): Promise<void> {
  const args = parse(process.argv.slice(2));
  const started = Date.now();
  // The county's clock is the test's manual clock: the service's follows it from where it was at spawn.
  const clock = args.clock === null ? Date.now : () => (args.clock as number) + (Date.now() - started);
  const verbose = process.env.CHAOS_VERBOSE === '1';
  const log = (m: string): void => {
    if (verbose) process.stderr.write(`[service ${process.pid}] ${m}\n`);
  };
  const data = await openDataService({
    db: args.db,
    county: args.county,
    town: args.town,
    clock,
    logger: { info: log, warn: log, error: (m) => process.stderr.write(`[service ${process.pid}] ${m}\n`) },
    link: { backoffMinMs: 20, backoffMaxMs: 250, mutateTimeoutMs: 1_500, stallMs: 60_000, transports: ['websocket'] },
  });
  if (args.killIn) armKill(data, args.killIn.kind, args.killIn.at);
  // Written synchronously (a pipe on Linux), so a line printed is never lost to a later SIGKILL.
  data.link.on('batch', (info) => {
    const cursor = data.replica.state().cursor;
    if (cursor !== null) process.stdout.write(`cursor ${cursor}${info.reset ? ' reset' : ''}\n`);
  });
  let server: WebServer;
  try {
    // The driver logs in as the chaos dispatcher (processes.ts; made on the first start, kept
    // in the replica after); its calls are the test's load, not a flood to slow down.
    await data.service.handle('accounts.create', { ...CHAOS_ACCOUNT, name: '混沌测试调度员', role: 'dispatcher' }, CHAOS_ADMIN);
    server = await startWebServer({ service: data.service, port: 0, host: '127.0.0.1', rendererDir: join(tmpdir(), 'griddeck-chaos-no-renderer'), limits: { callsPerSecond: 1e6, callBurst: 1e6 } });
  } catch (error) {
    await data.close();
    throw error;
  }
  process.stdout.write(`GridDeck listening on ${server.url}\n`);

  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    void server
      .close()
      .then(() => data.close())
      .then(
        () => process.exit(0),
        (error: unknown) => {
          process.stderr.write(`chaos service: ${error instanceof Error ? error.message : String(error)}\n`);
          process.exit(1);
        },
      );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`chaos service: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
