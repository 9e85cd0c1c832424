// npm run drill:hub [-- --hubs 3 --towns 20 --load-s 60 --grids-per-town 8 --seed 5]
// The full hub drill (drill.ts): PostgreSQL, Redis, three hub processes, twenty real town
// data services. Prints its progress, one verdict line, and exits 1 when an invariant broke.
import { parseFlags } from '../../node-common/flags';
import { runDrill } from './drill';

const v = parseFlags(process.argv.slice(2), ['hubs', 'towns', 'load-s', 'grids-per-town', 'seed', 'rate'] as const);
const num = (raw: string | undefined, fallback: number): number => {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`bad value: ${raw}`);
  return n;
};

const started = Date.now();
const failed = (error: unknown): Awaited<ReturnType<typeof runDrill>> => ({
  failure: `the drill could not run: ${error instanceof Error ? error.message : String(error)}`,
  stats: { commands: 0, refusedLocally: 0, applied: 0, rejected: 0, positionsSeen: 0, events: 0, seconds: 0 },
});
const result = await runDrill({
  hubs: num(v.hubs, 3),
  towns: num(v.towns, 20),
  gridsPerTown: num(v['grids-per-town'], 8),
  loadMs: num(v['load-s'], 60) * 1000,
  seed: num(v.seed, 5),
  eventsPerHour: num(v.rate, 240),
  log: (line) => console.log(line),
}).catch(failed);
const s = result.stats;
const summary = `${s.commands} town commands (${s.refusedLocally} more refused by the towns themselves; ${s.applied} applied, ${s.rejected} rejected at the hub), ${s.events} events, ${s.positionsSeen} positions messages seen across processes, ${Math.round((Date.now() - started) / 1000)} s`;
if (result.failure) {
  console.log(`drill FAILED: ${result.failure}\n${summary}`);
  process.exitCode = 1;
} else console.log(`drill passed: every replica equals the hub, every command settled once, no cursor moved back; ${summary}`);
