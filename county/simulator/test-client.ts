// A raw county-link-v1 town for the simulator's tests: socket.io-client with the
// handshake, every `changes` batch and `positions` message recorded, acks sent
// automatically or by hand, and `mutate` with its acknowledgement. Test support
// only: the app's real link client lives in electron/service.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io, type Socket } from 'socket.io-client';
import type { ChangesBatch, MutateAck } from '../../core/sync/protocol';

export interface TownAuth {
  v?: unknown;
  town: string;
  replica: string;
  token: string;
  cursor: string | null;
}

export interface PositionsMessage {
  at: number;
  items: [string, number, number, number, number | null, number | null, number | null][];
}

export class TestTown {
  readonly batches: ChangesBatch[] = [];
  readonly positions: PositionsMessage[] = [];
  /** The last cursor acknowledged (committed), as a real town stores it. */
  cursor: string | null;
  /** When false, batches wait in `pending` until ack() is called. */
  autoAck = true;
  readonly pending: { batch: ChangesBatch; ack: (a: unknown) => void }[] = [];
  readonly socket: Socket;
  /** Entities as a replica would hold them: highest rev wins. */
  readonly state = new Map<string, { rev: number; data: unknown }>();
  disconnects = 0;

  private constructor(
    readonly url: string,
    readonly auth: TownAuth,
  ) {
    this.cursor = auth.cursor;
    this.socket = io(`${url}/town`, {
      auth: (cb) => cb({ v: 1, ...this.auth, cursor: this.cursor }),
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
      autoConnect: false,
    });
    this.socket.on('changes', (batch: ChangesBatch, ack: (a: unknown) => void) => {
      this.batches.push(batch);
      if (this.autoAck) this.commit(batch, ack);
      else this.pending.push({ batch, ack });
    });
    this.socket.on('positions', (m: PositionsMessage) => this.positions.push(m));
    this.socket.on('disconnect', () => this.disconnects++);
  }

  /** Connect and resolve once admitted; rejects with the refusal code (connect_error data.code). */
  static connect(url: string, auth: Partial<TownAuth> & { town: string }): Promise<TestTown> {
    const town = new TestTown(url, { replica: randomUUID(), token: 'test', cursor: null, ...auth });
    return town.open();
  }

  open(): Promise<TestTown> {
    return new Promise((resolve, reject) => {
      const onConnect = (): void => {
        this.socket.off('connect_error', onError);
        resolve(this);
      };
      const onError = (err: Error & { data?: { code?: string } }): void => {
        this.socket.off('connect', onConnect);
        this.socket.close();
        reject(new Error(err.data?.code ?? `connect_error: ${err.message}`));
      };
      this.socket.once('connect', onConnect);
      this.socket.once('connect_error', onError);
      this.socket.connect();
    });
  }

  /** Reconnect with the stored cursor (the same replica). */
  async reconnect(): Promise<void> {
    this.socket.disconnect();
    await this.open();
  }

  commit(batch: ChangesBatch, ack: (a: unknown) => void): void {
    if (batch.reset) this.state.clear();
    for (const item of batch.items) {
      const key = `${item.type}/${item.id}`;
      const held = this.state.get(key);
      if (held && held.rev >= item.rev) continue;
      this.state.set(key, { rev: item.rev, data: item.op === 'del' ? null : item.data });
    }
    this.cursor = batch.to;
    ack({ cursor: batch.to });
  }

  /** Commit and acknowledge the oldest held batch. */
  ackNext(): ChangesBatch {
    const next = this.pending.shift();
    if (!next) throw new Error('no batch is waiting');
    this.commit(next.batch, next.ack);
    return next.batch;
  }

  mutate(message: unknown, timeoutMs = 5000): Promise<MutateAck> {
    return this.socket.timeout(timeoutMs).emitWithAck('mutate', message) as Promise<MutateAck>;
  }

  /** A mutate message of this replica. */
  command(n: number, name: string, args: unknown, at = '2026-11-30T09:00:00+08:00', actor?: unknown): Record<string, unknown> {
    const m: Record<string, unknown> = { id: `${this.auth.replica}:${n}`, n, name, args, at };
    if (actor !== undefined) m.actor = actor;
    return m;
  }

  /** Wait (bounded) until `test` holds, checking after every message. */
  async until(test: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!test()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  /** Until caught up: a committed batch with more: false. */
  async synced(timeoutMs = 15_000): Promise<void> {
    await this.until(() => this.pending.length === 0 && this.batches.length > 0 && this.batches[this.batches.length - 1]!.more === false && this.cursor === this.batches[this.batches.length - 1]!.to, 'catch-up', timeoutMs);
  }

  /** A round trip through the server: every message it sent before answering has arrived. */
  async roundTrip(): Promise<void> {
    await this.mutate({ not: 'a command' });
  }

  close(): void {
    this.socket.close();
  }
}

/** A fresh temporary directory for database files, and its removal. */
export function tempDir(): { dir: string; file: (name: string) => string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'county-sim-'));
  return { dir, file: (name) => join(dir, name), remove: () => rmSync(dir, { recursive: true, force: true }) };
}
