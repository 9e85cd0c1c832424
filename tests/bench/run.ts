// `npm run bench [-- --quick] [-- --only positions|catchup|memory|change|queue|roles|idle|assessment|hub|agenda|radius] [-- --cache DIR]`
//
// Speed and memory targets are checked here, by ratios against baselines measured in
// the same run, never by timed tests: these machines are shared and noisy. A target
// missed prints WARN; the run fails only when a benchmark cannot run or the data it
// moved is wrong. What each benchmark measures: docs/performance.md.
import { cpus, loadavg, totalmem } from 'node:os';
import { runAgenda } from './agenda';
import { runAssessmentBench } from './assessment';
import { runCatchUp } from './catchup';
import { runChangeFrame } from './change-frame';
import { runHubBench } from './hub';
import { runIdle } from './idle';
import { runMemory } from './memory';
import { runPositions } from './positions';
import { runQueueOpen } from './queue';
import { runRadius } from './radius';
import { runRegisters } from './registers';
import { runRoles } from './roles';
import { formatCheck, formatReport, type BenchReport } from './lib/report';
import { DEFAULT_CACHE_DIR, fmtMs } from './lib/util';

const NAMES = ['positions', 'catchup', 'memory', 'change', 'queue', 'roles', 'idle', 'assessment', 'hub', 'agenda', 'radius', 'registers'] as const;
type Name = (typeof NAMES)[number];

/** Sizes: the full run is what docs/performance.md reports; --quick is a smoke run of the same code. */
const SIZES = {
  full: { positions: { grids: 5000, messages: 60, repeat: 3 }, catchup: { events: 50_000, repeat: 3 }, memory: { events: 1_000_000, repeat: 5 }, change: { events: 50 }, queue: { events: 1_000_000, rounds: 40 }, roles: { events: 1_000_000, rounds: 40 }, idle: { seconds: 60, settle: 20 }, assessment: { events: 1_000_000, exportRows: 100_000, rounds: 5 }, hub: { towns: 12, mutates: 100 }, agenda: { events: 1_000_000, rounds: 5 }, radius: { workers: 10_000, queries: 2000 }, registers: { persons: 100_000, houses: 30_000, rounds: 10 } },
  quick: { positions: { grids: 250, messages: 10, repeat: 1 }, catchup: { events: 5_000, repeat: 1 }, memory: { events: 20_000, repeat: 3, templates: 5_000 }, change: { events: 10 }, queue: { events: 20_000, rounds: 10 }, roles: { events: 20_000, rounds: 10 }, idle: { seconds: 5, settle: 5 }, assessment: { events: 20_000, exportRows: 5_000, rounds: 3 }, hub: { towns: 3, mutates: 20 }, agenda: { events: 20_000, rounds: 3 }, radius: { workers: 2000, queries: 200 }, registers: { persons: 5_000, houses: 1_500, rounds: 2 } },
} as const;

class UsageError extends Error {}

function parseArgs(argv: readonly string[]): { quick: boolean; only: Name[]; cacheDir: string } {
  let quick = false;
  const only: Name[] = [];
  let cacheDir = DEFAULT_CACHE_DIR;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--quick') quick = true;
    else if (a === '--only' || a.startsWith('--only=')) {
      const v = a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[++i];
      for (const name of (v ?? '').split(',')) {
        if (!(NAMES as readonly string[]).includes(name)) throw new UsageError(`--only takes ${NAMES.join(', ')} (comma-separated), not ${JSON.stringify(name)}`);
        only.push(name as Name);
      }
    } else if (a === '--cache') cacheDir = argv[++i] ?? cacheDir;
    else if (a === '--help' || a === '-h') {
      console.log(`npm run bench -- [--quick] [--only ${NAMES.join(',')}] [--cache DIR]`);
      process.exit(0);
    } else throw new UsageError(`unknown argument ${JSON.stringify(a)} (try --help)`);
  }
  return { quick, only: only.length > 0 ? only : [...NAMES], cacheDir };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const sizes = args.quick ? SIZES.quick : SIZES.full;
  const log = (line: string): void => console.log(`  … ${line}`);
  const started = Date.now();
  console.log(
    `GridDeck benchmarks${args.quick ? ' (--quick: small sizes, a smoke run; the targets are judged on the full run)' : ''}\n` +
      `${new Date().toISOString()} · Node ${process.version} · ${cpus().length} cores (${cpus()[0]?.model.trim() ?? '?'}) · ${(totalmem() / 2 ** 30).toFixed(0)} GB · load ${loadavg().map((l) => l.toFixed(1)).join(' ')} · cache ${args.cacheDir}\n`,
  );
  const reports: BenchReport[] = [];
  for (const name of args.only) {
    const t0 = Date.now();
    let report: BenchReport;
    if (name === 'positions') report = (await runPositions({ cacheDir: args.cacheDir, ...sizes.positions, log })).report;
    else if (name === 'catchup') report = (await runCatchUp({ cacheDir: args.cacheDir, ...sizes.catchup, log })).report;
    else if (name === 'memory') report = (await runMemory({ cacheDir: args.cacheDir, ...sizes.memory, log })).report;
    else if (name === 'queue') report = (await runQueueOpen({ cacheDir: args.cacheDir, ...sizes.queue, log })).report;
    else if (name === 'assessment') report = (await runAssessmentBench({ cacheDir: args.cacheDir, ...sizes.assessment, log })).report;
    else if (name === 'roles') report = (await runRoles({ cacheDir: args.cacheDir, ...sizes.roles, log })).report;
    else if (name === 'idle') report = (await runIdle({ ...sizes.idle, log })).report;
    else if (name === 'hub') report = (await runHubBench({ ...sizes.hub, log })).report;
    else if (name === 'agenda') report = (await runAgenda({ cacheDir: args.cacheDir, ...sizes.agenda, log })).report;
    else if (name === 'radius') report = (await runRadius({ ...sizes.radius, log })).report;
    else if (name === 'registers') report = (await runRegisters({ ...sizes.registers, log })).report;
    else report = (await runChangeFrame({ ...sizes.change, log })).report;
    reports.push(report);
    console.log(`\n${formatReport(report)}\n(${fmtMs(Date.now() - t0)})\n`);
  }

  console.log('== summary');
  for (const r of reports) for (const c of r.checks) console.log(formatCheck({ ...c, name: `${r.name}: ${c.name}` }));
  const broken = reports.flatMap((r) => r.verified.filter((v) => !v.startsWith('ok')).map((v) => `${r.name}: ${v}`));
  const warned = reports.flatMap((r) => r.checks).filter((c) => !c.pass).length;
  console.log(
    `${reports.length} benchmark(s) in ${fmtMs(Date.now() - started)}: ${reports.flatMap((r) => r.checks).length - warned} PASS, ${warned} WARN` +
      (args.quick ? ' (quick sizes: indicative only)' : ''),
  );
  if (broken.length > 0) {
    console.log(`the data moved by the benchmarks is wrong:\n${broken.join('\n')}`);
    process.exitCode = 1;
  }
}

main().catch((error: unknown) => {
  if (error instanceof UsageError) {
    console.error(error.message);
    process.exitCode = 2;
    return;
  }
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exitCode = 1;
});
