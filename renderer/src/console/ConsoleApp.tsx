// The dispatcher console: the queue | the open event | the map, a status bar with the
// county link and the commands waiting for it, alerts, and every action reachable
// from the keyboard. Everything reads and writes the local replica through the app
// API, so the console works the same while the county link is down.
import { useCallback, useEffect, useMemo, useReducer, useRef, useState } from 'react';
import type { ResultOf } from '../../../core/api/contract';
import type { CommandName } from '../../../core/events/commands';
import type { GridEvent } from '../../../core/model';
import { GridDetails } from '../app/GridDetails';
import { GridTree } from '../app/GridTree';
import { Notice } from '../app/Notice';
import { SelectionCard } from '../map/SelectionCard';
import type { Selection } from '../map/view-state';
import type { ApiClient } from '../platform';
import { useApi, useEventStore } from '../platform/context';
import { useConnection, useQuery } from '../platform/hooks';
import { ActionDialog } from './ActionDialog';
import { ACTIONS, actionSpec, inputFromArgs, whyNot, type ActionInput, type ActionSpec } from './actions';
import { Bell, Toast, useAlerts } from './Alerts';
import { CommandContext, doneText, type CommandOutcome, type CommandRunner } from './commands';
import { ConsoleMap } from './ConsoleMap';
import { errorText, useCounts, useLinkStatus, useQueuePages, useRejected } from './data';
import { Duplicates, EventDetail, useEventDetail } from './EventDetail';
import { HelpOverlay } from './HelpOverlay';
import { intakeFromArgs } from './intake';
import { IntakeForm } from './IntakeForm';
import { isTypingTarget, keyAction } from './keyboard';
import { Queue } from './Queue';
import { ReferenceProvider, useReference } from './reference';
import { RejectedCommands } from './RejectedCommands';
import { StatusBar } from './StatusBar';
import { CONSOLE_ACTOR, type QueueFilters, type QueueSort, type TabKey } from './tabs';
import { INITIAL_CONSOLE, consoleReducer, modalOpen, type ConsoleNotice, type Target } from './console-state';
import './console.css';


export function ConsoleApp() {
  return (
    <ReferenceProvider>
      <Console />
    </ReferenceProvider>
  );
}

const runCommand = async (api: ApiClient, name: CommandName, args: Record<string, unknown>): Promise<CommandOutcome> => {
  try {
    const call = api.call as (m: CommandName, a: unknown) => Promise<ResultOf<'event.accept'>>;
    const receipt = await call(name, args);
    return { ok: true, n: receipt.n, eventId: receipt.eventId };
  } catch (e) {
    return { ok: false, message: errorText(e) };
  }
};

function Console() {
  const api = useApi();
  const store = useEventStore();
  const ref = useReference();
  const info = useQuery('app.info');
  const connection = useConnection();
  const link = useLinkStatus();
  const rejected = useRejected();
  const alerts = useAlerts();

  // The screen's state (console-state.ts); the service's data is in the hooks below.
  const [state, dispatch] = useReducer(consoleReducer, INITIAL_CONSOLE);
  const { tab, filters, sort, cursor, openId, left, treeSelected, dialog, intake, help, showRejected, notice, target, intakePoint, mapSelection } = state;
  const setNotice = useCallback((n: ConsoleNotice | null) => dispatch({ type: 'notice', notice: n }), []);
  const [recommendations, setRecommendations] = useState<ResultOf<'dispatch.recommend'> | undefined>(undefined);
  // The intake's pick handler for a click on the map (a function: not screen state).
  const [pickHandler, setPickHandler] = useState<((lon: number, lat: number) => void) | null>(null);
  const onPickMode = useCallback((pick: ((lon: number, lat: number) => void) | null) => setPickHandler(() => pick), []);

  const { counts } = useCounts(filters);
  const pages = useQueuePages(tab, filters, sort, counts);
  const detail = useEventDetail(openId);
  const searchRef = useRef<HTMLInputElement | null>(null);
  const listRef = useRef<HTMLDivElement | null>(null);

  const openEvent = detail.event && detail.event.id === openId ? detail.event : null;

  // Whom to send: asked when the open event can be dispatched (also drawn on the map).
  const recommendFor = openEvent?.status === 'accepted' ? openEvent.id : null;
  useEffect(() => {
    setRecommendations(undefined);
    if (recommendFor === null) return;
    let live = true;
    api.call('dispatch.recommend', { eventId: recommendFor, limit: 5 }).then(
      (r) => live && setRecommendations(r),
      () => live && setRecommendations([]),
    );
    return () => {
      live = false;
    };
  }, [api, recommendFor]);

  const runner = useMemo<CommandRunner>(
    () => ({
      // The service pushes the command's change (with the event) before it answers: the
      // queue, the counts and the detail follow from the event store, no asking back.
      run: (name, args) => runCommand(api, name, args),
    }),
    [api],
  );

  const afterRedo = useCallback(
    async (redoOf: number | undefined) => {
      if (redoOf === undefined) return;
      try {
        await api.call('commands.dismiss', { n: redoOf });
      } catch {
        // Still listed: the dispatcher can drop it by hand.
      }
      rejected.reload();
    },
    [api, rejected],
  );

  /** Opens an action on the open event: directly when it asks nothing, else its dialog; or says why not. */
  const startAction = useCallback(
    async (spec: ActionSpec, event: GridEvent, initial?: ActionInput, redoOf?: number) => {
      const why = whyNot(event, spec.name, CONSOLE_ACTOR, (id) => ref.worker.get(id));
      if (why !== null) {
        setNotice({ kind: 'error', text: `不能${spec.label}：${why}` });
        return;
      }
      if (spec.direct) {
        const outcome = await runner.run(spec.name, { id: event.id, ...((initial?.note ? { note: initial.note } : {}) as object) });
        setNotice(outcome.ok ? { kind: 'ok', text: doneText(spec.name) } : { kind: 'error', text: outcome.message });
        if (outcome.ok) void afterRedo(redoOf);
        return;
      }
      dispatch({ type: 'dialog', dialog: { spec, event, ...(initial ? { initial } : {}), ...(redoOf !== undefined ? { redoOf } : {}) } });
    },
    [ref, runner, afterRedo, setNotice],
  );

  const openDispatch = useCallback(
    async (event: GridEvent) => {
      const spec = actionSpec('event.dispatch') as ActionSpec;
      if (whyNot(event, spec.name, CONSOLE_ACTOR, (id) => ref.worker.get(id)) !== null) return startAction(spec, event);
      let recs = recommendations;
      if (recs === undefined) {
        recs = await api.call('dispatch.recommend', { eventId: event.id, limit: 5 }).catch(() => []);
        setRecommendations(recs);
      }
      const first = recs[0];
      return startAction(spec, event, first ? { to: { kind: 'person', id: first.worker.id } } : {});
    },
    [api, recommendations, ref, startAction],
  );

  const open = useCallback((id: string) => dispatch({ type: 'open', id }), []);
  const selectGrid = useCallback((code: string) => dispatch({ type: 'selectGrid', code }), []);
  const onMapSelection = useCallback((selection: Selection | null) => dispatch({ type: 'mapSelection', selection }), []);
  const pick = useCallback((index: number, event: GridEvent) => dispatch({ type: 'pick', index, id: event.id }), []);
  const openById = useCallback((id: string) => dispatch({ type: 'openFromElsewhere', id }), []);

  // ------------------------------------------------------------ keyboard

  const keyState = useRef({ modalOpen: modalOpen(state), cursor, total: pages.total ?? 0, pages, openEvent, openDispatch, startAction });
  keyState.current = { modalOpen: modalOpen(state), cursor, total: pages.total ?? 0, pages, openEvent, openDispatch, startAction };

  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      const action = keyAction(e);
      if (action === null) return;
      const s = keyState.current;
      if (action === 'escape') {
        if (isTypingTarget(e.target)) (e.target as HTMLElement).blur();
        dispatch({ type: 'rejected', show: false });
        return;
      }
      if (s.modalOpen || isTypingTarget(e.target)) return;
      // Buttons and links keep Enter for themselves.
      const tag = (e.target as HTMLElement | null)?.tagName;
      if (action === 'open' && (tag === 'BUTTON' || tag === 'A')) return;
      const event = s.openEvent;
      const move = (to: number): void => {
        dispatch({ type: 'cursor', to, total: s.total });
        listRef.current?.focus({ preventScroll: true });
      };
      switch (action) {
        case 'down':
          e.preventDefault();
          move(s.cursor + 1);
          return;
        case 'up':
          e.preventDefault();
          move(s.cursor - 1);
          return;
        case 'first':
          e.preventDefault();
          move(0);
          return;
        case 'last':
          e.preventDefault();
          move(s.total - 1);
          return;
        case 'open': {
          const row = s.pages.row(s.cursor);
          if (row) {
            e.preventDefault();
            dispatch({ type: 'open', id: row.id });
          }
          return;
        }
        case 'search':
          e.preventDefault();
          dispatch({ type: 'left', left: 'queue' });
          searchRef.current?.focus();
          return;
        case 'help':
          e.preventDefault();
          dispatch({ type: 'help', open: true });
          return;
        case 'intake':
          e.preventDefault();
          dispatch({ type: 'intake', intake: {} });
          return;
        case 'accept':
        case 'dispatch':
        case 'close': {
          e.preventDefault();
          if (!event) {
            dispatch({ type: 'notice', notice: { kind: 'error', text: '请先用 j/k 选择事件并按 Enter 打开。' } });
            return;
          }
          if (action === 'dispatch') void s.openDispatch(event);
          else void s.startAction(actionSpec(action === 'accept' ? 'event.accept' : 'event.close') as ActionSpec, event);
          return;
        }
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  // ------------------------------------------------------------ rejected commands: redo

  const redo = useCallback(
    async (command: ResultOf<'commands.rejected'>[number]) => {
      dispatch({ type: 'rejected', show: false });
      if (command.name === 'event.create') {
        dispatch({ type: 'intake', intake: { initial: intakeFromArgs(command.args), redoOf: command.n } });
        return;
      }
      const spec = ACTIONS.find((a) => a.name === command.name);
      const id = (command.args as { id?: unknown } | null)?.id;
      if (!spec || typeof id !== 'string') {
        setNotice({ kind: 'error', text: `调度台不能重做“${command.name}”，请移出列表。` });
        return;
      }
      open(id);
      const event = await store.load(id, true).catch(() => null);
      if (!event) {
        setNotice({ kind: 'error', text: '本地副本中已没有该事件，无法重做。' });
        return;
      }
      // A command that asks nothing is still shown in its dialog, so the dispatcher confirms the redo.
      const why = whyNot(event, spec.name, CONSOLE_ACTOR, (w) => ref.worker.get(w));
      if (why !== null) {
        setNotice({ kind: 'error', text: `不能重做${spec.label}：${why}` });
        return;
      }
      dispatch({ type: 'dialog', dialog: { spec, event, initial: inputFromArgs(command.args), redoOf: command.n } });
    },
    [store, ref, open, setNotice],
  );

  const mapFocus = useMemo(() => {
    if (intake !== null) return intakePoint;
    if (dialog?.spec.name === 'event.dispatch' && target?.kind === 'person') {
      const fix = recommendations?.find((r) => r.worker.id === target.id)?.position;
      if (fix) return { lon: fix.lon, lat: fix.lat, id: target.id };
    }
    return undefined;
  }, [intake, intakePoint, dialog, target, recommendations]);

  // Stable handlers for the panels (a new function each render would re-render them).
  const onTab = useCallback((t: TabKey) => dispatch({ type: 'tab', tab: t }), []);
  const onFilters = useCallback((f: QueueFilters) => dispatch({ type: 'filters', filters: f }), []);
  const onSort = useCallback((o: QueueSort) => dispatch({ type: 'sort', sort: o }), []);
  const onTarget = useCallback((t: Target | null) => dispatch({ type: 'target', target: t }), []);
  const onIntakePoint = useCallback((point: { lon: number; lat: number } | null) => dispatch({ type: 'intakePoint', point }), []);

  const townName = info.data?.town.name ?? ref.tree?.name ?? '…';
  const treeNode = treeSelected && ref.tree ? findNode(ref.tree, treeSelected) : null;

  return (
    <CommandContext.Provider value={runner}>
      <div className="console console-app">
        <header className="topbar">
          <h1>
            网格指挥舱 GridDeck <span className="sep">·</span> {townName} <span className="sep">·</span> 调度台
          </h1>
          <div className="topbar-status">
            {info.data?.demo && <span className="badge badge-demo">演示数据</span>}
            <button type="button" className="btn btn-primary" onClick={() => dispatch({ type: 'intake', intake: {} })}>
              登记事件 <kbd>n</kbd>
            </button>
            <Bell state={alerts} onOpen={openById} />
            <button type="button" className="btn" onClick={() => dispatch({ type: 'help', open: true })} aria-label="键盘快捷键">
              ? 快捷键
            </button>
          </div>
        </header>
        {'reason' in connection && <div className="banner banner-error">{connection.reason}</div>}
        {link && link.state !== 'online' && link.state !== 'none' && (
          <div className="banner banner-offline" role="status">
            县级平台未连接：调度操作照常进行，命令暂存本地（{link.queueLength} 条），联网后自动按序报送。
          </div>
        )}
        <Toast alert={alerts.toast} onOpen={openById} onClose={alerts.dismissToast} />
        <main className="console-main">
          <section className="cpanel cpanel-left">
            <div className="left-tabs" role="tablist" aria-label="左侧面板">
              <button type="button" role="tab" aria-selected={left === 'queue'} className={left === 'queue' ? 'on' : ''} onClick={() => dispatch({ type: 'left', left: 'queue' })}>
                事件队列
              </button>
              <button type="button" role="tab" aria-selected={left === 'grids'} className={left === 'grids' ? 'on' : ''} onClick={() => dispatch({ type: 'left', left: 'grids' })}>
                网格
              </button>
            </div>
            {left === 'queue' ? (
              <Queue
                tab={tab}
                onTab={onTab}
                filters={filters}
                onFilters={onFilters}
                sort={sort}
                onSort={onSort}
                counts={counts}
                pages={pages}
                cursor={cursor}
                openId={openId}
                onPick={pick}
                searchRef={searchRef}
                listRef={listRef}
              />
            ) : (
              <div className="grid-panel" aria-label="网格树">
                {ref.tree ? <GridTree root={ref.tree} selected={treeSelected} onSelect={selectGrid} /> : <p className="muted">正在读取网格…</p>}
                <section className="grid-panel-detail" aria-label="网格信息">
                  {treeNode ? (
                    <>
                      <GridDetails node={treeNode} />
                      <button
                        type="button"
                        className="btn"
                        onClick={() => dispatch({ type: 'gridEvents', grid: treeNode.code })}
                      >
                        查看该{treeNode.level === 3 ? '网格' : treeNode.level === 2 ? '村(社区)' : '镇'}的事件
                      </button>
                    </>
                  ) : (
                    <p className="muted">在网格树或地图上选择镇、村(社区)或网格，查看编码、户数和网格员。</p>
                  )}
                </section>
                <section className="grid-panel-detail" aria-label="建设进度">
                  <h3>建设进度</h3>
                  {info.data && <Notice features={info.data.features} version={info.data.version} mode={info.data.mode} />}
                </section>
              </div>
            )}
          </section>
          <section className="cpanel cpanel-detail" aria-label="事件">
            {openId === null ? (
              <div className="muted empty-detail">
                <p>在左侧队列中选择一个事件（j/k 移动，Enter 打开）。</p>
                <p>按 ? 查看全部快捷键。</p>
              </div>
            ) : (
              <EventDetail
                detail={detail}
                notice={notice}
                onAction={(spec) => {
                  if (openEvent) void startAction(spec, openEvent);
                }}
                duplicates={
                  openEvent ? (
                    <Duplicates
                      event={openEvent}
                      onMerge={(into) => void startAction(actionSpec('event.merge') as ActionSpec, openEvent, { into: into.id })}
                    />
                  ) : null
                }
              />
            )}
            {notice && openId === null && (
              <p className={notice.kind === 'ok' ? 'notice-ok' : 'form-error'} role={notice.kind === 'ok' ? 'status' : 'alert'}>
                {notice.text}
              </p>
            )}
          </section>
          <section className="cpanel cpanel-map" aria-label="地图">
            <ConsoleMap selection={mapSelection} onSelection={onMapSelection} event={openEvent} focus={mapFocus ?? null} onPick={pickHandler} />
            {intake === null && mapSelection !== null && mapSelection.kind !== 'event' && (
              <div className="map-card" aria-label={mapSelection.kind === 'worker' ? '网格员' : '网格'}>
                <button type="button" className="toast-close" aria-label="关闭" onClick={() => dispatch({ type: 'mapSelection', selection: null })}>
                  ×
                </button>
                {mapSelection.kind === 'worker' ? (
                  <SelectionCard selection={mapSelection} />
                ) : (
                  <MapGridCard code={mapSelection.id} onShowEvents={(code) => dispatch({ type: 'filters', filters: { ...filters, grid: code } })} />
                )}
              </div>
            )}
          </section>
        </main>
        <StatusBar link={link} connection={connection} rejected={rejected.items.length} onShowRejected={() => dispatch({ type: 'rejected', show: 'toggle' })} />
        {showRejected && (
          <RejectedCommands
            items={rejected.items}
            onRedo={(c) => void redo(c)}
            onDismissed={rejected.reload}
            onClose={() => dispatch({ type: 'rejected', show: false })}
            onOpenEvent={openById}
          />
        )}
        {dialog && (
          <ActionDialog
            spec={dialog.spec}
            event={dialog.event}
            {...(dialog.initial ? { initial: dialog.initial } : {})}
            {...(dialog.spec.name === 'event.dispatch' ? { recommendations } : {})}
            onTarget={onTarget}
            onClose={() => dispatch({ type: 'dialog', dialog: null })}
            onDone={(message) => {
              const redoOf = dialog.redoOf;
              dispatch({ type: 'dialog', dialog: null });
              setNotice({ kind: 'ok', text: message });
              void afterRedo(redoOf);
              listRef.current?.focus({ preventScroll: true });
            }}
          />
        )}
        {intake && (
          <IntakeForm
            {...(intake.initial ? { initial: intake.initial } : {})}
            onPickMode={onPickMode}
            onPoint={onIntakePoint}
            onClose={() => dispatch({ type: 'intake', intake: null })}
            onCreated={(id, code) => {
              alerts.markOwn(id);
              const redoOf = intake.redoOf;
              dispatch({ type: 'intake', intake: null });
              open(id);
              setNotice({ kind: 'ok', text: `已登记 ${code}（本地已生效，等待县级平台确认）` });
              void afterRedo(redoOf);
            }}
          />
        )}
        {help && <HelpOverlay onClose={() => dispatch({ type: 'help', open: false })} />}
      </div>
    </CommandContext.Provider>
  );
}

/** A grid clicked on the map: its name, code and staff, and its events in the queue. */
function MapGridCard({ code, onShowEvents }: { code: string; onShowEvents: (code: string) => void }) {
  const ref = useReference();
  const node = ref.tree ? findNode(ref.tree, code) : null;
  if (!node) return <p className="muted small">{code}</p>;
  return (
    <div className="details">
      <h3>{node.name}</h3>
      <p className="mono small">{node.code}</p>
      <p className="small">网格员 {node.staff} 人</p>
      <button type="button" className="btn btn-small" onClick={() => onShowEvents(node.code)}>
        查看该区域的事件
      </button>
    </div>
  );
}

type TreeNode = NonNullable<ResultOf<'grids.tree'>>;

function findNode(node: TreeNode, code: string): TreeNode | null {
  if (node.code === code) return node;
  for (const child of node.children) {
    const found = findNode(child, code);
    if (found) return found;
  }
  return null;
}
