// Issue 12, "Bounds on everything that arrives", end to end: a county sends, through the
// link's socket into a real replica, a batch whose middle items are a 13.5 MB event
// (huge reporter, assignee.cooperating, clock.extensions, extension reason) and a grid
// with an oversized geometry. Those two are refused and logged with their reason; the
// other items of the batch apply and the batch is acknowledged. A message above the
// socket's maximum payload closes the connection instead of being read.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server, type Socket as ServerSocket } from 'socket.io';
import { afterEach, describe, expect, it } from 'vitest';
import type { GridEvent } from '../../../core/model';
import { LIMITS } from '../../../core/sync/protocol';
import type { Replica } from '../replica/replica';
import { GRIDS, batch, countyEvent, eventItem, put, seededReplica, tempDir } from '../replica/test-fixtures';
import { CountyLink } from './county-link';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A county and a linked replica; `onConnection` runs as each connection opens (before the client has read its CONNECT). */
async function setup(onConnection?: (s: ServerSocket, n: number) => void): Promise<{ county: () => ServerSocket; link: CountyLink; replica: Replica; lines: string[] }> {
  const tmp = tempDir();
  const { replica } = await seededReplica(tmp.file('r.db'));
  const http = createServer();
  // The test county may send more than any real one: its own cap must not hide the town's.
  const io = new Server(http, { serveClient: false, maxHttpBufferSize: 100 * 1024 * 1024 });
  let socket: ServerSocket | null = null;
  let connections = 0;
  io.of('/town').on('connection', (s) => {
    socket = s;
    onConnection?.(s, ++connections);
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const lines: string[] = [];
  const log = (m: string): number => lines.push(m);
  const link = new CountyLink({
    url: `http://127.0.0.1:${(http.address() as AddressInfo).port}`,
    token: 't',
    replica,
    logger: { info: log, warn: log, error: log },
    backoffMinMs: 5,
    backoffMaxMs: 20,
    transports: ['websocket'],
  });
  link.start();
  cleanups.push(async () => {
    link.stop();
    await new Promise<void>((resolve) => void io.close(() => resolve()));
    await replica.close();
    tmp.cleanup();
  });
  await until(() => link.status().state === 'online', 'the link did not connect');
  return { county: () => socket as unknown as ServerSocket, link, replica, lines };
}

async function until(done: () => boolean, message: string, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(message);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** The 13.5 MB event of the issue: every field that had no bound, blown up. */
function hugeEvent(id: string): GridEvent {
  const base = countyEvent({ id });
  const clock = base.deadlines.accept!;
  return {
    ...base,
    reporter: { name: '张'.repeat(1_200_000), phone: '1'.repeat(300_000), idNumber: '4'.repeat(300_000) },
    assignee: { kind: 'department', id: 'dept-rj', cooperating: Array.from({ length: 200_000 }, (_, i) => `dept-${i}`) },
    deadlines: { accept: { ...clock, extensions: Array.from({ length: 150_000 }, () => ({ value: 1, unit: 'hours' as const })) } },
    extensionRequest: { by: { value: 1, unit: 'days' }, reason: '原'.repeat(1_200_000), at: base.reportedAt, actor: 'd-001' },
  };
}

describe('county link: an oversized item in a batch', () => {
  it('refuses the 13.5 MB event and the oversized geometry with their reasons, applies the rest of the batch', async () => {
    const { county, link, replica, lines } = await setup();
    const grid = GRIDS.find((g) => g.level === 3)!;
    // 600,000 positions in one ring: about 13 MB of coordinates.
    const points = Array.from({ length: 600_000 }, (_, i) => [112.9 + (i % 1000) * 1e-6, 28.6 + Math.floor(i / 1000) * 1e-6]);
    const hugeGrid = { ...grid, name: '超大边界', geometry: { type: 'Polygon' as const, coordinates: [[...points, points[0]!]] } };
    const items = [
      eventItem(countyEvent({ id: 'e-1', title: '第一件' }), 1),
      eventItem(hugeEvent('e-2'), 1),
      put({ type: 'grid', id: grid.code, value: hugeGrid }, 2),
      eventItem(countyEvent({ id: 'e-3', title: '第三件' }), 1),
    ];
    const wire = batch('c-1', 'c-2', items);
    expect(Buffer.byteLength(JSON.stringify(items[1]))).toBeGreaterThan(13_500_000);

    const ack = await county().timeout(30_000).emitWithAck('changes', wire);

    expect(ack).toEqual({ cursor: 'c-2' });
    expect(replica.state().cursor).toBe('c-2');
    expect(replica.getEvent('e-1')?.title).toBe('第一件');
    expect(replica.getEvent('e-3')?.title).toBe('第三件');
    expect(replica.getEvent('e-2')).toBeNull();
    expect(replica.grids().find((g) => g.code === grid.code)?.name).toBe(grid.name);

    // Logged with the reason, on one short line each; stored as inbound rejects with a short excerpt.
    const refused = link.log().filter((e) => /ignored item \d of batch c-2/.test(e.message));
    expect(refused.map((e) => e.message.match(/ignored item (\d)/)![1]).sort()).toEqual(['1', '2']);
    expect(refused.find((e) => e.message.includes('item 1'))!.message).toMatch(/invalid event "e-2": .*reporter\.name/);
    expect(refused.find((e) => e.message.includes('item 2'))!.message).toMatch(/invalid grid ".*": .*geometry\.coordinates\.0/);
    for (const line of [...lines, ...refused.map((e) => e.message)]) expect(line.length).toBeLessThan(1_000);
    const rejects = replica.inboundRejects(10);
    expect(rejects.map((r) => r.index).sort()).toEqual([1, 2]);
    for (const r of rejects) expect((r.excerpt ?? '').length).toBeLessThan(1_000);
    expect(link.status().state).toBe('online');
  }, 60_000);

  it('closes the connection on a message above the maximum payload, reads nothing of it, and reconnects', async () => {
    const { county, link, replica } = await setup();
    const first = county();
    const filler = 'x'.repeat(LIMITS.countyMessageBytes + 1024);
    first.emit('changes', batch('c-1', 'c-2', [{ type: 'event', op: 'put', id: 'e-big', rev: 1, data: { title: filler } }]));

    await until(() => link.log().some((e) => /link dropped/.test(e.message)), 'the link did not drop the oversized message');
    expect(replica.state().cursor).toBe('c-1');
    expect(replica.getEvent('e-big')).toBeNull();
    // The link comes back on its own, on a new connection.
    await until(() => link.status().state === 'online' && county() !== first, 'the link did not reconnect');
  }, 60_000);
});

describe('county link: an undecodable packet on the heels of the connection', () => {
  it('logs the drop even when the packet arrives before the client has read its CONNECT', async () => {
    // Written in the same tick as the server's CONNECT: both frames reach the client in one
    // read, the decoder refuses the second before the first is delivered (Socket.IO delivers
    // decoded packets a microtask later), so the socket closes without ever having connected.
    const { link, lines } = await setup((s, n) => {
      if (n === 1) s.conn.write('2/town,["disconnect","spoofed"]');
    });
    await until(() => lines.some((l) => /link dropped: parse error$/.test(l)), 'the early parse error was not logged');
    expect(link.status().state).toBe('online');
  }, 60_000);
});
