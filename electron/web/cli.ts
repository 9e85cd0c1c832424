// Command line of the web shell:
//   npx tsx electron/web/cli.ts --port 4173 [--host 127.0.0.1] [--dataset FILE]
// (`npm run serve -- --port 4173`). Serves out/renderer, so build first.
// Prints exactly one line "GridDeck listening on <url>" (scripts and tests wait
// for it), then the access tokens, and stops cleanly on SIGINT/SIGTERM.
import { readFileSync } from 'node:fs';
import { createDemoService } from '../service/demo-service';
import type { CliOptions } from './cli-options';
import { ROOT, parseCli } from './cli-options';
import { startWebServer } from './server';


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
    options = parseCli(process.argv.slice(2));
  } catch (error) {
    console.error(`griddeck web: ${(error as Error).message}`);
    console.error('usage: tsx electron/web/cli.ts --port N [--host 127.0.0.1] [--dataset FILE] [--renderer DIR]');
    process.exitCode = 2;
    return;
  }

  const service = await createDemoService({ datasetPath: options.dataset, mode: 'web', version: appVersion() });
  const server = await startWebServer({ service, port: options.port, host: options.host, rendererDir: options.rendererDir });

  console.log(`GridDeck listening on ${server.url}`);
  if (!server.servesRenderer) console.log(`(no built renderer in ${options.rendererDir}: run \`npm run build\`; the API answers anyway)`);
  console.log(`LAN screens need a token: ${server.url}/?token=${server.tokens.full}`);
  console.log(`read-only (wall, meeting screens): ${server.url}/?token=${server.tokens.readOnly}`);

  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    void Promise.all([server.close(), service.close()]).then(() => {
      console.log(`GridDeck stopped (${signal})`);
      process.exit(0);
    });
    // Never hang on a stuck connection.
    setTimeout(() => process.exit(0), 3000).unref();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(`griddeck web: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
