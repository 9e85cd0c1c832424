// Command line of the web shell:
//   npm run serve -- [--county URL --town CODE] [--db FILE] [--port N] [--host H] [--lan-name NAME]...
//                    [--cert FILE --key FILE] [--max-connections N] [--renderer DIR] [--duty always|day]
//                    [--demo-load town|heavy]
// Starts the data service (the replica in --db, default .griddeck/replica.sqlite, kept
// in sync with the county at --county; the county token from --county-token-file or
// GRIDDECK_COUNTY_TOKEN) and serves out/renderer and the app API (Socket.IO /api).
// Without --county it starts the bundled county simulator (the demo town, seed
// 20241112, its state in county.sqlite beside the replica, activity on, grid workers
// patrolling round the clock unless --duty day; a town's volume of events unless
// --demo-load heavy or GRIDDECK_DEMO_LOAD=heavy) and connects to it like to any county.
// Prints exactly one line "GridDeck listening on <url>" (scripts and tests wait for
// it), and stops cleanly on SIGINT/SIGTERM (link, replica, server). Every browser logs
// in (or, a wall, exchanges its device code): no access token is printed. Bound to a
// non-loopback address (--host) it serves HTTPS only, with the operator's certificate
// (--cert/--key) or one it makes and keeps in tls/ beside the replica, and prints the
// line "tls fingerprint sha256 <AB:CD:…>" for the screens to pin. Without --renderer it
// first builds out/renderer when that is missing or older than its sources, saying so
// in one line (renderer-build.ts).
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { DataService } from '../service/data-service';
import { openDataService } from '../service/data-service';
import { demoAccountLines } from '../service/people/demo-accounts';
import type { CliOptions } from './cli-options';
import { DEFAULT_RENDERER, ROOT, parseCli } from './cli-options';
import { ensureRenderer } from './renderer-build';
import type { WebServer } from './server';
import { startWebServer } from './server';
import type { TlsMaterial } from './tls';
import { loadCertificate } from './tls';
import { createHostPolicy, hostForUrl, isLoopbackHost, isWildcard } from './hosts';

/** A replica that never synced waits this long for the first full sync before the shell opens (then serves what it has). */
const FIRST_SYNC_WAIT_MS = 20_000;

function appVersion(): string {
  try {
    return (JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')) as { version?: string }).version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

async function main(): Promise<void> {
  let options: CliOptions;
  try {
    options = parseCli(process.argv.slice(2), process.env);
  } catch (error) {
    console.error(`griddeck web: ${(error as Error).message}`);
    console.error(
      'usage: tsx electron/web/cli.ts [--county URL --town CODE [--county-token-file F] [--county-ca CA.pem] [--insecure-county]] [--db FILE] [--port N] [--host 127.0.0.1] [--lan-name NAME]... [--cert FILE --key FILE] [--max-connections N] [--renderer DIR] [--duty always|day] [--demo-load town|heavy]',
    );
    process.exitCode = 2;
    return;
  }

  // Before the data service opens: a build takes a while, and the county link would idle meanwhile.
  if (options.rendererDir === DEFAULT_RENDERER) ensureRenderer({ root: ROOT, outDir: options.rendererDir, say: (line) => console.log(line) });

  const data: DataService = await openDataService({
    db: options.db,
    ...(options.county ? { county: options.county } : {}),
    ...(options.countyToken ? { countyToken: options.countyToken } : {}),
    ...(options.countyTokenFile ? { countyTokenFile: options.countyTokenFile } : {}),
    ...(options.countyCa ? { countyCa: options.countyCa } : {}),
    ...(options.insecureCounty ? { insecureCounty: true } : {}),
    ...(options.town ? { town: options.town } : {}),
    ...(options.duty || options.demoLoad ? { simulator: { ...(options.duty ? { duty: options.duty } : {}), ...(options.demoLoad ? { load: options.demoLoad } : {}) } } : {}),
    mode: 'web',
    version: appVersion(),
  });
  const source = data.simulator ? `the bundled county simulator at ${data.countyUrl}` : data.countyUrl;
  console.log(`town ${data.town}, replica ${data.replica.replicaId} (${options.db}), county: ${source}`);
  // A first start shows an empty town until the first sync: wait for it, bounded (the county may be down).
  if (!(await data.initialSync(FIRST_SYNC_WAIT_MS))) console.log('(the county has not answered yet: serving the replica as it is; it syncs in the background)');

  let server;
  let tls: TlsMaterial | undefined;
  try {
    tls = await lanCertificate(options);
    server = await startWebServer({
      service: data.service,
      port: options.port,
      host: options.host,
      lanNames: options.lanNames,
      rendererDir: options.rendererDir,
      ...(tls ? { tls } : {}),
      ...(options.maxConnections !== undefined ? { maxConnectionsPerAddress: options.maxConnections } : {}),
    });
  } catch (error) {
    await data.close();
    throw error;
  }

  stopOnSignals(server, data);
  console.log(`GridDeck listening on ${server.url}`);
  if (!server.servesRenderer) console.log(`(no built renderer in ${options.rendererDir}: run \`npm run build\`; the API answers anyway)`);
  if (tls) {
    console.log(`tls fingerprint sha256 ${tls.fingerprint}`);
    if (tls.origin === 'made') console.log(`(a new certificate, kept in ${join(dirname(options.db), 'tls')}: screens that pinned the old one must pin this one)`);
    const others = server.names.filter((n) => !isLoopbackHost(n));
    if (others.length > 0) console.log(`LAN screens: ${others.map((n) => `https://${hostForUrl(n)}:${server.port}`).join(' ')}`);
  }
  for (const line of demoAccountLines(data.demoAccounts)) console.log(line);
}

/** Stops on SIGINT/SIGTERM: set before the start lines are printed, so a script that stops the shell once it read them is heard. */
function stopOnSignals(server: WebServer, data: DataService): void {
  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    // The server first (no new calls), then the link and the replica (WAL checkpointed on close).
    void server
      .close()
      .then(() => data.close())
      .then(
        () => {
          console.log(`GridDeck stopped (${signal})`);
          process.exit(0);
        },
        (error: unknown) => {
          console.error(`griddeck web: ${error instanceof Error ? error.message : String(error)}`);
          process.exit(1);
        },
      );
    // Never hang on a stuck connection.
    setTimeout(() => process.exit(0), 5000).unref();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

/** The certificate of a LAN bind (none on loopback, served over plain HTTP): the operator's, or the shell's own. */
async function lanCertificate(options: CliOptions): Promise<TlsMaterial | undefined> {
  if (isLoopbackHost(options.host)) {
    if (options.cert) console.log('(--cert and --key are not used on loopback: it is served over plain HTTP)');
    return undefined;
  }
  // The names the certificate must cover are the ones the shell will serve (the port does not matter here).
  const names = createHostPolicy({ bound: options.host, port: options.port, secure: true, lanNames: options.lanNames }).names;
  const where = isWildcard(options.host) ? 'every address of this machine' : options.host;
  console.log(`serving HTTPS on ${where} (plain HTTP is for loopback only)`);
  return loadCertificate({ dir: join(dirname(options.db), 'tls'), names, ...(options.cert && options.key ? { certFile: options.cert, keyFile: options.key } : {}) });
}

main().catch((error: unknown) => {
  console.error(`griddeck web: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
