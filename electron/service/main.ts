// The data service as its own process. In Electron it runs as a utilityProcess
// (messages through `process.parentPort`); started with child_process.fork it
// uses `process.send`. Requests are `{ id, method, args }`, answers
// `{ id, response }`, pushes `{ push: { topic, payload } }` (core/api/channels.ts).
// This file must not import 'electron': the same build runs under plain Node.
import { fileURLToPath } from 'node:url';
import type { ServiceMessage, ServiceRequest } from '../../core/api/channels';
import { createDemoService } from './demo-service';
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

function argValue(argv: readonly string[], name: string): string | undefined {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
}

function isRequest(message: unknown): message is ServiceRequest {
  if (typeof message !== 'object' || message === null) return false;
  const m = message as Record<string, unknown>;
  return typeof m.id === 'number' && Number.isSafeInteger(m.id) && typeof m.method === 'string';
}

const DEFAULT_DATASET = fileURLToPath(new URL('../../resources/demo-town/town.json', import.meta.url));

async function main(): Promise<void> {
  const channel = openChannel();
  if (!channel) {
    console.error('griddeck service: no parent channel (run it as a utilityProcess or with child_process.fork)');
    process.exitCode = 2;
    return;
  }
  const argv = process.argv.slice(2);
  const datasetPath = argValue(argv, '--dataset') ?? process.env.GRIDDECK_DATASET ?? DEFAULT_DATASET;
  const mode = argValue(argv, '--mode') === 'electron' ? 'electron' : 'web';

  // A dataset that cannot be loaded is reported through every answer, not by
  // exiting: the main process restarts a service that exits, and a restart loop
  // would hide the reason from the operator.
  let service: ApiService;
  try {
    service = await createDemoService({ datasetPath, mode, version: argValue(argv, '--app-version') });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    console.error(`griddeck service: ${reason}`);
    service = createUnavailableService(reason);
  }

  service.subscribe((topic, payload) => channel.send({ push: { topic, payload } }));
  channel.onMessage((message) => {
    if (!isRequest(message)) return;
    void service.handle(message.method, message.args).then((response) => channel.send({ id: message.id, response }));
  });
}

void main();
