// A transition's effects on the events they name, as one pure function. The county
// (authoritative) and the town's replica (optimistic view) both carry out a command's
// effects through it, so the events a command changes look the same on both sides:
// while the command is pending in the town and after the county has answered.
// No I/O: the time and the actor come in, the events come from the caller's lookup.
import type { Actor, GridEvent } from '../model';
import { toIso } from '../time/shanghai';
import type { CommandName } from './commands';
import type { Effect } from './types';

/** The command whose effects are carried out: its name, time (epoch ms) and actor, as given to transition. */
export interface EffectsContext {
  now: number;
  actor: Pick<Actor, 'id'>;
  command: CommandName;
}

export interface AppliedEffects {
  /**
   * The events as the command leaves them: the command's own event first, then every
   * other event an effect changed, each once (its last state), in the order the effects
   * first named them.
   */
  events: GridEvent[];
  /**
   * Effects that do not change an event (`notify`, `clock`, `escalate-to-county`), in
   * their order: the carrier's to carry out or to ignore (a notification service, the
   * county's own plans). `clock` effects are already in the event's deadlines.
   */
  others: Effect[];
  /** Effects about an event the lookup does not know: nothing was changed for them. */
  unresolved: Effect[];
}

/** What a successful transition returns. */
export interface TransitionDone {
  event: GridEvent;
  effects: readonly Effect[];
}

/**
 * Applies a command's effects to the events concerned. `append-note` adds a history entry
 * `{ at: now, actor: actor.id, action: command, note }` to its event (the command's own
 * event included). An event that already holds that very entry (same second, actor,
 * command and note) does not get it twice: a town replaying a pending merge over a target
 * whose county version already carries the note (it arrived in an earlier batch than the
 * merged event) shows it once.
 * `lookup` gives the other events as they stand before the command (undefined or null: unknown).
 */
export function applyEffects(
  outcome: TransitionDone,
  lookup: (id: string) => GridEvent | null | undefined,
  ctx: EffectsContext,
): AppliedEffects {
  const changed = new Map<string, GridEvent>([[outcome.event.id, outcome.event]]);
  const others: Effect[] = [];
  const unresolved: Effect[] = [];
  for (const effect of outcome.effects) {
    if (effect.type !== 'append-note') {
      others.push(effect);
      continue;
    }
    const event = changed.get(effect.eventId) ?? lookup(effect.eventId) ?? null;
    if (event === null) {
      unresolved.push(effect);
      continue;
    }
    changed.set(event.id, appendNote(event, { at: toIso(ctx.now), actor: ctx.actor.id, action: ctx.command, note: effect.note }));
  }
  return { events: [...changed.values()], others, unresolved };
}

function appendNote(event: GridEvent, entry: GridEvent['history'][number]): GridEvent {
  const held = event.history.some((h) => h.at === entry.at && h.actor === entry.actor && h.action === entry.action && h.note === entry.note);
  if (held) return event;
  return { ...event, history: [...event.history, entry] };
}
