// The data service as its own process. In Electron it runs as a utilityProcess
// (messages through `process.parentPort`); started with child_process.fork it
// uses `process.send`. Requests are `{ id, method, args }`, answers
// `{ id, response }`, pushes `{ push: { topic, payload } }` (core/api/channels.ts).
// This file must not import 'electron': the same build runs under plain Node.
//
// With --db (and optionally --county, --town; the county token from
// GRIDDECK_COUNTY_TOKEN or --county-token) it runs the replica service with its
// county link (data-service.ts; without --county the bundled county simulator runs
// inside this process). The Electron main process always passes --db
// (electron/main/service-args.ts).
import type { ServiceMessage, ServiceRequest } from '../../core/api/channels';
import type { DataService } from './data-service';
import { openDataService } from './data-service';
import { callerOf } from './privacy';
import type { ServiceArgs } from './options';
import { parseServiceArgs } from './options';
import type { ApiService } from './service';
import { createUnavailableService } from './service';

/** The part of Electron's ParentPort this process uses (present on `process` in a utilityProcess). */
interface ParentPort {
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
  postMessage(message: unknown): void;
}

interface Channel {
  onMessage(listener: (message: unknown) => void): void;
  send(message: ServiceMessage): void;
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

function isRequest(message: unknown): message is ServiceRequest {
  if (typeof message !== 'object' || message === null) return false;
  const m = message as Record<string, unknown>;
  return typeof m.id === 'number' && Number.isSafeInteger(m.id) && typeof m.method === 'string';
}

/** The service the arguments ask for; a service that cannot start answers every call with the reason. */
async function openService(): Promise<{ api: ApiService; data: DataService | null }> {
  let args: ServiceArgs;
  try {
    args = parseServiceArgs(process.argv.slice(2), process.env);
  } catch (error) {
    return { api: createUnavailableService(`数据服务参数错误:${(error as Error).message}`), data: null };
  }
  if (args.db === undefined) return { api: createUnavailableService('数据服务参数错误:缺少 --db(本地副本文件)'), data: null };
  try {
    const data = await openDataService({
      db: args.db,
      ...(args.town ? { town: args.town } : {}),
      ...(args.county ? { county: args.county } : {}),
      ...(args.countyToken ? { countyToken: args.countyToken } : {}),
      mode: args.mode,
      ...(args.appVersion ? { version: args.appVersion } : {}),
    });
    console.error(`griddeck service: town ${data.town}, replica ${data.replica.replicaId}, county ${data.countyUrl}`);
    return { api: data.service, data };
  } catch (error) {
    // Reported through every answer, not by exiting: the main process restarts a
    // service that exits, and a restart loop would hide the reason from the operator.
    const reason = error instanceof Error ? error.message : String(error);
    console.error(`griddeck service: ${reason}`);
    return { api: createUnavailableService(reason), data: null };
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
  channel.onMessage((message) => {
    if (!isRequest(message)) return;
    void ready.then(({ api }) => api.handle(message.method, message.args, callerOf(message))).then((response) => channel.send({ id: message.id, response }));
  });
  const { api, data } = await ready;
  // The host forwards pushes to every window, the wall's too: they leave masked as for a
  // viewer, and the console fetches an event it shows in full (renderer event store).
  api.subscribe((topic, payload) => channel.send({ push: { topic, payload } }), { role: 'viewer' });

  // utilityProcess.kill() sends SIGTERM: stop the link and close the replica cleanly.
  const stop = (): void => {
    void (data ? data.close() : api.close()).finally(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

void main();
