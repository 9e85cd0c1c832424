// The county simulator's HTTP control endpoint (GET /snapshot, /applied, /status and
// POST /control), for chaos tests that drive the simulator from another process. It
// answers on loopback only, under its own loopback Host (a DNS-rebinding page gets
// nothing), with its control token when it has one (`Authorization: Bearer <token>`,
// `npm run county -- --token T`), and POSTs JSON only (a cross-site form cannot send
// application/json without a preflight, which this endpoint never grants).
import { sameSecret } from '../../node-common/secret';
import { WireActorSchema, RefusalCodeSchema } from '../../core/sync/protocol';
import type { County } from './county';
import type { CountyStore } from './store';
import type { ChaosControl, LinkServer } from './server';
import { DUTY_MODES } from './patrol';
import type { NewEventOverrides } from './activity';
import type { CountySimulator } from './index';

export interface ControlRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  body: unknown;
}

export interface ControlResponse {
  status: number;
  body: unknown;
}

/** What the endpoint reads beyond the simulator's public handle. */
export interface ControlContext {
  sim: CountySimulator;
  county: County;
  server: LinkServer;
  store: CountyStore;
}

/** What the endpoint checks before it reads a request's body. */
export interface ControlGate {
  /** The port it listens on (the Host must name it). */
  port: number;
  /** When set, every request must present it. */
  token?: string;
}

export interface ControlHeaders {
  host?: string | undefined;
  authorization?: string | undefined;
  'content-type'?: string | undefined;
}

/** The refusal of a request before its body is read, or null to go on. */
export function refuseControl(method: string, headers: ControlHeaders, gate: ControlGate): ControlResponse | null {
  const hosts = [`127.0.0.1:${gate.port}`, `localhost:${gate.port}`, `[::1]:${gate.port}`];
  if (!hosts.includes((headers.host ?? '').toLowerCase())) return { status: 421, body: { ok: false, error: 'wrong host' } };
  if (gate.token !== undefined) {
    const m = /^Bearer\s+(\S+)$/i.exec(headers.authorization ?? '');
    if (!m || !sameSecret(m[1]!, gate.token)) return { status: 401, body: { ok: false, error: 'control token required (Authorization: Bearer <token>)' } };
  }
  if (method === 'POST' && !/^application\/json\s*(;|$)/i.test(headers['content-type'] ?? '')) return { status: 415, body: { ok: false, error: 'Content-Type must be application/json' } };
  return null;
}

const bad = (error: string): ControlResponse => ({ status: 400, body: { ok: false, error } });
const ok = (extra: Record<string, unknown> = {}): ControlResponse => ({ status: 200, body: { ok: true, ...extra } });

export function handleControl(ctx: ControlContext, req: ControlRequest): ControlResponse {
  if (req.method === 'GET') return handleQuery(ctx, req);
  if (req.method !== 'POST' || req.path !== '/control') return { status: 404, body: { ok: false, error: 'not found' } };
  return handleAction(ctx, (req.body ?? {}) as Record<string, unknown>);
}

/** GET /snapshot?town=, /applied?replica=, /status. */
function handleQuery({ sim, county, server, store }: ControlContext, req: ControlRequest): ControlResponse {
  if (req.path === '/snapshot') {
    const town = req.query.get('town') ?? '';
    if (!county.hasTown(town)) return { status: 404, body: { ok: false, error: `unknown town ${town}` } };
    return { status: 200, body: county.snapshot(town) };
  }
  if (req.path === '/applied') {
    const replica = req.query.get('replica') ?? '';
    if (replica === '') return bad('replica is required');
    return { status: 200, body: sim.applied(replica) };
  }
  if (req.path === '/status') {
    return ok({ towns: sim.towns, now: sim.now(), connections: server.connections, paused: server.isPaused, epoch: store.epoch, head: sim.headCursor(), duty: county.duty });
  }
  return { status: 404, body: { ok: false, error: 'not found' } };
}

/** POST /control {action, ...}: chaos, duty, time and commands. */
function handleAction({ sim, county }: ControlContext, b: Record<string, unknown>): ControlResponse {
  switch (b.action) {
    case 'drop':
      sim.chaos.dropLinks();
      return ok();
    case 'pause':
      sim.chaos.pause();
      return ok();
    case 'resume':
      sim.chaos.resume();
      return ok();
    case 'set':
      sim.chaos.set(chaosSettingsOf(b));
      return ok();
    case 'duty': {
      const mode = DUTY_MODES.find((m) => m === b.mode);
      if (!mode) return bad(`mode must be one of ${DUTY_MODES.join(', ')}`);
      sim.setDuty(mode);
      return ok({ duty: mode });
    }
    case 'reset-next':
      sim.chaos.resetNext();
      return ok();
    case 'refuse': {
      const code = RefusalCodeSchema.safeParse(b.code);
      if (!code.success) return bad('code must be unauthorized, unsupported-version or unknown-town');
      sim.chaos.refuseNext(code.data);
      return ok();
    }
    case 'tick': {
      const ms = b.ms === undefined ? undefined : Number(b.ms);
      if (ms !== undefined && !(Number.isFinite(ms) && ms >= 0)) return bad('ms must be a non-negative number');
      sim.tick(ms);
      return ok({ now: sim.now() });
    }
    case 'create-event': {
      if (typeof b.town !== 'string' || !county.hasTown(b.town)) return bad('unknown town');
      const overrides = (b.overrides && typeof b.overrides === 'object' ? b.overrides : {}) as NewEventOverrides;
      return ok({ id: sim.createEvent(b.town, overrides) });
    }
    case 'place': {
      // project: a worker at a point from now (a test walks a worker into a grid).
      const lon = Number(b.lon);
      const lat = Number(b.lat);
      if (typeof b.town !== 'string' || !county.hasTown(b.town) || typeof b.worker !== 'string') return bad('town and worker are required');
      if (!(Number.isFinite(lon) && Number.isFinite(lat) && Math.abs(lon) <= 180 && Math.abs(lat) <= 90)) return bad('lon and lat must be a position');
      if (!county.placeWorker(b.town, b.worker, lon, lat, sim.now())) return bad(`unknown worker ${String(b.worker).slice(0, 64)}`);
      return ok();
    }
    case 'device-alarm': {
      // project: a sensor or camera raises an alarm now (the default: the town's first smoke detector).
      if (typeof b.town !== 'string' || !county.hasTown(b.town)) return bad('unknown town');
      const devices = county.devicesOf(b.town);
      const device = typeof b.device === 'string' ? devices.find((d) => d.id === b.device) : devices.find((d) => d.kind === 'smoke');
      if (!device) return bad('unknown device');
      return ok({ device: device.id, id: county.raiseAlarm(b.town, device.id, sim.now()) });
    }
    case 'apply': {
      if (typeof b.town !== 'string' || typeof b.name !== 'string') return bad('town and name are required');
      const actor = WireActorSchema.safeParse(b.actor);
      if (!actor.success) return bad('actor must be { id, role, name?, departmentId? }');
      return { status: 200, body: sim.apply(b.town, b.name, b.args, actor.data) };
    }
    default:
      return bad(`unknown action ${JSON.stringify(b.action)}`);
  }
}

/** The chaos settings of a 'set' action; fields of the wrong type are left out. */
export function chaosSettingsOf(b: Record<string, unknown>): Parameters<ChaosControl['set']>[0] {
  const o: Parameters<ChaosControl['set']>[0] = {};
  if (typeof b.duplicate === 'number') o.duplicate = b.duplicate;
  if (typeof b.dropAcks === 'number') o.dropAcks = b.dropAcks;
  if (typeof b.reorderPositions === 'boolean') o.reorderPositions = b.reorderPositions;
  if (Array.isArray(b.delayMs) && b.delayMs.length === 2 && b.delayMs.every((v) => typeof v === 'number')) o.delayMs = [b.delayMs[0] as number, b.delayMs[1] as number];
  return o;
}
