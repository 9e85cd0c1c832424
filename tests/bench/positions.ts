// Benchmark 1: position fixes per second through the whole town side: Socket.IO
// from a county on loopback → the county link (envelope check) → the replica
// (validation, track + latest position in one transaction per message, pruning)
// → the data service's coalesced `positions` push to a subscriber. Baseline in the
// same run: the same rows written by raw prepared statements, one transaction per
// message, on a file of the replica's schema. Each measure is repeated and the
// median kept; the three kinds of run alternate so that drift hits them alike.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { PositionFix } from '../../core/model';
import { openDataService } from '../../electron/service/data-service';
import { Replica } from '../../electron/service/replica/replica';
import type { FromCounty, PositionsData, ToCounty } from './positions-county';
import { freshReplicaFile, openRaw, rawPositions } from './lib/raw';
import type { BenchReport } from './lib/report';
import { BENCH_DIR, collectingLogger, cpuMs, fmtInt, fmtMs, fmtRatio, forkTs, median, nowMs, scratchDir, until, type Child } from './lib/util';

export interface PositionsOptions {
  cacheDir: string;
  /** Level-3 grids of the one town (about 2.1 workers per grid): 5000 is the benchmark county's 10,000 workers. */
  grids: number;
  /** Messages streamed (one fix of every worker each). */
  messages: number;
  /** Runs of each measure (median kept). Default 1. */
  repeat?: number;
  seed?: number;
  log?: (line: string) => void;
}

export interface PositionsResult {
  report: BenchReport;
  workers: number;
  fixes: number;
  stackFixesPerSec: number;
  rawFixesPerSec: number;
  replicaFixesPerSec: number;
  pushes: number;
  maxPushesPerSecond: number;
  /** Content checks of every stack run: the replica's latest positions and the last push equal the last message. */
  latestMatches: boolean;
  /** Track points stored by the last stack run (every fix sent, once). */
  trackPoints: number;
  warnings: string[];
}

/** Targets of docs/performance.md. */
export const POSITIONS_TARGETS = { minRatio: 0.2, maxPushesPerSecond: 10 };

type Ready = Extract<FromCounty, { type: 'ready' }>;

interface StackRun {
  wallMs: number;
  townCpuMs: number;
  countyCpuMs: number;
  pushes: number;
  pushesPerSec: number;
  maxPerSecond: number;
  latestMatches: boolean;
  trackPoints: number;
  warnings: string[];
}

export async function runPositions(o: PositionsOptions): Promise<PositionsResult> {
  const log = o.log ?? (() => undefined);
  const seed = o.seed ?? 1;
  const repeat = Math.max(1, o.repeat ?? 1);
  const scratch = scratchDir('positions');
  const dataFile = scratch.file('positions.json');
  const county = forkTs<ToCounty, FromCounty>(
    path.join(BENCH_DIR, 'positions-county.ts'),
    ['--cache', o.cacheDir, '--grids', String(o.grids), '--messages', String(o.messages), '--seed', String(seed), '--out', dataFile],
    { stop: { type: 'stop' } },
  );
  try {
    log(`positions: preparing one town of ${o.grids} grids and ${o.messages} messages in the county process…`);
    const ready = await county.next((m): m is Ready => m.type === 'ready', 'the county double', 300_000);
    const stream = JSON.parse(readFileSync(dataFile, 'utf8')) as PositionsData;
    // The service's clock runs from the county's time, so the fixes are current for the replica.
    const realStart = Date.now();
    const clock = (): number => ready.t0 + (Date.now() - realStart);

    const stacks: StackRun[] = [];
    const raws: number[] = [];
    const rawCpus: number[] = [];
    const alones: number[] = [];
    for (let r = 0; r < repeat; r++) {
      log(`positions: run ${r + 1}/${repeat}: ${fmtInt(ready.fixes)} fixes of ${fmtInt(ready.workers)} workers through the stack, then raw, then the replica alone…`);
      stacks.push(await stackRun(county, ready, stream, scratch.file(`replica-${r}.sqlite`), clock));

      const raw = await freshReplicaFile(scratch.file(`raw-${r}.sqlite`), ready.town);
      const rc0 = cpuMs();
      raws.push(rawPositions(raw.db, stream.messages, clock()));
      rawCpus.push(cpuMs() - rc0);
      await raw.close();

      // Reference: the replica alone (validation, rules, pruning), no transport.
      const alone = await Replica.open({ file: scratch.file(`alone-${r}.sqlite`), town: ready.town, now: clock, log: { info: () => undefined, warn: () => undefined } });
      alone.applyBatch({ from: null, to: 'c-1', more: false, reset: false, lastN: null, items: stream.items });
      const a0 = nowMs();
      for (const m of stream.messages) alone.applyPositions(m.items);
      alones.push(nowMs() - a0);
      await alone.close();
    }

    const fixes = ready.fixes;
    const n = stream.messages.length;
    const lastMessage = stream.messages[n - 1]!;
    const wallMs = median(stacks.map((s) => s.wallMs));
    const townCpuMs = median(stacks.map((s) => s.townCpuMs));
    const countyCpuMs = median(stacks.map((s) => s.countyCpuMs));
    const rawMs = median(raws);
    const rawCpuMs = median(rawCpus);
    const aloneMs = median(alones);
    const perSec = (ms: number): number => (fixes / ms) * 1000;
    const stack = perSec(wallMs);
    const rawRate = perSec(rawMs);
    const aloneRate = perSec(aloneMs);
    const perMessage = (ms: number): string => fmtMs(ms / n);
    const maxPerSecond = Math.max(...stacks.map((s) => s.maxPerSecond));
    const pushes = median(stacks.map((s) => s.pushes));
    const latestMatches = stacks.every((s) => s.latestMatches);
    const last = stacks[stacks.length - 1]!;
    const warnings = stacks.flatMap((s) => s.warnings);
    const ratio = stack / rawRate;
    const spread = (xs: number[]): string => (xs.length > 1 ? `runs ${xs.map((x) => fmtMs(x)).join(' / ')}` : '');

    const report: BenchReport = {
      name: 'positions',
      title: 'position fixes per second: county → link → replica → push',
      setup:
        `one town of ${fmtInt(o.grids)} grids, ${fmtInt(ready.workers)} workers; ${n} positions messages of ${fmtInt(lastMessage.items.length)} fixes ` +
        `(${fmtInt(fixes)} fixes); county in a child process on loopback; replica WAL, synchronous = FULL; median of ${repeat} run(s)`,
      rows: [
        { name: 'fixes/s, county → link → replica → push', value: `${fmtInt(stack)}/s`, baseline: `${fmtInt(rawRate)}/s`, ratio: fmtRatio(ratio), note: 'baseline: raw prepared inserts, same rows' },
        { name: 'fixes/s, replica.applyPositions alone', value: `${fmtInt(aloneRate)}/s`, baseline: `${fmtInt(rawRate)}/s`, ratio: fmtRatio(aloneRate / rawRate), note: 'no transport, no push' },
        { name: 'time per message, end to end', value: perMessage(wallMs), baseline: perMessage(rawMs), ratio: fmtRatio(wallMs / rawMs), note: spread(stacks.map((s) => s.wallMs / n)) },
        { name: 'CPU per message (data service process)', value: perMessage(townCpuMs), baseline: perMessage(rawCpuMs), ratio: fmtRatio(townCpuMs / rawCpuMs), note: 'CPU time: less sensitive to disk waits' },
        { name: 'county CPU per message (child process)', value: perMessage(countyCpuMs), baseline: '—', ratio: '—', note: 'encoding on the county side, not counted above' },
        {
          name: 'positions pushes to the subscriber',
          value: `${pushes} (${median(stacks.map((s) => s.pushesPerSec)).toFixed(1)}/s)`,
          baseline: `≤ ${POSITIONS_TARGETS.maxPushesPerSecond}/s`,
          ratio: '—',
          note: `at most ${maxPerSecond} in any second`,
        },
      ],
      checks: [
        { name: 'positions through the stack vs raw inserts', measured: fmtRatio(ratio), target: `≥ ${POSITIONS_TARGETS.minRatio.toFixed(2)}× (1/5 of raw)`, pass: ratio >= POSITIONS_TARGETS.minRatio },
        { name: 'positions pushes in any second', measured: String(maxPerSecond), target: `≤ ${POSITIONS_TARGETS.maxPushesPerSecond}`, pass: maxPerSecond <= POSITIONS_TARGETS.maxPushesPerSecond },
      ],
      verified: [
        `${latestMatches ? 'ok' : 'MISMATCH'}: after each run the replica's ${fmtInt(ready.workers)} latest positions and the last push equal the last message`,
        `${last.trackPoints === fixes ? 'ok' : 'MISMATCH'}: ${fmtInt(last.trackPoints)} track points stored for ${fmtInt(fixes)} fixes sent`,
        `${warnings.length === 0 ? 'ok' : 'WARNINGS'}: ${warnings.length} warning(s) in the link's log${warnings.length > 0 ? `: ${warnings[0]}` : ''}`,
      ],
    };
    return {
      report,
      workers: ready.workers,
      fixes,
      stackFixesPerSec: stack,
      rawFixesPerSec: rawRate,
      replicaFixesPerSec: aloneRate,
      pushes,
      maxPushesPerSecond: maxPerSecond,
      latestMatches,
      trackPoints: last.trackPoints,
      warnings,
    };
  } finally {
    await county.stop();
    scratch.cleanup();
  }
}

/** One run through the data service: a fresh replica syncs the town, then the county streams every message. */
async function stackRun(county: Child<ToCounty, FromCounty>, ready: Ready, stream: PositionsData, file: string, clock: () => number): Promise<StackRun> {
  const logger = collectingLogger();
  const data = await openDataService({ db: file, town: ready.town, county: ready.url, logger, clock });
  let closed = false;
  try {
    if (!(await data.initialSync(120_000))) throw new Error(`the initial sync did not finish: ${logger.lines.slice(-3).join(' | ')}`);
    await county.next((m): m is { type: 'synced' } => m.type === 'synced', 'the end of the initial sync', 10_000);

    const pushTimes: number[] = [];
    let doneAt = 0;
    let lastPush: PositionFix[] = [];
    data.service.subscribe((topic, payload) => {
      if (topic !== 'positions') return;
      const items = (payload as { items: PositionFix[] }).items;
      pushTimes.push(nowMs());
      // Fixes newer than the one-but-last message come only with the last one.
      if (doneAt === 0 && items.some((f) => f.at > ready.prevAt)) {
        doneAt = nowMs();
        lastPush = items;
      }
    });

    // The county sends a few messages ahead of what the town has stored (see WINDOW there).
    let applied = 0;
    data.link.on('positions', () => county.send({ type: 'applied', count: ++applied }));
    let dropped: string | null = null;
    data.link.on('status', (s) => {
      if (s.state !== 'online' && dropped === null) dropped = `${s.state}${s.detail ? ` (${s.detail})` : ''}`;
    });

    const t0 = nowMs();
    const c0 = cpuMs();
    county.send({ type: 'go' });
    await until(() => doneAt > 0 || dropped !== null, 'the push of the last message', 300_000, 2).catch((error: unknown) => {
      throw new Error(`${error instanceof Error ? error.message : String(error)}; ${applied} of ${stream.messages.length} messages stored; link log: ${logger.lines.slice(-3).join(' | ')}`);
    });
    if (dropped !== null) throw new Error(`the link went ${dropped} during the stream; link log: ${logger.lines.slice(-3).join(' | ')}`);
    const wallMs = doneAt - t0;
    const townCpuMs = cpuMs() - c0;
    const sent = await county.next((m): m is Extract<FromCounty, { type: 'sent' }> => m.type === 'sent', 'the county to finish sending', 60_000);

    // What the replica holds must be what was sent: the last message is every worker's position.
    const lastMessage = stream.messages[stream.messages.length - 1]!;
    const expected = new Map(lastMessage.items.map((i) => [i[0], i]));
    const latest = data.replica.positions();
    const latestMatches =
      latest.length === expected.size &&
      latest.every((f) => {
        const e = expected.get(f.workerId);
        return e !== undefined && e[1] === f.lon && e[2] === f.lat && e[3] === f.at && e[4] === f.speed && e[5] === f.heading && e[6] === f.accuracy;
      }) &&
      lastPush.filter((f) => f.at > ready.prevAt).length === lastMessage.items.length;
    await data.close();
    closed = true;
    const check = openRaw(file, true);
    const trackPoints = (check.prepare('SELECT COUNT(*) AS c FROM track_points').get() as { c: number }).c;
    check.close();
    return {
      wallMs,
      townCpuMs,
      countyCpuMs: sent.cpuMs,
      pushes: pushTimes.length,
      pushesPerSec: pushTimes.length / (wallMs / 1000),
      maxPerSecond: maxInWindow(pushTimes, 1000),
      latestMatches,
      trackPoints,
      // A link that dropped or reconnected would show here; so would refused fixes.
      warnings: logger.lines,
    };
  } finally {
    if (!closed) await data.close();
  }
}

/** The most timestamps (ms) inside any half-open window [t, t + width). */
function maxInWindow(times: readonly number[], width: number): number {
  let best = 0;
  let j = 0;
  for (let i = 0; i < times.length; i++) {
    while (times[i]! - times[j]! >= width) j++;
    best = Math.max(best, i - j + 1);
  }
  return best;
}
