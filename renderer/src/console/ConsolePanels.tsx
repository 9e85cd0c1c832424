// The console's screen, section by section: the top bar, the link banners, the left panel
// (queue or grid tree), the open event, and the map with the card of what is picked on it.
import { FieldDeskButtons } from '../emergency/FieldDesk';
import type { ComponentProps, Dispatch } from 'react';
import type { ResultOf } from '../../../core/api/contract';
import type { GridEvent } from '../../../core/model';
import { GridDetails } from '../app/GridDetails';
import { GridTree } from '../app/GridTree';
import { Notice } from '../app/Notice';
import { SelectionCard } from '../map/SelectionCard';
import type { Selection } from '../map/view-state';
import type { Connection } from '../platform';
import { actionSpec, type ActionSpec } from './actions';
import { Bell, type AlertsState } from './Alerts';
import type { StartAction } from './console-actions';
import type { ConsoleAction, ConsoleNotice, ConsoleState } from './console-state';
import { ConsoleMap } from './ConsoleMap';
import { Duplicates, EventDetail, type DetailState } from './EventDetail';
import { findNode, levelWord } from './grid-tree';
import { Queue } from './Queue';
import { useReference } from './reference';
import { ROLE_LABELS } from '../../../core/events/labels';
import { useSession } from '../session/context';
import { UserBar } from '../session/UserBar';
import { FollowupsBadge } from '../meeting/FollowupsBadge';
import { BRIDGE_KEY } from '../../../core/api/channels';
import { DeskPanel } from '../desk/WorkLists';
import { RegistersButton } from '../registers/RegistersButton';

type AppInfo = ResultOf<'app.info'> | undefined;
type ConsoleDispatch = Dispatch<ConsoleAction>;

export function TopBar({ info, alerts, onOpen, dispatch }: { info: AppInfo; alerts: AlertsState; onOpen: (id: string) => void; dispatch: ConsoleDispatch }) {
  const ref = useReference();
  const { may, user } = useSession();
  const townName = info?.town.name ?? ref.tree?.name ?? '…';
  const readOnly = !may('event.accept');
  return (
    <header className="topbar">
      <h1>
        网格指挥舱 GridDeck <span className="sep">·</span> {townName} <span className="sep">·</span> {readOnly ? `${ROLE_LABELS[user.role]}查看` : '调度台'}
      </h1>
      <div className="topbar-status">
        {info?.demo && <span className="badge badge-demo">演示数据</span>}
        {readOnly && <span className="badge" title="可查看全部事件；可执行的仅限督办、延期审批与批注">只读（督办、延期审批）</span>}
        {may('event.create') && (
          <button type="button" className="btn btn-primary" onClick={() => dispatch({ type: 'intake', intake: {} })}>
            登记事件 <kbd>n</kbd>
          </button>
        )}
        {may('assessment.run') && (
          <a className="btn" href="#/assessment">
            考核分析
          </a>
        )}
        {!window[BRIDGE_KEY] && (
          <a className="btn" href="/wall">
            大屏
          </a>
        )}
        <FieldDeskButtons />
        <RegistersButton />
        <Bell state={alerts} onOpen={onOpen} />
        <FollowupsBadge />
        <button type="button" className="btn" onClick={() => dispatch({ type: 'help', open: true })} aria-label="键盘快捷键">
          ? 快捷键
        </button>
        <UserBar />
      </div>
    </header>
  );
}

export function Banners({ connection, link }: { connection: Connection; link: ResultOf<'link.status'> | null }) {
  return (
    <>
      {'reason' in connection && <div className="banner banner-error">{connection.reason}</div>}
      {link && link.state !== 'online' && link.state !== 'none' && (
        <div className="banner banner-offline" role="status">
          县级平台未连接：调度操作照常进行，命令暂存本地（{link.queueLength} 条），联网后自动按序报送。
        </div>
      )}
    </>
  );
}

export function LeftPanel({
  left,
  queue,
  treeSelected,
  onSelectGrid,
  info,
  dispatch,
}: {
  left: ConsoleState['left'];
  queue: ComponentProps<typeof Queue>;
  treeSelected: string | null;
  onSelectGrid: (code: string) => void;
  info: AppInfo;
  dispatch: ConsoleDispatch;
}) {
  return (
    <section className="cpanel cpanel-left">
      <div className="left-tabs" role="tablist" aria-label="左侧面板">
        <button type="button" role="tab" aria-selected={left === 'queue'} className={left === 'queue' ? 'on' : ''} onClick={() => dispatch({ type: 'left', left: 'queue' })}>
          事件队列
        </button>
        <button type="button" role="tab" aria-selected={left === 'grids'} className={left === 'grids' ? 'on' : ''} onClick={() => dispatch({ type: 'left', left: 'grids' })}>
          网格
        </button>
        <button type="button" role="tab" aria-selected={left === 'desk'} className={left === 'desk' ? 'on' : ''} onClick={() => dispatch({ type: 'left', left: 'desk' })}>
          督办与清单
        </button>
      </div>
      {left === 'queue' && <Queue {...queue} />}
      {left === 'grids' && <GridPanel treeSelected={treeSelected} onSelectGrid={onSelectGrid} info={info} dispatch={dispatch} />}
      {left === 'desk' && <DeskPanel onOpen={(id) => dispatch({ type: 'open', id })} />}
    </section>
  );
}

/** The grid tree, the selected node's details, and the build's progress. */
function GridPanel({ treeSelected, onSelectGrid, info, dispatch }: { treeSelected: string | null; onSelectGrid: (code: string) => void; info: AppInfo; dispatch: ConsoleDispatch }) {
  const ref = useReference();
  const treeNode = treeSelected && ref.tree ? findNode(ref.tree, treeSelected) : null;
  return (
    <div className="grid-panel" aria-label="网格树">
      {ref.tree ? <GridTree root={ref.tree} selected={treeSelected} onSelect={onSelectGrid} /> : <p className="muted">正在读取网格…</p>}
      <section className="grid-panel-detail" aria-label="网格信息">
        {treeNode ? (
          <>
            <GridDetails node={treeNode} />
            <button type="button" className="btn" onClick={() => dispatch({ type: 'gridEvents', grid: treeNode.code })}>
              查看该{levelWord(treeNode.level)}的事件
            </button>
          </>
        ) : (
          <p className="muted">在网格树或地图上选择镇、村(社区)或网格，查看编码、户数和网格员。</p>
        )}
      </section>
      <section className="grid-panel-detail" aria-label="建设进度">
        <h3>建设进度</h3>
        {info && <Notice features={info.features} version={info.version} mode={info.mode} />}
      </section>
    </div>
  );
}

/** The open event in full, or what to do to open one; the last notice when none is open. */
export function DetailPanel({
  openId,
  detail,
  openEvent,
  notice,
  startAction,
}: {
  openId: string | null;
  detail: DetailState;
  openEvent: GridEvent | null;
  notice: ConsoleNotice | null;
  startAction: StartAction;
}) {
  return (
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
            openEvent ? <Duplicates event={openEvent} onMerge={(into) => void startAction(actionSpec('event.merge') as ActionSpec, openEvent, { into: into.id })} /> : null
          }
        />
      )}
      {notice && openId === null && (
        <p className={notice.kind === 'ok' ? 'notice-ok' : 'form-error'} role={notice.kind === 'ok' ? 'status' : 'alert'}>
          {notice.text}
        </p>
      )}
    </section>
  );
}

/** The map, and the card of a grid worker or grid picked on it (not while the intake form picks points). */
export function MapPanel({
  state,
  openEvent,
  focus,
  onSelection,
  onPick,
  dispatch,
}: {
  state: Pick<ConsoleState, 'mapSelection' | 'intake' | 'filters'>;
  openEvent: GridEvent | null;
  focus: ComponentProps<typeof ConsoleMap>['focus'];
  onSelection: (selection: Selection | null) => void;
  onPick: ((lon: number, lat: number) => void) | null;
  dispatch: ConsoleDispatch;
}) {
  const { mapSelection, intake, filters } = state;
  return (
    <section className="cpanel cpanel-map" aria-label="地图">
      <ConsoleMap selection={mapSelection} onSelection={onSelection} event={openEvent} focus={focus ?? null} onPick={onPick} />
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
