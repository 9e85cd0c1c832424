// The dispatcher console: the queue | the open event | the map, a status bar with the
// county link and the commands waiting for it, alerts, and every action reachable
// from the keyboard. Everything reads and writes the local replica through the app
// API, so the console works the same while the county link is down.
import { useCallback, useMemo, useReducer, useRef, useState, type Dispatch } from 'react';
import type { GridEvent } from '../../../core/model';
import type { Selection } from '../map/view-state';
import { useConnection, useQuery } from '../platform/hooks';
import { forbiddenMessage } from '../../../core/api/access';
import { useSession } from '../session/context';
import { Toast, useAlerts } from './Alerts';
import { CommandContext } from './commands';
import { useAfterRedo, useCommandRunner, useOpenDispatch, useRecommendations, useRedo, useStartAction } from './console-actions';
import { useConsoleKeys } from './console-keys';
import { ConsoleOverlays } from './ConsoleOverlays';
import { Banners, DetailPanel, LeftPanel, MapPanel, TopBar } from './ConsolePanels';
import { useCounts, useLinkStatus, useQueuePages, useRejected } from './data';
import { useEventDetail } from './EventDetail';
import { ReferenceProvider } from './reference';
import { StatusBar } from './StatusBar';
import type { QueueFilters, QueueSort, TabKey } from './tabs';
import { INITIAL_CONSOLE, consoleReducer, mapFocusFor, modalOpen, type ConsoleAction, type ConsoleNotice, type Target } from './console-state';
import { withDrill } from '../assessment/drill';
import './console.css';
import { FieldDesk } from '../emergency/FieldDesk';
import { OverdueSupervisions } from '../desk/OverdueAlert';


export function ConsoleApp() {
  return (
    <ReferenceProvider>
      <Console />
    </ReferenceProvider>
  );
}

function Console() {
  const info = useQuery('app.info');
  const session = useSession();
  const intakeRefusal = session.may('event.create') ? null : forbiddenMessage(session.user.role, 'event.create');
  const connection = useConnection();
  const link = useLinkStatus();
  const rejected = useRejected();
  const alerts = useAlerts();

  // The screen's state (console-state.ts); the service's data is in the hooks below.
  const [state, dispatch] = useReducer(consoleReducer, INITIAL_CONSOLE, withDrill);
  const { tab, filters, sort, cursor, openId, left, treeSelected, notice } = state;
  const setNotice = useCallback((n: ConsoleNotice | null) => dispatch({ type: 'notice', notice: n }), []);
  const [pickHandler, onPickMode] = usePickHandler();

  const { counts } = useCounts(filters);
  const pages = useQueuePages(tab, filters, sort, counts);
  const detail = useEventDetail(openId);
  const searchRef = useRef<HTMLInputElement | null>(null);
  const listRef = useRef<HTMLDivElement | null>(null);

  const openEvent = detail.event && detail.event.id === openId ? detail.event : null;
  const [recommendations, setRecommendations] = useRecommendations(openEvent);
  const runner = useCommandRunner();
  const afterRedo = useAfterRedo(rejected);
  const startAction = useStartAction(runner, afterRedo, setNotice, dispatch);
  const openDispatch = useOpenDispatch(recommendations, setRecommendations, startAction);
  const on = usePanelHandlers(dispatch);

  useConsoleKeys({ modalOpen: modalOpen(state), cursor, total: pages.total ?? 0, pages, openEvent, openDispatch, startAction, intakeRefusal }, { dispatch, listRef, searchRef });
  const redo = useRedo(setNotice, dispatch);
  const { intake, intakePoint, dialog, target } = state;
  const mapFocus = useMemo(() => mapFocusFor({ intake, intakePoint, dialog, target }, recommendations), [intake, intakePoint, dialog, target, recommendations]);

  const queue = { tab, onTab: on.tab, filters, onFilters: on.filters, sort, onSort: on.sort, counts, pages, cursor, openId, onPick: on.pick, searchRef, listRef };
  return (
    <CommandContext.Provider value={runner}>
      <FieldDesk openEvent={on.openById}>
      <div className="console console-app">
        <TopBar info={info.data} alerts={alerts} onOpen={on.openById} dispatch={dispatch} />
        <Banners connection={connection} link={link} />
        <OverdueSupervisions onShow={() => dispatch({ type: 'left', left: 'desk' })} />
        <Toast alert={alerts.toast} onOpen={on.openById} onClose={alerts.dismissToast} />
        <main className="console-main">
          <LeftPanel left={left} queue={queue} treeSelected={treeSelected} onSelectGrid={on.selectGrid} info={info.data} dispatch={dispatch} />
          <DetailPanel openId={openId} detail={detail} openEvent={openEvent} notice={notice} startAction={startAction} />
          <MapPanel state={state} openEvent={openEvent} focus={mapFocus} onSelection={on.mapSelection} onPick={pickHandler} dispatch={dispatch} />
        </main>
        <StatusBar link={link} connection={connection} rejected={rejected.items.length} onShowRejected={() => dispatch({ type: 'rejected', show: 'toggle' })} />
        <ConsoleOverlays
          state={state}
          dispatch={dispatch}
          rejected={rejected}
          redo={redo}
          openById={on.openById}
          recommendations={recommendations}
          onTarget={on.target}
          onPickMode={onPickMode}
          onIntakePoint={on.intakePoint}
          markOwn={alerts.markOwn}
          afterRedo={afterRedo}
          setNotice={setNotice}
          listRef={listRef}
        />
      </div>
      </FieldDesk>
    </CommandContext.Provider>
  );
}

/** The intake's pick handler for a click on the map (a function: not screen state). */
function usePickHandler(): [((lon: number, lat: number) => void) | null, (pick: ((lon: number, lat: number) => void) | null) => void] {
  const [pickHandler, setPickHandler] = useState<((lon: number, lat: number) => void) | null>(null);
  const onPickMode = useCallback((pick: ((lon: number, lat: number) => void) | null) => setPickHandler(() => pick), []);
  return [pickHandler, onPickMode];
}

/** Stable handlers for the panels (a new function each render would re-render them). */
function usePanelHandlers(dispatch: Dispatch<ConsoleAction>) {
  return useMemo(
    () => ({
      selectGrid: (code: string) => dispatch({ type: 'selectGrid', code }),
      mapSelection: (selection: Selection | null) => dispatch({ type: 'mapSelection', selection }),
      pick: (index: number, event: GridEvent) => dispatch({ type: 'pick', index, id: event.id }),
      openById: (id: string) => dispatch({ type: 'openFromElsewhere', id }),
      tab: (t: TabKey) => dispatch({ type: 'tab', tab: t }),
      filters: (f: QueueFilters) => dispatch({ type: 'filters', filters: f }),
      sort: (o: QueueSort) => dispatch({ type: 'sort', sort: o }),
      target: (t: Target | null) => dispatch({ type: 'target', target: t }),
      intakePoint: (point: { lon: number; lat: number } | null) => dispatch({ type: 'intakePoint', point }),
    }),
    [dispatch],
  );
}
