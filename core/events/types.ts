// The contract of the workflow function: what it reads and what it returns.
import type { Actor, Category, ClockKind, Department, GridEvent, Worker } from '../model';
import type { WorkCalendar } from '../sla/calendar';

export type RejectionCode = 'invalid' | 'forbidden' | 'invalid-transition' | 'not-found' | 'conflict';

export interface Rejection {
  ok: false;
  code: RejectionCode;
  /** zh-CN, shown to the dispatcher as is. */
  reason: string;
}

/** Who a notification goes to. `center`: the command center's dispatch desk; `county`: the county platform. */
export interface NotifyTarget {
  kind: 'department' | 'person' | 'center' | 'county';
  id: string;
}

export type ClockChange = 'start' | 'stop' | 'pause' | 'resume' | 'extend';

/** Side effects as data: the data service carries them out, the simulator may ignore some. */
export type Effect =
  | { type: 'notify'; to: NotifyTarget; message: string }
  | { type: 'escalate-to-county'; eventId: string; reason: string }
  | { type: 'append-note'; eventId: string; note: string }
  | { type: 'clock'; clock: ClockKind; change: ClockChange };

export type TransitionResult = { ok: true; event: GridEvent; effects: Effect[] } | Rejection;

export interface TransitionContext {
  /** Epoch ms. */
  now: number;
  actor: Actor;
  calendar: WorkCalendar;
  category(code: string): Category | undefined;
  department(id: string): Department | undefined;
  worker(id: string): Worker | undefined;
  gridExists(code: string): boolean;
  /** The other event, for event.merge. */
  target?: GridEvent;
}

/** The id the center's desk is notified under. */
export const CENTER_ID = 'center';
