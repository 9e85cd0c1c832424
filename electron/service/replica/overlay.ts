// The optimistic overlay: an event's view is its county base with the unsettled
// commands replayed through core's transition, in n order, each with its own actor
// and time. Recomputed when the county settles or rejects a command, or a batch
// brings a new base of an event that has pending commands.
import { parseCommand } from '../../../core/events/commands';
import { applyEffects } from '../../../core/events/effects';
import { transition } from '../../../core/events/transition';
import type { Actor, GridEvent } from '../../../core/model';
import type { EventRows } from './event-rows';
import type { Lookups } from './lookups';
import type { OutboxRow } from './types';
import type { ReplicaWriter } from './writer';

function prepare(writer: ReplicaWriter) {
  const db = writer.db;
  return {
    unsettled: db.prepare<{ event_id: string; target_id: string | null }>(
      "SELECT event_id, target_id FROM outbox WHERE n > ? AND state != 'rejected'",
    ),
    settledBetween: db.prepare<{ event_id: string; target_id: string | null }>('SELECT event_id, target_id FROM outbox WHERE n > ? AND n <= ?'),
    unsettledOf: db.prepare<OutboxRow>("SELECT * FROM outbox WHERE event_id = ? AND n > ? AND state != 'rejected' ORDER BY n"),
    unsettledTargeting: db.prepare<{ event_id: string }>("SELECT event_id FROM outbox WHERE target_id = ? AND n > ? AND state != 'rejected'"),
  };
}

export class Overlay {
  private readonly s: ReturnType<typeof prepare>;

  constructor(
    writer: ReplicaWriter,
    private readonly rows: EventRows,
    private readonly lookups: Lookups,
  ) {
    this.s = prepare(writer);
  }

  /** Events named by unsettled commands (as subject or merge target). */
  pendingEventIds(lastN: number | null): Set<string> {
    return idsOf(this.s.unsettled.all(lastN ?? 0));
  }

  /** Events named by the commands the county settled when lastN moved from `from` to `to`. */
  settledEventIds(from: number | null, to: number): Set<string> {
    return idsOf(this.s.settledBetween.all(from ?? 0, to));
  }

  /** The unsettled commands of one event, in n order. */
  unsettledOf(eventId: string, lastN: number | null): OutboxRow[] {
    return this.s.unsettledOf.all(eventId, lastN ?? 0);
  }

  /**
   * Recomputes the view of these events: base, then their unsettled commands in n order
   * through core's transition, with each command's own actor and time. Events linked by
   * a pending merge are replayed together so the merge sees its target as it was at that
   * point. A command that no longer applies is skipped (it stays queued; the county
   * decides). Returns the ids whose view changed. Runs inside a write.
   */
  recompute(ids: ReadonlySet<string>, lastN: number | null): Set<string> {
    const changed = new Set<string>();
    if (ids.size === 0) return changed;
    const { group, commands } = this.linked(ids, lastN ?? 0);
    const views = new Map<string, GridEvent | null>();
    const shown = new Map<string, number>();
    for (const id of group) {
      const row = this.rows.row(id);
      const base = row === undefined ? null : (this.rows.doc(row.seq)?.base ?? null);
      views.set(id, base === null ? null : (JSON.parse(base) as GridEvent));
    }
    for (const row of [...commands.values()].sort((a, b) => a.n - b.n)) {
      const parsed = parseCommand(row.name, JSON.parse(row.args));
      if (!parsed.ok) continue;
      const target = row.target_id === null ? undefined : (views.get(row.target_id) ?? undefined);
      const actor = JSON.parse(row.actor) as Actor;
      const result = transition(views.get(row.event_id) ?? null, parsed.command, this.lookups.context(actor, row.at_ms, target));
      if (!result.ok) continue;
      // The command's effects on other events (a merge's note on its target) show too, as the county will apply them.
      for (const e of applyEffects(result, (id) => views.get(id) ?? undefined, { now: row.at_ms, actor, command: parsed.command.name }).events) {
        views.set(e.id, e);
        shown.set(e.id, (shown.get(e.id) ?? 0) + 1);
      }
    }
    for (const id of group) {
      if (this.rows.writeView(id, views.get(id) ?? null, shown.get(id) ?? 0)) changed.add(id);
    }
    return changed;
  }

  /** The events linked to these by unsettled merges (both ways), and all their unsettled commands. */
  private linked(ids: ReadonlySet<string>, floor: number): { group: Set<string>; commands: Map<number, OutboxRow> } {
    const group = new Set<string>();
    const commands = new Map<number, OutboxRow>();
    const queue = [...ids];
    while (queue.length > 0) {
      const id = queue.pop() as string;
      if (group.has(id)) continue;
      group.add(id);
      for (const row of this.s.unsettledOf.all(id, floor)) {
        commands.set(row.n, row);
        if (row.target_id !== null) queue.push(row.target_id);
      }
      for (const row of this.s.unsettledTargeting.all(id, floor)) queue.push(row.event_id);
    }
    return { group, commands };
  }
}

function idsOf(rows: readonly { event_id: string; target_id: string | null }[]): Set<string> {
  const ids = new Set<string>();
  for (const row of rows) {
    ids.add(row.event_id);
    if (row.target_id !== null) ids.add(row.target_id);
  }
  return ids;
}
