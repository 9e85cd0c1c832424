// Upstream: the dispatchers' commands. A command is validated, run through the
// workflow on the current view and, when accepted, queued as the next n together
// with the new view in one transaction; the county's answers settle or roll it back.
import { LIMITS, WireActorSchema, type MutateAck } from '../../../core/sync/protocol';
import { parseCommand, type EventCommand } from '../../../core/events/commands';
import { transition } from '../../../core/events/transition';
import { applyEffects } from '../../../core/events/effects';
import type { Actor, GridEvent } from '../../../core/model';
import { toIso } from '../../../core/time/shanghai';
import type { SqliteDatabase } from '../db/sqlite';
import type { EventRows } from './event-rows';
import type { Lookups } from './lookups';
import type { Overlay } from './overlay';
import { clip } from './sync';
import type { CommandOutcome, OutboundCommand, OutboxRow, PendingCommand, RejectedCommand } from './types';
import type { ReplicaWriter } from './writer';

const TEXT_CODE_MAX = 64;

function prepare(db: SqliteDatabase) {
  return {
    nextN: db.prepare<{ next_n: number }>('SELECT next_n FROM meta WHERE id = 1'),
    setNextN: db.prepare('UPDATE meta SET next_n = ? WHERE id = 1'),
    insertOutbox: db.prepare(
      `INSERT INTO outbox (n, id, name, args, at, at_ms, actor, event_id, target_id)
       VALUES (@n, @id, @name, @args, @at, @at_ms, @actor, @event_id, @target_id)`,
    ),
    outboxRow: db.prepare<OutboxRow>('SELECT * FROM outbox WHERE n = ?'),
    nextQueued: db.prepare<OutboxRow>("SELECT * FROM outbox WHERE state = 'queued' ORDER BY n LIMIT 1"),
    markApplied: db.prepare("UPDATE outbox SET state = 'applied', acked_at = ? WHERE n = ? AND state = 'queued'"),
    markRejected: db.prepare(
      "UPDATE outbox SET state = 'rejected', code = ?, message = ?, acked_at = ?, rejected_at = ? WHERE n = ? AND state = 'queued'",
    ),
    queueLength: db.prepare<{ c: number }>("SELECT COUNT(*) AS c FROM outbox WHERE state = 'queued' OR (state = 'applied' AND n > ?)"),
    unsentCount: db.prepare<{ c: number }>("SELECT COUNT(*) AS c FROM outbox WHERE state = 'queued'"),
    rejected: db.prepare<OutboxRow>(
      "SELECT * FROM outbox WHERE state = 'rejected' AND dismissed_at IS NULL ORDER BY acked_at DESC, n DESC LIMIT ?",
    ),
    dismiss: db.prepare("UPDATE outbox SET dismissed_at = ? WHERE n = ? AND state = 'rejected' AND dismissed_at IS NULL"),
  };
}

export class Outbox {
  private readonly s: ReturnType<typeof prepare>;

  constructor(
    private readonly writer: ReplicaWriter,
    private readonly rows: EventRows,
    private readonly overlay: Overlay,
    private readonly lookups: Lookups,
    private readonly opts: { replicaId: string; now: () => number; getEvent: (id: string) => GridEvent | null },
  ) {
    this.s = prepare(writer.db);
  }

  /**
   * A dispatcher's command: validated, run through the workflow on the current view,
   * and when the workflow accepts it, queued as the next n together with the new view
   * in one transaction. A refused command is not queued. `alongside(n)` runs inside that
   * transaction (the audit trail's entry of the command: both commit or neither).
   */
  command(name: string, args: unknown, actor: Actor, atMs: number, alongside?: (n: number) => void): CommandOutcome {
    if (this.writer.closed) return { ok: false, code: 'unavailable', message: '本地数据库已关闭' };
    const parsed = parseCommand(name, args);
    if (!parsed.ok) return { ok: false, code: parsed.code, message: parsed.reason };
    const who = WireActorSchema.safeParse(actor);
    if (!who.success) return { ok: false, code: 'invalid', message: '操作人信息无效' };
    if (!Number.isFinite(atMs) || atMs < 0) return { ok: false, code: 'invalid', message: '命令时间无效' };
    // The wire carries the time to the second; the local replay uses the same instant
    // so the optimistic view is what the county will compute.
    const at = Math.floor(atMs / 1000) * 1000;
    const command: EventCommand = parsed.command;
    const eventId = command.args.id;
    const targetId = command.name === 'event.merge' ? command.args.into : null;
    const target = targetId === null ? undefined : (this.opts.getEvent(targetId) ?? undefined);
    const result = transition(this.opts.getEvent(eventId), command, this.lookups.context(who.data, at, target));
    if (!result.ok) return { ok: false, code: result.code, message: result.reason };
    // The command's own event first, then those its effects touch (a merge's note on its target).
    const changed = applyEffects(result, (id) => this.opts.getEvent(id) ?? undefined, { now: at, actor: who.data, command: command.name }).events;

    const n = this.writer.write(() => {
      const next = (this.s.nextN.get() as { next_n: number }).next_n;
      this.s.insertOutbox.run({
        n: next,
        id: `${this.opts.replicaId}:${next}`,
        name: command.name,
        args: JSON.stringify(command.args),
        at: toIso(at),
        at_ms: at,
        actor: JSON.stringify(who.data),
        event_id: eventId,
        target_id: targetId,
      });
      this.s.setNextN.run(next + 1);
      for (const e of changed) this.rows.writeView(e.id, e, (this.rows.row(e.id)?.pending ?? 0) + 1);
      alongside?.(next);
      return next;
    });
    this.writer.meta = { ...this.writer.meta, nextN: n + 1 };
    return { ok: true, receipt: { commandId: `${this.opts.replicaId}:${n}`, n, eventId, event: result.event }, changed: changed.map((e) => e.id) };
  }

  /**
   * A command that changes no event (worker.notify): queued as the next n as it is, with
   * no optimistic view (its event_id is empty: no event's overlay replays it). The caller
   * validated `args`; `alongside(n)` runs in the same transaction.
   */
  enqueue(name: string, args: unknown, actor: Actor, atMs: number, alongside?: (n: number) => void): { ok: true; n: number; commandId: string } | { ok: false; code: string; message: string } {
    if (this.writer.closed) return { ok: false, code: 'unavailable', message: '本地数据库已关闭' };
    const who = WireActorSchema.safeParse(actor);
    if (!who.success) return { ok: false, code: 'invalid', message: '操作人信息无效' };
    const at = Math.floor(atMs / 1000) * 1000;
    const n = this.writer.write(() => {
      const next = (this.s.nextN.get() as { next_n: number }).next_n;
      this.s.insertOutbox.run({ n: next, id: `${this.opts.replicaId}:${next}`, name, args: JSON.stringify(args), at: toIso(at), at_ms: at, actor: JSON.stringify(who.data), event_id: '', target_id: null });
      this.s.setNextN.run(next + 1);
      alongside?.(next);
      return next;
    });
    this.writer.meta = { ...this.writer.meta, nextN: n + 1 };
    return { ok: true, n, commandId: `${this.opts.replicaId}:${n}` };
  }

  /** The outbox state of command n (the county's answer to it), or null when there is none. */
  stateOf(n: number): { state: 'queued' | 'applied' | 'rejected'; code: string | null; message: string | null } | null {
    const row = this.s.outboxRow.get(n);
    return row === undefined ? null : { state: row.state as 'queued' | 'applied' | 'rejected', code: row.code ?? null, message: row.message ?? null };
  }

  /**
   * project: a command outside the events' workflow (the registers' edits, issue 17),
   * queued as the next n without a transition; `key` stands where an event id would
   * (no event has it), and `alongside(n)` writes the town's own view of it in the same
   * transaction. The caller has validated the args.
   */
  queue(name: string, args: unknown, actor: Actor, atMs: number, key: string, alongside: (n: number) => void): number {
    return this.queueMany([{ name, args, key }], actor, atMs, alongside)[0]!;
  }

  /** Several such commands in one transaction (a ledger import: all or nothing); `alongside` runs for each n. */
  queueMany(commands: readonly { name: string; args: unknown; key: string }[], actor: Actor, atMs: number, alongside: (n: number, index: number) => void): number[] {
    if (this.writer.closed) throw new Error('本地数据库已关闭');
    const at = Math.floor(atMs / 1000) * 1000;
    const ns = this.writer.write(() => {
      let next = (this.s.nextN.get() as { next_n: number }).next_n;
      const out: number[] = [];
      commands.forEach((c, index) => {
        this.s.insertOutbox.run({
          n: next,
          id: `${this.opts.replicaId}:${next}`,
          name: c.name,
          args: JSON.stringify(c.args),
          at: toIso(at),
          at_ms: at,
          actor: JSON.stringify(actor),
          event_id: c.key,
          target_id: null,
        });
        alongside(next, index);
        out.push(next);
        next++;
      });
      this.s.setNextN.run(next);
      return out;
    });
    if (ns.length > 0) this.writer.meta = { ...this.writer.meta, nextN: ns[ns.length - 1]! + 1 };
    return ns;
  }

  /** The lowest command the county has not acknowledged (sent or not: a restart resends it). */
  nextOutbound(): OutboundCommand | null {
    const row = this.s.nextQueued.get();
    if (row === undefined) return null;
    return { n: row.n, id: row.id, name: row.name, args: JSON.parse(row.args), at: row.at, actor: JSON.parse(row.actor) as Actor };
  }

  /**
   * The county's answer to command n. applied: kept in the overlay until lastN reaches
   * n. rejected: final (except out-of-order), the overlay is rolled back. An answer for
   * a command already answered changes nothing.
   */
  acknowledge(n: number, ack: MutateAck): { changedEventIds: string[] } {
    const row = this.s.outboxRow.get(n);
    if (row === undefined || row.state !== 'queued') return { changedEventIds: [] };
    const now = this.opts.now();
    if (ack.status === 'applied') {
      this.writer.write(() => this.s.markApplied.run(now, n));
      return { changedEventIds: [] };
    }
    if (ack.code === 'out-of-order') return { changedEventIds: [] };
    const ids = new Set([row.event_id]);
    if (row.target_id !== null) ids.add(row.target_id);
    let changed: Set<string>;
    try {
      changed = this.writer.write(() => {
        this.s.markRejected.run(clip(ack.code, TEXT_CODE_MAX), clip(ack.message, LIMITS.text), now, toIso(now), n);
        return this.overlay.recompute(ids, this.writer.meta.lastN);
      });
    } finally {
      this.lookups.drop();
    }
    return { changedEventIds: [...changed] };
  }

  /** Commands not yet settled by the county: unacknowledged, or applied with n > lastN. */
  queueLength(): number {
    return (this.s.queueLength.get(this.writer.meta.lastN ?? 0) as { c: number }).c;
  }

  /** Commands not yet acknowledged. */
  unsentCount(): number {
    return (this.s.unsentCount.get() as { c: number }).c;
  }

  /**
   * The dispatcher has dealt with a rejected command: it leaves commands.rejected (the
   * row stays in the outbox). False when n is not a rejected command or was dismissed already.
   */
  dismissRejected(n: number): boolean {
    if (this.writer.closed) return false;
    return this.writer.write(() => this.s.dismiss.run(this.opts.now(), n).changes > 0);
  }

  /** Commands the county rejected (final) and not dismissed, the latest rejection first. */
  rejectedCommands(limit: number): RejectedCommand[] {
    return this.s.rejected.all(Math.max(0, Math.floor(limit))).map((r) => ({
      id: r.id,
      n: r.n,
      name: r.name,
      args: JSON.parse(r.args) as unknown,
      at: r.at,
      code: r.code ?? '',
      message: r.message ?? '',
      rejectedAt: r.rejected_at ?? r.at,
    }));
  }

  /** The unsettled commands of one event, in n order (what its view shows beyond the county's state). */
  pendingCommands(eventId: string): PendingCommand[] {
    return this.overlay
      .unsettledOf(eventId, this.writer.meta.lastN)
      .map((r) => ({ n: r.n, name: r.name, state: r.state as PendingCommand['state'] }));
  }
}
