// The county's rules for a town's `mutate` and for any command it runs as the authority,
// written once for the simulator (SQLite, synchronous) and the county hub (PostgreSQL,
// asynchronous): which number a message carries, what an out-of-order, invalid or
// impersonating message is answered, which path a command takes (the workflow, a message
// to grid workers' phones, a register entry), and how each runs: core's transition then
// its effects on the events concerned; worker.notify's checks and whom it sends where;
// the registers' validation and their checks against the town. The callers read and write
// their own store around these pure steps, inside one transaction each.
import type { Actor, ActorRole, Category, Department, GridEvent, Worker } from '../../core/model';
import { ACCOUNT_ROLES } from '../../core/model';
import { PERMISSIONS } from '../../core/events/permissions';
import { ROLE_LABELS } from '../../core/events/labels';
import { transition } from '../../core/events/transition';
import { applyEffects } from '../../core/events/effects';
import { parseCommand } from '../../core/events/commands';
import type { Effect, TransitionContext } from '../../core/events/types';
import type { WorkCalendar } from '../../core/sla/calendar';
import { parseIso } from '../../core/time/shanghai';
import { MutateSchema, commandId, describeIssues } from '../../core/sync/protocol';
import { WORKER_NOTIFY, parseWorkerNotify } from '../../core/emergency/notify';
import { REGISTER_IMPORT, isRegisterCommand, parseRegisterCommand, parseRegisterImport, type RegisterEntity } from '../../core/registers/types';
import { hashString } from '../demo/random';
import type { StoredAck } from './store';

/**
 * project: whom a town may act as over the link. A town speaks for its own operators
 * only: its account roles that the workflow grants any command (dispatcher, leader,
 * department, village: core/events/permissions.ts). The county, the automation
 * (system), grid workers (their own mobile app), read-only screens and the roles
 * without workflow (admin, secretary) are not the town's to impersonate.
 */
export const TOWN_ACTOR_ROLES: readonly ActorRole[] = ACCOUNT_ROLES.filter((role) => Object.values(PERMISSIONS).some((clauses) => clauses.some((c) => c.by[role] !== undefined)));

/** The command number `n` of a message, valid or not; null when it has none (then it consumes none). */
export function commandNumber(raw: unknown): number | null {
  const parsed = MutateSchema.safeParse(raw);
  if (parsed.success) return parsed.data.n;
  const n = (raw as { n?: unknown } | null | undefined)?.n;
  return typeof n === 'number' && Number.isSafeInteger(n) && n >= 1 ? n : null;
}

/** The answer to a message without a command number: rejected, nothing stored. */
export function unnumbered(raw: unknown): StoredAck {
  const parsed = MutateSchema.safeParse(raw);
  return { status: 'rejected', code: 'invalid', message: `无效的命令消息：${parsed.success ? '' : describeIssues(parsed.error)}` };
}

export type MutateDecision =
  /** Answered without storing anything (out of order: not final). */
  | { kind: 'answer'; ack: StoredAck }
  /** A final rejection, stored under (replica, n). */
  | { kind: 'settle'; n: number; name: string; ack: StoredAck }
  /** Run as the authority; its outcome is stored under (replica, n). */
  | { kind: 'run'; n: number; name: string; command: string; args: unknown; actor: Actor; now: number };

/**
 * What to do with message `n` of a replica that has not been settled before, given the
 * number it expects next: refuse a gap, reject what fails validation or impersonates a
 * role the town may not speak for, or run it at min(its time, the county's clock).
 */
export function decideMutate(raw: unknown, replica: string, town: string, n: number, expected: number, clockNow: number): MutateDecision {
  if (n !== expected) {
    return { kind: 'answer', ack: { status: 'rejected', code: 'out-of-order', message: `命令序号不连续：收到第 ${n} 号，应为第 ${expected} 号` } };
  }
  const parsed = MutateSchema.safeParse(raw);
  const rawName = (raw as { name?: unknown }).name;
  const name = parsed.success ? parsed.data.name : typeof rawName === 'string' ? rawName.slice(0, 64) : '';
  const reject = (code: string, message: string): MutateDecision => ({ kind: 'settle', n, name, ack: { status: 'rejected', code, message } });
  if (!parsed.success) return reject('invalid', `无效的命令消息：${describeIssues(parsed.error)}`);
  const m = parsed.data;
  if (m.id !== commandId(replica, n)) return reject('invalid', `命令编号 ${m.id.slice(0, 80)} 与 ${commandId(replica, n)} 不符`);
  const now = Math.min(parseIso(m.at), clockNow);
  const actor: Actor = m.actor ? { ...m.actor } : { id: `town-${town}`, role: 'dispatcher' };
  if (!TOWN_ACTOR_ROLES.includes(actor.role)) {
    return reject('forbidden', `乡镇只能以本镇操作人员（调度员、领导、部门人员、村（社区）工作站）的身份发出命令，不能以“${ROLE_LABELS[actor.role]}”身份`);
  }
  return { kind: 'run', n, name, command: m.name, args: m.args, actor, now };
}

/** What a command sees of its town: the events it names and the town's reference data. */
export interface CommandWorld {
  event(id: string): GridEvent | undefined;
  category(code: string): Category | undefined;
  department(id: string): Department | undefined;
  worker(id: string): Worker | undefined;
  gridExists(code: string): boolean;
  calendar: WorkCalendar;
}

export type CommandOutcome =
  | { ok: true; eventId: string; events: GridEvent[]; effects: Effect[]; unresolved: Effect[] }
  | { ok: false; code: string; reason: string };

/**
 * One command as the authority: parsed, run through core's transition, its effects applied
 * to the events concerned. Returns the events changed (to store) and the effects left to
 * the county (notifications, escalation, notes on events it could not find).
 */
export function runCommand(world: CommandWorld, name: string, args: unknown, actor: Actor, now: number): CommandOutcome {
  const parsed = parseCommand(name, args);
  if (!parsed.ok) return { ok: false, code: parsed.code, reason: parsed.reason };
  const cmd = parsed.command;
  const event = world.event(cmd.args.id) ?? null;
  const target = cmd.name === 'event.merge' ? world.event(cmd.args.into) : undefined;
  const ctx: TransitionContext = {
    now,
    actor,
    calendar: world.calendar,
    category: (c) => world.category(c),
    department: (d) => world.department(d),
    worker: (w) => world.worker(w),
    gridExists: (g) => world.gridExists(g),
  };
  if (target) ctx.target = target;
  const result = transition(event, cmd, ctx);
  if (!result.ok) return { ok: false, code: result.code, reason: result.reason };
  const done = applyEffects(result, (id) => world.event(id), { now, actor, command: cmd.name });
  return { ok: true, eventId: result.event.id, events: done.events, effects: done.others, unresolved: done.unresolved };
}

/** The ids of the events a command's arguments name (what the hub loads before running it). */
export function namedEvents(args: unknown): string[] {
  const a = (args ?? {}) as { id?: unknown; into?: unknown };
  return [a.id, a.into].filter((v): v is string => typeof v === 'string' && v.length > 0 && v.length <= 200);
}

/** The ids of the events a command's arguments name (what the hub loads before running it; worker.notify's eventId too). */
export function namedEventsOf(args: unknown): string[] {
  const a = (args ?? {}) as { eventId?: unknown };
  return [...namedEvents(args), ...(typeof a.eventId === 'string' && a.eventId.length <= 200 ? [a.eventId] : [])];
}

// ---------------------------------------------------------------- paths

/** How the county settles a command: core's workflow, a message to grid workers' phones, or a register entry. */
export type CommandPath = 'workflow' | 'notify' | 'register';

export function commandPath(name: string): CommandPath {
  if (name === WORKER_NOTIFY) return 'notify';
  if (isRegisterCommand(name)) return 'register';
  return 'workflow';
}

// ---------------------------------------------------------------- worker.notify

/** A notified worker on duty sent towards the event: where to. */
export interface Summons {
  worker: string;
  to: [number, number];
}

/** A message to grid workers' phones, as the county settled it. */
export interface Notice {
  workers: string[];
  text: string;
  eventId: string | null;
  /** The workers on duty at the command's time, each with the point near the event it rides to (none without an event). */
  summons: Summons[];
}

/** Where a summoned worker goes: a point 5-20 m from the event, fixed by (worker, event). */
export function summonPoint(workerId: string, eventId: string, at: { lon: number; lat: number }): [number, number] {
  const h = hashString(`${workerId}/${eventId}`);
  const angle = ((h % 360) * Math.PI) / 180;
  const r = 5 + (h % 15);
  return [at.lon + (r * Math.cos(angle)) / (111_320 * Math.cos((at.lat * Math.PI) / 180)), at.lat + (r * Math.sin(angle)) / 110_574];
}

/**
 * project: worker.notify (county-link-v1, commands the project adds) as the county settles
 * it: its arguments valid, every worker and the event (when it names one) the town's own,
 * else `invalid`; the workers on duty set off towards the event. It changes no entity.
 */
export function settleNotify(world: Pick<CommandWorld, 'worker' | 'event'>, args: unknown): { ok: true; notice: Notice } | { ok: false; code: 'invalid'; reason: string } {
  const parsed = parseWorkerNotify(args);
  if (!parsed.ok) return { ok: false, code: 'invalid', reason: parsed.reason };
  const unknown = parsed.args.workers.filter((id) => world.worker(id) === undefined);
  if (unknown.length > 0) return { ok: false, code: 'invalid', reason: `未知的网格员:${unknown.slice(0, 5).join('、')}` };
  const eventId = parsed.args.eventId;
  const event = eventId === undefined ? undefined : world.event(eventId);
  if (eventId !== undefined && !event) return { ok: false, code: 'invalid', reason: `未知的事件:${eventId}` };
  const summons = event ? parsed.args.workers.filter((id) => world.worker(id)?.onDuty === true).map((id) => ({ worker: id, to: summonPoint(id, event.id, event.location) })) : [];
  return { ok: true, notice: { workers: parsed.args.workers, text: parsed.args.text, eventId: eventId ?? null, summons } };
}

// ---------------------------------------------------------------- registers

export type RegisterOutcome = { ok: true; entities: RegisterEntity[] } | { ok: false; code: string; reason: string };

/** A register command's entities (one, or an import's chunk), validated; nothing of the town read yet. */
export function parseRegister(name: string, args: unknown): RegisterOutcome {
  if (name === REGISTER_IMPORT) return parseRegisterImport(args);
  const parsed = parseRegisterCommand(name, args);
  return parsed.ok ? { ok: true, entities: [parsed.entity] } : parsed;
}

/** The houses a register command's entities need the town to hold (a visit's). */
export function housesNeeded(entities: readonly RegisterEntity[]): string[] {
  return entities.flatMap((e) => (e.type === 'visit' ? [e.value.house] : []));
}

/** The checks against the town: every grid its own, a visit's house in its register (ever written). Null when it may be stored. */
export function checkRegister(entities: readonly RegisterEntity[], gridExists: (code: string) => boolean, houseExists: (id: string) => boolean): { ok: false; code: string; reason: string } | null {
  for (const e of entities) {
    if (!gridExists(e.value.grid)) return { ok: false, code: 'invalid', reason: `本镇没有网格 ${e.value.grid}` };
    if (e.type === 'visit' && !houseExists(e.value.house)) return { ok: false, code: 'invalid', reason: `登记中没有房屋 ${e.value.house}` };
  }
  return null;
}

/** A register command as the county applies it: the entities to store as their next revisions, or the refusal. */
export function settleRegister(name: string, args: unknown, gridExists: (code: string) => boolean, houseExists: (id: string) => boolean): RegisterOutcome {
  const parsed = parseRegister(name, args);
  if (!parsed.ok) return parsed;
  return checkRegister(parsed.entities, gridExists, houseExists) ?? parsed;
}
