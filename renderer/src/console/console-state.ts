// The console's screen state as data: what is open, selected and shown, and the
// actions that change it. `consoleReducer(state, action)` returns the next state and
// nothing else happens in it, so the rules between the panels (a new tab starts at the
// top, opening an event selects it on the map, a grid picked on the map selects it in
// the tree) are one pure function the tests read. Data from the service (the queue's
// rows, the open event, recommendations) is not here: the hooks of data.ts hold it.
import type { GridEvent } from '../../../core/model';
import type { Selection } from '../map/view-state';
import type { ActionInput, ActionSpec } from './actions';
import type { IntakeInput } from './intake';
import type { QueueFilters, QueueSort, TabKey } from './tabs';

export type Dialog = { spec: ActionSpec; event: GridEvent; initial?: ActionInput; redoOf?: number };
export type ConsoleNotice = { kind: 'ok' | 'error'; text: string };
export type Intake = { initial?: IntakeInput; redoOf?: number };
export type Target = { kind: 'department' | 'person'; id: string };

export interface ConsoleState {
  tab: TabKey;
  filters: QueueFilters;
  sort: QueueSort;
  /** The queue row the keyboard is on. */
  cursor: number;
  /** The event open in the detail panel. */
  openId: string | null;
  left: 'queue' | 'grids' | 'desk';
  /** The grid selected in the tree. */
  treeSelected: string | null;
  dialog: Dialog | null;
  intake: Intake | null;
  help: boolean;
  showRejected: boolean;
  notice: ConsoleNotice | null;
  /** The dispatch dialog's chosen target, ringed on the map. */
  target: Target | null;
  /** The intake form's point, ringed on the map. */
  intakePoint: { lon: number; lat: number } | null;
  mapSelection: Selection | null;
}

export const INITIAL_CONSOLE: ConsoleState = {
  tab: 'all',
  filters: {},
  sort: 'risk',
  cursor: 0,
  openId: null,
  left: 'queue',
  treeSelected: null,
  dialog: null,
  intake: null,
  help: false,
  showRejected: false,
  notice: null,
  target: null,
  intakePoint: null,
  mapSelection: null,
};

export type ConsoleAction =
  | { type: 'tab'; tab: TabKey }
  | { type: 'filters'; filters: QueueFilters }
  /** The events of one grid (or village) in the queue, from the tree or the map. */
  | { type: 'gridEvents'; grid: string }
  | { type: 'sort'; sort: QueueSort }
  /** Moves the keyboard cursor, kept within the `total` rows. */
  | { type: 'cursor'; to: number; total: number }
  | { type: 'open'; id: string }
  /** A queue row clicked: the cursor goes there and the event opens. */
  | { type: 'pick'; index: number; id: string }
  /** An event opened from elsewhere (an alert, a rejected command): back to the queue. */
  | { type: 'openFromElsewhere'; id: string }
  | { type: 'left'; left: ConsoleState['left'] }
  | { type: 'selectGrid'; code: string }
  | { type: 'mapSelection'; selection: Selection | null }
  | { type: 'dialog'; dialog: Dialog | null }
  | { type: 'intake'; intake: Intake | null }
  | { type: 'help'; open: boolean }
  | { type: 'rejected'; show: boolean | 'toggle' }
  | { type: 'notice'; notice: ConsoleNotice | null }
  | { type: 'target'; target: Target | null }
  | { type: 'intakePoint'; point: { lon: number; lat: number } | null };

/** A new tab, filter or order starts at the top of the queue. */
const queueView = (state: ConsoleState, patch: Partial<Pick<ConsoleState, 'tab' | 'filters' | 'sort'>>): ConsoleState => ({ ...state, ...patch, cursor: 0 });

/** Opening an event clears the last notice and selects the event on the map. */
const openEvent = (state: ConsoleState, id: string): ConsoleState => ({ ...state, openId: id, notice: null, mapSelection: { kind: 'event', id } });

export function consoleReducer(state: ConsoleState, action: ConsoleAction): ConsoleState {
  switch (action.type) {
    case 'tab':
      return queueView(state, { tab: action.tab });
    case 'filters':
      return queueView(state, { filters: action.filters });
    case 'gridEvents':
      return { ...queueView(state, { filters: { ...state.filters, grid: action.grid } }), left: 'queue' };
    case 'sort':
      return queueView(state, { sort: action.sort });
    case 'cursor':
      return { ...state, cursor: Math.max(0, Math.min(action.total - 1, action.to)) };
    case 'open':
      return openEvent(state, action.id);
    case 'pick':
      return { ...openEvent(state, action.id), cursor: action.index };
    case 'openFromElsewhere':
      return { ...openEvent(state, action.id), left: 'queue' };
    case 'left':
      return { ...state, left: action.left };
    case 'selectGrid':
      return { ...state, treeSelected: action.code, mapSelection: { kind: 'grid', id: action.code } };
    case 'mapSelection': {
      const s = action.selection;
      if (s?.kind === 'event') return openEvent(state, s.id);
      return { ...state, mapSelection: s, ...(s?.kind === 'grid' ? { treeSelected: s.id } : {}) };
    }
    case 'dialog':
      return { ...state, dialog: action.dialog };
    case 'intake':
      return { ...state, intake: action.intake };
    case 'help':
      return { ...state, help: action.open };
    case 'rejected':
      return { ...state, showRejected: action.show === 'toggle' ? !state.showRejected : action.show };
    case 'notice':
      return { ...state, notice: action.notice };
    case 'target':
      return { ...state, target: action.target };
    case 'intakePoint':
      return { ...state, intakePoint: action.point };
  }
}

/** A dialog, the intake form or the help is over the console: the keyboard belongs to it. */
export const modalOpen = (s: ConsoleState): boolean => s.dialog !== null || s.intake !== null || s.help;

/**
 * The point the map keeps in view: the intake form's point while it is open, else in the
 * dispatch dialog the chosen grid worker's last fix; otherwise none.
 */
export function mapFocusFor(
  s: Pick<ConsoleState, 'intake' | 'intakePoint' | 'dialog' | 'target'>,
  recommendations: readonly { worker: { id: string }; position?: { lon: number; lat: number } | null }[] | undefined,
): { lon: number; lat: number; id?: string } | null | undefined {
  if (s.intake !== null) return s.intakePoint;
  const target = s.target;
  if (s.dialog?.spec.name === 'event.dispatch' && target?.kind === 'person') {
    const fix = recommendations?.find((r) => r.worker.id === target.id)?.position;
    if (fix) return { lon: fix.lon, lat: fix.lat, id: target.id };
  }
  return undefined;
}
