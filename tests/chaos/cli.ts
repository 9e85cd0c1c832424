// npm run chaos -- [--runs N] [--from S] [--seed S] [--steps K] [--jobs J] [--verbose] [--keep]
//
// Runs N seeded chaos runs (seeds S, S+1, …; default 1000 runs from seed 1), J at a
// time, printing "chaos seed=S ok|FAIL <reason>" per run as it ends and a final
// "N passed, N failed" line; exits 1 when any run failed. --seed S replays one run
// (add --verbose to see its steps as they happen). A failing run keeps its folder
// (the replica and the county database) and prints where it is.
import { formatResult, runChaos, type ChaosResult } from './runner';

interface CliArgs {
  runs: number;
  from: number;
  steps: number | undefined;
  jobs: number;
  verbose: boolean;
  keep: boolean;
}

function parse(argv: readonly string[]): CliArgs {
  const args: CliArgs = { runs: 1000, from: 1, steps: undefined, jobs: 2, verbose: false, keep: false };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = (): number => {
      const v = Number(argv[++i]);
      if (!Number.isSafeInteger(v) || v < 0) throw new Error(`${flag} needs a non-negative integer`);
      return v;
    };
    switch (flag) {
      case '--runs':
        args.runs = value();
        break;
      case '--from':
        args.from = value();
        break;
      case '--seed':
        args.from = value();
        args.runs = 1;
        args.jobs = 1;
        break;
      case '--steps':
        args.steps = value();
        break;
      case '--jobs':
        args.jobs = Math.max(1, value());
        break;
      case '--verbose':
        args.verbose = true;
        break;
      case '--keep':
        args.keep = true;
        break;
      default:
        throw new Error(`unknown option ${flag}`);
    }
  }
  return args;
}

async function main(): Promise<void> {
  let args: CliArgs;
  try {
    args = parse(process.argv.slice(2));
  } catch (error) {
    console.error(`chaos: ${(error as Error).message}`);
    console.error('usage: npm run chaos -- [--runs N] [--from S] [--seed S] [--steps K] [--jobs J] [--verbose] [--keep]');
    process.exitCode = 2;
    return;
  }
  const started = Date.now();
  const failed: ChaosResult[] = [];
  let passed = 0;
  const totals = { steps: 0, receipts: 0, rejectedByCounty: 0, refusedLocally: 0, kills: 0, selfKills: 0, countyRestarts: 0, resets: 0 };
  const selfKillsIn: Record<string, number> = {};
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < args.runs) {
      const seed = args.from + next++;
      const result = await runChaos(seed, {
        ...(args.steps !== undefined ? { steps: args.steps } : {}),
        keep: args.keep,
        ...(args.verbose ? { log: (line: string) => console.log(`  [${seed}] ${line}`) } : {}),
      });
      console.log(formatResult(result));
      const st = result.stats;
      totals.steps += Object.values(st.steps).reduce((a, b) => a + b, 0);
      totals.receipts += st.receipts;
      totals.rejectedByCounty += st.rejectedByCounty;
      totals.refusedLocally += st.refusedLocally;
      totals.kills += st.kills;
      totals.selfKills += st.selfKills;
      for (const [kind, count] of Object.entries(st.selfKillsIn)) selfKillsIn[kind] = (selfKillsIn[kind] ?? 0) + count;
      totals.countyRestarts += st.countyRestarts;
      totals.resets += st.resets;
      if (result.ok) passed++;
      else {
        failed.push(result);
        if (!args.verbose) for (const line of result.trace.slice(-12)) console.log(`    ${line}`);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(args.jobs, args.runs) }, worker));
  const seconds = (Date.now() - started) / 1000;
  console.log(
    `in all: ${totals.steps} steps, ${totals.receipts} commands answered (${totals.rejectedByCounty} then rejected by the county, ${totals.refusedLocally} more refused locally), ` +
      `${totals.kills} SIGKILLs from outside, ${totals.selfKills} inside a transaction (${Object.entries(selfKillsIn).map(([k, c]) => `${k} ${c}`).join(', ') || 'none'}), ` +
      `${totals.countyRestarts} county restarts, ${totals.resets} forced resets`,
  );
  if (failed.length > 0) console.log(`failed seeds: ${failed.map((r) => r.seed).join(' ')} (replay one: npm run chaos -- --seed S --verbose)`);
  console.log(`${passed} passed, ${failed.length} failed (${seconds.toFixed(0)} s, ${(seconds / Math.max(1, args.runs)).toFixed(1)} s per run with ${args.jobs} at a time)`);
  process.exitCode = failed.length > 0 ? 1 : 0;
}

void main();
