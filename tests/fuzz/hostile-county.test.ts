// Bad input from the county: a hostile county (a Socket.IO test double on loopback,
// namespace /town) admits the real link client and then sends thousands of malformed
// and hostile `changes` batches and `positions` messages, interleaved with valid ones,
// into a real replica file. Then it answers the link's commands with garbage. Then the
// same replica syncs with the real county simulator.
//
// Invariants: nothing crashes (no unhandled rejection or exception); every refused
// message or item is logged with a reason, counted against what was sent; valid data
// lands exactly (an oracle applies the revision rule); the stored cursor is only ever
// the `to` of an applied valid batch; nothing that failed validation is in any table;
// `PRAGMA integrity_check` is ok; what landed passes the app API's result schemas.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isDeepStrictEqual } from 'node:util';
import { Server, type Socket as ServerSocket } from 'socket.io';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isCommand, METHOD_NAMES } from '../../core/api/contract';
import { validateResult } from '../../core/api/validate';
import type { Rng } from '../../county/demo/random';
import type { PositionFix } from '../../core/model';
import { TOWN_NAMESPACE, checkAuth } from '../../core/sync/protocol';
import { CountyLink } from '../../electron/service/link/county-link';
import { Replica } from '../../electron/service/replica/replica';
import { DISPATCHER, T0, TOWN, TOWN_CODE } from '../../electron/service/replica/test-fixtures';
import { createReplicaService } from '../../electron/service/replica-service';
import { startCountySimulator } from '../../county/simulator/index';
import { Oracle, type PositionItem, poisonedFix, poisonedItem, townSnapshotItems, validFix, validItem } from './county-items';
import { FTS_TEXT, HOSTILE_TEXT, HUGE, deep, fuzzDir, fuzzRng, guardProcess, integrityOf, readonlyDb, tableTexts, until } from './hostile';
import { scaled, scaledTimeout } from './hostile';

const STEPS = scaled(700);

/** The county's end: admits any valid handshake, remembers the cursor each connection presented. */
class HostileCounty {
  readonly http = createServer();
  readonly io = new Server(this.http, { serveClient: false });
  url = '';
  socket: ServerSocket | null = null;
  connections = 0;
  /** Handshakes whose cursor was not the last one this county saw acknowledged. */
  readonly cursorViolations: string[] = [];
  onMutate: ((message: unknown, ack: (answer: unknown) => void) => void) | null = null;

  constructor(expectedCursor: () => string | null) {
    const nsp = this.io.of(TOWN_NAMESPACE);
    nsp.use((socket, next) => {
      const auth = checkAuth(socket.handshake.auth);
      if (!auth.ok) return next(Object.assign(new Error(auth.message), { data: { code: auth.code } }));
      next();
    });
    nsp.on('connection', (socket) => {
      this.connections++;
      const auth = checkAuth(socket.handshake.auth);
      const presented = auth.ok ? auth.auth.cursor : '(invalid handshake)';
      if (presented !== expectedCursor()) this.cursorViolations.push(`presented ${JSON.stringify(presented)}, expected ${JSON.stringify(expectedCursor())}`);
      this.socket = socket;
      socket.on('mutate', (message: unknown, ack: unknown) => {
        if (typeof ack === 'function') this.onMutate?.(message, ack as (answer: unknown) => void);
      });
    });
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve) => this.http.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.http.address() as AddressInfo).port}`;
  }

  async connected(): Promise<ServerSocket> {
    await until(() => this.socket?.connected === true, 'the link to (re)connect');
    return this.socket as ServerSocket;
  }

  async close(): Promise<void> {
    this.io.disconnectSockets(true);
    await new Promise<void>((resolve) => void this.io.close(() => resolve()));
  }
}

interface Expected {
  envelopeDrops: number;
  outOfSequence: number;
  positionsEnvelopeDrops: number;
  positionItemDrops: number;
  unknownEvents: number;
  parseErrors: number;
  itemRejects: Set<string>;
  /** Why each poisoned item was built, with its start: what a failure prints. */
  whyOf: Map<string, string>;
  unknownTypeRejects: number;
  invalidAnswers: number;
}

const lines = (log: string[], pattern: RegExp): RegExpExecArray[] => log.map((l) => pattern.exec(l)).filter((m): m is RegExpExecArray => m !== null);

describe('fuzz: a hostile county against the link client and the replica', () => {
  const guard = guardProcess();
  const tmp = fuzzDir();
  const file = tmp.file('replica.sqlite');
  const rng: Rng = fuzzRng('hostile-county');
  const linkLog: string[] = [];
  const replicaLog = { info: [] as string[], warn: [] as string[] };
  let replica: Replica;
  let link: CountyLink;
  let county: HostileCounty;

  // What this county saw acknowledged: the replica's cursor must always be one of these.
  let cursor: string | null = null;
  const validTos = new Set<string>();
  const oracle = new Oracle();
  const fixes = { latest: new Map<string, PositionItem>(), track: new Map<string, PositionItem>() };
  const expected: Expected = {
    envelopeDrops: 0,
    outOfSequence: 0,
    positionsEnvelopeDrops: 0,
    positionItemDrops: 0,
    unknownEvents: 0,
    parseErrors: 0,
    itemRejects: new Set(),
    whyOf: new Map(),
    unknownTypeRejects: 0,
    invalidAnswers: 0,
  };
  const refusedCursors = new Set<string>();
  let serial = 0;

  beforeAll(async () => {
    replica = await Replica.open({
      file,
      town: TOWN_CODE,
      now: () => T0,
      inboundRejectsMax: 1_000_000,
      log: { info: (m) => replicaLog.info.push(m), warn: (m) => replicaLog.warn.push(m) },
    });
    county = new HostileCounty(() => cursor);
    await county.listen();
    const log = (m: string): number => linkLog.push(m);
    link = new CountyLink({
      url: county.url,
      token: 'fuzz',
      replica,
      logger: { info: log, warn: log, error: log },
      backoffMinMs: 1,
      backoffMaxMs: 8,
      mutateTimeoutMs: 400,
      transports: ['websocket'],
      random: () => rng.next(),
    });
    link.start();
  });

  afterAll(async () => {
    link.stop();
    await county.close();
    await replica.close();
    guard.dispose();
    tmp.cleanup();
  });

  // ------------------------------------------------------------ how the county sends

  const nextTo = (): string => {
    serial++;
    // Cursors are opaque: hostile text is a valid cursor and must be stored verbatim.
    return rng.chance(0.2) ? `c-${serial}-${rng.pick(HOSTILE_TEXT)}`.slice(0, 256) : `c-${serial}`;
  };

  /** A valid batch that follows the cursor: applied, acknowledged (or not), its `to` stored. */
  async function sendValid(items: unknown[], opts: { reset?: boolean; lastN?: number | null; noAck?: boolean; more?: boolean } = {}): Promise<void> {
    const socket = await county.connected();
    const to = nextTo();
    const batch = { from: opts.reset ? null : cursor, to, more: opts.more ?? false, reset: opts.reset ?? false, lastN: opts.lastN ?? null, items };
    if (opts.noAck) {
      socket.emit('changes', batch);
      cursor = to;
      validTos.add(to);
      await barrier();
      return;
    }
    const ack: unknown = await socket.timeout(20_000).emitWithAck('changes', batch);
    expect(ack).toEqual({ cursor: to });
    cursor = to;
    validTos.add(to);
  }

  /** A batch the link must drop: then it reconnects, and the county resends from the stored cursor. */
  async function sendDropped(payload: unknown, rawPacket?: string): Promise<void> {
    const socket = await county.connected();
    let acked = false;
    if (rawPacket !== undefined) socket.conn.write(rawPacket);
    else socket.emit('changes', payload, () => (acked = true));
    await until(() => !socket.connected, 'the link to drop the connection after a refused batch');
    expect(acked).toBe(false);
  }

  /** A duplicate of the last batch: acknowledged again, nothing applied. Everything sent before it has been handled. */
  async function barrier(): Promise<void> {
    const socket = await county.connected();
    const ack: unknown = await socket.timeout(20_000).emitWithAck('changes', { from: `dup-${serial}`, to: cursor, more: false, reset: false, lastN: null, items: [] });
    expect(ack).toEqual({ cursor });
  }

  const lastNOf = (): number | null => {
    const roll = rng.next();
    if (roll < 0.8) return null;
    // 2^53 - 1 is a valid lastN on the wire, far beyond any command this replica issued.
    if (roll < 0.9) return Number.MAX_SAFE_INTEGER;
    return rng.int(0, 5);
  };

  /** Valid and poisoned items; the poisoned ones are expected in the rejects under their index (after `offset` items in front). */
  function mixedItems(count: number, poisonRate: number, offset = 0): { items: unknown[]; apply: (batchTo: string) => void } {
    const items: unknown[] = [];
    const valid: ReturnType<typeof validItem>[] = [];
    const poisoned: { index: number; unknownType: boolean; why: string }[] = [];
    // Valid items are generated against a scratch copy of the oracle, so later items may build on earlier ones.
    const scratch = new Oracle();
    for (const [k, v] of oracle.held) scratch.held.set(k, v);
    for (let i = 0; i < count; i++) {
      serial++;
      if (rng.chance(poisonRate)) {
        const p = poisonedItem(rng, scratch, serial);
        poisoned.push({ index: offset + items.length, unknownType: p.unknownType, why: `${p.why}: ${(JSON.stringify(p.item) ?? String(p.item)).slice(0, 300)}` });
        items.push(p.item);
      } else {
        const item = validItem(rng, scratch, serial);
        scratch.apply(item);
        valid.push(item);
        items.push(item);
      }
    }
    return {
      items,
      apply: (batchTo) => {
        for (const item of valid) oracle.apply(item);
        for (const p of poisoned) {
          expected.itemRejects.add(`${batchTo}#${p.index}`);
          expected.whyOf.set(`${batchTo}#${p.index}`, p.why);
          if (p.unknownType) expected.unknownTypeRejects++;
        }
      },
    };
  }

  async function validBatch(opts: { reset?: boolean; noAck?: boolean } = {}): Promise<void> {
    const { items, apply } = mixedItems(rng.int(0, 12), rng.pick([0, 0.3, 0.5, 0.9]));
    await sendValid(items, { ...opts, lastN: lastNOf(), more: rng.chance(0.1) });
    apply(cursor as string);
  }

  const HUNDRED_K = Array.from({ length: 100_000 }, (_, i) => ({ type: 'event', op: 'del', id: `x${i}`, rev: 1 }));

  async function badEnvelope(): Promise<void> {
    serial++;
    const to = `bad-${serial}`;
    refusedCursors.add(to);
    const good = (): Record<string, unknown> => ({ from: cursor, to, more: false, reset: false, lastN: null, items: [validItem(rng, oracle, serial)] });
    const cases: (() => unknown)[] = [
      () => rng.pick<unknown>([null, 42, 'changes', [], true]),
      () => deep(3000),
      () => ({ ...good(), to: rng.pick<unknown>([HUGE, 'c'.repeat(257), '', 7, null, { to: 1 }]) }),
      () => ({ ...good(), from: rng.pick<unknown>([HUGE, 'f'.repeat(257), 7, {}, true]) }),
      () => ({ ...good(), more: rng.pick<unknown>(['yes', 1, null]) }),
      () => ({ ...good(), reset: rng.pick<unknown>(['false', 0, null]) }),
      () => ({ ...good(), lastN: rng.pick<unknown>([-1, 1.5, 1e300, '3', 2 ** 53, -1e300]) }),
      () => ({ ...good(), items: rng.pick<unknown>(['items', { 0: validItem(rng, oracle, serial) }, 42, null]) }),
      () => ({ ...good(), items: HUNDRED_K }),
      () => {
        const b = good();
        delete b[rng.pick(['from', 'to', 'more', 'reset', 'lastN', 'items'])];
        return b;
      },
    ];
    // The hundred-thousand-item batch is 3 MB: send it rarely.
    let payload = rng.pick(cases)();
    if (payload === undefined || (typeof payload === 'object' && payload !== null && (payload as { items?: unknown }).items === HUNDRED_K && !rng.chance(0.05))) payload = { ...good(), lastN: -1 };
    expected.envelopeDrops++;
    await sendDropped(payload);
  }

  async function outOfSequence(): Promise<void> {
    serial++;
    const to = `oos-${serial}`;
    refusedCursors.add(to);
    expected.outOfSequence++;
    await sendDropped({ from: `bogus-${serial}`, to, more: false, reset: false, lastN: null, items: [validItem(rng, oracle, serial)] });
  }

  function positionsMessage(): unknown {
    const workers = oracle.ids('worker');
    if (rng.chance(0.25)) {
      expected.positionsEnvelopeDrops++;
      return rng.pick<() => unknown>([
        () => rng.pick<unknown>([null, 42, 'positions', [], true]),
        () => ({ at: rng.pick<unknown>(['now', null, Number.NaN, {}]), items: [validFix(rng, workers)] }),
        () => ({ at: T0 }),
        () => ({ items: [validFix(rng, workers)] }),
        () => ({ at: T0, items: rng.pick<unknown>(['x', { 0: validFix(rng, workers) }, 7]) }),
        () => ({ at: T0, items: Array.from({ length: 20_001 }, () => validFix(rng, workers)) }),
        () => deep(3000),
      ])();
    }
    const items: unknown[] = [];
    let bad = 0;
    for (let i = rng.int(1, 25); i > 0; i--) {
      serial++;
      if (rng.chance(0.35)) {
        items.push(poisonedFix(rng, workers, serial));
        bad++;
      } else {
        const fix = validFix(rng, workers);
        items.push(fix);
        const key = `${fix[0]}/${fix[3]}`;
        if (!fixes.track.has(key)) fixes.track.set(key, fix);
        const held = fixes.latest.get(fix[0]);
        if (!held || fix[3] > held[3]) fixes.latest.set(fix[0], fix);
      }
    }
    expected.positionItemDrops += bad;
    return { at: rng.chance(0.1) ? 1e300 : T0, items };
  }

  async function positionsGroup(): Promise<void> {
    const socket = await county.connected();
    for (let i = rng.int(1, 8); i > 0; i--) socket.emit('positions', positionsMessage());
    await barrier();
  }

  const UNKNOWN_EVENTS = ['change', 'reset', 'mutate', 'Changes', "'; DROP TABLE events; --", '<script>alert(1)</script>', 'constructor', '__proto__', 'hasOwnProperty', 'toString', 'error', 'e'.repeat(10_000)];

  async function unknownEvent(): Promise<void> {
    const socket = await county.connected();
    socket.emit(rng.pick(UNKNOWN_EVENTS), rng.pick<unknown>([null, { from: null }, HOSTILE_TEXT[0], deep(100)]));
    expected.unknownEvents++;
    await barrier();
  }

  /** Packets no Socket.IO encoder would write: the client's decoder refuses them and the connection drops. */
  async function rawPacket(): Promise<void> {
    const cases = [
      `2${TOWN_NAMESPACE},["changes",{"from":null,"to":`,
      `2${TOWN_NAMESPACE},["disconnect","spoofed"]`,
      `2${TOWN_NAMESPACE},["connect"]`,
      `2${TOWN_NAMESPACE},{"not":"an array"}`,
    ];
    if (rng.chance(0.3)) {
      // Valid JSON, 100,000 levels deep: parsed, then refused by the envelope check.
      expected.envelopeDrops++;
      await sendDropped(null, `2${TOWN_NAMESPACE},["changes",${'['.repeat(100_000)}${']'.repeat(100_000)}]`);
      return;
    }
    expected.parseErrors++;
    await sendDropped(null, rng.pick(cases));
  }

  /** Drop the connection (server side) and start the next one with a reset: a full snapshot. */
  async function resetSnapshot(): Promise<void> {
    if (county.socket?.connected) {
      const socket = county.socket;
      socket.disconnect(true);
      await until(() => county.socket !== socket && county.socket?.connected === true, 'a new connection');
    }
    const town = townSnapshotItems(rng.int(1, 3));
    const events = oracle.ids('event').slice(0, 20).map((id) => {
      const { id: _id, ...data } = oracle.value<Record<string, unknown>>('event', id) as Record<string, unknown>;
      return { type: 'event', op: 'put' as const, id, rev: 1, data };
    });
    const extra = mixedItems(rng.int(0, 10), 0.5, town.length + events.length);
    await sendValid([...town, ...events, ...extra.items], { reset: true });
    // The reset drops everything held: the snapshot is the whole truth, then the extra items apply on it.
    oracle.clear();
    for (const item of [...town, ...events]) oracle.apply(item);
    extra.apply(cursor as string);
  }

  const invariants = (db: ReturnType<typeof readonlyDb>): void => {
    const state = replica.state();
    expect(state.cursor).toBe(cursor);
    expect(state.cursor === null || validTos.has(state.cursor)).toBe(true);
    expect((db.prepare('SELECT cursor FROM meta').get() as { cursor: string | null }).cursor).toBe(cursor);
    // No lastN beyond the commands this replica ever issued.
    expect(state.lastN === null || state.lastN <= state.nextN - 1).toBe(true);
  };

  it('survives thousands of malformed and hostile messages, logs every refusal, and keeps only valid data', async () => {
    // The first batch of the first connection: the town's snapshot.
    await county.connected();
    const first = townSnapshotItems(1);
    await sendValid(first, { reset: true });
    for (const item of first) oracle.apply(item);

    const db = readonlyDb(file);
    try {
      const actions: [number, () => Promise<void>][] = [
        [30, () => validBatch()],
        [3, () => validBatch({ noAck: true })],
        [22, () => badEnvelope()],
        [4, () => outOfSequence()],
        [30, () => positionsGroup()],
        [5, () => unknownEvent()],
        [1, () => rawPacket()],
      ];
      const total = actions.reduce((s, [w]) => s + w, 0);
      const timing = new Map<number, [number, number]>();
      for (let step = 0; step < STEPS; step++) {
        // Now and then the county drops the link and starts over with a full snapshot.
        if (step % 300 === 150) {
          await resetSnapshot();
          invariants(db);
        }
        let roll = rng.float(0, total);
        const action = actions.find(([w]) => (roll -= w) < 0) ?? actions[0]!;
        const t = Date.now();
        await action[1]();
        if (process.env.FUZZ_DEBUG) timing.set(actions.indexOf(action), [(timing.get(actions.indexOf(action))?.[0] ?? 0) + 1, (timing.get(actions.indexOf(action))?.[1] ?? 0) + Date.now() - t]);
        invariants(db);
      }
      await barrier();
      invariants(db);
      if (process.env.FUZZ_DEBUG) console.log(timing);
    } finally {
      db.close();
    }

    console.log(
      `[fuzz] hostile county sent: ${validTos.size} valid batches, ${expected.envelopeDrops} malformed batches, ${expected.outOfSequence} out of sequence, ` +
        `${expected.itemRejects.size} poisoned change items (${expected.unknownTypeRejects} of unknown types), ${expected.positionsEnvelopeDrops} malformed positions messages, ` +
        `${expected.positionItemDrops} poisoned fixes, ${fixes.track.size} valid fixes, ${expected.unknownEvents} unknown messages, ${expected.parseErrors} undecodable packets; ${county.connections} connections`,
    );
    // Nothing crashed, and every handshake presented the last acknowledged cursor.
    expect(guard.crashes).toEqual([]);
    expect(county.cursorViolations).toEqual([]);

    // Every refused message is in the link's log with a reason.
    const reasoned = (pattern: RegExp): RegExpExecArray[] => {
      const found = lines(linkLog, pattern);
      for (const m of found) expect(m[1]?.trim().length, m[0]).toBeGreaterThan(0);
      return found;
    };
    expect(reasoned(/dropped an invalid changes batch: (.+)$/).length).toBe(expected.envelopeDrops);
    expect(reasoned(/batch from .* does not follow the stored cursor (.+)$/).length).toBe(expected.outOfSequence);
    expect(reasoned(/dropped an invalid positions message: (.+)$/).length).toBe(expected.positionsEnvelopeDrops);
    const itemDrops = reasoned(/dropped (\d+) invalid position item\(s\); first #\d+: (.+)$/);
    expect(itemDrops.reduce((sum, m) => sum + Number(m[1]), 0)).toBe(expected.positionItemDrops);
    expect(reasoned(/ignored an unknown message "(.+)"/).length).toBe(expected.unknownEvents);
    if (process.env.FUZZ_DEBUG) console.log(linkLog.filter((l) => /link dropped/.test(l)).reduce((m, l) => m.set(l, (m.get(l) ?? 0) + 1), new Map<string, number>()));
    expect(reasoned(/link dropped: (parse error)$/).length).toBe(expected.parseErrors);

    // Every refused change item: one line in the replica's log, one row with its reason.
    const rejects = replica.inboundRejects(10_000_000);
    expect(rejects.every((r) => r.reason.trim().length > 0)).toBe(true);
    const refused = new Set(rejects.map((r) => `${r.batchTo}#${r.index}`));
    expect([...expected.itemRejects].filter((key) => !refused.has(key)).map((key) => expected.whyOf.get(key)), 'poisoned items that were accepted').toEqual([]);
    expect(refused).toEqual(expected.itemRejects);
    expect(rejects.length).toBe(expected.itemRejects.size);
    expect(rejects.filter((r) => r.unknownType).length).toBe(expected.unknownTypeRejects);
    expect(lines(replicaLog.warn, /^\[replica\] ignored item \d+ of batch .*: (.+)$/).length).toBe(expected.itemRejects.size - expected.unknownTypeRejects);
    expect(lines(replicaLog.info, /^\[replica\] ignored item \d+ of batch .*: unknown entity type (.+)$/).length).toBe(expected.unknownTypeRejects);

    // Valid data landed exactly; refused data nowhere.
    expect(replica.snapshot()).toEqual(oracle.snapshot());
    const asFix = (f: PositionItem): PositionFix => ({ workerId: f[0], lon: f[1], lat: f[2], at: f[3], speed: f[4], heading: f[5], accuracy: f[6] });
    expect(replica.positions()).toEqual([...fixes.latest.values()].map(asFix).sort((a, b) => (a.workerId < b.workerId ? -1 : 1)));
    const track = TOWN.workers.flatMap((w) => replica.track(w.id, 0, T0 + 86_400_000));
    expect(track.length).toBe(fixes.track.size);
    for (const f of track) expect(f).toEqual(asFix(fixes.track.get(`${f.workerId}/${f.at}`) as PositionItem));
    const texts = tableTexts(file, ['inbound_rejects']);
    expect(texts.has('events') && texts.has('outbox') && texts.has('meta')).toBe(true);
    for (const [table, text] of texts) {
      expect(/POISON-\d+/.exec(text)?.[0], `a refused value in table ${table}`).toBeUndefined();
      for (const refused of refusedCursors) expect(text.includes(`"${refused}"`), `refused cursor ${refused} in ${table}`).toBe(false);
    }
    expect(integrityOf(file)).toBe('ok');

    // What landed is fit for the app: every query answers, and answers within the contract.
    const service = createReplicaService({ replica, link, clock: () => T0, log: { error: (m, d) => guard.crashes.push(new Error(`${m} ${String(d)}`)) } });
    const queries: [string, unknown][] = [
      ['events.list', {}],
      ['events.list', { sort: 'reportedAt', paging: { offset: 0, limit: 500 } }],
      ...FTS_TEXT.map((text): [string, unknown] => ['events.list', { text }]),
      ['grids.tree', {}],
      ['grids.list', {}],
      ['workers.list', {}],
      ['workers.positions', {}],
      ['categories.list', {}],
      ['departments.list', {}],
      ['link.status', {}],
      ['link.log', { limit: 500 }],
      ...oracle.ids('event').map((id): [string, unknown] => ['events.get', { id }]),
    ];
    for (const [method, args] of queries) {
      const response = await service.handle(method, args);
      expect(response.ok, `${method} ${JSON.stringify(args)}: ${JSON.stringify(response).slice(0, 300)}`).toBe(true);
      if (response.ok) expect(validateResult(method as (typeof METHOD_NAMES)[number], response.result).ok, method).toBe(true);
    }
    await service.close();
    expect(METHOD_NAMES.filter((m) => !isCommand(m)).length).toBeGreaterThan(0);
  }, scaledTimeout(120_000));

  it('answers of the county to commands that are garbage: the same command is resent until a valid answer', async () => {
    const eventId = oracle.ids('event').find((id) => replica.getEvent(id) !== null) as string;
    expect(eventId).toBeDefined();
    const received: { id: unknown; n: unknown; name: unknown }[] = [];
    const garbage: unknown[] = [
      null,
      42,
      'applied',
      [],
      { status: 'APPLIED' },
      { status: 'ok' },
      { status: 'rejected' },
      { status: 'rejected', code: '', message: 'x' },
      { status: 'rejected', code: 'invalid', message: HUGE },
      { status: 'rejected', code: 'c'.repeat(65), message: 'x' },
      deep(2000),
    ];
    let answers: unknown[] = [];
    let silent = 0;
    county.onMutate = (message, ack) => {
      const m = message as { id?: unknown; n?: unknown; name?: unknown };
      received.push({ id: m.id, n: m.n, name: m.name });
      if (silent > 0) {
        silent--; // no answer: the link times out, reconnects and resends
        return;
      }
      ack(answers.shift());
    };

    // 1: garbage answers, one silence, then applied.
    answers = [...garbage, { status: 'applied' }];
    silent = 0;
    expected.invalidAnswers = garbage.length;
    const first = replica.command('event.comment', { id: eventId, note: "'; DROP TABLE outbox; --" }, DISPATCHER, T0);
    expect(first.ok).toBe(true);
    link.kick();
    await until(() => replica.unsentCount() === 0, 'command 1 to be acknowledged', scaledTimeout(30_000));
    const n1 = first.ok ? first.receipt.n : 0;
    expect(received.length).toBe(garbage.length + 1);
    expect(received.every((r) => r.n === n1 && r.id === `${replica.replicaId}:${n1}` && r.name === 'event.comment')).toBe(true);
    expect(lines(linkLog, /dropped an invalid answer to command (\d+): (.+)$/).filter((m) => Number(m[1]) === n1).length).toBe(garbage.length);

    // 2: no answer at all, then out-of-order (not final), then a final rejection with hostile text, kept verbatim.
    received.length = 0;
    silent = 1;
    answers = [
      { status: 'rejected', code: 'out-of-order', message: '命令序号不连续' },
      { status: 'rejected', code: "'; DROP TABLE outbox; --", message: '<script>alert(1)</script>' },
    ];
    const second = replica.command('event.comment', { id: eventId, note: '第二条' }, DISPATCHER, T0);
    expect(second.ok).toBe(true);
    link.kick();
    await until(() => replica.unsentCount() === 0, 'command 2 to be settled', scaledTimeout(30_000));
    const n2 = second.ok ? second.receipt.n : 0;
    expect(received.map((r) => r.n)).toEqual([n2, n2, n2]);
    expect(lines(linkLog, /no answer to command (\d+)/).some((m) => Number(m[1]) === n2)).toBe(true);
    expect(replica.rejectedCommands(10)[0]).toMatchObject({ n: n2, code: "'; DROP TABLE outbox; --", message: '<script>alert(1)</script>' });
    expect(replica.pendingCommands(eventId).map((c) => c.n)).not.toContain(n2);
    expect(guard.crashes).toEqual([]);
    expect(integrityOf(file)).toBe('ok');
  }, scaledTimeout(60_000));

  it('then syncs with the real county simulator: the replica equals the county', async () => {
    const simTmp = fuzzDir();
    const sim = await startCountySimulator({ port: 0, seed: 20241112, dbFile: simTmp.file('county.sqlite'), activity: false, clock: () => T0 });
    try {
      county.onMutate = null;
      await county.close();
      link.configure({ url: sim.url });
      const town = sim.towns[0] as string;
      expect(town).toBe(TOWN_CODE);
      await until(() => isDeepStrictEqual(replica.snapshot(), sim.snapshot(town)), 'the replica to equal the county', scaledTimeout(30_000));
      const id = sim.createEvent(town, { title: "'; DROP TABLE events; -- <script>alert(1)</script>" });
      await until(() => replica.getEvent(id) !== null, 'a live event', scaledTimeout(30_000));
      expect(replica.snapshot()).toEqual(sim.snapshot(town));
      expect(replica.getEvent(id)?.title).toBe("'; DROP TABLE events; -- <script>alert(1)</script>");
      expect(link.status().state).toBe('online');
      expect(integrityOf(file)).toBe('ok');
      expect(guard.crashes).toEqual([]);
    } finally {
      link.stop();
      await sim.close();
      simTmp.cleanup();
    }
  }, scaledTimeout(60_000));
});
