import { describe, expect, it } from 'vitest';
import { actionSpec, type ActionSpec } from './actions';
import { INITIAL_CONSOLE, consoleReducer, mapFocusFor, modalOpen, type ConsoleAction, type ConsoleState } from './console-state';
import { T0, reported } from './test-events';

const run = (...actions: ConsoleAction[]): ConsoleState => actions.reduce(consoleReducer, INITIAL_CONSOLE);

describe('consoleReducer', () => {
  it('starts a new tab, filter, order or grid at the top of the queue', () => {
    const down = run({ type: 'cursor', to: 7, total: 100 });
    expect(down.cursor).toBe(7);
    expect(consoleReducer(down, { type: 'tab', tab: 'reported' })).toMatchObject({ tab: 'reported', cursor: 0 });
    expect(consoleReducer(down, { type: 'filters', filters: { urgency: 'urgent' } })).toMatchObject({ filters: { urgency: 'urgent' }, cursor: 0 });
    expect(consoleReducer(down, { type: 'sort', sort: 'reportedAt' })).toMatchObject({ sort: 'reportedAt', cursor: 0 });
    const grids = consoleReducer({ ...down, left: 'grids', filters: { urgency: 'urgent' } }, { type: 'gridEvents', grid: '430624103001' });
    expect(grids).toMatchObject({ left: 'queue', cursor: 0, filters: { urgency: 'urgent', grid: '430624103001' } });
  });

  it('keeps the cursor on a row', () => {
    expect(run({ type: 'cursor', to: 50, total: 10 }).cursor).toBe(9);
    expect(run({ type: 'cursor', to: -3, total: 10 }).cursor).toBe(0);
    expect(run({ type: 'cursor', to: 5, total: 0 }).cursor).toBe(0);
  });

  it('opening an event clears the notice and selects it on the map, from wherever it is opened', () => {
    const noticed = run({ type: 'notice', notice: { kind: 'ok', text: '已受理' } });
    expect(consoleReducer(noticed, { type: 'open', id: 'e-1' })).toMatchObject({ openId: 'e-1', notice: null, mapSelection: { kind: 'event', id: 'e-1' } });
    expect(run({ type: 'pick', index: 4, id: 'e-2' })).toMatchObject({ openId: 'e-2', cursor: 4 });
    expect(run({ type: 'left', left: 'grids' }, { type: 'openFromElsewhere', id: 'e-3' })).toMatchObject({ openId: 'e-3', left: 'queue' });
    expect(run({ type: 'mapSelection', selection: { kind: 'event', id: 'e-4' } })).toMatchObject({ openId: 'e-4', mapSelection: { kind: 'event', id: 'e-4' } });
  });

  it('a grid chosen on the map or in the tree is selected in both; a worker only on the map', () => {
    expect(run({ type: 'mapSelection', selection: { kind: 'grid', id: 'g-1' } })).toMatchObject({ treeSelected: 'g-1', mapSelection: { kind: 'grid', id: 'g-1' } });
    expect(run({ type: 'selectGrid', code: 'g-2' })).toMatchObject({ treeSelected: 'g-2', mapSelection: { kind: 'grid', id: 'g-2' } });
    const worker = run({ type: 'selectGrid', code: 'g-2' }, { type: 'mapSelection', selection: { kind: 'worker', id: 'w-1' } });
    expect(worker).toMatchObject({ treeSelected: 'g-2', mapSelection: { kind: 'worker', id: 'w-1' }, openId: null });
  });

  it('knows when a dialog, the intake form or the help holds the keyboard', () => {
    expect(modalOpen(INITIAL_CONSOLE)).toBe(false);
    expect(modalOpen(run({ type: 'help', open: true }))).toBe(true);
    expect(modalOpen(run({ type: 'intake', intake: {} }))).toBe(true);
    expect(modalOpen(run({ type: 'intake', intake: {} }, { type: 'intake', intake: null }))).toBe(false);
    expect(run({ type: 'rejected', show: 'toggle' }).showRejected).toBe(true);
    expect(run({ type: 'rejected', show: 'toggle' }, { type: 'rejected', show: 'toggle' }).showRejected).toBe(false);
  });

  it('returns a new state and leaves the old one as it was', () => {
    const before = run({ type: 'tab', tab: 'closed' });
    const copy = structuredClone(before);
    consoleReducer(before, { type: 'open', id: 'e-1' });
    expect(before).toEqual(copy);
  });
});

describe('mapFocusFor', () => {
  const dispatchDialog = { spec: actionSpec('event.dispatch') as ActionSpec, event: reported('e1', T0) };
  const recs = [
    { worker: { id: 'w1' }, position: { lon: 120.1, lat: 30.2 } },
    { worker: { id: 'w2' }, position: null },
  ];

  it('follows the intake form’s point while the form is open', () => {
    expect(mapFocusFor({ ...INITIAL_CONSOLE, intake: {}, intakePoint: { lon: 1, lat: 2 } }, recs)).toEqual({ lon: 1, lat: 2 });
    expect(mapFocusFor({ ...INITIAL_CONSOLE, intake: {} }, recs)).toBeNull();
  });

  it('shows the grid worker chosen in the dispatch dialog when a fix is known', () => {
    const s = { ...INITIAL_CONSOLE, dialog: dispatchDialog, target: { kind: 'person' as const, id: 'w1' } };
    expect(mapFocusFor(s, recs)).toEqual({ lon: 120.1, lat: 30.2, id: 'w1' });
    expect(mapFocusFor({ ...s, target: { kind: 'person', id: 'w2' } }, recs)).toBeUndefined();
    expect(mapFocusFor({ ...s, target: { kind: 'department', id: 'w1' } }, recs)).toBeUndefined();
    expect(mapFocusFor(s, undefined)).toBeUndefined();
    expect(mapFocusFor(INITIAL_CONSOLE, recs)).toBeUndefined();
  });
});
