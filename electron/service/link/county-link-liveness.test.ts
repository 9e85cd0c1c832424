// Liveness of the county link (county-link-v1 "Liveness: ping"): the heartbeat's
// judgment under fake timers, the link against a loopback county that stops answering
// without closing TCP, an older county that never answers pings, and a real county
// process frozen with SIGSTOP. Waits poll for outcomes with generous bounds.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Server } from 'socket.io';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { MutateAck } from '../../../core/sync/protocol';
import { startCountySimulator } from '../../../county/simulator/index';
import { TestTown } from '../../../county/simulator/test-client';
import { DISPATCHER, TOWN_CODE } from '../replica/test-fixtures';
import { Replica } from '../replica/replica';
import type { LinkReplica } from './county-link';
import { CountyLink } from './county-link';
import { Heartbeat, type HeartbeatOptions } from './liveness';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  vi.useRealTimers();
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function until(condition: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

// ---------------------------------------------------------------- the heartbeat alone (fake timers)

interface Probe {
  heartbeat: Heartbeat;
  sent: { at: number; answer: (raw: unknown) => void }[];
  calls: string[];
}

function probe(answer: 'always' | 'never' | 'manual', extra: Partial<HeartbeatOptions> = {}): Probe {
  const sent: Probe['sent'] = [];
  const calls: string[] = [];
  const heartbeat = new Heartbeat({
    intervalMs: 2_000,
    timeoutMs: 3_000,
    misses: 2,
    now: Date.now,
    send: (payload, reply) => {
      sent.push({ at: payload.at, answer: reply });
      if (answer === 'always') setTimeout(() => reply({ at: Date.now() }), 10);
    },
    onFirstAnswer: () => calls.push('first-answer'),
    onNoAnswer: () => calls.push('no-answer'),
    onInvalid: (reason) => calls.push(`invalid ${reason}`),
    onDead: () => calls.push(`dead at ${Date.now()}`),
    ...extra,
  });
  return { heartbeat, sent, calls };
}

describe('heartbeat', () => {
  it('pings at once and then once per interval while the county answers, and never declares it dead', () => {
    vi.useFakeTimers({ now: 0 });
    const { heartbeat, sent, calls } = probe('always');
    heartbeat.start();
    expect(sent).toHaveLength(1);
    vi.advanceTimersByTime(60_000);
    expect(sent.length).toBeGreaterThanOrEqual(29);
    expect(sent.length).toBeLessThanOrEqual(31);
    expect(calls).toEqual(['first-answer']);
    expect(heartbeat.armed).toBe(true);
    heartbeat.stop();
    const count = sent.length;
    vi.advanceTimersByTime(60_000);
    expect(sent).toHaveLength(count);
  });

  it('declares the link dead after two unanswered pings in a row, within 10 s of the last answer', () => {
    vi.useFakeTimers({ now: 0 });
    const { heartbeat, sent, calls } = probe('manual');
    heartbeat.start();
    sent[0]!.answer({ at: 5 });
    vi.advanceTimersByTime(2_000);
    expect(sent).toHaveLength(2);
    sent[1]!.answer({ at: 2_005 }); // the last answer, at 2 s: the county hangs now
    vi.advanceTimersByTime(9_999);
    expect(calls.filter((c) => c.startsWith('dead'))).toHaveLength(1);
    const deadAt = Number(calls.find((c) => c.startsWith('dead'))!.split(' ').pop());
    expect(deadAt - 2_000).toBeLessThanOrEqual(10_000);
    // Stopped itself: no ping after the verdict.
    const count = sent.length;
    vi.advanceTimersByTime(30_000);
    expect(sent).toHaveLength(count);
  });

  it('forgives one unanswered ping: only two in a row count', () => {
    vi.useFakeTimers({ now: 0 });
    const { heartbeat, sent, calls } = probe('manual');
    heartbeat.start();
    sent[0]!.answer({ at: 0 });
    for (let round = 0; round < 10; round++) {
      // Every other ping goes unanswered.
      const before = sent.length;
      while (sent.length === before) vi.advanceTimersByTime(100);
      if (round % 2 === 0) sent[sent.length - 1]!.answer({ at: Date.now() });
    }
    vi.advanceTimersByTime(2_900);
    expect(calls.some((c) => c.startsWith('dead'))).toBe(false);
    heartbeat.stop();
  });

  it('takes a late answer for a sign of life', () => {
    vi.useFakeTimers({ now: 0 });
    const { heartbeat, sent, calls } = probe('manual');
    heartbeat.start();
    sent[0]!.answer({ at: 0 });
    vi.advanceTimersByTime(2_000 + 3_000 + 10); // ping 2 missed; ping 3 sent at once
    expect(sent).toHaveLength(3);
    sent[1]!.answer({ at: Date.now() }); // ping 2's answer, late
    vi.advanceTimersByTime(3_000); // ping 3 missed: one in a row only
    expect(calls.some((c) => c.startsWith('dead'))).toBe(false);
    heartbeat.stop();
  });

  it('never declares dead a county that never answered a ping (an older county)', () => {
    vi.useFakeTimers({ now: 0 });
    const { heartbeat, sent, calls } = probe('never');
    heartbeat.start();
    vi.advanceTimersByTime(10 * 60_000);
    expect(sent.length).toBeGreaterThan(100);
    expect(calls).toEqual(['no-answer']);
    expect(heartbeat.armed).toBe(false);
    heartbeat.stop();
  });

  it('reports an invalid answer once and still takes it for a sign of life', () => {
    vi.useFakeTimers({ now: 0 });
    const { heartbeat, sent, calls } = probe('manual');
    heartbeat.start();
    sent[0]!.answer('pong');
    for (let i = 1; i < 6; i++) {
      vi.advanceTimersByTime(2_000);
      sent[i]!.answer({ at: 'soon' });
    }
    expect(calls.filter((c) => c.startsWith('invalid'))).toHaveLength(1);
    expect(calls).toContain('first-answer');
    expect(calls.some((c) => c.startsWith('dead'))).toBe(false);
    heartbeat.stop();
  });
});

// ---------------------------------------------------------------- the link against a loopback county

class MemoryReplica implements LinkReplica {
  readonly replicaId = '9b2f6a1e-0c3d-4e5f-8a7b-1c2d3e4f5a6b';
  readonly town = '430624103';
  readonly outbox: { n: number; ack: MutateAck | null }[] = [];
  state() {
    return { cursor: null, lastN: null, nextN: this.outbox.length + 1, lastSyncAt: null, catchingUp: false };
  }
  applyBatch(): ReturnType<LinkReplica['applyBatch']> {
    throw new Error('no batches in these tests');
  }
  applyPositions() {
    return { latest: [], historyOnly: 0, invalid: [] };
  }
  nextOutbound(): ReturnType<LinkReplica['nextOutbound']> {
    const next = this.outbox.find((c) => c.ack === null);
    return next ? { n: next.n, id: `${this.replicaId}:${next.n}`, name: 'event.comment', args: { id: 'e-1', note: 'x' }, at: '2026-11-28T09:12:03+08:00', actor: { id: 'd', role: 'dispatcher' } } : null;
  }
  acknowledge(n: number, ack: MutateAck) {
    const command = this.outbox.find((c) => c.n === n);
    if (command) command.ack = ack;
    return { changedEventIds: [] };
  }
  queueLength(): number {
    return this.outbox.filter((c) => c.ack === null).length;
  }
  unsentCount(): number {
    return this.queueLength();
  }
}

/** A county that can go silent (pings and commands unanswered) while its TCP connections stay open. */
async function loopbackCounty(options: { answersPings: boolean }) {
  const county = { handshakes: 0, silent: false, pings: 0, applied: [] as number[] };
  const http = createServer();
  const io = new Server(http);
  io.of('/town').on('connection', (socket) => {
    county.handshakes++;
    if (options.answersPings) {
      socket.on('ping', (_payload: unknown, ack: (a: unknown) => void) => {
        county.pings++;
        if (!county.silent) ack({ at: Date.now() });
      });
    }
    socket.on('mutate', (message: { n: number }, ack: (a: unknown) => void) => {
      if (county.silent) return;
      county.applied.push(message.n);
      ack({ status: 'applied' });
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise<void>((resolve) => void io.close(() => resolve())));
  return { county, url: `http://127.0.0.1:${(http.address() as AddressInfo).port}` };
}

function linkTo(url: string, replica: LinkReplica) {
  const link = new CountyLink({ url, token: 't', replica, transports: ['websocket'], backoffMinMs: 50, backoffMaxMs: 200, mutateTimeoutMs: 2_000, pingIntervalMs: 100, pingTimeoutMs: 300 });
  cleanups.push(() => link.stop());
  return link;
}

describe('the link and a county that stops answering', () => {
  it('goes offline when the county falls silent, reconnects, and drains the outbox once it answers again', async () => {
    const { county, url } = await loopbackCounty({ answersPings: true });
    const replica = new MemoryReplica();
    const link = linkTo(url, replica);
    link.start();
    await until(() => link.log().some((e) => e.message.includes('answers pings')), 'a ping answered');
    county.silent = true;
    replica.outbox.push({ n: 1, ack: null });
    link.kick();
    await until(() => link.status().state !== 'online', 'offline after the silence');
    expect(link.log().some((e) => e.level === 'warn' && /none of the last 2 pings/.test(e.message))).toBe(true);
    expect(link.status().offlineSince).not.toBeNull();
    // It reconnects on its own (a new handshake) while TCP never broke.
    await until(() => county.handshakes >= 2, 'a new connection');
    county.silent = false;
    await until(() => replica.queueLength() === 0 && link.status().state === 'online', 'drained and online');
    expect(county.applied).toContain(1);
    expect(replica.outbox[0]?.ack).toEqual({ status: 'applied' });
  }, 60_000);

  it('keeps an older county that never answers pings online', async () => {
    const { county, url } = await loopbackCounty({ answersPings: false });
    const replica = new MemoryReplica();
    const link = linkTo(url, replica);
    link.start();
    await until(() => link.log().some((e) => e.message.includes('older county')), 'the first ping unanswered');
    // Ten times the time that declares an answering county dead.
    await new Promise((r) => setTimeout(r, 3_000));
    expect(link.status().state).toBe('online');
    expect(county.handshakes).toBe(1);
    replica.outbox.push({ n: 1, ack: null });
    link.kick();
    await until(() => replica.queueLength() === 0, 'command applied');
    expect(link.log().some((e) => /none of the last/.test(e.message))).toBe(false);
  }, 30_000);
});

// ---------------------------------------------------------------- the simulator's side

describe('the county simulator', () => {
  it('answers every ping at once with its clock, also while paused, and drops an invalid one', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'griddeck-ping-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const T0 = Date.parse('2026-11-30T09:00:00+08:00');
    const lines: string[] = [];
    const sim = await startCountySimulator({ port: 0, seed: 7, dbFile: path.join(dir, 'c.sqlite'), clock: () => T0, activity: false, log: (l) => lines.push(l) });
    cleanups.push(() => sim.close());
    const town = await TestTown.connect(sim.url, { town: TOWN_CODE });
    cleanups.push(() => town.close());
    const ping = (payload: unknown) => town.socket.timeout(2_000).emitWithAck('ping', payload) as Promise<unknown>;
    expect(await ping({ at: 1 })).toEqual({ at: T0 });
    sim.chaos.pause();
    expect(await ping({ at: 2 })).toEqual({ at: T0 });
    sim.chaos.resume();
    await expect(ping({ at: 'now' })).rejects.toThrow(/timed out/);
    expect(lines.some((l) => l.includes('dropped an invalid ping'))).toBe(true);
  }, 30_000);
});

// ---------------------------------------------------------------- a real county process, frozen

async function startCountyProcess(dir: string): Promise<{ child: ChildProcess; url: string }> {
  // One process (not the tsx wrapper, which runs the county in a child): SIGSTOP must freeze the county itself.
  const child = spawn(process.execPath, ['--import', 'tsx', 'county/simulator/cli.ts', '--port', '0', '--seed', '12', '--token', 'tk', '--db', path.join(dir, 'county.sqlite')], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  cleanups.push(async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL'); // also ends a stopped process
    await exited;
  });
  let out = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /^county simulator on (http:\/\/127\.0\.0\.1:\d+) /.exec(out);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`the county exited early with ${code}`)));
  });
  return { child, url };
}

async function control(url: string, body: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(`${url}/control`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer tk' }, body: JSON.stringify(body) });
  return (await res.json()) as Record<string, unknown>;
}

describe('a real county process frozen with SIGSTOP', () => {
  it('shows offline long before TCP would notice, and drains the outbox after SIGCONT', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'griddeck-liveness-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const { child, url } = await startCountyProcess(dir);
    const replica = await Replica.open({ file: path.join(dir, 'town.sqlite'), town: TOWN_CODE });
    cleanups.push(() => replica.close());
    // The link's own defaults for liveness: ping every 2 s, 3 s each.
    const link = new CountyLink({ url, token: 'tk', replica, transports: ['websocket'], backoffMinMs: 200, backoffMaxMs: 2_000 });
    cleanups.push(() => link.stop());
    link.start();
    const created = await control(url, { action: 'create-event', town: TOWN_CODE });
    const id = String(created.id);
    await until(() => replica.getEvent(id) !== null, 'the new event replicated', 60_000);
    await until(() => link.log().some((e) => e.message.includes('answers pings')), 'a ping answered', 30_000);

    child.kill('SIGSTOP');
    const frozenAt = Date.now();
    // Socket.IO's own heartbeat would take 45 s; 30 s is generous for the ping's 8 s on a loaded machine.
    await until(() => link.status().state === 'offline', 'offline while the county is frozen', 30_000).catch((error: unknown) => {
      console.error(link.log().map((e) => `${e.at} ${e.level} ${e.message}`).join('\n'), link.status());
      throw error;
    });
    const noticedMs = Date.now() - frozenAt;
    expect(link.log().some((e) => /none of the last 2 pings/.test(e.message))).toBe(true);

    // A dispatcher's command while the county is frozen waits in the outbox.
    const outcome = replica.command('event.comment', { id, note: '县级平台冻结期间的跟进' }, DISPATCHER, Date.now());
    expect(outcome.ok).toBe(true);
    link.kick();
    expect(replica.queueLength()).toBe(1);

    child.kill('SIGCONT');
    await until(() => link.status().state === 'online' && replica.queueLength() === 0, 'back online and drained', 90_000);
    const applied = (await (await fetch(`${url}/applied?replica=${replica.replicaId}`, { headers: { authorization: 'Bearer tk' } })).json()) as { n: number; status: string }[];
    expect(applied).toEqual([{ n: 1, name: 'event.comment', status: 'applied' }]);
    // Logged for the record (not asserted: a loaded machine may be slow), the target is under 10 s.
    console.info(`county frozen: the link said offline after ${noticedMs} ms`);
  }, 180_000);
});
