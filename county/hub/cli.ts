// The county hub alone:
//   npm run hub -- --port N [--database URL] [--redis URL] [--token-file F] [--world demo|none]
//                  [--seed S] [--towns N --grids-per-town M] [--rate EVENTS_PER_HOUR]
//                  [--duty day|always] [--registers synthetic|none]
// Prints exactly one line "county hub on http://127.0.0.1:N serving towns: <codes>" on
// stdout (scripts and tests wait for it); its structured logs (pino, JSON) go to stderr.
// Without --database it runs on PGlite in memory with the demo world (--world demo).
//
// The admin command:
//   npm run hub -- towns (--database URL | --url http://127.0.0.1:N [--token-file F])
// lists the towns served, their token's state and id, their last contact and their log's head;
//   npm run hub -- token (issue | rotate | revoke) --database URL --town CODE
// gives a town a new token (printed once, alone on stdout) or revokes it (admin.ts).
import { pino } from 'pino';
import { listTowns, tokenCommand } from './admin';
import { USAGE, parseHubCli } from './cli-options';
import { startHub, type HubOptions } from './index';

async function serve(argv: readonly string[]): Promise<void> {
  let options: Omit<HubOptions, 'log'>;
  try {
    options = parseHubCli(argv);
  } catch (error) {
    console.error(`county hub: ${(error as Error).message}`);
    console.error(USAGE);
    process.exitCode = 2;
    return;
  }
  const logger = pino({ name: 'county-hub', base: { pid: process.pid } }, pino.destination(2));
  const hub = await startHub({
    ...options,
    log: (line) => {
      if (!line.startsWith('county hub on ')) logger.info(line.replace(/^county hub: /, ''));
    },
  });
  console.log(`county hub on ${hub.url} serving towns: ${hub.towns.join(',')}`);
  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    void hub.close().then(
      () => {
        logger.info(`stopped (${signal})`);
        process.exit(0);
      },
      () => process.exit(1),
    );
    setTimeout(() => process.exit(0), 3000).unref();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  // A lost database or Redis connection is logged and retried, never a crash.
  process.on('unhandledRejection', (reason) => logger.error(`unhandled: ${reason instanceof Error ? reason.message : String(reason)}`));
}

const argv = process.argv.slice(2);
const print = (line: string): void => console.log(line);
const say = (line: string): void => console.error(line);
const run = argv[0] === 'towns' ? listTowns(argv.slice(1), print) : argv[0] === 'token' ? tokenCommand(argv.slice(1), print, say) : serve(argv);
run.catch((error: unknown) => {
  console.error(`county hub: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
