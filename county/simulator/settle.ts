// The county's rules for a town's `mutate` and for any command it runs as the authority,
// written once for the simulator (SQLite, synchronous) and the county hub (PostgreSQL,
// asynchronous): which number a message carries, what an out-of-order, invalid or
// impersonating message is answered, and how a command runs (core's transition, then its
// effects on the events concerned). The callers read and write their own store around
// these pure steps, inside one transaction each.
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
