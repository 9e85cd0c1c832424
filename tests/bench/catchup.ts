// Benchmark 2: catch-up. A fresh replica receives a town's queued changes (N events
// of realistic size plus the town's grids, departments, categories and workers)
// from the county simulator, through the real link client: each batch validated,
// applied with its cursor in one transaction, acknowledged after the commit, the next
// one sent only then (the county reads it while the town applies the previous one).
// The county's batches: 500 first, doubling while the town catches up, up to 5,000.
// While catching up the replica stores no masked views (event-masks.ts): they are filled
// in the background once it is current, timed here apart on the replica alone.
// Baseline in the same run: the same items in the same batches inserted by raw
// prepared statements, one transaction per batch; for reference also in pages of 500.
// The town runs without auto-dispatch rules: with config/dispatch-rules.json's (issue 13)
// it accepts and dispatches the 停电/井盖 events it receives, the county applies those
// commands and sends their changes as further batches, so the county moves under the
// measure and its snapshot is no longer the one the catch-up delivered.
import { copyFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { openDataService } from '../../electron/service/data-service';
import { Replica } from '../../electron/service/replica/replica';
import type { TownSnapshot } from '../../core/sync/protocol';
import type { FromSimulator, ToSimulator } from './catchup-county';
import { countyBatches, ensureCatchUpCounty } from './lib/catchup-data';
import { freshReplicaFile, rawApply, rawRows, type RawBatch } from './lib/raw';
import type { BenchReport } from './lib/report';
import { BENCH_DIR, collectingLogger, cpuMs, fmtInt, fmtMs, fmtRatio, forkTs, median, nowMs, scratchDir, type Child } from './lib/util';

export interface CatchUpOptions {
  cacheDir: string;
  /** Queued event changes (50,000 in the full run). */
  events: number;
  /** Runs of each measure (median kept). Default 1. */
  repeat?: number;
  seed?: number;
  log?: (line: string) => void;
}

export interface CatchUpResult {
  report: BenchReport;
  items: number;
  batches: number;
  linkMs: number;
  rawMs: number;
  /** Raw inserts of the same items in pages of 500 (the county's paging before catch-up batches). */
  raw500Ms: number;
  replicaMs: number;
  /** The batches the county's paging makes of these items (the link must commit as many). */
  expectedBatches: number;
  /** The replica equals the county's snapshot of the town after the catch-up. */
  equal: boolean;
  replicaEvents: number;
  /** Commands of the town settled by the county or queued during the runs (0: the county's log did not move under the measure). */
  commands: number;
}

/** Through the link at most 1.5× the raw inserts of the same run, and under 5 s (the full run: 50,000 events); applyBatch's CPU alone within 1.3× raw. */
export const CATCHUP_TARGETS = { maxRatio: 1.5, maxLinkMs: 5_000, maxApplyCpuRatio: 1.3 };

export async function runCatchUp(o: CatchUpOptions): Promise<CatchUpResult> {
  const log = o.log ?? (() => undefined);
  const repeat = Math.max(1, o.repeat ?? 1);
  const county = await ensureCatchUpCounty(o.cacheDir, o.events, o.seed ?? 1, log);
  const scratch = scratchDir('catchup');
  try {
    // The simulator writes nothing while it only serves, but it gets its own copy all the same.
    const countyFile = scratch.file('county.sqlite');
    copyFileSync(county.file, countyFile);
    // No auto-dispatch rule (see the head of this file): the town only receives.
    const noRules = scratch.file('dispatch-rules.json');
    writeFileSync(noRules, JSON.stringify({ version: 1, rules: [] }));
    // The same items as the county pages them, for the baselines (prepared outside the timed parts).
    const wire = countyBatches(countyFile, county.town);
    const items = wire.reduce((n, b) => n + b.items.length, 0);
    const rawBatches: RawBatch[] = wire.map((b) => ({ to: b.to, rows: rawRows(b.items) }));
    const raw500Batches: RawBatch[] = countyBatches(countyFile, county.town, { catchUpBatchSize: 500 }).map((b) => ({ to: b.to, rows: rawRows(b.items) }));

    const sim = forkTs<ToSimulator, FromSimulator>(path.join(BENCH_DIR, 'catchup-county.ts'), ['--db', countyFile], { stop: { type: 'stop' } });
    const links: LinkRun[] = [];
    const raws: number[] = [];
    const raw500s: number[] = [];
    const rawCpus: number[] = [];
    const alones: number[] = [];
    const aloneCpus: number[] = [];
    const fills: number[] = [];
    let masksOk = true;
    let countersOk = true;
    try {
      const ready = await sim.next((m): m is Extract<FromSimulator, { type: 'ready' }> => m.type === 'ready', 'the county simulator', 120_000);
      for (let r = 0; r < repeat; r++) {
        log(`catch-up: run ${r + 1}/${repeat}: a fresh replica receives ${fmtInt(items)} queued items through the link, then raw, then the replica alone…`);
        links.push(await linkRun(sim, ready.url, county.town, scratch.file(`replica-${r}.sqlite`), noRules));

        const raw = await freshReplicaFile(scratch.file(`raw-${r}.sqlite`), county.town);
        const rc0 = cpuMs();
        raws.push(rawApply(raw.db, rawBatches));
        rawCpus.push(cpuMs() - rc0);
        await raw.close();
        const raw500 = await freshReplicaFile(scratch.file(`raw500-${r}.sqlite`), county.town);
        raw500s.push(rawApply(raw500.db, raw500Batches));
        await raw500.close();

        // Reference: the replica alone (validation, revision rule, rows, documents, search index), no transport.
        const alone = await Replica.open({ file: scratch.file(`alone-${r}.sqlite`), town: county.town, log: { info: () => undefined, warn: () => undefined } });
        const a0 = nowMs();
        const ac0 = cpuMs();
        for (const b of wire) alone.applyBatch({ from: b.from, to: b.to, more: b.more, reset: false, lastN: null, items: b.items });
        alones.push(nowMs() - a0);
        aloneCpus.push(cpuMs() - ac0);
        // The masked views the catch-up left to the background fill (event-masks.ts), timed apart.
        const f0 = nowMs();
        alone.fillMasks();
        fills.push(nowMs() - f0);
        masksOk &&= maskedCount(alone) === alone.snapshot().events.length;
        countersOk &&= alone.counterMismatches().length === 0;
        await alone.close();
      }
    } finally {
      await sim.stop();
    }

    const linkMs = median(links.map((l) => l.ms));
    const townCpu = median(links.map((l) => l.townCpuMs));
    const countyCpu = median(links.map((l) => l.countyCpuMs));
    const rawMs = median(raws);
    const raw500Ms = median(raw500s);
    const rawCpuMs = median(rawCpus);
    const replicaMs = median(alones);
    const replicaCpuMs = median(aloneCpus);
    const applyCpuRatio = replicaCpuMs / rawCpuMs;
    const equal = links.every((l) => l.equal);
    const batchesOk = links.every((l) => l.batches === wire.length);
    const cursorOk = links.every((l) => l.cursorOk);
    const replicaEvents = links[links.length - 1]!.events;
    const commands = links.reduce((n, l) => n + l.commands, 0);
    const rate = (ms: number): string => `${fmtInt((items / ms) * 1000)}/s`;
    const ratio = linkMs / rawMs;
    const spread = (xs: number[]): string => (xs.length > 1 ? `runs ${xs.map((x) => fmtMs(x)).join(' / ')}` : '');
    const sizes = wire.map((b) => b.items.length);
    const paging = `${wire.length} batches (${sizes.slice(0, 5).map((n) => fmtInt(n)).join(', ')}${sizes.length > 5 ? ', …' : ''})`;
    const report: BenchReport = {
      name: 'catchup',
      title: `catch-up of ${fmtInt(county.events)} queued changes by a fresh replica`,
      setup:
        `${fmtInt(items)} items (${fmtInt(county.events)} events, the rest the town's grids, departments, categories, workers) in ${paging}: ` +
        `500 first, doubling while more, up to 5,000; from the county simulator (child process, loopback); replica WAL, synchronous = FULL; median of ${repeat} run(s)`,
      rows: [
        { name: 'catch-up through the link (ack after commit)', value: fmtMs(linkMs), baseline: fmtMs(rawMs), ratio: fmtRatio(ratio), note: `baseline: raw prepared inserts, same run, same batches${repeat > 1 ? `; ${spread(links.map((l) => l.ms))}` : ''}` },
        { name: 'raw inserts in pages of 500 (reference)', value: fmtMs(raw500Ms), baseline: fmtMs(rawMs), ratio: fmtRatio(raw500Ms / rawMs), note: 'the county paged every batch at 500 before' },
        { name: 'items per second through the link', value: rate(linkMs), baseline: rate(rawMs), ratio: fmtRatio(rawMs / linkMs) },
        { name: 'replica.applyBatch alone, same batches', value: fmtMs(replicaMs), baseline: fmtMs(rawMs), ratio: fmtRatio(replicaMs / rawMs), note: 'no transport, no county' },
        { name: 'CPU of replica.applyBatch alone', value: fmtMs(replicaCpuMs), baseline: fmtMs(rawCpuMs), ratio: fmtRatio(applyCpuRatio), note: 'validation, revision rule, rows, documents, search, counters, cursor' },
        { name: 'masked views stored after the catch-up', value: fmtMs(median(fills)), baseline: '—', ratio: '—', note: 'in the background once current, 500 events a step; reads mask on the fly meanwhile' },
        { name: 'the link beyond applyBatch alone', value: fmtMs(linkMs - replicaMs), baseline: '—', ratio: '—', note: 'Socket.IO, JSON, validation, round trips, the county' },
        { name: 'CPU during the catch-up (data service process)', value: fmtMs(townCpu), baseline: fmtMs(rawCpuMs), ratio: fmtRatio(townCpu / rawCpuMs), note: 'CPU time: less sensitive to disk waits' },
        { name: 'county CPU during the catch-up', value: fmtMs(countyCpu), baseline: '—', ratio: '—', note: 'the simulator: change log reads, JSON, Socket.IO' },
      ],
      checks: [
        { name: 'catch-up through the link vs raw inserts', measured: fmtRatio(ratio), target: `≤ ${CATCHUP_TARGETS.maxRatio}×`, pass: ratio <= CATCHUP_TARGETS.maxRatio },
        { name: `catch-up of ${fmtInt(county.events)} events through the link`, measured: fmtMs(linkMs), target: `< ${fmtMs(CATCHUP_TARGETS.maxLinkMs)}`, pass: linkMs < CATCHUP_TARGETS.maxLinkMs },
        {
          name: 'replica.applyBatch alone vs raw apply, CPU',
          measured: fmtRatio(applyCpuRatio),
          target: `≤ ${CATCHUP_TARGETS.maxApplyCpuRatio}×`,
          pass: applyCpuRatio <= CATCHUP_TARGETS.maxApplyCpuRatio,
        },
      ],
      verified: [
        `${equal ? 'ok' : 'MISMATCH'}: after each run the replica equals the county's snapshot of the town (${fmtInt(replicaEvents)} events)`,
        `${cursorOk ? 'ok' : 'MISMATCH'}: the cursor is stored and the replica is no longer catching up`,
        `${batchesOk ? 'ok' : 'MISMATCH'}: ${links.map((l) => l.batches).join(', ')} batches committed and acknowledged (${wire.length} expected)`,
        `${masksOk ? 'ok' : 'MISMATCH'}: after the background fill every event of the replica alone has its masked view stored`,
        `${countersOk ? 'ok' : 'MISMATCH'}: the queue counters of the replica alone equal a recount of its events`,
        `${commands === 0 ? 'ok' : 'MISMATCH'}: the town sent or queued ${commands} command(s) during the runs (0: its log did not move under the measure)`,
      ],
    };
    return { report, items, batches: links[links.length - 1]!.batches, expectedBatches: wire.length, linkMs, rawMs, raw500Ms, replicaMs, equal, replicaEvents, commands };
  } finally {
    scratch.cleanup();
  }
}

function maskedCount(replica: Replica): number {
  return (replica.store().db.prepare('SELECT COUNT(*) AS c FROM event_masks').get() as { c: number }).c;
}

interface LinkRun {
  ms: number;
  townCpuMs: number;
  countyCpuMs: number;
  batches: number;
  equal: boolean;
  events: number;
  cursorOk: boolean;
  /** Commands of this replica the county settled or the town still queues (after the snapshot was read). */
  commands: number;
}

/** A fresh replica catches up through the data service's link; then it is compared with the county. */
async function linkRun(sim: Child<ToSimulator, FromSimulator>, url: string, town: string, file: string, dispatchRules: string): Promise<LinkRun> {
  const countyCpuNow = async (): Promise<number> => {
    sim.send({ type: 'cpu' });
    return (await sim.next((m): m is Extract<FromSimulator, { type: 'cpu' }> => m.type === 'cpu', 'the county CPU time', 10_000)).ms;
  };
  const logger = collectingLogger();
  const k0 = await countyCpuNow();
  const t0 = nowMs();
  const c0 = cpuMs();
  const data = await openDataService({ db: file, town, county: url, logger, dispatchRules });
  try {
    let batches = 0;
    data.link.on('batch', () => void batches++);
    if (!(await data.initialSync(600_000))) throw new Error(`the catch-up did not finish: ${logger.lines.slice(-3).join(' | ')}`);
    const ms = nowMs() - t0;
    const townCpuMs = cpuMs() - c0;
    const countyCpuMs = (await countyCpuNow()) - k0;

    const response = await fetch(`${url}/snapshot?town=${town}`);
    const snapshot = (await response.json()) as TownSnapshot;
    const mine = data.replica.snapshot();
    const state = data.replica.state();
    const applied = (await (await fetch(`${url}/applied?replica=${data.replica.replicaId}`)).json()) as unknown[];
    return {
      ms,
      townCpuMs,
      countyCpuMs,
      batches,
      equal: isDeepStrictEqual(JSON.parse(JSON.stringify(mine)), snapshot),
      events: mine.events.length,
      cursorOk: state.cursor !== null && !state.catchingUp,
      // Settled by the county, or still queued in the town's outbox (the snapshot's round trip let the town's pushes run).
      commands: applied.length + data.link.status().queueLength,
    };
  } finally {
    await data.close();
  }
}
