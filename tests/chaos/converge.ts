// Convergence: the first full sync before the steps, and after them the heal (every chaos
// off, the county up and resumed, the service up) and the wait until the town has caught
// up with the county and nothing is under way between them.
import { startService, reap, type Run } from './setup';
import { RunFailure, readCursor, sleep } from './processes';

/** The county and the service started, and the town's first full sync, so the first steps have a town to work on. */
export async function firstSync(run: Run): Promise<void> {
  const { county, service } = run;
  await county.start();
  // Sometimes the very first start is killed too: in the migrations of the new file, or its first sync.
  await startService(run, run.rng.fork('spawn/first'), run.setup.chance(0.3) ? run.setup.int(0, 700) : null);
  const syncBy = Date.now() + 60_000;
  while (readCursor(run.replicaFile) !== county.sim?.headCursor()) {
    await reap(run);
    if (!service.up) await startService(run, null);
    if (Date.now() > syncBy) throw new RunFailure('the first sync did not finish in 60 s');
    await sleep(50);
  }
}

/** Every chaos off, the county up and resumed; then wait until the town has caught up. */
export async function heal(run: Run): Promise<void> {
  const { county } = run;
  run.note('heal');
  county.chaos = { duplicate: 0, delayMs: [0, 0], reorderPositions: false, dropAcks: 0 };
  if (!county.up) await county.start();
  county.sim?.chaos.set(county.chaos);
  county.sim?.chaos.resume();
  county.paused = false;
  await converge(run);
}

/** Tries to end the run's activity: everything healed, and the town caught up with the county. */
async function converge(run: Run): Promise<void> {
  const { county, service, options } = run;
  const deadline = Date.now() + (options.convergeMs ?? 90_000);
  for (;;) {
    await reap(run);
    if (!service.up) await startService(run, null);
    const status = await service.query<{ state: string; queueLength: number; catchingUp: boolean }>('link.status', {});
    const cursor = readCursor(run.replicaFile);
    const head = county.sim?.headCursor();
    // Both sides: the town caught up with nothing to send, and the county with nothing under
    // way for it (a reset asked for, or a drop not yet noticed, would still change the replica).
    const idle = county.sim?.idle(county.town) ?? false;
    if (status && status.state === 'online' && status.queueLength === 0 && !status.catchingUp && cursor === head && idle) return;
    if (Date.now() > deadline) {
      throw new RunFailure(`did not converge in ${Math.round((options.convergeMs ?? 90_000) / 1000)} s: link ${JSON.stringify(status)}, cursor ${cursor}, county head ${head}, county idle ${idle}`);
    }
    await sleep(100);
  }
}
