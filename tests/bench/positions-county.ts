// Child process of the positions benchmark: a minimal county on loopback (the
// county-link-v1 handshake, an acknowledged initial sync of one town, then a
// stream of `positions` messages). It stands for the county's machine, so its
// JSON encoding does not run on the measured data service's CPU. The town is the
// benchmark county's size (generateCounty, one town of G grids: about 2 workers per
// grid) and the fixes come from the simulator's own patrol model.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { Server, type Socket } from 'socket.io';
import { generateCounty, allGrids, type TownDataset } from '../../county/demo/town';
import { TOWN_NAMESPACE, checkAuth, entityData, positionItem, type Entity } from '../../core/sync/protocol';
import { parseIso } from '../../core/time/shanghai';
import { shapeOf } from '../../county/simulator/geo';
import { Patrol } from '../../county/simulator/patrol';
import { argValue, cpuMs, dropOtherVersions, ensureDir, parentChannel } from './lib/util';

export type ToCounty = { type: 'go' } | { type: 'applied'; count: number } | { type: 'stop' };
export type FromCounty =
  | { type: 'ready'; url: string; town: string; workers: number; t0: number; lastAt: number; prevAt: number; fixes: number }
  | { type: 'synced' }
  | { type: 'sent'; ms: number; cpuMs: number }
  | { type: 'error'; message: string };

/** What the parent reads back for its baselines: the sync items and every message sent. */
export interface PositionsData {
  town: string;
  items: unknown[];
  messages: { at: number; items: [string, number, number, number, number | null, number | null, number | null][] }[];
}

/** Bump when the generated town changes shape, so a cached one is not reused. */
export const POSITIONS_DATA_VERSION = 1;
/** A Monday, 10:00 in Shanghai: every grid worker is on duty. */
export const POSITIONS_T0 = parseIso('2026-11-23T10:00:00+08:00');
const STEP_MS = 5000;
const BATCH = 500;
/**
 * Messages sent ahead of the town's progress. Without a bound the county would queue the
 * whole stream (60 MB) in front of Socket.IO's heartbeat, and on a loaded machine the
 * connection would time out; the real county's volatile emits drop instead of queueing.
 */
const WINDOW = 4;

function townOf(cacheDir: string, seed: number, grids: number): TownDataset {
  const file = path.join(ensureDir(cacheDir), `positions-town-v${POSITIONS_DATA_VERSION}-s${seed}-g${grids}.json`);
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as TownDataset;
  dropOtherVersions(cacheDir, 'positions-town', POSITIONS_DATA_VERSION);
  const town = generateCounty({ seed, towns: 1, gridsPerTown: grids }).towns[0]!;
  writeFileSync(file, JSON.stringify(town));
  return town;
}

async function main(): Promise<void> {
  const channel = parentChannel<ToCounty, FromCounty>();
  const seed = Number(argValue('seed', '1'));
  const grids = Number(argValue('grids'));
  const count = Number(argValue('messages'));
  const out = argValue('out');
  const ds = townOf(argValue('cache'), seed, grids);
  const town = ds.town.code;

  const put = (e: Entity) => ({ type: e.type, op: 'put' as const, id: e.id, rev: 1, data: entityData(e) });
  const workers = ds.workers.map((w) => ({ ...w, onDuty: true }));
  const items = [
    ...allGrids(ds).map((g) => put({ type: 'grid', id: g.code, value: g })),
    ...ds.departments.map((d) => put({ type: 'department', id: d.id, value: d })),
    ...ds.categories.map((c) => put({ type: 'category', id: c.code, value: c })),
    ...workers.map((w) => put({ type: 'worker', id: w.id, value: w })),
  ];

  const shapes = new Map(allGrids(ds).map((g) => [g.code, shapeOf(g.geometry)]));
  const patrol = new Patrol(seed, workers, (code) => shapes.get(code));
  const ids = workers.map((w) => w.id);
  const messages: PositionsData['messages'] = [];
  for (let k = 1; k <= count; k++) {
    const at = POSITIONS_T0 + k * STEP_MS;
    messages.push({ at, items: patrol.fixes(ids, at).map(positionItem) });
  }
  const data: PositionsData = { town, items, messages };
  writeFileSync(out, JSON.stringify(data));

  const http = createServer();
  const io = new Server(http, { serveClient: false });
  let townSocket: Socket | null = null;
  const nsp = io.of(TOWN_NAMESPACE);
  nsp.use((socket, next) => {
    const checked = checkAuth(socket.handshake.auth);
    if (!checked.ok || checked.auth.town !== town) return next(Object.assign(new Error('refused'), { data: { code: checked.ok ? 'unknown-town' : checked.code } }));
    next();
  });
  nsp.on('connection', (socket) => {
    townSocket = socket;
    void (async () => {
      // The initial sync as the county sends it: batches of 500, each acknowledged before the next.
      let from: string | null = null;
      for (let i = 0; i < items.length || i === 0; i += BATCH) {
        const to = `c-bench-${i + BATCH}`;
        const batch = { from, to, more: i + BATCH < items.length, reset: false, lastN: null, items: items.slice(i, i + BATCH) };
        await new Promise<void>((resolve) => socket.emit('changes', batch, () => resolve()));
        from = to;
      }
      channel.send({ type: 'synced' });
    })();
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;

  let sent = 0;
  let applied = 0;
  let streaming = false;
  let t0 = 0;
  let c0 = 0;
  const pump = (): void => {
    const socket = townSocket;
    if (!streaming || !socket) return;
    // Not volatile (the real county's are): a benchmark that lost messages would measure less work.
    while (sent < messages.length && sent - applied < WINDOW) socket.emit('positions', messages[sent++]);
    if (sent === messages.length) {
      streaming = false;
      channel.send({ type: 'sent', ms: performance.now() - t0, cpuMs: cpuMs() - c0 });
    }
  };
  channel.on((m) => {
    if (m.type === 'stop') {
      void io.close(() => process.exit(0));
      setTimeout(() => process.exit(0), 2000).unref();
    } else if (m.type === 'applied') {
      applied = Math.max(applied, m.count);
      pump();
    } else if (!townSocket) {
      channel.send({ type: 'error', message: 'go before the town connected' });
    } else {
      sent = 0;
      applied = 0;
      streaming = true;
      t0 = performance.now();
      c0 = cpuMs();
      pump();
    }
  });

  const last = messages[messages.length - 1]!;
  channel.send({
    type: 'ready',
    url,
    town,
    workers: workers.length,
    t0: POSITIONS_T0,
    lastAt: last.at,
    prevAt: last.at - STEP_MS,
    fixes: messages.reduce((n, m) => n + m.items.length, 0),
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
