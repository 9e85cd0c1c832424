// Events for the console's unit tests, made by core's own workflow over a tiny town.
import { parseCommand, type CommandName } from '../../../core/events/commands';
import { transition } from '../../../core/events/transition';
import type { TransitionContext } from '../../../core/events/types';
import type { Actor, Category, GridEvent, Worker } from '../../../core/model';
import { WorkCalendar } from '../../../core/sla/calendar';
import { parseIso } from '../../../core/time/shanghai';

export const calendar = new WorkCalendar();
/** Monday 2026-11-30 09:00 Shanghai. */
export const T0 = parseIso('2026-11-30T09:00:00+08:00');
export const MINUTE = 60_000;
export const GRID = '430624103001001';

export const DISPATCHER: Actor = { id: 'dispatcher', role: 'dispatcher' };
export const DEPARTMENT: Actor = { id: 'op-rj', role: 'department', departmentId: 'dept-rj' };

const categories: Category[] = [
  { code: '0301', name: '垃圾乱堆乱放', parent: '03', acceptMinutes: 30, finishLimit: { value: 1, unit: 'workDays' }, department: 'dept-rj', tier: 'general' },
  { code: '0302', name: '河道漂浮物', parent: '03', acceptMinutes: 30, finishLimit: { value: 2, unit: 'workDays' }, department: 'dept-rj', tier: 'general' },
];
export const workers: Worker[] = [{ id: 'w-1', name: '李四', role: 'townWorker', grids: [GRID], phone: '13800000000', onDuty: true }];
export const worker = (id: string): Worker | undefined => workers.find((w) => w.id === id);

function ctx(actor: Actor, now: number): TransitionContext {
  return {
    now,
    actor,
    calendar,
    category: (code) => categories.find((c) => c.code === code),
    department: (id) => (id === 'dept-rj' ? { id, name: '人居环境整治办', categories: ['0301'] } : undefined),
    worker,
    gridExists: (code) => code === GRID,
  };
}

export function run(event: GridEvent | null, name: CommandName, args: Record<string, unknown>, at: number, actor = DISPATCHER): GridEvent {
  const parsed = parseCommand(name, args);
  if (!parsed.ok) throw new Error(parsed.reason);
  const result = transition(event, parsed.command, ctx(actor, at));
  if (!result.ok) throw new Error(result.reason);
  return result.event;
}

export function reported(id: string, at = T0, urgency: 'normal' | 'urgent' | 'critical' = 'normal'): GridEvent {
  return run(
    null,
    'event.create',
    {
      id,
      code: `SL-${id}`,
      title: '垃圾乱堆乱放',
      description: '',
      category: '0301',
      urgency,
      source: 'hotline',
      location: { lon: 112.9, lat: 28.6, address: '南环社区' },
      grid: GRID,
    },
    at,
  );
}

/** Accepted and dispatched to the department dept-rj. */
export function dispatched(id: string, at = T0): GridEvent {
  const e = run(reported(id, at), 'event.accept', { id }, at + MINUTE);
  return run(e, 'event.dispatch', { id, to: { kind: 'department', id: 'dept-rj' } }, at + 2 * MINUTE);
}

export function handled(id: string, at = T0): GridEvent {
  return run(dispatched(id, at), 'event.feedback', { id, note: '已清理' }, at + 60 * MINUTE, DEPARTMENT);
}
