// Bad input from a user: thousands of hostile calls to the web shell's app API
// (Socket.IO namespace /api) over the real data service, its replica file and the
// county simulator: unknown methods, wrong argument types, extra keys, huge strings,
// SQL and script text in filters and in the text search (FTS5 syntax such as `"`, `*`,
// `NEAR(`, `OR`, `-`), paging out of range, command arguments that fail validation,
// acknowledgements that are not functions, calls without one; then the data service's
// handle() directly with values no transport can carry.
//
// Invariants: every call with an acknowledgement gets `{ ok: false, error: { code,
// message } }` with a clear message (never `internal`), or a result the contract
// accepts; the server stays up; invalid commands leave the replica byte-for-byte as
// it was; `PRAGMA integrity_check` is ok; valid commands still work afterwards.
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SOCKET } from '../../core/api/channels';
import { ApiResponseSchema, CONTRACT, METHOD_NAMES, isCommand, type ApiResponse, type MethodName } from '../../core/api/contract';
import { validateResult } from '../../core/api/validate';
import type { Rng } from '../../county/demo/random';
import { EVENT_STATUSES } from '../../core/model';
import { openDataService, type DataService } from '../../electron/service/data-service';
import { startCountySimulator, type CountySimulator } from '../../county/simulator/index';
import { startWebServer, type WebServer } from '../../electron/web/server';
import { FTS_TEXT, HOSTILE_TEXT, HUGE, MB, SCRIPT_TEXT, SQL_TEXT, deep, fuzzDir, fuzzRng, guardProcess, integrityOf, tableTexts, until, wrongValue } from './hostile';
import { scaled, scaledTimeout } from './hostile';

const CALLS = scaled(2000);
const T0 = Date.parse('2026-11-30T10:00:00+08:00');
const PASSWORD = 'Grid-deck-2026';
/** The admin as an in-process caller: provisions the fuzzer's dispatcher and its wall. */
const ADMIN = { role: 'admin', user: { id: 'fuzz-admin', name: '模糊测试管理员', username: 'fuzz-admin' }, seat: { kind: 'local', name: 'fuzz' } } as const;

/** Codes a refusal may carry: the contract's, and the workflow's rejections passed through. Never `internal`. */
const REFUSALS = new Set(['invalid', 'unknown-method', 'forbidden', 'not-found', 'unavailable', 'invalid-transition', 'conflict']);

/** A clear message: some text, one line, no stack trace, short enough to show. */
function clear(message: string): boolean {
  return message.trim().length > 0 && message.length <= 2000 && !/\n/.test(message) && !/\bat .+:\d+:\d+/.test(message);
}

describe('fuzz: hostile calls to the app API', () => {
  const guard = guardProcess();
  const tmp = fuzzDir();
  const rng: Rng = fuzzRng('hostile-api');
  const serviceErrors: string[] = [];
  let sim: CountySimulator;
  let data: DataService;
  let server: WebServer;
  let client: Socket;
  let events: string[] = [];
  const sockets: Socket[] = [];

  const connect = async (login?: { method: 'auth.login' | 'auth.device'; args: unknown }): Promise<Socket> => {
    const socket = io(`${server.url}${SOCKET.namespace}`, { transports: ['websocket'], reconnection: false, forceNew: true });
    sockets.push(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', reject);
    });
    // The session binds to the socket (electron/web/api.ts).
    if (login) expect(await socket.timeout(15_000).emitWithAck(SOCKET.invoke, login.method, login.args)).toMatchObject({ ok: true });
    return socket;
  };
  const dispatcherLogin = { method: 'auth.login' as const, args: { username: 'fuzz.dispatcher', password: PASSWORD } };

  beforeAll(async () => {
    sim = await startCountySimulator({ port: 0, seed: 20241112, dbFile: tmp.file('county.sqlite'), activity: false, clock: () => T0 });
    // Events whose text is hostile, and one in a category and grid the town does not hold.
    events = [
      sim.createEvent(sim.towns[0]!, { title: "'; DROP TABLE events; --", description: '<script>alert(1)</script> NEAR( "*" OR -' }),
      sim.createEvent(sim.towns[0]!, { title: '垃圾堆放 "引号" * NEAR(垃圾 堆放)', description: '%_\\ 百分号' }),
      sim.createEvent(sim.towns[0]!),
    ];
    data = await openDataService({
      db: tmp.file('replica.sqlite'),
      county: sim.url,
      town: sim.towns[0]!,
      clock: () => T0,
      logger: { info: () => undefined, warn: () => undefined, error: (m) => serviceErrors.push(m) },
      link: { backoffMinMs: 20, backoffMaxMs: 300, transports: ['websocket'] },
    });
    expect(await data.initialSync(20_000)).toBe(true);
    await until(() => events.every((id) => data.replica.getEvent(id) !== null), 'the events in the replica');
    // No rate limit here: the fuzzer's thousands of calls are the point, not a flood to slow.
    server = await startWebServer({ service: data.service, port: 0, host: '127.0.0.1', rendererDir: tmp.file('no-renderer'), limits: { callsPerSecond: 1e6, callBurst: 1e6 } });
    expect(await data.service.handle('accounts.create', { username: 'fuzz.dispatcher', name: '模糊测试调度员', role: 'dispatcher', password: PASSWORD }, ADMIN)).toMatchObject({ ok: true });
    client = await connect(dispatcherLogin);
  }, scaledTimeout(60_000));

  afterAll(async () => {
    sockets.forEach((s) => s.close());
    await server?.close();
    await data?.close();
    await sim?.close();
    guard.dispose();
    tmp.cleanup();
  });

  const invoke = (socket: Socket, method: unknown, args: unknown): Promise<ApiResponse> =>
    socket.timeout(15_000).emitWithAck(SOCKET.invoke, method, args) as Promise<ApiResponse>;

  // ------------------------------------------------------------ arguments

  const isoTimes = ['2026-11-30T10:00:00+08:00', '2026-11-29T00:00:00Z', '0000-01-01T00:00:00Z', '9999-12-31T23:59:59+14:00'];
  const badTimes = ['yesterday', '2026-02-30T00:00:00Z', '', 1764300000000, '2026-11-30 10:00'];

  /** A value for an argument named `key`: plausible, hostile, out of range or of the wrong type. */
  function valueFor(key: string): unknown {
    const roll = rng.next();
    if (roll < 0.25) return wrongValue(rng);
    if (roll < 0.35) return rng.pick([HUGE.slice(0, rng.int(101, 200_000)), `${rng.pick(SQL_TEXT)}${'x'.repeat(rng.int(0, 300))}`]);
    switch (key) {
      case 'id':
      case 'eventId':
      case 'into':
        return rng.pick<unknown>([...events, ...SQL_TEXT, ...SCRIPT_TEXT, '', '   ', '\u0000', 'a\uD800b']);
      case 'workerId':
        return rng.pick<unknown>(['w-0001', ...SQL_TEXT, '']);
      case 'text':
        return rng.pick<unknown>([...FTS_TEXT, ...SQL_TEXT, ...SCRIPT_TEXT, 'a\u0000bc', '\u0000\u0000\u0000', '\uD800\uDC00x', 'a\uD800b', '垃', '垃圾', "'%", 't'.repeat(100), 't'.repeat(101)]);
      case 'category':
      case 'grid':
        return rng.pick<unknown>(['03', '0301', '430624103', '430624103001', '%', '_', "' OR 1=1 --", '\u{10FFFF}', '']);
      case 'status':
        return rng.pick<unknown>([[rng.pick(EVENT_STATUSES)], [...EVENT_STATUSES], ['exploded'], 'reported', [], [null]]);
      case 'from':
      case 'to':
        return rng.pick<unknown>([...isoTimes, ...badTimes]);
      case 'paging':
        return rng.pick<unknown>([
          { offset: rng.pick([0, 1, 499, Number.MAX_SAFE_INTEGER, -1, 1.5, 1e300]), limit: rng.pick([1, 100, 500, 0, 501, -1, 2.5]) },
          { offset: 0, limit: 10, extra: 1 },
          {},
          [],
        ]);
      case 'sort':
        return rng.pick<unknown>(['risk', 'reportedAt', 'RISK', "risk; DROP TABLE events", null]);
      case 'limit':
      case 'n':
        return rng.pick<unknown>([1, 5, 50, 500, 0, -1, 1.5, 501, 1e300, Number.MAX_SAFE_INTEGER]);
      case 'level':
        return rng.pick<unknown>([1, 2, 3, 0, 4, '1']);
      case 'lon':
        return rng.pick<unknown>([112.9, -180, 180, 181, -1e300, Number.NaN]);
      case 'lat':
        return rng.pick<unknown>([28.6, 90, -90, 91, Number.POSITIVE_INFINITY]);
      default:
        return rng.pick<unknown>([true, false, 'true', 0, ...HOSTILE_TEXT]);
    }
  }

  const shapeOf = (method: MethodName): string[] => {
    const schema = CONTRACT[method].args as unknown as { shape?: Record<string, unknown> };
    return schema.shape ? Object.keys(schema.shape) : [];
  };

  /** Arguments for a method: extra keys (always refused), wrong shapes, or its own keys with hostile values. */
  function argsFor(method: MethodName): { args: unknown; refused: boolean } {
    const keys = shapeOf(method);
    const roll = rng.next();
    if (roll < 0.1) return { args: rng.pick<unknown>([null, 42, 'args', [], [1, 2], true, deep(500)]), refused: true };
    const args: Record<string, unknown> = {};
    for (const key of keys) if (rng.chance(0.5)) args[key] = valueFor(key);
    if (roll < 0.25) {
      // Arguments are strict objects: an unknown key is refused, whatever else is right.
      args[rng.pick(['extra', '__proto__x', "'; DROP TABLE events; --", '<script>', 'constructor', 'toString'])] = valueFor('x');
      return { args, refused: true };
    }
    return { args, refused: false };
  }

  /** A command that cannot apply: refused by its schema, or about an event the replica does not hold. */
  function refusedCommand(method: MethodName): unknown {
    const { args, refused } = argsFor(method);
    if (refused || typeof args !== 'object' || args === null || Array.isArray(args)) return args;
    // Never an existing event (a valid comment on one would apply), never a create that could succeed.
    const a = args as Record<string, unknown>;
    a.id = rng.pick<unknown>([...SQL_TEXT, ...SCRIPT_TEXT, 'no-such-event', '', 7]);
    if (method === 'event.create') a.grid = rng.pick<unknown>(['1', '', 7, "' OR 1=1"]);
    if (method === 'event.merge') a.into = rng.pick(events);
    return a;
  }

  const unknownMethods = (): unknown =>
    rng.pick<unknown>([
      'events.drop',
      'EVENTS.LIST',
      'events.list ',
      ' events.list',
      ...SQL_TEXT,
      ...SCRIPT_TEXT,
      '__proto__',
      'constructor',
      'toString',
      'hasOwnProperty',
      HUGE.slice(0, 100_000),
      '',
      7,
      null,
      [],
      ['events.list'],
      {},
      { toString: 1 },
      { toString: 'events.list' },
    ]);

  // ------------------------------------------------------------ the run

  it('answers thousands of hostile calls with a clear refusal or a valid result; invalid commands change nothing', async () => {
    // The sessions first (a login writes its session and audit entry), then the replica as it is.
    const issued = await data.service.handle('devices.issue', { name: '模糊测试大屏' }, ADMIN);
    const wall = await connect({ method: 'auth.device', args: { code: issued.ok ? (issued.result as { code: string }).code : '' } });
    const big = await connect(dispatcherLogin);
    const before = tableTexts(tmp.file('replica.sqlite'), []);
    const nextN = data.replica.state().nextN;
    const tally = new Map<string, number>();
    const count = (key: string): number => tally.set(key, (tally.get(key) ?? 0) + 1).get(key) as number;
    const commands = METHOD_NAMES.filter((m) => isCommand(m) && m !== 'link.reconnect');
    // The reads (the admin's, auth and reveal methods have their own tests: a dispatcher is refused them, and auth.logout would end the run's session).
    const queries = METHOD_NAMES.filter((m) => CONTRACT[m].kind === 'query');
    let noAnswerCalls = 0;

    for (let i = 0; i < CALLS; i++) {
      const roll = rng.next();
      let method: unknown;
      let args: unknown;
      let expectCode: string | null | 'ok-or-refused' = 'ok-or-refused';
      let socket = client;
      if (roll < 0.12) {
        method = unknownMethods();
        args = argsFor('events.list').args;
        expectCode = 'unknown-method';
      } else if (roll < 0.55) {
        method = rng.pick(queries);
        const a = argsFor(method as MethodName);
        args = a.args;
        if (a.refused) expectCode = 'invalid';
      } else if (roll < 0.9) {
        method = rng.pick(commands);
        args = refusedCommand(method as MethodName);
        expectCode = null; // refused, whatever the reason
      } else if (roll < 0.95) {
        // A read-only screen may not act, whatever it sends.
        socket = wall;
        method = rng.pick(commands);
        args = { id: rng.pick(events), note: '只读' };
        expectCode = 'forbidden';
      } else {
        // No acknowledgement (or one that is not a function): nobody to answer, nothing may run.
        method = rng.pick(commands);
        args = { id: rng.pick(events), note: '没有回执的命令' };
        if (rng.chance(0.5)) client.emit(SOCKET.invoke, method, args);
        else client.emit(SOCKET.invoke, method, args, rng.pick<unknown>(['ack', 42, null, { f: 1 }]));
        noAnswerCalls++;
        continue;
      }
      const response = await invoke(socket, method, args);
      const label = `${String(typeof method === 'string' ? method.slice(0, 60) : typeof method)} ${(JSON.stringify(args) ?? 'undefined').slice(0, 200)} → ${JSON.stringify(response).slice(0, 300)}`;
      expect(ApiResponseSchema.safeParse(response).success, label).toBe(true);
      if (response.ok) {
        expect(expectCode, label).toBe('ok-or-refused');
        expect(validateResult(method as MethodName, response.result).ok, label).toBe(true);
        count('ok');
      } else {
        expect(response.error.code, label).not.toBe('internal');
        expect(REFUSALS.has(response.error.code), label).toBe(true);
        expect(clear(response.error.message), label).toBe(true);
        if (typeof expectCode === 'string' && expectCode !== 'ok-or-refused') expect(response.error.code, label).toBe(expectCode);
        count(response.error.code);
      }
    }
    // Oversized: the transport drops the connection (1 MB limit), the server carries on.
    big.emit(SOCKET.invoke, 'events.list', { text: `${HUGE}${'y'.repeat(MB)}` }, () => undefined);
    await until(() => !big.connected, 'the server to drop an oversized call');

    console.log(`[fuzz] hostile API calls: ${CALLS} (${noAnswerCalls} without an answer): ${JSON.stringify(Object.fromEntries(tally))}`);
    const last = await invoke(client, 'app.info', {});
    expect(last.ok).toBe(true);
    expect(noAnswerCalls).toBeGreaterThan(0);
    for (const code of ['ok', 'invalid', 'unknown-method', 'forbidden', 'not-found']) expect(tally.get(code) ?? 0, `no ${code} answer`).toBeGreaterThan(0);

    // Nothing ran: no command queued, not one byte of the replica changed, the county got nothing.
    expect(data.replica.state().nextN).toBe(nextN);
    expect(tableTexts(tmp.file('replica.sqlite'), [])).toEqual(before);
    expect(sim.applied(data.replica.replicaId)).toEqual([]);
    expect(integrityOf(tmp.file('replica.sqlite'))).toBe('ok');
    expect(serviceErrors).toEqual([]);
    expect(guard.crashes).toEqual([]);
  }, scaledTimeout(120_000));

  it('answers handle() called directly with values no transport carries, without throwing', async () => {
    const nasty: [unknown, unknown][] = [
      [{ toString: 1 }, {}],
      [{ toString: () => 'events.list' }, {}],
      [Symbol('events.list'), {}],
      [undefined, undefined],
      [null, null],
      [BigInt(7), {}],
      ['events.list', { text: BigInt(7) }],
      ['events.list', { paging: { offset: BigInt(1), limit: 5 } }],
      ['events.get', { id: Symbol('x') }],
      ['events.get', { get id(): string { throw new Error('a getter that throws'); } }],
      ['events.list', new Proxy({}, { ownKeys: () => { throw new Error('a proxy that throws'); } })],
      ['events.get', (() => { const o: Record<string, unknown> = { id: 'x' }; o.self = o; return o; })()],
      ['event.comment', { id: events[0], note: () => 'a function' }],
      ['events.list', Object.create(null) as unknown],
      ['workers.list', Object.assign(new Array(3), { 2: 3 })],
    ];
    for (const [method, args] of nasty) {
      let response: ApiResponse | undefined;
      let thrown: unknown = null;
      try {
        response = await data.service.handle(method as string, args);
      } catch (error) {
        thrown = error;
      }
      const label = `${typeof method === 'symbol' ? 'symbol' : typeof method} → ${thrown === null ? JSON.stringify(response, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v)) : String(thrown)}`;
      expect(thrown, label).toBeNull();
      expect(ApiResponseSchema.safeParse(response).success, label).toBe(true);
      if (response && !response.ok) {
        expect(response.error.code, label).not.toBe('internal');
        expect(clear(response.error.message), label).toBe(true);
      }
    }
    expect(guard.crashes).toEqual([]);
  });

  it('still runs valid commands afterwards, and finds hostile text literally', async () => {
    const receipt = await invoke(client, 'event.comment', { id: events[0], note: "'; DROP TABLE outbox; -- <script>alert(1)</script>" });
    expect(receipt.ok, JSON.stringify(receipt)).toBe(true);
    await until(() => data.replica.queueLength() === 0, 'the command to be settled by the county', scaledTimeout(30_000));
    expect(sim.applied(data.replica.replicaId)).toEqual([{ n: 1, name: 'event.comment', status: 'applied' }]);
    const found = async (text: string): Promise<string[]> => {
      const r = await invoke(client, 'events.list', { text });
      expect(r.ok, `${text}: ${JSON.stringify(r)}`).toBe(true);
      return r.ok ? (r.result as { items: { id: string }[] }).items.map((e) => e.id) : [];
    };
    // Every hostile search is answered (a search for something that is not there finds nothing).
    const texts = [...FTS_TEXT, ...SQL_TEXT, ...SCRIPT_TEXT, 'a\u0000bc', '\u0000\u0000\u0000', '\u0000', 'a\uD800b', '\uDFFF\uD800x', '\u202E\u202E\u202E', '  ', 't'.repeat(100)];
    for (const text of texts) {
      for (const method of METHOD_NAMES.filter((m) => !isCommand(m) && shapeOf(m).includes('text'))) {
        const r = await invoke(client, method, { text });
        expect(r.ok, `${method} ${JSON.stringify(text)}: ${JSON.stringify(r).slice(0, 300)}`).toBe(true);
        if (r.ok) expect(validateResult(method, r.result).ok).toBe(true);
      }
    }
    for (const args of [{ paging: { offset: Number.MAX_SAFE_INTEGER, limit: 500 } }, { category: "' OR 1=1 --" }, { grid: '%' }, { grid: '\u{10FFFF}' }, { from: '0000-01-01T00:00:00Z', to: '9999-12-31T23:59:59+14:00' }]) {
      const r = await invoke(client, 'events.list', args);
      expect(r.ok && (r.result as { items: unknown[] }).items, JSON.stringify(args)).toEqual(args.from ? expect.any(Array) : []);
    }
    expect(await found("'; DROP TABLE events; --")).toEqual([events[0]]);
    expect(await found('NEAR(垃圾 堆放)')).toEqual([events[1]]);
    expect(await found('"引号"')).toEqual([events[1]]);
    expect(await found('%_')).toEqual([events[1]]);
    expect(await found('" OR "')).toEqual([]);
    expect(integrityOf(tmp.file('replica.sqlite'))).toBe('ok');
    expect(serviceErrors).toEqual([]);
    expect(guard.crashes).toEqual([]);
  }, scaledTimeout(60_000));
});
