// The field desk in the console: emergency mode of an event, patrol management, the
// county's sensors and the plans library, each a large dialog over the console. The console provides the
// desk (FieldDesk) once; the top bar and the event detail open its views. The views with
// something to show on the map (the emergency's circle, workers and resources, today's
// unpatrolled grids, the devices) are docked beside the console's map column instead of
// covering it, and draw their marks on that map (useDeskMarks → ConsoleMap → GridMap).
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { MapMarks } from '../map/desk-marks';
import type { GridEvent } from '../../../core/model';
import { useSession } from '../session/context';
import { EmergencyView } from './EmergencyView';
import { DevicesView } from './DevicesView';
import { PlansView } from './PlansView';
import { ResourcesView } from './ResourcesView';
import { PatrolView } from '../patrol/PatrolView';
import './field.css';

export type FieldView = { kind: 'emergency'; eventId: string } | { kind: 'patrol' } | { kind: 'devices' } | { kind: 'plans' } | { kind: 'resources' };

interface Desk {
  open(view: FieldView): void;
  /** The marks the open view draws on the console's map (null: none). */
  setMarks(marks: MapMarks | null): void;
  /** Opens an event in the console (the queue's detail). */
  openEvent?: ((id: string) => void) | undefined;
}

const DeskContext = createContext<Desk | null>(null);
/** Apart from the desk: a change of marks re-renders the map only. */
const MarksContext = createContext<MapMarks | null>(null);

export function FieldDesk({ children, openEvent }: { children: ReactNode; openEvent?: (id: string) => void }) {
  const [view, setView] = useState<FieldView | null>(null);
  const [marks, setMarks] = useState<MapMarks | null>(null);
  const desk = useMemo<Desk>(() => ({ open: setView, setMarks, openEvent }), [openEvent]);
  const close = useCallback(() => setView(null), []);
  return (
    <DeskContext.Provider value={desk}>
      <MarksContext.Provider value={marks}>
        {children}
        {view && <FieldDialog view={view} onClose={close} onOpenEvent={openEvent} />}
      </MarksContext.Provider>
    </DeskContext.Provider>
  );
}

/** The marks the open desk view draws on the console's map. */
export function useFieldMarks(): MapMarks | null {
  return useContext(MarksContext);
}

/** A desk view's marks on the console's map while it is shown (none outside the console: the admin's tab). */
export function useDeskMarks(marks: MapMarks | null): void {
  const desk = useContext(DeskContext);
  useEffect(() => desk?.setMarks(marks), [desk, marks]);
  useEffect(() => () => desk?.setMarks(null), [desk]);
}

/** The views docked beside the map (their marks are on it). */
const DOCKED: ReadonlySet<FieldView['kind']> = new Set(['emergency', 'patrol', 'devices']);

const TITLES: Record<FieldView['kind'], string> = { emergency: '应急处置', patrol: '巡查管理', devices: '物联感知设备', plans: '应急预案库', resources: '应急队伍与物资' };

function FieldDialog({ view, onClose, onOpenEvent }: { view: FieldView; onClose: () => void; onOpenEvent?: ((id: string) => void) | undefined }) {
  const ref = useRef<HTMLDivElement | null>(null);
  useEffect(() => ref.current?.focus(), []);
  // Escape closes it wherever the focus went (a list re-rendered under a checked box drops it to the body).
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (e.key !== 'Escape') return;
      e.stopPropagation();
      onClose();
    };
    document.addEventListener('keydown', onKey, true);
    return () => document.removeEventListener('keydown', onKey, true);
  }, [onClose]);
  const openEvent = onOpenEvent
    ? (id: string) => {
        onClose();
        onOpenEvent(id);
      }
    : undefined;
  const docked = DOCKED.has(view.kind);
  return (
    <div className={`modal-backdrop field-backdrop${docked ? ' field-backdrop-docked' : ''}`} onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div
        ref={ref}
        tabIndex={-1}
        className={`modal modal-wide field-dialog${docked ? ' field-dialog-docked' : ''}`}
        role="dialog"
        aria-modal={!docked}
        aria-label={TITLES[view.kind]}
        onKeyDown={(e) => e.stopPropagation()}
      >
        <div className="field-dialog-head">
          <h3>{TITLES[view.kind]}</h3>
          <button type="button" className="btn" onClick={onClose}>
            关闭
          </button>
        </div>
        {view.kind === 'emergency' && <EmergencyView eventId={view.eventId} />}
        {view.kind === 'patrol' && <PatrolView />}
        {view.kind === 'devices' && <DevicesView onOpenEvent={openEvent} />}
        {view.kind === 'plans' && <PlansView />}
        {view.kind === 'resources' && <ResourcesView />}
      </div>
    </div>
  );
}

/** The top bar's buttons to the desk's views, for the roles that may read them. */
export function FieldDeskButtons() {
  const desk = useContext(DeskContext);
  const { may } = useSession();
  if (!desk) return null;
  return (
    <>
      {may('patrol.today') && (
        <button type="button" className="btn" onClick={() => desk.open({ kind: 'patrol' })}>
          巡查管理
        </button>
      )}
      {may('sensors.list') && (
        <button type="button" className="btn" onClick={() => desk.open({ kind: 'devices' })}>
          物联设备
        </button>
      )}
      {may('emergency.plans') && (
        <button type="button" className="btn" onClick={() => desk.open({ kind: 'plans' })}>
          应急预案
        </button>
      )}
      {may('emergency.resources') && (
        <button type="button" className="btn" onClick={() => desk.open({ kind: 'resources' })}>
          队伍物资
        </button>
      )}
    </>
  );
}

/** Under an event's actions: emergency mode for an urgent event, and the device an alarm came from. */
export function FieldEventBar({ event }: { event: GridEvent }) {
  const desk = useContext(DeskContext);
  const { may } = useSession();
  if (!desk) return null;
  const urgent = event.urgency !== 'normal';
  const canOpen = urgent && (may('emergency.open') || may('emergency.get'));
  if (!canOpen && event.device === undefined) return null;
  return (
    <div className="field-event-bar">
      {canOpen && (
        <button type="button" className="btn btn-danger" onClick={() => desk.open({ kind: 'emergency', eventId: event.id })}>
          应急处置
        </button>
      )}
      {event.device !== undefined && (
        <span className="small" data-testid="alarm-device">
          报警设备:<span className="mono">{event.device}</span>
          {may('sensors.list') && (
            <button type="button" className="btn btn-link" onClick={() => desk.open({ kind: 'devices' })}>
              查看设备
            </button>
          )}
        </span>
      )}
    </div>
  );
}
