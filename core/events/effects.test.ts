import { describe, expect, it } from 'vitest';
import type { Actor, Category, GridEvent } from '../model';
import { WorkCalendar } from '../sla/calendar';
import type { EventCommand } from './commands';
import { applyEffects } from './effects';
import { freshWorkflow, transition } from './transition';
import type { Effect, TransitionContext } from './types';

const G1 = '430624103001001';
/** Monday 2026-11-30 09:30 in Shanghai. */
const T = Date.UTC(2026, 10, 30, 1, 30);
const DISPATCHER: Actor = { id: 'u-disp', role: 'dispatcher' };
const CATEGORY: Category = { code: '0301', name: '垃圾乱堆乱放', parent: null, acceptMinutes: 30, finishLimit: { value: 4, unit: 'workHours' }, department: 'dept-rj', tier: 'simple' };

function event(id: string, code: string, title: string): GridEvent {
  return {
    id,
    code,
    title,
    description: '',
    category: CATEGORY.code,
    status: 'reported',
    urgency: 'normal',
    source: 'hotline',
    location: { lon: 112.9, lat: 28.6, address: '课功村' },
    grid: G1,
    reportedAt: '2026-11-30T09:00:00+08:00',
    reporter: null,
    tier: 'simple',
    ...freshWorkflow(),
    history: [{ at: '2026-11-30T09:00:00+08:00', actor: 'hotline-12345', action: 'event.create', note: '热线上报' }],
  };
}

function ctx(target?: GridEvent): TransitionContext {
  return {
    now: T,
    actor: DISPATCHER,
    calendar: new WorkCalendar(),
    category: (c) => (c === CATEGORY.code ? CATEGORY : undefined),
    department: () => undefined,
    worker: () => undefined,
    gridExists: (g) => g === G1,
    ...(target ? { target } : {}),
  };
}

/** Reported by the hotline desk through transition: its accept clock runs. */
const dup = ((): GridEvent => {
  const args = { id: 'dup', code: 'GP20261130-0002', title: '村口垃圾', description: '', category: CATEGORY.code, urgency: 'normal', source: 'hotline', location: { lon: 112.9, lat: 28.6, address: '课功村' }, grid: G1 };
  const r = transition(null, { name: 'event.create', args } as EventCommand, { ...ctx(), now: T - 60_000 });
  if (!r.ok) throw new Error(r.reason);
  return r.event;
})();
const main = event('main', 'GP20261130-0001', '村口垃圾堆放');

function mergeResult() {
  const cmd = { name: 'event.merge', args: { id: 'dup', into: 'main', note: '同一处' } } as EventCommand;
  const r = transition(dup, cmd, ctx(main));
  if (!r.ok) throw new Error(r.reason);
  return r;
}

describe('applyEffects', () => {
  it("adds a merge's note to the target's history, at the command's time, by its actor, under its name", () => {
    const r = mergeResult();
    const done = applyEffects(r, (id) => (id === 'main' ? main : undefined), { now: T, actor: DISPATCHER, command: 'event.merge' });
    expect(done.events.map((e) => e.id)).toEqual(['dup', 'main']);
    expect(done.events[0]).toBe(r.event);
    expect(done.events[1]?.history).toEqual([
      ...main.history,
      { at: '2026-11-30T09:30:00+08:00', actor: 'u-disp', action: 'event.merge', note: '重复事件 GP20261130-0002“村口垃圾”已合并至本事件：同一处' },
    ]);
    // The clock effect of the merge is the carrier's (already in the event's deadlines).
    expect(done.others).toEqual([{ type: 'clock', clock: 'accept', change: 'stop' }]);
    expect(done.unresolved).toEqual([]);
  });

  it('never changes the events it was given', () => {
    const before = JSON.stringify(main);
    applyEffects(mergeResult(), () => main, { now: T, actor: DISPATCHER, command: 'event.merge' });
    expect(JSON.stringify(main)).toBe(before);
  });

  it('returns every effect that is not about an event to its carrier, in order', () => {
    const effects: Effect[] = [
      { type: 'notify', to: { kind: 'center', id: 'center' }, message: '待受理' },
      { type: 'escalate-to-county', eventId: 'main', reason: '县级处置' },
      { type: 'clock', clock: 'finish', change: 'stop' },
    ];
    const done = applyEffects({ event: main, effects }, () => undefined, { now: T, actor: DISPATCHER, command: 'event.escalate' });
    expect(done.events).toEqual([main]);
    expect(done.others).toEqual(effects);
    expect(done.unresolved).toEqual([]);
  });

  it('reports a note for an event the lookup does not know, and changes nothing for it', () => {
    const note: Effect = { type: 'append-note', eventId: 'gone', note: 'x' };
    const done = applyEffects({ event: main, effects: [note] }, () => null, { now: T, actor: DISPATCHER, command: 'event.merge' });
    expect(done.events).toEqual([main]);
    expect(done.unresolved).toEqual([note]);
    expect(done.others).toEqual([]);
  });

  it("notes on the command's own event, and lists an event named twice once, with both notes", () => {
    const effects: Effect[] = [
      { type: 'append-note', eventId: 'main', note: '一' },
      { type: 'append-note', eventId: 'dup', note: '二' },
      { type: 'append-note', eventId: 'dup', note: '三' },
    ];
    const done = applyEffects({ event: main, effects }, (id) => (id === 'dup' ? dup : undefined), { now: T, actor: DISPATCHER, command: 'event.comment' });
    expect(done.events.map((e) => [e.id, e.history.slice(1).map((h) => h.note)])).toEqual([
      ['main', ['一']],
      ['dup', ['二', '三']],
    ]);
  });

  it('does not add an entry the event already holds: a replay over the county version shows the note once', () => {
    const r = mergeResult();
    const once = applyEffects(r, () => main, { now: T, actor: DISPATCHER, command: 'event.merge' }).events[1] as GridEvent;
    const countyVersion = { ...once, history: [...once.history, { at: '2026-11-30T10:00:00+08:00', actor: 'op', action: 'event.comment', note: '后来' }] };
    const replayed = applyEffects(r, () => countyVersion, { now: T, actor: DISPATCHER, command: 'event.merge' }).events[1];
    expect(replayed).toBe(countyVersion);
    // Another second is another entry.
    const later = applyEffects(r, () => once, { now: T + 1000, actor: DISPATCHER, command: 'event.merge' }).events[1];
    expect(later?.history).toHaveLength(once.history.length + 1);
  });
});
