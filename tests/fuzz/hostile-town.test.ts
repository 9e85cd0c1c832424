// Bad input from a town: thousands of malformed and hostile `mutate` messages to the
// real county simulator over a raw socket.io-client (wrong n types, huge arguments,
// unknown names, SQL and script text in every string, ids that are not replica:n,
// forbidden actors, messages without an acknowledgement callback, messages over the
// transport's size limit), interleaved with some valid commands.
//
// Invariants: every message with a callback is answered, `rejected` with the code the
// protocol gives it (invalid, unknown-command, out-of-order, forbidden, not-found,
// invalid-transition) or the stored answer of its n; the simulator never crashes and
// applies nothing invalid: its state equals a second simulator's that received only the
// valid commands; every n is settled once; and it still serves a good town afterwards.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Rng } from '../../county/demo/random';
import { MutateAckSchema, type MutateAck } from '../../core/sync/protocol';
import { startCountySimulator, type CountySimulator } from '../../county/simulator/index';
import { TestTown } from '../../county/simulator/test-client';
import { HOSTILE_TEXT, HUGE, SCRIPT_TEXT, SQL_TEXT, deep, fuzzDir, fuzzRng, guardProcess, until, wrongValue } from './hostile';
import { scaled, scaledTimeout } from './hostile';

const MESSAGES = scaled(2000);
const TOWN = '430624103';
const T0 = Date.parse('2026-11-30T09:00:00+08:00');
const AT = '2026-11-30T09:00:00+08:00';
const SEED = 20241112;

type Expect = 'invalid' | 'unknown-command' | 'out-of-order' | 'forbidden' | 'not-found' | 'invalid-transition' | 'applied' | 'stored';

describe('fuzz: hostile mutate messages to the county simulator', () => {
  const guard = guardProcess();
  const tmp = fuzzDir();
  const rng: Rng = fuzzRng('hostile-town');
  const simLog: string[] = [];
  let sim: CountySimulator;
  let town: TestTown;
  let events: string[] = [];

  beforeAll(async () => {
    sim = await startCountySimulator({ port: 0, seed: SEED, dbFile: tmp.file('county.sqlite'), clock: () => T0, activity: false, log: (l) => simLog.push(l) });
    // Two events of the county's own, so commands have something to act on.
    events = [sim.createEvent(TOWN), sim.createEvent(TOWN)];
    town = await TestTown.connect(sim.url, { town: TOWN });
    await town.synced();
  }, scaledTimeout(30_000));

  afterAll(async () => {
    town.close();
    await sim.close();
    guard.dispose();
    tmp.cleanup();
  });

  const grid = (): string => sim.snapshot(TOWN).grids.find((g) => g.level === 3)!.code;
  const text = (max: number): string => `${rng.pick(HOSTILE_TEXT)} ${rng.pick([...SQL_TEXT, ...SCRIPT_TEXT])}`.slice(0, max).trim() || '备注';

  /** Arguments a command accepts (what makes it apply or not is the event's state). */
  function validArgs(name: string, id: string): Record<string, unknown> {
    switch (name) {
      case 'event.create':
        return {
          id,
          code: text(64),
          title: text(200),
          description: text(2000),
          category: '0301',
          urgency: rng.pick(['normal', 'urgent', 'critical']),
          source: rng.pick(['hotline', 'wechat', 'walkIn']),
          location: { lon: 112.9, lat: 28.6, address: text(200) },
          grid: grid(),
        };
      case 'event.comment':
        return { id, note: text(2000) };
      case 'event.accept':
      case 'event.close':
        return { id };
      case 'event.reject':
      case 'event.escalate':
        return { id, reason: text(2000) };
      case 'event.dispatch':
        return { id, to: { kind: 'department', id: 'dept-rj' } };
      default:
        return { id };
    }
  }

  /** Arguments that fail the command's schema, whatever the event. */
  function invalidArgs(name: string, id: string): unknown {
    const args = validArgs(name, id);
    const corrupt = rng.pick<() => unknown>([
      () => ({ ...args, id: rng.pick<unknown>(['', '   ', 'i'.repeat(65), 7, null, {}, [], ...SQL_TEXT.map((s) => s.repeat(20))]) }),
      () => rng.pick<unknown>([null, 42, 'args', [], deep(1000)]),
      () => {
        const { id: _id, ...rest } = args;
        return rest;
      },
      () => (name === 'event.comment' ? { ...args, note: rng.pick<unknown>(['   ', 'n'.repeat(2001), 7, HUGE.slice(0, 500_000)]) } : { ...args, id: wrongNonString() }),
      () => (name === 'event.dispatch' ? { ...args, to: rng.pick<unknown>([{ kind: 'god', id: 'x' }, 'dept-rj', { kind: 'department' }, null]) } : { ...args, id: '' }),
      () => (name === 'event.create' ? { ...args, urgency: rng.pick(SQL_TEXT), location: { lon: 200, lat: 'x', address: '' } } : { ...args, id: 'i'.repeat(65) }),
    ]);
    return corrupt();
  }
  const wrongNonString = (): unknown => {
    const v = wrongValue(rng);
    return typeof v === 'string' ? 7 : v;
  };

  it('answers every hostile mutate with the rejection the protocol gives it, and applies only valid commands', async () => {
    const replica = town.auth.replica;
    const answers = new Map<number, MutateAck>();
    const valid: { name: string; args: Record<string, unknown>; actor?: { id: string; role: string } }[] = [];
    const seen = new Map<Expect | string, number>();
    let next = 1;
    let noCallback = 0;
    let oversized = 0;
    const created: string[] = [];

    const send = async (message: unknown, expectation: Expect, n: number | null): Promise<void> => {
      if (!town.socket.connected) await town.open();
      const answer = await town.mutate(message, 10_000);
      expect(MutateAckSchema.safeParse(answer).success, JSON.stringify(answer)).toBe(true);
      if (expectation === 'stored') {
        expect(answer).toEqual(answers.get(n as number));
      } else if (expectation === 'applied') {
        expect(answer, JSON.stringify(message).slice(0, 300)).toEqual({ status: 'applied' });
      } else {
        expect(answer, JSON.stringify(message).slice(0, 300)).toMatchObject({ status: 'rejected', code: expectation });
        expect((answer as { message: string }).message.length).toBeGreaterThan(0);
      }
      // A settled n (anything but out-of-order and an unusable n) is consumed, its answer kept.
      if (n !== null && n === next && expectation !== 'out-of-order') {
        answers.set(n, answer);
        next++;
      }
      seen.set(expectation, (seen.get(expectation) ?? 0) + 1);
    };

    const message = (n: unknown, name: unknown, args: unknown, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
      id: typeof n === 'number' ? `${replica}:${n}` : `${replica}:x`,
      n,
      name,
      args,
      at: AT,
      ...extra,
    });
    const known = ['event.comment', 'event.accept', 'event.close', 'event.reject', 'event.dispatch', 'event.escalate', 'event.create'];
    const anEvent = (): string => rng.pick([...events, ...created]);

    for (let i = 0; i < MESSAGES; i++) {
      const roll = rng.next();
      if (roll < 0.1) {
        // No usable n: refused invalid, nothing consumed.
        const n = rng.pick<unknown>([undefined, '1', 0, -1, 1.5, 1e300, Number.NaN, 2 ** 53, [], null, { n: 1 }, `${next}`]);
        const m = rng.chance(0.2) ? rng.pick<unknown>([null, 42, 'mutate', [], deep(500)]) : message(n, 'event.accept', { id: anEvent() });
        await send(m, 'invalid', null);
      } else if (roll < 0.17) {
        await send(message(next + rng.int(1, 1000), 'event.comment', { id: anEvent(), note: '跳号' }), 'out-of-order', null);
      } else if (roll < 0.24 && next > 1) {
        const n = rng.int(1, next - 1);
        await send(message(n, rng.pick([...known, 'x']), wrongValue(rng)), 'stored', n);
      } else if (roll < 0.34) {
        // A malformed message with the expected n: refused invalid, n consumed.
        const m = message(next, 'event.accept', { id: anEvent() });
        const broken = rng.pick<(x: Record<string, unknown>) => void>([
          (x) => (x.at = rng.pick<unknown>(['yesterday', '', 1764300000000, null, '2026-02-30T09:00:00+08:00'])),
          (x) => (x.name = rng.pick<unknown>([7, null, '', 'n'.repeat(65), HUGE.slice(0, 100_000), []])),
          (x) => (x.actor = rng.pick<unknown>([{ id: 'a', role: 'god' }, { id: '', role: 'dispatcher' }, 'dispatcher', { role: 'dispatcher' }, { id: 'x'.repeat(129), role: 'leader' }])),
          (x) => (x.id = rng.pick<unknown>([7, null, '', 'i'.repeat(257)])),
        ]);
        broken(m);
        await send(m, 'invalid', next);
      } else if (roll < 0.41) {
        const other = rng.pick([randomUUID(), 'someone-else', ...SQL_TEXT, ...SCRIPT_TEXT]);
        await send({ ...message(next, 'event.accept', { id: anEvent() }), id: `${other}:${next}` }, 'invalid', next);
      } else if (roll < 0.5) {
        const name = rng.pick(['event.teleport', 'EVENT.ACCEPT', 'event.accept ', ...SQL_TEXT, ...SCRIPT_TEXT, '__proto__', 'constructor', 'toString']).slice(0, 64);
        await send(message(next, name, { id: anEvent() }), 'unknown-command', next);
      } else if (roll < 0.65) {
        const name = rng.pick(known);
        await send(message(next, name, invalidArgs(name, anEvent())), 'invalid', next);
      } else if (roll < 0.73) {
        // Valid arguments about an event the county does not have (SQL and script text as its id).
        const name = rng.pick(known.filter((k) => k !== 'event.create'));
        const id = rng.pick([...SQL_TEXT, ...SCRIPT_TEXT, randomUUID()]).slice(0, 64);
        await send(message(next, name, validArgs(name, id)), 'not-found', next);
      } else if (roll < 0.8) {
        const role = rng.pick(['county', 'system', 'gridWorker', 'viewer']);
        await send(message(next, 'event.comment', { id: anEvent(), note: '冒充' }, { actor: { id: `x-${role}`, role } }), 'forbidden', next);
      } else if (roll < 0.85) {
        // Valid, but not in this state: the county's workflow refuses it.
        await send(message(next, 'event.close', { id: rng.pick(events) }), 'invalid-transition', next);
      } else if (roll < 0.88) {
        // No acknowledgement callback: nobody to answer; dropped and logged, nothing consumed.
        town.socket.emit('mutate', message(next, 'event.comment', { id: anEvent(), note: '无回执' }));
        noCallback++;
      } else if (roll < 0.885) {
        // Over the transport's 1 MB limit: the server closes this connection, nothing else.
        town.socket.emit('mutate', message(next, 'event.comment', { id: anEvent(), note: `${HUGE}x` }), () => undefined);
        oversized++;
        await until(() => !town.socket.connected, 'the server to drop an oversized message');
        await town.open();
      } else {
        // A valid command: it applies, and the reference county gets it too.
        let command: (typeof valid)[number];
        if (rng.chance(0.2)) {
          const id = randomUUID();
          command = { name: 'event.create', args: validArgs('event.create', id) };
          created.push(id);
        } else {
          command = { name: 'event.comment', args: validArgs('event.comment', anEvent()) };
          if (rng.chance(0.3)) command.actor = { id: `lead-${i}`, role: rng.pick(['leader', 'dispatcher']) };
        }
        valid.push(command);
        await send(message(next, command.name, command.args, command.actor ? { actor: command.actor } : {}), 'applied', next);
      }
    }
    await town.roundTrip();
    console.log(`[fuzz] hostile town sent ${MESSAGES} mutates: ${JSON.stringify(Object.fromEntries(seen))}, ${noCallback} without a callback, ${oversized} over 1 MB`);

    // Every n settled once, in order; only the valid ones applied.
    const settled = sim.applied(replica);
    expect(settled.map((c) => c.n)).toEqual(Array.from({ length: next - 1 }, (_, i) => i + 1));
    expect(settled.filter((c) => c.status === 'applied').length).toBe(valid.length);
    for (const [n, ack] of answers) expect(settled[n - 1]?.status).toBe(ack.status);
    expect(simLog.filter((l) => /without an acknowledgement callback/.test(l)).length).toBe(noCallback);
    expect(simLog.filter((l) => /mutate from .* failed/.test(l))).toEqual([]);
    expect(oversized).toBeGreaterThanOrEqual(0);
    for (const code of ['invalid', 'unknown-command', 'out-of-order', 'forbidden', 'not-found', 'invalid-transition', 'applied', 'stored'] as const) {
      expect(seen.get(code) ?? 0, `no ${code} case was sent`).toBeGreaterThan(0);
    }

    // The county's state is what the valid commands alone make of it.
    const refTmp = fuzzDir();
    const reference = await startCountySimulator({ port: 0, seed: SEED, dbFile: refTmp.file('reference.sqlite'), clock: () => T0, activity: false });
    try {
      expect([reference.createEvent(TOWN), reference.createEvent(TOWN)]).toEqual(events);
      const clean = await TestTown.connect(reference.url, { town: TOWN });
      try {
        let n = 0;
        for (const c of valid) expect(await clean.mutate(clean.command(++n, c.name, c.args, AT, c.actor))).toEqual({ status: 'applied' });
      } finally {
        clean.close();
      }
      expect(sim.snapshot(TOWN)).toEqual(reference.snapshot(TOWN));
    } finally {
      await reference.close();
      refTmp.cleanup();
    }
    expect(guard.crashes).toEqual([]);
  }, scaledTimeout(120_000));

  it('still serves a good town afterwards: sync, a command, its change', async () => {
    const good = await TestTown.connect(sim.url, { town: TOWN });
    try {
      await good.synced();
      expect(await good.mutate(good.command(1, 'event.comment', { id: events[0], note: '正常的批注' }))).toEqual({ status: 'applied' });
      await good.until(() => good.batches.some((b) => b.lastN === 1), 'lastN 1');
      const event = sim.snapshot(TOWN).events.find((e) => e.id === events[0]);
      expect(event?.history.at(-1)).toMatchObject({ action: 'event.comment', note: '正常的批注' });
      expect(good.state.get(`event/${events[0]}`)?.data).toEqual((({ id: _id, ...rest }) => rest)(event!));
    } finally {
      good.close();
    }
    expect(guard.crashes).toEqual([]);
  }, scaledTimeout(30_000));
});
