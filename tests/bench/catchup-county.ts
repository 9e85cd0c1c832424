// Child process of the catch-up benchmark: the county simulator itself, serving a
// database that holds a town's queued changes (built once by lib/catchup-data.ts).
// Its CPU time is reported on request, so the benchmark can show the county's share.
import { startCountySimulator } from '../../county/simulator/index';
import { argValue, cpuMs, parentChannel } from './lib/util';

export type ToSimulator = { type: 'cpu' } | { type: 'stop' };
export type FromSimulator = { type: 'ready'; url: string; towns: string[] } | { type: 'cpu'; ms: number };

async function main(): Promise<void> {
  const channel = parentChannel<ToSimulator, FromSimulator>();
  const batchSize = Number(argValue('batch', '500'));
  const sim = await startCountySimulator({ port: 0, seed: 1, dbFile: argValue('db'), activity: false, batchSize });
  channel.on((m) => {
    if (m.type === 'cpu') channel.send({ type: 'cpu', ms: cpuMs() });
    else {
      void sim.close().then(() => process.exit(0));
      setTimeout(() => process.exit(0), 3000).unref();
    }
  });
  channel.send({ type: 'ready', url: sim.url, towns: sim.towns });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
