// Fault injection and the steps of a chaos run. The seed decides every step: the kind of
// each step comes from the run's main random stream and its parameters from a stream
// forked per step, so a replay runs the same sequence of steps; a step's target (which
// event) is looked up at run time, and how the timing falls (what arrived before a kill)
// may differ, which the invariants do not depend on.
import type { CommandReceipt } from '../../core/api/contract';
import type { GridEvent } from '../../core/model';
import { isFinalStatus } from '../../core/model';
import type { Rng } from '../../county/demo/random';
import type { CountySimulator } from '../../county/simulator/index';
import { countyMove, createCommand, dispatcherCommand, loadLookups, pickCommand, record } from './commands';
import { RunFailure, readCursor, sleep } from './processes';
import { retryStep } from './retry';
import { ensureService, reap, type Run } from './setup';

export type StepKind =
  | 'create'
  | 'command'
  | 'burst'
  | 'kill'
  | 'kill-mid'
  | 'county-event'
  | 'county-act'
  | 'tick'
  | 'drop'
  | 'pause'
  | 'chaos'
  | 'county-restart'
  | 'reset'
  | 'conflict'
  | 'retry'
  | 'wait';

const STEP_WEIGHTS: readonly (readonly [StepKind, number])[] = [
  ['create', 3],
  ['command', 6],
  ['burst', 1.5],
  ['kill', 1.5],
  ['kill-mid', 1.5],
  ['county-event', 2],
  ['county-act', 3],
  ['tick', 2],
  ['drop', 1.5],
  ['pause', 1],
  ['chaos', 1.5],
  ['county-restart', 1],
  ['reset', 0.5],
  ['conflict', 2],
  ['retry', 2],
  ['wait', 1],
];

const NEEDS_SERVICE = new Set<StepKind>(['create', 'command', 'burst', 'kill-mid', 'conflict', 'retry']);
const NEEDS_COUNTY = new Set<StepKind>(['county-event', 'county-act', 'tick', 'drop', 'pause', 'chaos', 'reset', 'conflict']);

function weighted<T>(rng: Rng, items: readonly (readonly [T, number])[]): T {
  const total = items.reduce((a, [, w]) => a + w, 0);
  let r = rng.next() * total;
  for (const [item, w] of items) {
    r -= w;
    if (r < 0) return item;
  }
  return (items[items.length - 1] as readonly [T, number])[0];
}

/** The run's steps of chaos, one after the other, with the cursor watch sampled after each. */
export async function runSteps(run: Run): Promise<void> {
  const { rng, county, stats, watch } = run;
  const steps = run.options.steps ?? 14;
  for (let step = 1; step <= steps; step++) {
    const kind = weighted(rng, STEP_WEIGHTS);
    const p = rng.fork(`step/${step}`);
    stats.steps[kind] = (stats.steps[kind] ?? 0) + 1;
    if (NEEDS_COUNTY.has(kind) && !county.up) {
      await county.start();
      stats.countyRestarts++;
      run.note(`#${step} (the county comes back)`);
    }
    if (NEEDS_SERVICE.has(kind)) await ensureService(run, p);
    await STEPS[kind](run, step, p);
    // Let deliveries happen between steps, for a random while.
    await sleep(p.int(0, 120));
    await reap(run);
    if (run.service.up) watch.sample(readCursor(run.replicaFile), `file after step ${step}`);
    if (watch.violation) throw new RunFailure(watch.violation);
  }
}

function sim(run: Run): CountySimulator {
  if (!run.county.sim) throw new RunFailure('internal: the county is not running');
  return run.county.sim;
}

/** The town's dispatcher reports a new event. */
async function create(run: Run, step: number, p: Rng): Promise<void> {
  const c = await createCommand(run, step, 0, p, `#chaos-${run.seed}-${step}-0`);
  if (!c) {
    run.note(`#${step} nothing to create an event in yet`);
    return;
  }
  record(run, step, await run.service.invoke(c.name, c.args), c.name, c.token, c.what);
}

/** A dispatcher's command on one of the events the service shows. */
async function command(run: Run, step: number, p: Rng): Promise<void> {
  const c = await pickCommand(run, step, 0, p);
  if (c) record(run, step, await run.service.invoke(c.name, c.args), c.name, c.token, `${c.name} on ${c.what}`);
}

/** Several calls at once, without waiting for the answers in between. */
async function burst(run: Run, step: number, p: Rng): Promise<void> {
  // Several calls at once, without waiting for the answers in between.
  const count = p.int(2, 5);
  const picked = [];
  for (let j = 0; j < count; j++) picked.push(await pickCommand(run, step, j, p.fork(`burst/${j}`)));
  const answers = await Promise.all(picked.map((c) => (c ? run.service.invoke(c.name, c.args) : Promise.resolve(null))));
  picked.forEach((c, j) => {
    if (c) record(run, step, answers[j] ?? null, c.name, c.token, `burst ${c.name} on ${c.what}`);
  });
}

/** SIGKILL the service from outside; or, when it is down, start it (sometimes killed again soon after its spawn). */
async function kill(run: Run, step: number, p: Rng): Promise<void> {
  if (!run.service.up) {
    const early = p.chance(0.3) ? p.int(0, 500) : null;
    await ensureService(run, p, early);
    run.note(`#${step} start the service${early !== null ? `, SIGKILL it ${early} ms after its spawn` : ''}`);
    return;
  }
  await run.service.kill();
  run.stats.kills++;
  await reap(run);
  run.note(`#${step} SIGKILL the service`);
}

/** A command call, and SIGKILL a moment later: the answer may or may not have come. */
async function killMid(run: Run, step: number, p: Rng): Promise<void> {
  const c = await pickCommand(run, step, 0, p);
  const delay = p.int(0, 25);
  if (!c) return;
  const answer = run.service.invoke(c.name, c.args);
  await sleep(delay);
  const killed = run.service.up;
  await run.service.kill();
  if (killed) run.stats.kills++;
  record(run, step, await answer, c.name, c.token, `${c.name} on ${c.what}, SIGKILL after ${delay} ms`);
  await reap(run);
}

/** The county reports an event of its own. */
async function countyEvent(run: Run, step: number, p: Rng): Promise<void> {
  const source = p.pick(['patrol', 'patrol', 'hotline', 'wechat'] as const);
  try {
    const id = sim(run).createEvent(run.county.town, { source });
    run.note(`#${step} the county reports ${id.slice(0, 8)} (${source})`);
  } catch (error) {
    // A patrol report needs a grid worker on duty.
    run.note(`#${step} the county cannot report (${source}): ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** A department, worker or the county's dispatcher moves one of the county's events on. */
async function countyAct(run: Run, step: number, p: Rng): Promise<void> {
  const snap = sim(run).snapshot(run.county.town);
  const pick = p.next();
  const variant = p.next();
  const open = snap.events.filter((e) => !isFinalStatus(e.status) || (e.status === 'closed' && e.satisfaction === null));
  if (open.length === 0) {
    run.note(`#${step} the county has nothing to act on`);
    return;
  }
  const e = open[Math.floor(pick * open.length)] as GridEvent;
  const move = countyMove(e, snap, variant, `#county-${run.seed}-${step}`);
  if (!move) {
    run.note(`#${step} the county leaves ${e.status} ${e.id.slice(0, 8)} alone`);
    return;
  }
  const r = sim(run).apply(run.county.town, move.name, move.args, move.actor);
  run.note(`#${step} the county: ${move.actor.id} ${move.name} on ${e.status} ${e.id.slice(0, 8)}: ${r.ok ? 'applied' : r.code}`);
}

/** The manual clock of both sides moves; the county runs its activity up to it. */
async function tick(run: Run, step: number, p: Rng): Promise<void> {
  // Now and then past 18:00 and back: the duty switch puts every worker at once.
  const ms = p.pick([5_000, 30_000, 120_000, 600_000, 600_000, 9 * 3_600_000]);
  run.county.now += ms;
  sim(run).tick(ms);
  run.note(`#${step} tick ${ms / 1000} s`);
}

/** The county drops every town connection. */
async function drop(run: Run, step: number, p: Rng): Promise<void> {
  // Now, or a moment later: in the middle of whatever the next step sets going.
  const later = p.chance(0.5) ? p.int(1, 300) : 0;
  if (later === 0) sim(run).chaos.dropLinks();
  else {
    const target = sim(run);
    setTimeout(() => {
      if (run.county.sim === target) target.chaos.dropLinks();
    }, later).unref();
  }
  run.note(`#${step} drop the link${later ? ` in ${later} ms` : ''}`);
}

/** The county stops sending batches and holds the town's commands, or resumes. */
async function pause(run: Run, step: number): Promise<void> {
  if (run.county.paused) sim(run).chaos.resume();
  else sim(run).chaos.pause();
  run.county.paused = !run.county.paused;
  run.note(`#${step} ${run.county.paused ? 'pause' : 'resume'} the county`);
}

/** New delivery chaos: duplicates, delays, reordered positions, lost acknowledgements. */
async function chaos(run: Run, step: number, p: Rng): Promise<void> {
  run.county.chaos = {
    duplicate: p.pick([0, 0.2, 0.5, 1]),
    // The last range outlasts the service's mutate timeout (1.5 s) and the county's ack timeout: late answers, resends.
    delayMs: p.pick([[0, 0], [0, 30], [5, 150], [50, 400], [800, 2500]] as [number, number][]),
    reorderPositions: p.chance(0.5),
    dropAcks: p.pick([0, 0, 0.2, 0.5]),
  };
  sim(run).chaos.set(run.county.chaos);
  run.note(`#${step} chaos ${JSON.stringify(run.county.chaos)}`);
}

/** The county stops, or starts again on the same port and file. */
async function countyRestart(run: Run, step: number): Promise<void> {
  if (run.county.up) {
    await run.county.stop();
    run.note(`#${step} stop the county`);
  } else {
    await run.county.start();
    run.stats.countyRestarts++;
    run.note(`#${step} start the county`);
  }
}

/** The county forgets the town's cursor: the next connection gets a full snapshot. */
async function reset(run: Run, step: number): Promise<void> {
  // The county answers the town's next connection with a full snapshot.
  sim(run).chaos.resetNext();
  sim(run).chaos.dropLinks();
  run.watch.allowReset();
  run.stats.resets++;
  run.note(`#${step} the county forgets the town's cursor (reset)`);
}

/** The town and the county act on the same event while the county holds the town's commands. */
async function conflict(run: Run, step: number, p: Rng): Promise<void> {
  // The town and the county work on the same event while the county holds the
  // town's commands (paused): the county moves first, so the town's commands
  // meet a state they did not see, and some are rejected and rolled back.
  const page = await run.service.query<{ items: GridEvent[] }>('events.list', { paging: { offset: 0, limit: 500 }, sort: 'reportedAt' });
  const events = (page?.items ?? []).filter((e) => !isFinalStatus(e.status));
  const pick = p.next();
  const count = p.int(1, 3);
  const countyMoves = p.int(1, 2);
  const stayPaused = p.chance(0.3);
  const e0 = events[Math.floor(pick * events.length)];
  if (!e0) {
    run.note(`#${step} no open event to fight over`);
    return;
  }
  if (!run.county.paused) sim(run).chaos.pause();
  run.county.paused = true;
  const look = await loadLookups(run);
  let view: GridEvent = e0;
  for (let j = 0; j < count; j++) {
    const c = dispatcherCommand(view, events, look, `#chaos-${run.seed}-${step}-${j}`, 1, p.fork(`conflict/${j}`));
    const r = await run.service.invoke(c.name, c.args);
    record(run, step, r, c.name, c.token, `conflict: ${c.name} on ${view.status} ${view.id.slice(0, 8)}`);
    if (r?.ok) view = (r.result as CommandReceipt).event as GridEvent;
  }
  for (let k = 0; k < countyMoves; k++) {
    const snap = sim(run).snapshot(run.county.town);
    const e = snap.events.find((x) => x.id === e0.id);
    const move = e ? countyMove(e, snap, p.next(), `#county-${run.seed}-${step}-${k}`) : null;
    if (!e || !move) break;
    const r = sim(run).apply(run.county.town, move.name, move.args, move.actor);
    run.note(`#${step} conflict: the county ${move.actor.id} ${move.name} on ${e.status} ${e.id.slice(0, 8)}: ${r.ok ? 'applied' : r.code}`);
  }
  if (!stayPaused) {
    sim(run).chaos.resume();
    run.county.paused = false;
  }
}

/** Nothing but time. */
async function wait(run: Run, step: number, p: Rng): Promise<void> {
  const ms = p.int(50, 600);
  await sleep(ms);
  run.note(`#${step} wait ${ms} ms`);
}

const STEPS: Record<StepKind, (run: Run, step: number, p: Rng) => Promise<void>> = {
  create,
  command,
  burst,
  kill,
  'kill-mid': killMid,
  'county-event': countyEvent,
  'county-act': countyAct,
  tick,
  drop,
  pause,
  chaos,
  'county-restart': countyRestart,
  reset,
  conflict,
  retry: retryStep,
  wait,
};
