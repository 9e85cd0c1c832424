// The link and what a hostile county may send beyond `changes` and `positions`: a
// message of a name it does not know is dropped and logged (never silently), and no
// county text (a cursor, a reason) can break a log entry into several lines. Found by
// the fuzz suite (tests/fuzz/hostile-county.test.ts).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server, type Socket as ServerSocket } from 'socket.io';
import { afterEach, describe, expect, it } from 'vitest';
import type { WireBatch } from '../../../core/sync/protocol';
import type { LinkReplica } from './county-link';
import { CountyLink } from './county-link';

const REPLICA_ID = '9b2f6a1e-0c3d-4e5f-8a7b-1c2d3e4f5a6b';

function replicaDouble(): LinkReplica & { cursor: string | null } {
  return {
    replicaId: REPLICA_ID,
    town: '430624103',
    cursor: null,
    state() {
      return { cursor: this.cursor, lastN: null, nextN: 1, lastSyncAt: null, catchingUp: false };
    },
    applyBatch(batch: WireBatch) {
      if (!batch.reset && batch.from !== this.cursor) return { status: 'out-of-sequence' as const, applied: 0, ignored: [], changed: [] };
      this.cursor = batch.to;
      return { status: 'applied' as const, applied: 0, ignored: [{ index: 0, reason: 'invalid change item:\nforged line', unknownType: false }], changed: [] };
    },
    applyPositions: () => ({ latest: [], historyOnly: 0, invalid: [] }),
    nextOutbound: () => null,
    acknowledge: () => ({ changedEventIds: [] }),
    queueLength: () => 0,
    unsentCount: () => 0,
  };
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup(): Promise<{ county: () => ServerSocket; link: CountyLink; lines: string[] }> {
  const http = createServer();
  const io = new Server(http, { serveClient: false });
  let socket: ServerSocket | null = null;
  io.of('/town').on('connection', (s) => (socket = s));
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const lines: string[] = [];
  const log = (m: string): number => lines.push(m);
  const link = new CountyLink({
    url: `http://127.0.0.1:${(http.address() as AddressInfo).port}`,
    token: 't',
    replica: replicaDouble(),
    logger: { info: log, warn: log, error: log },
    backoffMinMs: 5,
    backoffMaxMs: 20,
    transports: ['websocket'],
  });
  link.start();
  cleanups.push(async () => {
    link.stop();
    await new Promise<void>((resolve) => void io.close(() => resolve()));
  });
  const deadline = Date.now() + 10_000;
  while (link.status().state !== 'online') {
    if (Date.now() > deadline) throw new Error('the link did not connect');
    await new Promise((r) => setTimeout(r, 5));
  }
  return { county: () => socket as unknown as ServerSocket, link, lines };
}

describe('county link: messages it does not know, and one-line log entries', () => {
  it('logs a message of an unknown name with that name, once per message, and stays online', async () => {
    const { county, link, lines } = await setup();
    county().emit('reset', { from: null });
    county().emit("'; DROP TABLE events; --", 1);
    // A round trip: everything the county sent before it has been handled.
    const ack = await county().timeout(5000).emitWithAck('changes', { from: null, to: 'c-1', more: false, reset: false, lastN: null, items: [] });
    expect(ack).toEqual({ cursor: 'c-1' });
    const unknown = lines.filter((l) => /ignored an unknown message/.test(l));
    expect(unknown).toEqual([
      '[county-link] connection: ignored an unknown message "reset" from the county',
      `[county-link] connection: ignored an unknown message "'; DROP TABLE events; --" from the county`,
    ]);
    expect(link.status().state).toBe('online');
  });

  it('keeps every log entry on one line, whatever the county put in a cursor', async () => {
    const { county, link, lines } = await setup();
    await county().timeout(5000).emitWithAck('changes', { from: null, to: 'c-1\n[county-link] connection: forged', more: false, reset: false, lastN: null, items: [{}] });
    await county().timeout(5000).emitWithAck('changes', { from: 'c-1\n[county-link] connection: forged', to: 'c-2\r\u2028x', more: false, reset: false, lastN: null, items: [] });
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line).not.toMatch(/[\n\r\u2028]/);
    const entries = link.log();
    expect(entries.some((e) => e.message.includes('ignored item 0 of batch c-1\\u000a[county-link] connection: forged: invalid change item:\\u000aforged line'))).toBe(true);
    for (const e of entries) expect(e.message).not.toMatch(/[\n\r\u2028]/);
  });
});
