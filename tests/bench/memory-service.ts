// Child process of the memory benchmark: the data service as it runs in production
// (openDataService: replica, county link, app API), on a given replica file, with its
// county unreachable (the link stays offline and changes nothing). It reports its
// memory after opening and after a set of events.list queries, and the times of
// those queries through the API and as plain SQL on a second connection.
import { createServer } from 'node:net';
import { EventsListArgsSchema } from '../../core/api/contract';
import { openDataService } from '../../electron/service/data-service';
import type { Statement } from '../../electron/service/db/sqlite';
import { openRaw, rawEventsList } from './lib/raw';
import { argValue, median, parentChannel, silentLogger, sleep } from './lib/util';

export interface MemorySample {
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
}

export interface QueryTiming {
  name: string;
  total: number;
  coldMs: number;
  serviceMs: number;
  rawMs: number;
  sameTotal: boolean;
}

export type ToService = { type: 'run'; queries: { name: string; args: unknown }[]; repeat: number } | { type: 'stop' };
export type FromService =
  | { type: 'opened'; openMs: number; memory: MemorySample }
  | { type: 'done'; afterQueries: MemorySample; maxRss: number; queries: QueryTiming[] }
  | { type: 'error'; message: string };

function sample(): MemorySample {
  // Collected twice: the first pass runs finalizers that free more in the second.
  global.gc?.();
  global.gc?.();
  const m = process.memoryUsage();
  return { rss: m.rss, heapUsed: m.heapUsed, heapTotal: m.heapTotal, external: m.external };
}

/** A loopback port nobody listens on: the link's connection is refused at once. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function main(): Promise<void> {
  const channel = parentChannel<ToService, FromService>();
  const db = argValue('db');
  const town = argValue('town');
  const county = `http://127.0.0.1:${await closedPort()}`;
  const t0 = performance.now();
  const data = await openDataService({ db, town, county, logger: silentLogger, link: { backoffMinMs: 60_000, backoffMaxMs: 60_000 } });
  const openMs = performance.now() - t0;
  await sleep(300);
  channel.send({ type: 'opened', openMs, memory: sample() });

  channel.on((m) => {
    if (m.type === 'stop') {
      void data.close().then(() => process.exit(0));
      setTimeout(() => process.exit(0), 5000).unref();
      return;
    }
    void (async () => {
      try {
        const call = async (args: unknown): Promise<{ ms: number; total: number }> => {
          const s = performance.now();
          const r = await data.service.handle('events.list', args);
          const ms = performance.now() - s;
          if (!r.ok) throw new Error(`events.list ${JSON.stringify(args)}: ${r.error.code} ${r.error.message}`);
          return { ms, total: (r.result as { total: number }).total };
        };
        // Pass 1, the service alone: each query once (cold), then the memory it leaves.
        const cold: { ms: number; total: number }[] = [];
        for (const q of m.queries) cold.push(await call(q.args));
        const afterQueries = sample();
        const maxRss = process.resourceUsage().maxRSS * 1024;

        // Pass 2, timings: the API and the same SQL on a connection of its own, alternating,
        // so that whatever else the machine does hits both alike.
        const raw = openRaw(db, true);
        const statements = new Map<string, Statement>();
        const queries: QueryTiming[] = [];
        m.queries.forEach((q, i) => queries.push({ name: q.name, total: cold[i]!.total, coldMs: cold[i]!.ms, serviceMs: 0, rawMs: 0, sameTotal: false }));
        const serviceTimes: number[][] = m.queries.map(() => []);
        const rawTimes: number[][] = m.queries.map(() => []);
        for (let k = 0; k <= m.repeat; k++) {
          for (let i = 0; i < m.queries.length; i++) {
            const q = m.queries[i]!;
            const args = EventsListArgsSchema.parse(q.args);
            const service = await call(q.args);
            const s = performance.now();
            const r = rawEventsList(raw, args, statements);
            const rawMs = performance.now() - s;
            // The first round warms the raw connection's statements; it is not counted.
            if (k === 0) {
              queries[i]!.sameTotal = r.total === service.total && r.total === queries[i]!.total;
              continue;
            }
            serviceTimes[i]!.push(service.ms);
            rawTimes[i]!.push(rawMs);
          }
        }
        raw.close();
        queries.forEach((q, i) => {
          q.serviceMs = median(serviceTimes[i]!);
          q.rawMs = median(rawTimes[i]!);
        });
        channel.send({ type: 'done', afterQueries, maxRss, queries });
      } catch (error) {
        channel.send({ type: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
      }
    })();
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
