// The ledger export measured in a process of its own (spawned by tests/bench/assessment.ts):
//   node --import tsx tests/bench/export-child.ts <replica.sqlite> <town> [role]
// It opens the replica and the data service as the app does (Replica.open,
// createReplicaService), then exports the whole event ledger the way the user does:
// exports.create, exports.status until done, exports.read chunk by chunk into a file.
// It prints one JSON line: the export's time, the rows written, the file's size, the
// RSS before, the RSS sampled while the export runs, and the process's peak RSS
// (resourceUsage().maxRSS, which also counts opening the replica).
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { Caller } from '../../core/api/channels';
import { EXPORT_CHUNK } from '../../core/api/assessment';
import type { AccountRole } from '../../core/model';
import { createReplicaService } from '../../electron/service/replica-service';
import { Replica } from '../../electron/service/replica/replica';

export interface ExportChildResult {
  ms: number;
  /** CPU time (user + system) the process spent from exports.create to the last chunk read: less sensitive to a shared machine's load than ms. */
  cpuMs: number;
  rows: number;
  total: number | null;
  size: number;
  baseMb: number;
  sampledPeakMb: number;
  maxRssMb: number;
  /** The largest V8 heap (heapTotal) and off-heap memory (external: buffers, exceljs's and the zip's) sampled. */
  heapPeakMb: number;
  externalPeakMb: number;
  /** The RSS, and the process's maxRSS, when the file was written (before the download's reads). */
  writtenMb: number;
  writtenMaxMb: number;
}

interface Status {
  id: string;
  state: string;
  rows: number;
  total: number | null;
  size: number;
  error?: string;
}

const mb = (bytes: number): number => bytes / 2 ** 20;

async function main(): Promise<void> {
  const [file, town, role = 'leader', out] = process.argv.slice(2);
  if (!file || !town) throw new Error('usage: export-child.ts <replica.sqlite> <town> [role] [out.xlsx]');
  const caller: Caller = { role: role as AccountRole };
  const replica = await Replica.open({ file, town, log: { info: () => undefined, warn: () => undefined } });
  const service = createReplicaService({ replica, clock: Date.now, assessment: { store: replica.store() }, log: { error: (m, d) => console.error(m, d) } });
  const call = async <T>(method: string, args: unknown): Promise<T> => {
    const r = await service.handle(method as never, args, caller);
    if (!r.ok) throw new Error(`${method}: ${r.error.message}`);
    return r.result as T;
  };
  const baseMb = mb(process.memoryUsage().rss);
  let sampledPeakMb = baseMb;
  let heapPeakMb = 0;
  let externalPeakMb = 0;
  const sampler = setInterval(() => {
    const m = process.memoryUsage();
    sampledPeakMb = Math.max(sampledPeakMb, mb(m.rss));
    heapPeakMb = Math.max(heapPeakMb, mb(m.heapTotal));
    externalPeakMb = Math.max(externalPeakMb, mb(m.external));
  }, 20);
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  try {
    let status = await call<Status>('exports.create', { kind: 'events', filter: {} });
    while (status.state === 'running') {
      await new Promise((r) => setTimeout(r, 25));
      status = await call<Status>('exports.status', { id: status.id });
    }
    if (status.state !== 'done') throw new Error(`the export failed: ${status.error}`);
    const writtenMb = mb(process.memoryUsage().rss);
    const writtenMaxMb = process.resourceUsage().maxRSS / 1024;
    // The download, as the client reads it: chunk by chunk, appended to a file. The client
    // is another process in the app (the renderer); here it decodes into one buffer and
    // waits for each write, so its own garbage does not count against the service's RSS.
    const sink = createWriteStream(out ?? '/dev/null');
    const decoded = Buffer.alloc(EXPORT_CHUNK);
    for (let offset = 0; ; ) {
      const chunk = await call<{ data: string; done: boolean }>('exports.read', { id: status.id, offset });
      const n = decoded.write(chunk.data, 'base64');
      await new Promise<void>((resolve, reject) => sink.write(decoded.subarray(0, n), (error) => (error ? reject(error) : resolve())));
      offset += n;
      if (chunk.done) break;
    }
    sink.end();
    await once(sink, 'finish');
    const ms = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    clearInterval(sampler);
    sampledPeakMb = Math.max(sampledPeakMb, mb(process.memoryUsage().rss));
    const result: ExportChildResult = { ms, cpuMs: (cpu.user + cpu.system) / 1000, rows: status.rows, total: status.total, size: status.size, baseMb, sampledPeakMb, maxRssMb: process.resourceUsage().maxRSS / 1024, heapPeakMb, externalPeakMb, writtenMb, writtenMaxMb };
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    clearInterval(sampler);
    await service.close();
    await replica.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
