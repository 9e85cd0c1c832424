// The hub's HTTP API, beside the county link on the same port (loopback, its own Host,
// JSON, the control token when the hub has one: ../simulator/control.ts's gate):
//
//   GET  /health                                  open: the database answers, Redis state
//   GET  /status, /snapshot?town=, /applied?replica=   as the simulator's control endpoint
//   GET  /api/towns                               towns, their token's state and id (never a token), last contact, head
//   GET  /api/towns/:town/events                  a town's events (the world plans from them)
//   GET  /api/towns/:town/head                    the head of a town's log, as a cursor
//   GET  /api/towns/:town/notices?after=&since=   worker.notify notices for the phones (after
//                                                 an id, at or after a time in ms), oldest first
//   POST /api/towns/:town/events                  report an event {args, actor, at?} (event.create)
//   POST /api/towns/:town/events/:id/commands     act on an event {name, args, actor, at?}
//                                                 (a county department, a grid worker, the county)
//   POST /api/towns/:town/positions               grid workers' fixes {at, items}: fanned out
//   POST /api/towns/:town/duty                    phones' clock-in/out {at, items: [{worker, onDuty}]}
//   POST /control {action}                        the simulator's control actions (this process)
import { z } from 'zod';
import { PositionsEnvelopeSchema, PositionItemSchema, RefusalCodeSchema, WireActorSchema, describeIssues } from '../../core/sync/protocol';
import { chaosSettingsOf, type ControlRequest, type ControlResponse } from '../simulator/control';
import type { LinkServer } from '../simulator/server';
import type { NewEventOverrides } from '../simulator/activity';
import { DUTY_MODES } from '../simulator/patrol';
import type { HubStore } from './store';
import type { DemoWorld } from './world';

export interface ApiContext {
  store: HubStore;
  server: LinkServer;
  world: DemoWorld | null;
  now: () => number;
  /** Redis: 'none' (one process), 'ready' or 'down'. */
  redis: () => 'none' | 'ready' | 'down';
  started: number;
}

const CommandBody = z.object({
  name: z.string().min(1).max(64).optional(),
  args: z.unknown(),
  actor: WireActorSchema,
  at: z.string().max(40).optional(),
});

const DutyBody = z.object({
  at: z.number().int().nonnegative(),
  items: z.array(z.object({ worker: z.string().min(1).max(64), onDuty: z.boolean() })).min(1).max(20_000),
});

const bad = (error: string): ControlResponse => ({ status: 400, body: { ok: false, error } });
const notFound = (error = 'not found'): ControlResponse => ({ status: 404, body: { ok: false, error } });

export async function handleApi(ctx: ApiContext, req: ControlRequest): Promise<ControlResponse> {
  const parts = req.path.split('/').filter((p) => p !== '').map(decodeURIComponent);
  if (req.method === 'GET') return query(ctx, req, parts);
  if (req.method !== 'POST') return notFound();
  if (req.path === '/control') return control(ctx, (req.body ?? {}) as Record<string, unknown>);
  if (parts[0] !== 'api' || parts[1] !== 'towns' || parts[2] === undefined) return notFound();
  const town = parts[2];
  if (!(await ctx.store.hasTown(town))) return notFound(`unknown town ${town}`);
  if (parts.length === 4 && parts[3] === 'events') return command(ctx, town, 'event.create', null, req.body);
  if (parts.length === 6 && parts[3] === 'events' && parts[5] === 'commands') return command(ctx, town, null, parts[4]!, req.body);
  if (parts.length === 4 && parts[3] === 'positions') return positions(ctx, town, req.body);
  if (parts.length === 4 && parts[3] === 'duty') return duty(ctx, town, req.body);
  return notFound();
}

async function query(ctx: ApiContext, req: ControlRequest, parts: string[]): Promise<ControlResponse> {
  const { store, server } = ctx;
  if (req.path === '/health') {
    await store.sql.query('SELECT 1');
    return { status: 200, body: { ok: true, database: store.sql.kind, redis: ctx.redis(), connections: server.connections, uptimeMs: Date.now() - ctx.started } };
  }
  if (req.path === '/status') {
    const towns = await store.townCodes();
    const heads = Object.fromEntries(await Promise.all(towns.map(async (t) => [t, store.cursor(await store.head(t))] as const)));
    // `head` as the simulator's, when there is one log to speak of (one town); `heads` per town always.
    const one = towns.length === 1 ? { head: heads[towns[0]!] } : {};
    return { status: 200, body: { ok: true, towns, now: ctx.now(), connections: server.connections, paused: server.isPaused, epoch: store.epoch, ...one, heads, duty: ctx.world?.duty ?? 'reported' } };
  }
  if (req.path === '/snapshot') {
    const town = req.query.get('town') ?? '';
    if (!(await store.hasTown(town))) return notFound(`unknown town ${town}`);
    return { status: 200, body: await store.snapshot(town) };
  }
  if (req.path === '/applied') {
    const replica = req.query.get('replica') ?? '';
    if (replica === '') return bad('replica is required');
    return { status: 200, body: (await store.settledOf(replica)).map(({ n, name, status, code }) => (code === undefined ? { n, name, status } : { n, name, status, code })) };
  }
  if (parts[0] !== 'api' || parts[1] !== 'towns') return notFound();
  if (parts.length === 2) return { status: 200, body: await store.towns() };
  const town = parts[2]!;
  if (!(await store.hasTown(town))) return notFound(`unknown town ${town}`);
  if (parts.length === 4 && parts[3] === 'events') return { status: 200, body: await store.events(town) };
  if (parts.length === 4 && parts[3] === 'head') return { status: 200, body: { ok: true, cursor: store.cursor(await store.head(town)) } };
  if (parts.length === 4 && parts[3] === 'notices') {
    const after = Number(req.query.get('after') ?? '0');
    const since = req.query.get('since');
    if (!Number.isSafeInteger(after) || after < 0 || (since !== null && !Number.isFinite(Number(since)))) return bad('after is a notice id, since a time in ms');
    return { status: 200, body: await store.notices(town, after, since === null ? null : Number(since)) };
  }
  return notFound();
}

/** A command of the county's own side on a town's event; `id` (from the path) is the event's. */
async function command(ctx: ApiContext, town: string, fixed: string | null, id: string | null, raw: unknown): Promise<ControlResponse> {
  const parsed = CommandBody.safeParse(raw);
  if (!parsed.success) return bad(describeIssues(parsed.error));
  const name = fixed ?? parsed.data.name;
  if (name === undefined) return bad('name is required');
  const args = id === null ? parsed.data.args : { ...(parsed.data.args as object), id };
  const at = parsed.data.at === undefined ? NaN : Date.parse(parsed.data.at);
  const now = Number.isFinite(at) ? Math.min(at, ctx.now()) : ctx.now();
  const r = await ctx.store.apply(town, name, args, parsed.data.actor, now);
  if (!r.ok) return { status: 200, body: r };
  return { status: 200, body: { ok: true, id: r.eventId } };
}

/** Fixes of a town's grid workers: the valid ones go out to the town's connections on every hub process. */
function positions(ctx: ApiContext, town: string, raw: unknown): ControlResponse {
  const env = PositionsEnvelopeSchema.safeParse(raw);
  if (!env.success) return bad(describeIssues(env.error));
  const items = env.data.items.filter((i) => PositionItemSchema.safeParse(i).success);
  if (items.length > 0) ctx.server.fanOutPositions(town, { at: env.data.at, items });
  return { status: 200, body: { ok: true, sent: items.length, dropped: env.data.items.length - items.length } };
}

/** The phones' clock-in and clock-out: all the listed workers must be the town's, or nothing is written. */
async function duty(ctx: ApiContext, town: string, raw: unknown): Promise<ControlResponse> {
  const body = DutyBody.safeParse(raw);
  if (!body.success) return bad(describeIssues(body.error));
  const r = await ctx.store.duty(town, body.data.at, body.data.items);
  if (!r.ok) return bad(`unknown workers of ${town}: ${r.unknown.slice(0, 5).join(', ')}`);
  return { status: 200, body: r };
}

/** POST /control: the simulator's actions, for tests that drive a county from another process. */
async function control(ctx: ApiContext, b: Record<string, unknown>): Promise<ControlResponse> {
  const { server, world, store } = ctx;
  const ok = (extra: Record<string, unknown> = {}): ControlResponse => ({ status: 200, body: { ok: true, ...extra } });
  switch (b.action) {
    case 'drop':
      server.dropLinks();
      return ok();
    case 'pause':
      server.pause();
      return ok();
    case 'resume':
      server.resume();
      return ok();
    case 'reset-next':
      server.resetNext();
      return ok();
    case 'set':
      server.set(chaosSettingsOf(b));
      return ok();
    case 'refuse': {
      const code = RefusalCodeSchema.safeParse(b.code);
      if (!code.success) return bad('code must be unauthorized, unsupported-version or unknown-town');
      server.refuseNext(code.data);
      return ok();
    }
    case 'tick':
      if (!world) return bad('this hub runs no world (--world demo)');
      await world.step(Math.max(ctx.now(), Date.now()));
      return ok({ now: ctx.now() });
    case 'create-event': {
      if (!world) return bad('this hub runs no world (--world demo)');
      if (typeof b.town !== 'string' || !(await store.hasTown(b.town))) return bad('unknown town');
      const overrides = (b.overrides && typeof b.overrides === 'object' ? b.overrides : {}) as NewEventOverrides;
      return ok({ id: await world.report(b.town, overrides, ctx.now()) });
    }
    case 'apply': {
      if (typeof b.town !== 'string' || typeof b.name !== 'string') return bad('town and name are required');
      const actor = WireActorSchema.safeParse(b.actor);
      if (!actor.success) return bad('actor must be { id, role, name?, departmentId? }');
      if (!(await store.hasTown(b.town))) return { status: 200, body: { ok: false, code: 'unknown-town', reason: `未知的乡镇：${b.town}` } };
      const r = await store.apply(b.town, b.name, b.args, actor.data, ctx.now());
      return { status: 200, body: r.ok ? { ok: true } : r };
    }
    case 'duty': {
      const mode = DUTY_MODES.find((m) => m === b.mode);
      if (!mode) return bad(`mode must be one of ${DUTY_MODES.join(', ')}`);
      if (!world) return bad('this hub runs no world: its workers’ duty is what their phones report (POST /api/towns/:town/duty)');
      await world.setDuty(mode, ctx.now());
      return ok({ duty: mode });
    }
    default:
      return bad(`unknown action ${JSON.stringify(b.action)}`);
  }
}
