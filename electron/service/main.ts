// The data service as its own process. In Electron it runs as a utilityProcess
// (messages through `process.parentPort`); started with child_process.fork it
// uses `process.send`. Requests are `{ id, method, args, context }` (the window's
// context: the page's session token and the window as seat), answers `{ id, response }`;
// pushes `{ push: { topic, payload }, subscription }` per window subscription
// (core/api/channels.ts, ipc.ts). This file must not import 'electron': the same
// build runs under plain Node.
//
// With --db (and optionally --county, --town, --county-ca, --insecure-county; the county
// token from --county-token-file or GRIDDECK_COUNTY_TOKEN, never argv) it runs the replica service with its
// county link (data-service.ts; without --county the bundled county simulator runs
// inside this process). The Electron main process always passes --db
// (electron/main/service-args.ts).
import type { DataService } from './data-service';
import { openDataService } from './data-service';
import type { Channel } from './ipc';
import { serveChannel } from './ipc';
import { demoAccountLines } from './people/demo-accounts';
import type { ServiceArgs } from './options';
import { parseServiceArgs, serviceOptionsOf } from './options';
import type { ApiService } from './service';
import { createUnavailableService } from './service';

/** The part of Electron's ParentPort this process uses (present on `process` in a utilityProcess). */
interface ParentPort {
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
  postMessage(message: unknown): void;
}

function openChannel(): Channel | null {
  const parentPort = (process as NodeJS.Process & { parentPort?: ParentPort }).parentPort;
  if (parentPort) {
    return {
      onMessage: (listener) => parentPort.on('message', (event) => listener(event.data)),
      send: (message) => parentPort.postMessage(message),
    };
  }
  if (typeof process.send === 'function') {
    return {
      onMessage: (listener) => process.on('message', listener),
      send: (message) => process.send?.(message),
    };
  }
  return null;
}

/** A service that could not start: every call answers with the reason, no one has a session. */
const unavailable = (reason: string): { api: ApiService; data: null } => ({ api: createUnavailableService(reason), data: null });

/** The service the arguments ask for; a service that cannot start answers every call with the reason. */
async function openService(): Promise<{ api: ApiService; data: DataService | null }> {
  let args: ServiceArgs;
  try {
    args = parseServiceArgs(process.argv.slice(2), process.env);
  } catch (error) {
    return unavailable(`数据服务参数错误:${(error as Error).message}`);
  }
  if (args.db === undefined) return unavailable('数据服务参数错误:缺少 --db(本地副本文件)');
  try {
    const data = await openDataService({
      db: args.db,
      ...serviceOptionsOf(args),
    });
    console.error(`griddeck service: town ${data.town}, replica ${data.replica.replicaId}, county ${data.countyUrl}, log ${data.logFile ?? 'stderr'}`);
    // `npm start` shows the demo's accounts like the web shell does (the service's output is the app's).
    for (const line of demoAccountLines(data.demoAccounts)) console.log(line);
    return { api: data.service, data };
  } catch (error) {
    // Reported through every answer, not by exiting: the main process restarts a
    // service that exits, and a restart loop would hide the reason from the operator.
    const reason = error instanceof Error ? error.message : String(error);
    console.error(`griddeck service: ${reason}`);
    return unavailable(reason);
  }
}

async function main(): Promise<void> {
  const channel = openChannel();
  if (!channel) {
    console.error('griddeck service: no parent channel (run it as a utilityProcess or with child_process.fork)');
    process.exitCode = 2;
    return;
  }
  // Listen at once: requests that arrive while the replica opens wait for it, none is lost.
  const ready = openService();
  serveChannel(
    channel,
    ready.then(({ api }) => api),
  );
  const { api, data } = await ready;

  // utilityProcess.kill() sends SIGTERM: stop the link and close the replica cleanly.
  const stop = (): void => {
    void (data ? data.close() : api.close()).finally(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

void main();
