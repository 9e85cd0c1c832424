// The link client against a tiny Socket.IO county double on loopback and an
// in-memory replica double: each test drives one rule of county-link v1 and
// asserts its outcome (what the county saw, what the replica holds, what the link
// reports). No timed assertions: waits poll for an outcome with a generous bound.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import type { Socket as ServerSocket } from 'socket.io';
import { afterEach, describe, expect, it } from 'vitest';
import type { PositionFix } from '../../../core/model';
import type { MutateAck } from '../../../core/sync/protocol';
import { parsePositionItem } from '../../../core/sync/protocol';
import type { LinkStatus } from '../../../core/api/contract';
import type { WireBatch } from '../../../core/sync/protocol';
import type { LinkReplica } from './county-link';
import { CountyLink } from './county-link';

// ---------------------------------------------------------------- doubles

const REPLICA_ID = '9b2f6a1e-0c3d-4e5f-8a7b-1c2d3e4f5a6b';
const TOWN = '430624103';

class FakeReplica implements LinkReplica {
  readonly replicaId = REPLICA_ID;
  readonly town = TOWN;
  cursor: string | null = null;
  lastN: number | null = null;
  lastSyncAt: number | null = null;
  catchingUp = false;
  readonly batches: WireBatch[] = [];
  readonly fixes: PositionFix[] = [];
  readonly outbox: { n: number; name: string; args: unknown; ack: MutateAck | null }[] = [];
  readonly acks: { n: number; ack: MutateAck }[] = [];

  state() {
    return { cursor: this.cursor, lastN: this.lastN, nextN: this.outbox.length + 1, lastSyncAt: this.lastSyncAt, catchingUp: this.catchingUp };
  }
  failNext = false;
  applyBatch(batch: WireBatch) {
    if (this.failNext) {
      this.failNext = false;
      throw new Error('SQLITE_FULL: database or disk is full');
    }
    // The real replica's sequence rule: a reset batch always applies (the link decides whether it may).
    if (!batch.reset && batch.from !== this.cursor) {
      return { status: batch.to === this.cursor ? ('duplicate' as const) : ('out-of-sequence' as const), applied: 0, ignored: [], changed: [] };
    }
    this.batches.push(batch);
    this.cursor = batch.to;
    this.lastN = batch.lastN;
    this.lastSyncAt = Date.parse('2026-11-28T01:00:00Z');
    this.catchingUp = batch.more;
    const ignored = batch.items.flatMap((item, index) =>
      (item as { type?: string }).type === 'drone' ? [{ index, reason: 'unknown entity type "drone"', unknownType: true }] : [],
    );
    return { status: 'applied' as const, applied: batch.items.length - ignored.length, ignored, changed: [{ type: 'event' as const, ids: batch.items.map((i) => String((i as { id?: unknown }).id)) }] };
  }
  applyPositions(items: unknown[]) {
    const latest: PositionFix[] = [];
    const invalid: { index: number; reason: string }[] = [];
    items.forEach((item, index) => {
      const parsed = parsePositionItem(item);
      if (parsed.ok) latest.push(parsed.fix);
      else invalid.push({ index, reason: parsed.reason });
    });
    this.fixes.push(...latest);
    return { latest, historyOnly: 0, invalid };
  }
  queue(name: string): void {
    this.outbox.push({ n: this.outbox.length + 1, name, args: { id: `e-${this.outbox.length + 1}` }, ack: null });
  }
  nextOutbound(): ReturnType<LinkReplica['nextOutbound']> {
    const next = this.outbox.find((c) => c.ack === null);
    if (!next) return null;
    return { n: next.n, id: `${REPLICA_ID}:${next.n}`, name: next.name, args: next.args, at: '2026-11-28T09:12:03+08:00', actor: { id: 'dispatcher', role: 'dispatcher' } };
  }
  acknowledge(n: number, ack: MutateAck) {
    const command = this.outbox.find((c) => c.n === n);
    if (command) command.ack = ack;
    this.acks.push({ n, ack });
    return { changedEventIds: [`e-${n}`] };
  }
  queueLength(): number {
    return this.outbox.filter((c) => c.ack === null).length;
  }
  unsentCount(): number {
    return this.queueLength();
  }
}

interface Handshake {
  auth: Record<string, unknown>;
}

interface MutateMessage {
  id: string;
  n: number;
  name: string;
  args: unknown;
  at: string;
  actor?: unknown;
}

/** A county that records what it sees; each test plugs its own behaviour in. */
class FakeCounty {
  readonly handshakes: Handshake[] = [];
  readonly mutates: MutateMessage[] = [];
  refuse: string | null = null;
  refuseWithoutCode = false;
  onConnection: (socket: ServerSocket) => void = () => undefined;
  onMutate: (message: MutateMessage, ack: (answer: unknown) => void) => void = (_m, ack) => ack({ status: 'applied' });
  sockets: ServerSocket[] = [];
  private io!: Server;
  url = '';

  async start(port = 0): Promise<void> {
    const http = createServer();
    this.io = new Server(http);
    const town = this.io.of('/town');
    town.use((socket, next) => {
      this.handshakes.push({ auth: socket.handshake.auth as Record<string, unknown> });
      if (this.refuseWithoutCode) return next(new Error('busy'));
      if (this.refuse) return next(Object.assign(new Error(this.refuse), { data: { code: this.refuse } }));
      next();
    });
    town.on('connection', (socket) => {
      this.sockets.push(socket);
      socket.on('mutate', (message: MutateMessage, ack: (answer: unknown) => void) => {
        this.mutates.push(message);
        this.onMutate(message, ack);
      });
      this.onConnection(socket);
    });
    await new Promise<void>((resolve) => http.listen(port, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  }

  get port(): number {
    return Number(this.url.split(':').pop());
  }

  /** Sends a batch and resolves with the acknowledgement (or never). */
  send(socket: ServerSocket, batch: unknown): Promise<unknown> {
    return new Promise((resolve) => socket.emit('changes', batch, (ack: unknown) => resolve(ack)));
  }

  latest(): ServerSocket {
    const socket = this.sockets[this.sockets.length - 1];
    if (!socket) throw new Error('no connection yet');
    return socket;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => {
      void this.io.close(() => resolve());
    });
  }
}

// ---------------------------------------------------------------- harness

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function until(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function setup(options: { county?: (c: FakeCounty) => void; link?: Partial<ConstructorParameters<typeof CountyLink>[0]> } = {}) {
  const county = new FakeCounty();
  options.county?.(county);
  await county.start();
  cleanups.push(() => county.close());
  const replica = new FakeReplica();
  const statuses: LinkStatus[] = [];
  const logged: string[] = [];
  const link = new CountyLink({
    url: county.url,
    token: 'secret',
    replica,
    transports: ['websocket'],
    backoffMinMs: 20,
    backoffMaxMs: 100,
    mutateTimeoutMs: 5_000,
    logger: { info: (m) => logged.push(m), warn: (m) => logged.push(m), error: (m) => logged.push(m) },
    ...options.link,
  });
  link.on('status', (s) => statuses.push(s));
  cleanups.push(() => link.stop());
  return { county, replica, link, statuses, logged };
}

const batch = (from: string | null, to: string, extra: Partial<WireBatch> = {}) => ({
  from,
  to,
  more: false,
  reset: false,
  lastN: null,
  items: [{ type: 'event', op: 'del', id: `x-${to}`, rev: 1 }],
  ...extra,
});

// ---------------------------------------------------------------- handshake and refusals

describe('handshake', () => {
  it('presents {v, town, replica, token, cursor} and re-reads the cursor at every reconnection', async () => {
    const { county, replica, link } = await setup();
    replica.cursor = 'c-7';
    link.start();
    await until(() => link.status().state === 'online', 'online');
    expect(county.handshakes[0]?.auth).toEqual({ v: 1, town: TOWN, replica: REPLICA_ID, token: 'secret', cursor: 'c-7' });

    replica.cursor = 'c-9';
    county.latest().disconnect(true); // "io server disconnect": Socket.IO would not come back on its own
    await until(() => county.handshakes.length === 2 && link.status().state === 'online', 'reconnected');
    expect(county.handshakes[1]?.auth.cursor).toBe('c-9');
  });

  it.each(['unauthorized', 'unsupported-version', 'unknown-town'] as const)(
    'shows a %s refusal and does not retry it in a loop',
    async (code) => {
      const { county, link, statuses } = await setup({ county: (c) => (c.refuse = code) });
      link.start();
      await until(() => link.status().state === 'refused', 'refused');
      // Twenty backoff periods: a retry loop would have knocked many times by now.
      await pause(400);
      expect(county.handshakes).toHaveLength(1);
      expect(link.status()).toMatchObject({ state: 'refused', refusal: code });
      expect(link.status().detail).toMatch(/县级平台/);
      expect(statuses.some((s) => s.state === 'refused' && s.refusal === code)).toBe(true);
      expect(link.log().some((e) => e.topic === 'connection' && e.message.includes(code))).toBe(true);

      // The operator's reconnect tries once more; a fixed configuration then connects.
      link.reconnect();
      await until(() => county.handshakes.length === 2, 'manual retry');
      await until(() => link.status().state === 'refused', 'refused again');
      county.refuse = null;
      link.configure({ token: 'new-secret' });
      await until(() => link.status().state === 'online', 'online after a configuration change');
      expect(county.handshakes[2]?.auth.token).toBe('new-secret');
      expect(link.status().refusal).toBeUndefined();
    },
  );

  it('retries, with a backoff, a refusal that carries no refusal code', async () => {
    const { county, link } = await setup({ county: (c) => (c.refuseWithoutCode = true) });
    link.start();
    await until(() => county.handshakes.length >= 3, 'retries');
    expect(link.status().state).toBe('offline');
    county.refuseWithoutCode = false;
    await until(() => link.status().state === 'online', 'online');
  });

  it('is offline while the county cannot be reached, and connects when it comes up', async () => {
    const probe = new FakeCounty();
    await probe.start();
    const port = probe.port;
    await probe.close();
    const { link, replica } = await setup({ link: { url: `http://127.0.0.1:${port}` } });
    link.start();
    await until(() => link.status().state === 'offline', 'offline');
    expect(link.status().offlineSince).not.toBeNull();
    // No emit while disconnected: a command queued now must reach the county once, not twice.
    replica.queue('event.accept');
    link.kick();
    const county = new FakeCounty();
    await county.start(port);
    cleanups.push(() => county.close());
    await until(() => replica.acks.length === 1, 'command acknowledged');
    await pause(100);
    expect(county.mutates.map((m) => m.n)).toEqual([1]);
    expect(link.status()).toMatchObject({ state: 'online', offlineSince: null, queueLength: 0 });
  });
});

// ---------------------------------------------------------------- changes

describe('changes', () => {
  it('applies a batch, stores its cursor and only then acknowledges it; catching up until more:false', async () => {
    const { county, replica, link, statuses } = await setup();
    const applied: unknown[] = [];
    link.on('batch', (info) => applied.push(info));
    link.start();
    await until(() => county.sockets.length === 1, 'connected');
    const socket = county.latest();

    const first = county.send(socket, batch(null, 'c-1', { more: true, lastN: 3 }));
    // What the replica held when the acknowledgement arrived: the batch was committed before.
    const ack1 = await first;
    expect(ack1).toEqual({ cursor: 'c-1' });
    expect(replica.cursor).toBe('c-1');
    expect(link.status().catchingUp).toBe(true);
    expect(await county.send(socket, batch('c-1', 'c-2'))).toEqual({ cursor: 'c-2' });
    expect(replica.batches.map((b) => b.to)).toEqual(['c-1', 'c-2']);
    expect(link.status()).toMatchObject({ catchingUp: false, lastSyncAt: '2026-11-28T09:00:00+08:00' });
    expect(statuses.some((s) => s.catchingUp)).toBe(true);
    expect(applied).toEqual([
      { changed: [{ type: 'event', ids: ['x-c-1'] }], lastN: 3, reset: false, more: true },
      { changed: [{ type: 'event', ids: ['x-c-2'] }], lastN: null, reset: false, more: false },
    ]);
  });

  it('never acknowledges a batch the replica could not commit, and asks for it again', async () => {
    const { county, replica, link } = await setup();
    link.start();
    await until(() => county.sockets.length === 1, 'connected');
    replica.failNext = true;
    let acked = false;
    void county.send(county.latest(), batch(null, 'c-1')).then(() => (acked = true));
    await until(() => county.handshakes.length === 2, 'reconnected');
    expect(acked).toBe(false);
    expect(replica.cursor).toBeNull();
    expect(county.handshakes[1]?.auth.cursor).toBeNull();
    expect(link.log().some((e) => e.level === 'error' && e.message.includes('SQLITE_FULL'))).toBe(true);
    expect(await county.send(county.latest(), batch(null, 'c-1'))).toEqual({ cursor: 'c-1' });
  });

  it('acknowledges a duplicate batch again without applying it twice', async () => {
    const { county, replica, link } = await setup();
    link.start();
    await until(() => county.sockets.length === 1, 'connected');
    const socket = county.latest();
    expect(await county.send(socket, batch(null, 'c-1'))).toEqual({ cursor: 'c-1' });
    expect(await county.send(socket, batch(null, 'c-1'))).toEqual({ cursor: 'c-1' });
    expect(replica.batches).toHaveLength(1);
    expect(link.log().some((e) => e.message.includes('already applied'))).toBe(true);
  });

  it('never applies a reset batch that is not the first of its connection: a copy is acknowledged again, a stale one reconnects', async () => {
    const { county, replica, link } = await setup();
    link.start();
    await until(() => county.sockets.length === 1, 'connected');
    const socket = county.latest();
    const reset = batch(null, 'c-1', { reset: true, more: true });
    expect(await county.send(socket, reset)).toEqual({ cursor: 'c-1' });
    // The same reset batch again at once (a duplicated delivery): acknowledged, not applied twice.
    expect(await county.send(socket, reset)).toEqual({ cursor: 'c-1' });
    expect(replica.batches.map((b) => b.to)).toEqual(['c-1']);
    expect(await county.send(socket, batch('c-1', 'c-2'))).toEqual({ cursor: 'c-2' });

    // A late copy after the cursor moved on would drop the replica and move the cursor back.
    let acked = false;
    void county.send(socket, reset).then(() => (acked = true));
    await until(() => county.handshakes.length === 2, 'reconnected');
    expect(acked).toBe(false);
    expect(replica.batches.map((b) => b.to)).toEqual(['c-1', 'c-2']);
    expect(replica.cursor).toBe('c-2');
    expect(county.handshakes[1]?.auth.cursor).toBe('c-2');
    expect(link.log().some((e) => e.message.includes('not the first of its connection'))).toBe(true);

    // On the new connection the first batch may be a reset again.
    expect(await county.send(county.latest(), batch(null, 'c-9', { reset: true }))).toEqual({ cursor: 'c-9' });
    expect(replica.cursor).toBe('c-9');
  });

  it('logs unknown entity types the replica ignored', async () => {
    const { county, link } = await setup();
    link.start();
    await until(() => county.sockets.length === 1, 'connected');
    await county.send(county.latest(), batch(null, 'c-1', { items: [{ type: 'drone', op: 'put', id: 'd1', rev: 1, data: {} }] }));
    expect(link.log().some((e) => e.topic === 'changes' && e.message.includes('unknown entity type "drone"'))).toBe(true);
  });

  it('reconnects on a batch out of sequence, so the county resends from the stored cursor', async () => {
    const { county, replica, link } = await setup();
    link.start();
    await until(() => county.sockets.length === 1, 'connected');
    await county.send(county.latest(), batch(null, 'c-1'));
    let acked = false;
    void county.send(county.latest(), batch('c-5', 'c-6')).then(() => (acked = true));
    await until(() => county.handshakes.length === 2, 'reconnected');
    expect(acked).toBe(false);
    expect(county.handshakes[1]?.auth.cursor).toBe('c-1');
    expect(replica.cursor).toBe('c-1');
    expect(link.log().some((e) => e.message.includes('does not follow the stored cursor'))).toBe(true);
  });

  it.each([
    ['no cursor', { from: null, more: false, reset: false, lastN: null, items: [] }, /to/],
    ['a string for a batch', 'hello', /root|expected object/i],
    ['a negative lastN', { from: null, to: 'c-1', more: false, reset: false, lastN: -1, items: [] }, /lastN/],
    ['too many items', { from: null, to: 'c-1', more: false, reset: false, lastN: null, items: new Array(5001).fill(0) }, /items/],
  ])('drops a batch with %s, logs why, never acknowledges it and reconnects', async (_what, bad, reason) => {
    const { county, replica, link } = await setup();
    link.start();
    await until(() => county.sockets.length === 1, 'connected');
    let acked = false;
    void county.send(county.latest(), bad).then(() => (acked = true));
    await until(() => county.handshakes.length === 2, 'reconnected');
    expect(acked).toBe(false);
    expect(replica.batches).toHaveLength(0);
    expect(replica.cursor).toBeNull();
    const entry = link.log().find((e) => e.topic === 'changes');
    expect(entry?.message).toMatch(/dropped an invalid changes batch/);
    expect(entry?.message).toMatch(reason);
  });
});

// ---------------------------------------------------------------- positions

describe('positions', () => {
  it('hands valid fixes to the replica and drops invalid messages and items with their reasons', async () => {
    const { county, replica, link } = await setup();
    const pushed: PositionFix[][] = [];
    link.on('positions', (fixes) => pushed.push([...fixes]));
    link.start();
    await until(() => county.sockets.length === 1, 'connected');
    const socket = county.latest();
    socket.emit('positions', { at: 1, items: 'nope' });
    socket.emit('positions', { at: 1764300000000, items: [['w-1', 112.9, 28.6, 1764299998000, 1.2, 270, 8], ['w-2', 500, 28.6, 1, null, null, null]] });
    await until(() => pushed.length === 1, 'positions pushed');
    expect(replica.fixes.map((f) => f.workerId)).toEqual(['w-1']);
    expect(pushed[0]?.[0]).toMatchObject({ workerId: 'w-1', lon: 112.9, lat: 28.6, at: 1764299998000 });
    const messages = link.log().filter((e) => e.topic === 'positions').map((e) => e.message);
    expect(messages.some((m) => m.includes('dropped an invalid positions message') && m.includes('items'))).toBe(true);
    expect(messages.some((m) => m.includes('dropped 1 invalid position item(s); first #1'))).toBe(true);
  });
});

// ---------------------------------------------------------------- mutate

describe('mutate', () => {
  it('sends the outbox in order, one command at a time, each after the previous answer', async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    const { county, replica, link } = await setup({
      county: (c) =>
        (c.onMutate = (_m, ack) => {
          inFlight++;
          maxInFlight = Math.max(maxInFlight, inFlight);
          setTimeout(() => {
            inFlight--;
            ack({ status: 'applied' });
          }, 5);
        }),
    });
    const settled: number[] = [];
    link.on('settled', (s) => settled.push(s.n));
    replica.queue('event.accept');
    replica.queue('event.dispatch');
    replica.queue('event.close');
    link.start();
    await until(() => replica.acks.length === 3, 'three answers');
    expect(county.mutates.map((m) => m.n)).toEqual([1, 2, 3]);
    expect(maxInFlight).toBe(1);
    expect(settled).toEqual([1, 2, 3]);
    expect(county.mutates[0]).toEqual({
      id: `${REPLICA_ID}:1`,
      n: 1,
      name: 'event.accept',
      args: { id: 'e-1' },
      at: '2026-11-28T09:12:03+08:00',
      actor: { id: 'dispatcher', role: 'dispatcher' },
    });
  });

  it('treats a timeout as no answer: reconnects and resends the same command', async () => {
    let calls = 0;
    const { county, replica, link } = await setup({
      link: { mutateTimeoutMs: 300 },
      county: (c) =>
        (c.onMutate = (_m, ack) => {
          if (++calls > 1) ack({ status: 'applied' });
        }),
    });
    replica.queue('event.accept');
    link.start();
    await until(() => replica.acks.length === 1, 'answered');
    // The same command again on a new connection (more than twice only if the machine stalls past the timeout).
    expect(county.mutates.length).toBeGreaterThanOrEqual(2);
    expect(new Set(county.mutates.map((m) => m.id))).toEqual(new Set([`${REPLICA_ID}:1`]));
    expect(county.handshakes.length).toBe(county.mutates.length);
    expect(replica.acks).toEqual([{ n: 1, ack: { status: 'applied' } }]);
    expect(link.log().some((e) => e.topic === 'mutate' && e.message.includes('no answer to command 1'))).toBe(true);
  });

  it('resends a command whose connection dropped before the answer', async () => {
    let calls = 0;
    const { county, replica, link } = await setup({
      county: (c) =>
        (c.onMutate = (_m, ack) => {
          if (++calls === 1) c.latest().disconnect(true);
          else ack({ status: 'applied' });
        }),
    });
    replica.queue('event.accept');
    link.start();
    await until(() => replica.acks.length === 1, 'answered');
    expect(county.mutates.map((m) => m.n)).toEqual([1, 1]);
  });

  it('treats an invalid answer like no answer', async () => {
    let calls = 0;
    const { county, replica, link } = await setup({
      county: (c) => (c.onMutate = (_m, ack) => ack(++calls === 1 ? { status: 'maybe' } : { status: 'applied' })),
    });
    replica.queue('event.accept');
    link.start();
    await until(() => replica.acks.length === 1, 'answered');
    expect(county.mutates.map((m) => m.n)).toEqual([1, 1]);
    expect(replica.acks).toEqual([{ n: 1, ack: { status: 'applied' } }]);
    expect(link.log().some((e) => e.message.includes('dropped an invalid answer to command 1'))).toBe(true);
  });

  it('on out-of-order resends from the lowest unacknowledged command, after a pause', async () => {
    let calls = 0;
    const { county, replica, link } = await setup({
      county: (c) =>
        (c.onMutate = (_m, ack) =>
          ack(++calls === 1 ? { status: 'rejected', code: 'out-of-order', message: 'expected 1' } : { status: 'applied' })),
    });
    replica.queue('event.accept');
    replica.queue('event.close');
    link.start();
    await until(() => replica.acks.length === 2, 'both answered');
    expect(county.mutates.map((m) => m.n)).toEqual([1, 1, 2]);
    // Not final: the replica never hears of the out-of-order answer.
    expect(replica.acks.map((a) => a.ack.status)).toEqual(['applied', 'applied']);
    expect(county.handshakes).toHaveLength(1);
  });

  it('records a final rejection and goes on with the next command', async () => {
    const { county, replica, link } = await setup({
      county: (c) =>
        (c.onMutate = (m, ack) =>
          ack(m.n === 1 ? { status: 'rejected', code: 'invalid-transition', message: '事件已结案,不能受理' } : { status: 'applied' })),
    });
    const settled: unknown[] = [];
    link.on('settled', (s) => settled.push(s));
    replica.queue('event.accept');
    replica.queue('event.close');
    link.start();
    await until(() => replica.acks.length === 2, 'both answered');
    expect(replica.acks).toEqual([
      { n: 1, ack: { status: 'rejected', code: 'invalid-transition', message: '事件已结案,不能受理' } },
      { n: 2, ack: { status: 'applied' } },
    ]);
    expect(settled[0]).toEqual({ n: 1, status: 'rejected', code: 'invalid-transition', message: '事件已结案,不能受理', changedEventIds: ['e-1'] });
    expect(county.mutates.map((m) => m.n)).toEqual([1, 2]);
  });

  it('sends a command queued while idle when kicked', async () => {
    const { county, replica, link } = await setup();
    link.start();
    await until(() => link.status().state === 'online', 'online');
    expect(county.mutates).toHaveLength(0);
    replica.queue('event.accept');
    link.kick();
    await until(() => replica.acks.length === 1, 'answered');
    expect(county.mutates.map((m) => m.n)).toEqual([1]);
  });
});

// ---------------------------------------------------------------- watchdog

describe('watchdog', () => {
  it('reports a connected queue that makes no progress, and clears when it moves', async () => {
    let answer: ((a: unknown) => void) | null = null;
    const { replica, link, statuses } = await setup({
      link: { stallMs: 150, watchdogIntervalMs: 20, mutateTimeoutMs: 60_000 },
      county: (c) => (c.onMutate = (_m, ack) => (answer = ack)),
    });
    replica.queue('event.accept');
    link.start();
    await until(() => link.status().stalled === true, 'stalled');
    expect(statuses.some((s) => s.stalled === true && s.state === 'online' && s.queueLength === 1)).toBe(true);
    expect(link.log().some((e) => e.topic === 'watchdog' && e.level === 'error')).toBe(true);
    expect(answer).not.toBeNull();
    (answer as unknown as (a: unknown) => void)({ status: 'applied' });
    await until(() => link.status().stalled === false, 'moving again');
    expect(link.status().queueLength).toBe(0);
  });

  it('does not report an empty queue', async () => {
    const { link } = await setup({ link: { stallMs: 50, watchdogIntervalMs: 10 } });
    link.start();
    await until(() => link.status().state === 'online', 'online');
    await pause(200);
    expect(link.status().stalled).toBe(false);
  });
});

describe('lifecycle', () => {
  it('reports none before start and after stop, and keeps a bounded log', async () => {
    const { county, link } = await setup({ link: { logSize: 3 } });
    expect(link.status().state).toBe('none');
    link.start();
    await until(() => link.status().state === 'online', 'online');
    for (let i = 0; i < 4; i++) county.latest().emit('positions', { bad: i });
    await until(() => link.log().filter((e) => e.topic === 'positions').length === 3, 'log filled');
    expect(link.log()).toHaveLength(3);
    link.stop();
    expect(link.status().state).toBe('none');
  });
});
