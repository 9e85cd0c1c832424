// Command driving: what the dispatchers of the town ask the service (through its app
// API, as the screens do), and what the county's own people do to the same events. The
// choices come from the step's random stream; the events they act on are looked up at
// run time. Each call the service answers is recorded as a receipt for the checks.
import type { ApiResponse, CommandReceipt } from '../../core/api/contract';
import type { Actor, Category, Department, Grid, GridEvent, Worker } from '../../core/model';
import type { Rng } from '../../county/demo/random';
import { countyActor, departmentActor, uuidFrom, workerActor, SIM_DISPATCHER } from '../../county/simulator/activity';
import { randomPointIn, round6, shapeOf } from '../../county/simulator/geo';
import type { Run } from './setup';

const COUNTY_CODE = '430624';

/** The town's lists a command needs, as the current service shows them (dropped when it restarts). */
export interface Lookups {
  grids: Grid[];
  categories: Category[];
  departments: Department[];
  workers: Worker[];
}

/** A command to call, with the token placed in its note or reason (null: none) and a line for the trace. */
export interface DriverCommand {
  name: string;
  args: Record<string, unknown>;
  token: string | null;
  what: string;
}

export async function loadLookups(run: Run): Promise<Lookups | null> {
  if (run.lookups) return run.lookups;
  const { service } = run;
  const [grids, categories, departments, workers] = await Promise.all([
    service.query<Grid[]>('grids.list', { level: 3 }),
    service.query<Category[]>('categories.list', {}),
    service.query<Department[]>('departments.list', {}),
    service.query<Worker[]>('workers.list', {}),
  ]);
  if (!grids || !categories || !departments || !workers || grids.length === 0 || categories.length === 0) return null;
  run.lookups = { grids, categories, departments, workers };
  return run.lookups;
}

/** The service's answer to a command call: a receipt, a local refusal, or none (it died). */
export function record(run: Run, step: number, r: ApiResponse | null, name: string, token: string | null, what: string, retried = false): void {
  const { stats, note } = run;
  if (r === null) {
    stats.unanswered++;
    note(`#${step} ${what}: no answer (the service died)`);
    return;
  }
  if (!r.ok) {
    stats.refusedLocally++;
    note(`#${step} ${what}: refused locally ${r.error.code}`);
    return;
  }
  const receipt = r.result as CommandReceipt;
  run.receipts.push({ n: receipt.n, commandId: receipt.commandId, name, eventId: receipt.eventId, token, step, ...(retried ? { retried } : {}) });
  stats.receipts++;
  note(`#${step} ${what}: n ${receipt.n}`);
}

/** A dispatcher's command for one of the events the service shows, chosen by the step's stream. */
export async function pickCommand(run: Run, step: number, j: number, p: Rng): Promise<DriverCommand | null> {
  const token = `#chaos-${run.seed}-${step}-${j}`;
  const choice = p.next();
  const other = p.next();
  const extra = p.next();
  if (choice < 0.22) return createCommand(run, step, j, p, token);
  const page = await run.service.query<{ items: GridEvent[] }>('events.list', { paging: { offset: 0, limit: 500 }, sort: 'reportedAt' });
  const events = page?.items ?? [];
  if (events.length === 0) return createCommand(run, step, j, p, token);
  const e = events[Math.floor(other * events.length)] as GridEvent;
  const look = await loadLookups(run);
  return { ...dispatcherCommand(e, events, look, token, extra, p), what: `${e.status} ${e.id.slice(0, 8)}` };
}

/** A new report by the town's dispatcher, in a grid and of a category chosen by the stream. */
export async function createCommand(run: Run, step: number, j: number, p: Rng, token: string): Promise<DriverCommand | null> {
  const look = await loadLookups(run);
  const id = uuidFrom(p);
  const gridPick = p.next();
  const catPick = p.next();
  const urgency = p.pick(['normal', 'normal', 'urgent', 'critical'] as const);
  const source = p.pick(['hotline', 'wechat', 'walkIn', 'patrol'] as const);
  // Nothing to report into yet (the first sync, or a reset's snapshot half way): a step without a call.
  if (!look) return null;
  const grid = look.grids[Math.floor(gridPick * look.grids.length)];
  const parents = new Set(look.categories.map((c) => c.parent).filter((c): c is string => c !== null));
  const leaves = look.categories.filter((c) => !parents.has(c.code));
  const category = leaves[Math.floor(catPick * leaves.length)];
  if (!grid || !category) return null;
  const [lon, lat] = randomPointIn(shapeOf(grid.geometry), p);
  return {
    name: 'event.create',
    args: {
      id,
      code: `CH${run.seed}-${step}-${j}`,
      title: `混沌测试${category.name}`,
      description: `混沌测试事件 ${token}`,
      category: category.code,
      urgency,
      source,
      location: { lon: round6(lon), lat: round6(lat), address: `${grid.name}测试点${step}` },
      grid: grid.code,
      reporter: { name: '测试居民', phone: '139****0000' },
    },
    // The create's history entry has no note of ours: its id already makes it unique.
    token: null,
    what: `create ${id.slice(0, 8)} in ${grid.code}`,
  };
}

// ---------------------------------------------------------------- what a dispatcher does

export function dispatcherCommand(
  e: GridEvent,
  events: readonly GridEvent[],
  look: Lookups | null,
  token: string,
  extra: number,
  p: Rng,
): { name: string; args: Record<string, unknown>; token: string | null } {
  const id = e.id;
  const withNote = (name: string) => ({ name, args: { id, note: token }, token });
  const withReason = (name: string) => ({ name, args: { id, reason: token }, token });
  const pickOf = <T>(items: readonly T[]): T | undefined => items[Math.floor(p.next() * items.length)];
  const mergeTarget = events.find((x) => x.id !== id && (x.status === 'reported' || x.status === 'accepted'));
  // Now and then a command the workflow does not allow in this status: refused locally, or by the county.
  if (extra < 0.08) return pickOf([withNote('event.close'), withNote('event.accept'), withReason('event.escalate'), withNote('event.verify')]) as ReturnType<typeof withNote>;
  const options: { name: string; args: Record<string, unknown>; token: string | null }[] = [withNote('event.comment')];
  const category = look?.categories.find((c) => c.code === e.category);
  switch (e.status) {
    case 'reported':
      options.push(withNote('event.accept'), withNote('event.accept'), withReason('event.reject'));
      if (mergeTarget) options.push({ name: 'event.merge', args: { id, into: mergeTarget.id, note: token }, token });
      break;
    case 'accepted': {
      const department = category?.department ?? look?.departments[0]?.id;
      if (department) options.push({ name: 'event.dispatch', args: { id, to: { kind: 'department', id: department }, note: token }, token });
      const worker = look?.workers.find((w) => w.grids.includes(e.grid));
      if (worker) options.push({ name: 'event.dispatch', args: { id, to: { kind: 'person', id: worker.id }, note: token }, token });
      options.push(withReason('event.escalate'), withReason('event.suspend'));
      if (mergeTarget) options.push({ name: 'event.merge', args: { id, into: mergeTarget.id, note: token }, token });
      break;
    }
    case 'dispatched':
      options.push(withNote('event.supervise'), withReason('event.suspend'), withReason('event.escalate'));
      if (e.extensionRequest) options.push(withNote('event.approveExtension'), withReason('event.denyExtension'));
      break;
    case 'handled':
      options.push(withNote('event.verify'), withReason('event.rework'));
      if (e.selfHandled) options.push(withNote('event.close'));
      break;
    case 'verified':
      options.push(withNote('event.close'), withNote('event.close'), withReason('event.rework'));
      break;
    case 'closed':
      options.push({ name: 'event.evaluate', args: { id, satisfaction: 'satisfied', note: token }, token }, withReason('event.reopen'));
      break;
    case 'rejected':
      options.push(withReason('event.reopen'));
      break;
    case 'suspended':
      options.push(withNote('event.resume'));
      break;
    case 'escalated':
      options.push(withNote('event.supervise'));
      break;
    default:
      break;
  }
  return pickOf(options) as (typeof options)[number];
}

/** What the county's side does to an event: a department or worker moving it on, or the county's own dispatcher racing the town. */
export function countyMove(
  e: GridEvent,
  snap: { categories: Category[]; departments: Department[]; workers: Worker[] },
  variant: number,
  note: string,
): { name: string; args: Record<string, unknown>; actor: Actor } | null {
  const id = e.id;
  switch (e.status) {
    case 'reported':
      return variant < 0.7 ? { name: 'event.accept', args: { id, note }, actor: SIM_DISPATCHER } : { name: 'event.reject', args: { id, reason: note }, actor: SIM_DISPATCHER };
    case 'accepted': {
      const department = snap.categories.find((c) => c.code === e.category)?.department;
      if (!department) return null;
      return { name: 'event.dispatch', args: { id, to: { kind: 'department', id: department }, note }, actor: SIM_DISPATCHER };
    }
    case 'dispatched': {
      const a = e.assignee;
      if (!a) return null;
      let actor: Actor;
      if (a.kind === 'department') {
        const d = snap.departments.find((x) => x.id === a.id);
        actor = departmentActor(a.id, d?.name ?? a.id);
      } else {
        const w = snap.workers.find((x) => x.id === a.id);
        if (!w) return null;
        actor = workerActor(w);
      }
      if (variant < 0.6) return { name: 'event.feedback', args: { id, note }, actor };
      if (variant < 0.8) return { name: 'event.return', args: { id, reason: note }, actor };
      return { name: 'event.requestExtension', args: { id, by: { value: 1, unit: 'days' }, reason: note }, actor };
    }
    case 'handled':
      return variant < 0.8 ? { name: 'event.verify', args: { id, note }, actor: SIM_DISPATCHER } : { name: 'event.rework', args: { id, reason: note }, actor: SIM_DISPATCHER };
    case 'verified':
      return { name: 'event.close', args: { id, note }, actor: SIM_DISPATCHER };
    case 'escalated':
      return { name: 'event.feedback', args: { id, note }, actor: countyActor(COUNTY_CODE) };
    case 'suspended':
      return { name: 'event.resume', args: { id, note }, actor: SIM_DISPATCHER };
    case 'closed':
      return { name: 'event.evaluate', args: { id, satisfaction: 'basicallySatisfied', note }, actor: SIM_DISPATCHER };
    default:
      return null;
  }
}
