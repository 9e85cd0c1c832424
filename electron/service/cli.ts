// The data service alone, as a plain Node process (no shell, no API transport):
//   npx tsx electron/service/cli.ts --db FILE --town CODE --county https://HOST:PORT
//     [--county-token-file FILE] [--county-ca CA.pem] [--insecure-county] [--log-dir DIR] [--backup-dir DIR]
// (the token from an owner-only file or GRIDDECK_COUNTY_TOKEN, never from the command line)
// keeps the replica in sync with the county and sends the outbox; without --county it
// starts the bundled county simulator in-process (the demo). Prints one ready line
//   GridDeck data service ready: town <code>, replica <uuid>, county <url>, db <file>
// then, on the demo, one line per demo account (`demo account <username> (<role>):
// <password>`), then one line per link state change, and on SIGTERM/SIGINT stops the link and
// closes the replica (WAL checkpointed) before it exits.
import { openDataService } from './data-service';
import { demoAccountLines } from './people/demo-accounts';
import { parseServiceArgs, serviceOptionsOf } from './options';

const USAGE =
  'usage: tsx electron/service/cli.ts --db FILE [--town CODE] [--county https://HOST:PORT [--county-token-file FILE] [--county-ca CA.pem] [--insecure-county]] [--log-dir DIR] [--backup-dir DIR]';

async function main(): Promise<void> {
  let args;
  try {
    args = parseServiceArgs(process.argv.slice(2), process.env);
  } catch (error) {
    console.error(`griddeck service: ${(error as Error).message}`);
    console.error(USAGE);
    process.exitCode = 2;
    return;
  }
  const data = await openDataService({
    db: args.db ?? '.griddeck/replica.sqlite',
    ...serviceOptionsOf(args),
  });
  // Before the first line: a script that reads it may signal at once.
  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    void data.close().then(
      () => {
        console.log(`GridDeck data service stopped (${signal})`);
        process.exit(0);
      },
      (error: unknown) => {
        console.error(`griddeck service: ${error instanceof Error ? error.message : String(error)}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);

  console.log(`GridDeck data service ready: town ${data.town}, replica ${data.replica.replicaId}, county ${data.countyUrl}, db ${args.db ?? '.griddeck/replica.sqlite'}`);
  if (data.logFile) console.log(`GridDeck data service log: ${data.logFile}`);
  for (const line of demoAccountLines(data.demoAccounts)) console.log(line);
  let last = '';
  data.link.on('status', (s) => {
    const line = `${s.state}${s.refusal ? ` (${s.refusal})` : ''}${s.catchingUp ? ', catching up' : ''}${s.stalled ? ', STALLED' : ''}, outbox ${s.queueLength}`;
    if (line !== last) console.log(`link: ${line}`);
    last = line;
  });
}

main().catch((error: unknown) => {
  console.error(`griddeck service: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
