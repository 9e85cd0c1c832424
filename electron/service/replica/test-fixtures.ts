// Test helpers: the demo town as county-link-v1 change items, events made by core's
// own workflow (as the county would make them), and replicas on temporary files.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import town from '../../../resources/demo-town/town.json';
import type { TownDataset } from '../../../core/grid/dataset';
import { parseCommand, type CommandName } from '../../../core/events/commands';
import { transition } from '../../../core/events/transition';
import type { TransitionContext } from '../../../core/events/types';
import type { Actor, Grid, GridEvent } from '../../../core/model';
import { WorkCalendar } from '../../../core/sla/calendar';
import { entityData, type Entity, type EntityType } from '../../../core/sync/protocol';
import { parseIso } from '../../../core/time/shanghai';
import { Replica, type BatchInput, type ReplicaOptions } from './replica';

export const TOWN = town as unknown as TownDataset;
export const TOWN_CODE = TOWN.town.code;
export const GRIDS: Grid[] = [TOWN.town, ...TOWN.villages, ...TOWN.grids];
/** A grid, its village and a grid of another village. */
export const GRID_A = TOWN.grids[0]!.code;
export const GRID_B = TOWN.grids.find((g) => g.parent !== TOWN.grids[0]!.parent)!.code;

/** Monday 2026-11-30 09:00 in Shanghai: inside office hours of a working day. */
export const T0 = parseIso('2026-11-30T09:00:00+08:00');
export const MINUTE = 60_000;
export const HOUR = 3_600_000;

export const DISPATCHER: Actor = { id: 'd-001', role: 'dispatcher', name: '调度员甲' };
export const COUNTY: Actor = { id: 'county', role: 'county' };

const calendar = new WorkCalendar();

export interface ChangeItem {
  type: string;
  op: 'put' | 'del';
  id: string;
  rev: number;
  data?: unknown;
}

export function put(entity: Entity, rev: number): ChangeItem {
  return { type: entity.type, op: 'put', id: entity.id, rev, data: entityData(entity) };
}

export function del(type: EntityType, id: string, rev: number): ChangeItem {
  return { type, op: 'del', id, rev };
}

export const eventItem = (event: GridEvent, rev: number): ChangeItem => put({ type: 'event', id: event.id, value: event }, rev);

/** Every grid, department, category and worker of the demo town as put items. */
export function townItems(rev = 1): ChangeItem[] {
  return [
    ...GRIDS.map((g) => put({ type: 'grid', id: g.code, value: g }, rev)),
    ...TOWN.departments.map((d) => put({ type: 'department', id: d.id, value: d }, rev)),
    ...TOWN.categories.map((c) => put({ type: 'category', id: c.code, value: c }, rev)),
    ...TOWN.workers.map((w) => put({ type: 'worker', id: w.id, value: w }, rev)),
  ];
}

export function batch(from: string | null, to: string, items: unknown[], extra: Partial<BatchInput> = {}): BatchInput {
  return { from, to, more: false, reset: false, lastN: null, items, ...extra };
}

/** The workflow's context over the demo town, as the county simulator has it. */
export function townContext(actor: Actor, now: number, target?: GridEvent): TransitionContext {
  const gridCodes = new Set(GRIDS.map((g) => g.code));
  return {
    now,
    actor,
    calendar,
    category: (code) => TOWN.categories.find((c) => c.code === code),
    department: (id) => TOWN.departments.find((d) => d.id === id),
    worker: (id) => TOWN.workers.find((w) => w.id === id),
    gridExists: (code) => gridCodes.has(code),
    target,
  };
}

export interface EventSpec {
  id: string;
  code?: string;
  title?: string;
  description?: string;
  address?: string;
  category?: string;
  grid?: string;
  urgency?: 'normal' | 'urgent' | 'critical';
  source?: 'hotline' | 'wechat' | 'walkIn' | 'patrol' | 'superior';
  at?: number;
}

export function createArgs(spec: EventSpec): Record<string, unknown> {
  return {
    id: spec.id,
    code: spec.code ?? `GP-${spec.id}`,
    title: spec.title ?? '垃圾乱堆乱放',
    description: spec.description ?? '群众来电反映',
    category: spec.category ?? '0301',
    urgency: spec.urgency ?? 'normal',
    source: spec.source ?? 'hotline',
    location: { lon: 112.9, lat: 28.6, address: spec.address ?? '古培镇课功村村口' },
    grid: spec.grid ?? GRID_A,
  };
}

/** Runs commands through core's transition as the county does; throws when one is refused. */
export function runCommands(event: GridEvent | null, steps: Array<[CommandName, Record<string, unknown>, number]>, actor = DISPATCHER): GridEvent {
  let current = event;
  for (const [name, args, at] of steps) {
    const parsed = parseCommand(name, args);
    if (!parsed.ok) throw new Error(`${name}: ${parsed.reason}`);
    const result = transition(current, parsed.command, townContext(actor, at));
    if (!result.ok) throw new Error(`${name}: ${result.reason}`);
    current = result.event;
  }
  if (current === null) throw new Error('no event');
  return current;
}

/** A county event in one of the main statuses, reported at spec.at (default T0). */
export function countyEvent(spec: EventSpec, status: 'reported' | 'accepted' | 'dispatched' | 'closed' = 'reported'): GridEvent {
  const at = spec.at ?? T0;
  const steps: Array<[CommandName, Record<string, unknown>, number]> = [['event.create', createArgs(spec), at]];
  if (status !== 'reported') steps.push(['event.accept', { id: spec.id }, at + MINUTE]);
  if (status === 'dispatched' || status === 'closed') {
    steps.push(['event.dispatch', { id: spec.id, to: { kind: 'department', id: 'dept-rj' } }, at + 2 * MINUTE]);
  }
  if (status === 'closed') {
    steps.push(['event.feedback', { id: spec.id, note: '已清理' }, at + HOUR]);
    steps.push(['event.verify', { id: spec.id }, at + 2 * HOUR]);
    steps.push(['event.close', { id: spec.id }, at + 3 * HOUR]);
  }
  const event = runCommands(null, steps.slice(0, 1));
  return steps.length === 1 ? event : runCommandsAs(event, steps.slice(1));
}

function runCommandsAs(event: GridEvent, steps: Array<[CommandName, Record<string, unknown>, number]>): GridEvent {
  let current = event;
  for (const step of steps) {
    // feedback is the assignee department's; verify and close are the center's.
    const actor: Actor = step[0] === 'event.feedback' ? { id: 'op-rj', role: 'department', departmentId: 'dept-rj' } : DISPATCHER;
    current = runCommands(current, [step], actor);
  }
  return current;
}

/** A temporary directory removed by the returned cleanup. */
export function tempDir(): { dir: string; file: (name: string) => string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), 'griddeck-replica-'));
  return { dir, file: (name) => path.join(dir, name), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface CapturedLog {
  info: string[];
  warn: string[];
}

/** A replica whose clock the test moves, and whose log it reads. */
export async function openReplica(
  file: string,
  extra: Partial<ReplicaOptions> = {},
): Promise<{ replica: Replica; clock: { now: number }; log: CapturedLog }> {
  const clock = { now: T0 };
  const log: CapturedLog = { info: [], warn: [] };
  const replica = await Replica.open({
    file,
    town: TOWN_CODE,
    now: () => clock.now,
    log: { info: (m) => log.info.push(m), warn: (m) => log.warn.push(m) },
    ...extra,
  });
  return { replica, clock, log };
}

/** A replica that already holds the demo town (cursor c-1). */
export async function seededReplica(file: string, extra: Partial<ReplicaOptions> = {}) {
  const opened = await openReplica(file, extra);
  const result = opened.replica.applyBatch(batch(null, 'c-1', townItems()));
  if (result.status !== 'applied' || result.ignored.length > 0) throw new Error(`seeding failed: ${JSON.stringify(result.ignored[0])}`);
  return opened;
}
