// The video wall (大屏): the whole town at a glance for the leaders, full screen and
// read-only. Figures come from stats.overview (the local replica: the wall keeps
// working while the county link is down, and says so); the wall refetches them on
// every pushed change (at most every REFRESH_MS) and on link changes. An urgent event
// arriving makes the map fly to it for URGENT_HOLD_MS. No residents' personal data is
// shown (the data service masks it for this read-only view anyway), nothing depends on
// hovering, and nothing scrolls.
import { WallEmergency } from '../emergency/WallEmergency';
import '../emergency/field.css';
import { useCallback, useDeferredValue, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { WallAnalysisPanel, wallPanelChoice } from '../analysis/WallAnalysisPanel';
import type { CSSProperties, ReactNode } from 'react';
import type { PayloadOf, ResultOf } from '../../../core/api/contract';
import type { StatsOverview } from '../../../core/api/stats';
import type { GridEvent, Urgency } from '../../../core/model';
import { shanghaiDate, toIso, weekday } from '../../../core/time/shanghai';
import { categoryBarOption, coverageRingOption, formatRate, gridLoadOption, rateGaugeOption, trendLineOption } from '../charts/wall-charts';
import { WALL_COLORS } from '../charts/theme';
import { useFollowedView } from '../map/shared-view';
import { useFollower } from '../meeting/follow';
import { MeetingFollower } from '../meeting/MeetingFollower';
import { defaultViewState, DEFAULT_CAMERA } from '../map/view-state';
import { useEventStore } from '../platform/context';
import type { EventChange } from '../platform/event-store';
import { useConnection, useEventChanges, usePush, useQuery } from '../platform/hooks';
import { boundsOfCoordinates, fitCamera } from './camera';
import { EChart } from '../charts/EChart';
import {
  LINK_LABELS,
  TICKER_ROWS,
  URGENCY_LABELS,
  URGENT_HOLD_MS,
  bannerText,
  clockText,
  downSince,
  isArrivingUrgent,
  keepUnchanged,
  linkDown,
  newerLink,
  statusLabel,
  type WallLink,
} from './model';
import { restorePixelRatio, setStagePixelRatio } from './pixel-ratio';
import { stageFor, wallLayout, type Rect } from './stage';
import { throttle } from './throttle';
import { WallMap } from './WallMap';
import { OverduePanel, VillagePanel } from './WideWall';
import './wall.css';

/** Pushed changes refetch the figures at most this often. */
export const REFRESH_MS = 2000;
/** Figures that age by themselves (online workers, overdue clocks) are refetched this often anyway. */
const PERIODIC_MS = 30_000;
/** The map's zoom on an urgent event (the map's own highlight flight goes to at least 15). */
const URGENT_ZOOM = 15;
/** A push naming more events than this is a sync batch, not an arrival: no fly-to lookups. */
const MAX_ARRIVALS = 20;

const WEEKDAYS = ['星期日', '星期一', '星期二', '星期三', '星期四', '星期五', '星期六'];

interface Arrival {
  id: string;
  title: string;
  urgency: Urgency;
  grid: string;
  reportedAt: string;
  lon: number;
  lat: number;
}

function useViewport(): { width: number; height: number } {
  const read = () => ({ width: window.innerWidth, height: window.innerHeight });
  const [size, setSize] = useState(read);
  useEffect(() => {
    const onResize = () => setSize(read());
    window.addEventListener('resize', onResize);
    return () => window.removeEventListener('resize', onResize);
  }, []);
  return size;
}

function useNow(everyMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}

const toWallLink = (s: PayloadOf<'link.status'>): WallLink => ({
  state: s.state,
  since: s.since,
  offlineSince: s.state === 'online' ? null : (s.offlineSince ?? s.since),
  waiting: s.queueLength,
  lastSyncAt: s.lastSyncAt,
});

/** Grid code → name, from the grid tree (names without geometry). */
function gridNames(root: ResultOf<'grids.tree'>): Map<string, string> {
  const names = new Map<string, string>();
  const visit = (node: NonNullable<ResultOf<'grids.tree'>>): void => {
    names.set(node.code, node.name);
    node.children.forEach(visit);
  };
  if (root) visit(root);
  return names;
}

const place = (r: Rect): CSSProperties => ({ left: r.x, top: r.y, width: r.width, height: r.height });

export function WallApp() {
  const viewport = useViewport();
  const stage = stageFor(viewport.width, viewport.height);
  const layout = wallLayout(stage);
  const now = useNow(1000);
  const mapScale = useStagePixelRatio(stage.scale);

  const info = useQuery('app.info');
  const stats = useQuery('stats.overview');
  const town = useQuery('grids.list', { level: 1 });
  const tree = useQuery('grids.tree');
  const connection = useConnection();

  const refresh = useRefresh(stats.reload);
  const pushedLink = usePushedLink(refresh);
  const arrival = useUrgentArrival(refresh);
  const { view, highlight, followed } = useWallView(town.data, layout.map, arrival);
  // A meeting in progress (会商) drives the map and shows its item, unless this screen broke away.
  const follower = useFollower();
  // The map moves in a render after the one that shows the meeting's item: the card is on
  // screen at once, the camera (seconds of drawing on a software-rendered wall) follows.
  const mapView = useDeferredValue(follower.view ?? followed.view ?? view);

  // ------------------------------------------------------------ what is shown
  const data = useSteadyFigures(stats.data);
  const link = useMemo(() => newerLink(data?.link ?? null, pushedLink), [data, pushedLink]);
  const today = shanghaiDate(now);
  const gridName = useMemo(() => gridNames(tree.data ?? null), [tree.data]);

  return (
    <div className="wl-root">
      <div className="wl-stage" style={{ width: stage.width, height: stage.height, transform: `scale(${stage.scale})` }}>
        <div className="wl-map-host" style={place(layout.map)}>
          {mapScale === stage.scale && <WallMap key={mapScale} view={mapView} highlight={highlight} following={follower.state ? null : followed.by} />}
        </div>
        <Header rect={layout.header} now={now} townName={info.data?.town.name ?? '…'} demo={info.data?.demo === true} link={link} />
        <div className="wl-column" style={place(layout.left)}>
          <RatesPanel data={data} />
          <CategoryPanel data={data} />
          <WorkersPanel data={data} />
        </div>
        <div className="wl-column" style={place(layout.right)}>
          {wallPanelChoice(window.location.search) === 'analysis' ? <WallAnalysisPanel refresh={data?.at ?? ''} /> : <TrendPanel data={data} today={today} />}
          <GridLoadPanel data={data} />
          <LinkPanel link={link} today={today} />
        </div>
        <Kpis rect={layout.kpis} data={data} />
        <MapFrame rect={layout.map} link={link} now={now} connection={connection.state}>
          {arrival && <ArrivalCard arrival={arrival} gridName={gridName.get(arrival.grid) ?? arrival.grid} today={today} />}
          <WallEmergency />
        </MapFrame>
        <Ticker rect={layout.ticker} data={data} today={today} />
        {layout.village && <VillagePanel rect={layout.village} data={data} mapScale={mapScale === stage.scale ? mapScale : null} />}
        {layout.overdue && <OverduePanel rect={layout.overdue} data={data} gridName={gridName} now={now} />}
        <div className="mt-follower-host" style={place(layout.map)}>
          <MeetingFollower follower={follower} />
        </div>
        {stats.status === 'error' && <div className="wl-error">数据读取失败:{stats.error}</div>}
      </div>
    </div>
  );
}

/** The figures, each part that a refresh brought unchanged kept as the same object (model.ts keepUnchanged): its chart is not redrawn. */
function useSteadyFigures(data: StatsOverview | undefined): StatsOverview | undefined {
  const last = useRef<StatsOverview | undefined>(undefined);
  return useMemo(() => {
    if (data) last.current = keepUnchanged(last.current, data);
    return data ? last.current : undefined;
  }, [data]);
}

/**
 * The map draws at the stage's scale (pixel-ratio.ts); it is created once that holds,
 * and again when the scale changes (a resize of the wall, rare). Returns the scale the
 * map may be drawn at, null before the first layout.
 */
function useStagePixelRatio(scale: number): number | null {
  const [mapScale, setMapScale] = useState<number | null>(null);
  useLayoutEffect(() => {
    setStagePixelRatio(scale);
    setMapScale(scale);
  }, [scale]);
  useEffect(() => () => restorePixelRatio(), []);
  return mapScale;
}

/** The figures' refetch: throttled for pushes (the returned function), and every PERIODIC_MS anyway. */
function useRefresh(reload: () => void): ReturnType<typeof throttle> {
  const refresh = useMemo(() => throttle(reload, REFRESH_MS), [reload]);
  useEffect(() => () => refresh.cancel(), [refresh]);
  useEffect(() => {
    const timer = setInterval(reload, PERIODIC_MS);
    return () => clearInterval(timer);
  }, [reload]);
  return refresh;
}

/**
 * The county link as last pushed (null before a push). A change of the link's state
 * refetches the figures too; the status pushed with every batch does not (the batch's own
 * entities.changed does), so one county change costs the wall one call, not two.
 */
function usePushedLink(refresh: () => void): WallLink | null {
  const [pushedLink, setPushedLink] = useState<WallLink | null>(null);
  const lastState = useRef<string | null>(null);
  usePush(
    'link.status',
    useCallback(
      (status: PayloadOf<'link.status'>) => {
        setPushedLink(toWallLink(status));
        if (lastState.current !== null && lastState.current !== status.state) refresh();
        lastState.current = status.state;
      },
      [refresh],
    ),
  );
  return pushedLink;
}

/**
 * The urgent event that just arrived, for URGENT_HOLD_MS; each event at most once.
 * Every pushed change refetches the figures too.
 */
function useUrgentArrival(refresh: () => void): Arrival | null {
  const [arrival, setArrival] = useState<Arrival | null>(null);
  const flown = useRef(new Set<string>());
  const store = useEventStore();
  useEventChanges(
    useCallback(
      (change: EventChange) => {
        refresh();
        if (!change.types.includes('event') || !change.ids || change.ids.length > MAX_ARRIVALS) return;
        for (const id of change.ids) {
          if (flown.current.has(id)) continue;
          // The push usually carries the event; else the store asks once for the wall and its map together.
          const carried = change.events.get(id);
          (carried !== undefined ? Promise.resolve(carried) : store.load(id))
            .then((event) => {
              if (!event || flown.current.has(id) || !isArrivingUrgent(event, Date.now())) return;
              flown.current.add(id);
              setArrival(arrivalOf(id, event));
            })
            .catch(() => undefined);
        }
      },
      [refresh, store],
    ),
  );
  useEffect(() => {
    if (!arrival) return;
    const timer = setTimeout(() => setArrival(null), URGENT_HOLD_MS);
    return () => clearTimeout(timer);
  }, [arrival]);
  return arrival;
}

/** What the wall shows of an arriving event, under the id the push named. */
const arrivalOf = (id: string, event: GridEvent): Arrival => ({
  id,
  title: event.title,
  urgency: event.urgency,
  grid: event.grid,
  reportedAt: event.reportedAt,
  lon: event.location.lon,
  lat: event.location.lat,
});

/**
 * The map's view: the whole town fitted to the map's box, or the urgent arrival close up
 * and ringed. A screen sharing its view (the console's 投到大屏) drives the map; the
 * wall's own flights wait.
 */
function useWallView(town: ResultOf<'grids.list'> | undefined, box: Rect, arrival: Arrival | null) {
  const bounds = useMemo(() => boundsOfCoordinates(town?.map((g) => g.geometry.coordinates)), [town]);
  const overview = useMemo(() => (bounds ? fitCamera(bounds, box.width, box.height, 28) : DEFAULT_CAMERA), [bounds, box.width, box.height]);
  const view = useMemo(
    () =>
      defaultViewState({
        camera: arrival ? { lon: arrival.lon, lat: arrival.lat, zoom: URGENT_ZOOM, bearing: 0, pitch: 0 } : overview,
        gridFill: 'load',
        layers: { grids: true, gridLabels: true, workers: true, trails: true, events: true, density: false },
      }),
    [arrival, overview],
  );
  const followed = useFollowedView();
  const highlight = useMemo(() => (arrival && !followed.view ? { lon: arrival.lon, lat: arrival.lat, id: arrival.id } : null), [arrival, followed.view]);
  return { view, highlight, followed };
}

/** The frame over the map: its corners, the link's and the service's banners, and `children` (the arrival). */
function MapFrame({ rect, link, now, connection, children }: { rect: Rect; link: WallLink | null; now: number; connection: string; children: ReactNode }) {
  return (
    <div className="wl-map-frame" style={place(rect)} aria-label="全镇网格地图">
      <i className="wl-corner wl-tl" />
      <i className="wl-corner wl-tr" />
      <i className="wl-corner wl-bl" />
      <i className="wl-corner wl-br" />
      {link && linkDown(link) && (
        <div className="wl-banner" role="alert" data-testid="link-down-banner">
          <span className="wl-banner-icon">!</span>
          {bannerText(link, now)}
        </div>
      )}
      {connection !== 'connected' && (
        <div className="wl-banner wl-banner-service" role="alert">
          与数据服务的连接{connection === 'connecting' ? '建立中' : '中断'} · 画面停留在最近一次数据
        </div>
      )}
      {children}
    </div>
  );
}

// ---------------------------------------------------------------- header

function Header({ rect, now, townName, demo, link }: { rect: Rect; now: number; townName: string; demo: boolean; link: WallLink | null }) {
  const iso = toIso(now);
  const date = iso.slice(0, 10);
  return (
    <header className="wl-header" style={place(rect)}>
      <div className="wl-header-side wl-header-left">
        <span className="wl-time" data-testid="wall-clock">
          {iso.slice(11, 19)}
        </span>
        <span className="wl-date">
          {`${date.slice(0, 4)}年${Number(date.slice(5, 7))}月${Number(date.slice(8, 10))}日`} {WEEKDAYS[weekday(date)]}
        </span>
      </div>
      <div className="wl-title">
        <h1>{townName}网格化指挥调度中心</h1>
        <p>综合态势 · 实时监测</p>
      </div>
      <div className="wl-header-side wl-header-right">
        {demo && <span className="wl-chip wl-chip-demo">演示数据</span>}
        {link && (
          <span className={`wl-chip ${link.state === 'online' ? 'wl-chip-ok' : link.state === 'none' ? 'wl-chip-muted' : 'wl-chip-bad'}`}>
            <i className="wl-dot" />
            县级联网 {LINK_LABELS[link.state]}
          </span>
        )}
      </div>
    </header>
  );
}

// ---------------------------------------------------------------- panels

function Panel({ title, note, className, children }: { title: string; note?: string; className?: string; children: ReactNode }) {
  return (
    <section className={`wl-panel ${className ?? ''}`} aria-label={title}>
      <h2 className="wl-panel-title">
        <span>{title}</span>
        {note && <small>{note}</small>}
      </h2>
      <div className="wl-panel-body">{children}</div>
    </section>
  );
}

const Num = ({ stat, value, className }: { stat: string; value: number | undefined; className?: string }) => (
  <b className={className} data-stat={stat}>
    {value === undefined ? '—' : value.toLocaleString('zh-CN')}
  </b>
);

function Kpis({ rect, data }: { rect: Rect; data: StatsOverview | undefined }) {
  const t = data?.today;
  const items: Array<{ key: keyof StatsOverview['today']; label: string; tone: string }> = [
    { key: 'reported', label: '今日上报', tone: 'cyan' },
    { key: 'accepted', label: '今日受理', tone: 'blue' },
    { key: 'dispatched', label: '今日派遣', tone: 'teal' },
    { key: 'closed', label: '今日结案', tone: 'green' },
    { key: 'overdue', label: '当前超时', tone: (t?.overdue ?? 0) > 0 ? 'red' : 'muted' },
  ];
  return (
    <section className="wl-kpis" style={place(rect)} aria-label="今日事件">
      {items.map((item) => (
        <div key={item.key} className={`wl-kpi wl-tone-${item.tone}`}>
          <span className="wl-kpi-label">{item.label}</span>
          <span className="wl-kpi-value">
            <Num stat={`today.${item.key}`} value={t?.[item.key]} />
            <small>件</small>
          </span>
        </div>
      ))}
    </section>
  );
}

function RatesPanel({ data }: { data: StatsOverview | undefined }) {
  const r = data?.rates;
  const onTime = r?.onTimeClosure;
  const closure = r?.closure;
  const onTimeOption = useMemo(() => rateGaugeOption(onTime ?? { numerator: 0, denominator: 0, rate: null }, WALL_COLORS.teal), [onTime]);
  const closureOption = useMemo(() => rateGaugeOption(closure ?? { numerator: 0, denominator: 0, rate: null }, WALL_COLORS.cyan), [closure]);
  return (
    <Panel title="考核指标" note="近7日" className="wl-rates">
      <div className="wl-gauges">
        <figure className="wl-gauge" data-stat="rates.onTimeClosure" data-rate={formatRate(onTime?.rate)}>
          <EChart option={onTimeOption} className="wl-gauge-chart" label={`按期结案率 ${formatRate(onTime?.rate)}`} />
          <figcaption>
            <strong>按期结案率</strong>
            <span className="wl-formula">按期结案 / (应结案 − 缓办)</span>
            <span className="wl-formula-values">
              = <Num stat="rates.onTimeClosure.numerator" value={onTime?.numerator} /> / (<Num stat="rates.onTimeClosure.due" value={onTime?.due} /> −{' '}
              <Num stat="rates.onTimeClosure.suspended" value={onTime?.suspended} />)
            </span>
          </figcaption>
        </figure>
        <figure className="wl-gauge" data-stat="rates.closure" data-rate={formatRate(closure?.rate)}>
          <EChart option={closureOption} className="wl-gauge-chart" label={`结案率 ${formatRate(closure?.rate)}`} />
          <figcaption>
            <strong>结案率</strong>
            <span className="wl-formula">结案 / 立案</span>
            <span className="wl-formula-values">
              = <Num stat="rates.closure.numerator" value={closure?.numerator} /> / <Num stat="rates.closure.denominator" value={closure?.denominator} />
            </span>
          </figcaption>
        </figure>
      </div>
    </Panel>
  );
}

function CategoryPanel({ data }: { data: StatsOverview | undefined }) {
  const option = useMemo(() => categoryBarOption(data?.categories ?? []), [data?.categories]);
  return (
    <Panel title="事件类别" note="今日 / 近7日" className="wl-categories">
      <EChart option={option} className="wl-chart" label="事件类别图" />
    </Panel>
  );
}

function WorkersPanel({ data }: { data: StatsOverview | undefined }) {
  const w = data?.workers;
  const p = data?.patrol;
  const option = useMemo(() => coverageRingOption(p ?? { basicGrids: 0, covered: 0, rate: null }), [p]);
  return (
    <Panel title="网格员 · 巡查" note={`在线:${w?.onlineMinutes ?? 10}分钟内有定位`} className="wl-workers">
      <div className="wl-workers-body">
        <div className="wl-worker-figures">
          <div className="wl-figure">
            <span>在岗</span>
            <Num stat="workers.onDuty" value={w?.onDuty} className="wl-teal" />
            <small>
              / <Num stat="workers.total" value={w?.total} /> 人
            </small>
          </div>
          <div className="wl-figure">
            <span>在线</span>
            <Num stat="workers.online" value={w?.online} className="wl-cyan" />
            <small>人</small>
          </div>
        </div>
        <figure className="wl-coverage">
          <EChart option={option} className="wl-ring" label={`今日巡查覆盖率 ${formatRate(p?.rate)}`} />
          <figcaption>
            今日巡查覆盖
            <br />
            <Num stat="patrol.covered" value={p?.covered} /> / <Num stat="patrol.basicGrids" value={p?.basicGrids} /> 个基础网格
          </figcaption>
        </figure>
      </div>
    </Panel>
  );
}

function TrendPanel({ data, today }: { data: StatsOverview | undefined; today: string }) {
  const option = useMemo(() => trendLineOption(data?.trend ?? [], data?.day ?? today), [data?.trend, data?.day, today]);
  return (
    <Panel title="近7日事件趋势" note="上报 / 结案" className="wl-trend">
      <EChart option={option} className="wl-chart" label="近7日事件趋势图" />
    </Panel>
  );
}

function GridLoadPanel({ data }: { data: StatsOverview | undefined }) {
  const option = useMemo(() => gridLoadOption(data?.gridLoad ?? []), [data?.gridLoad]);
  return (
    <Panel title="网格负荷排行" note={`未办结 ${data?.open ?? '—'} 件`} className="wl-load">
      {data && data.gridLoad.length === 0 ? <p className="wl-empty">各网格暂无未办结事件</p> : <EChart option={option} className="wl-chart" label="网格负荷排行图" />}
    </Panel>
  );
}

function LinkPanel({ link, today }: { link: WallLink | null; today: string }) {
  const down = link ? linkDown(link) : false;
  return (
    <Panel title="县级联网" className={`wl-link ${down ? 'wl-link-down' : ''}`}>
      <div className="wl-link-body" data-stat="link.state" data-state={link?.state ?? ''}>
        <div className={`wl-link-state ${link?.state === 'online' ? 'wl-ok' : link?.state === 'none' ? 'wl-muted' : 'wl-bad'}`}>
          <i className="wl-dot" />
          {link ? LINK_LABELS[link.state] : '—'}
          {link && down && <small>自 {clockText(downSince(link), today)} 起</small>}
        </div>
        <dl>
          <div>
            <dt>待发送指令</dt>
            <dd>
              <Num stat="link.waiting" value={link?.waiting} /> 条
            </dd>
          </div>
          <div>
            <dt>最近同步</dt>
            <dd>{clockText(link?.lastSyncAt, today)}</dd>
          </div>
        </dl>
        <p className="wl-link-note">{down ? '本屏数据来自本地副本,联网恢复后自动同步' : '本地副本与县级平台实时同步'}</p>
      </div>
    </Panel>
  );
}

function Ticker({ rect, data, today }: { rect: Rect; data: StatsOverview | undefined; today: string }) {
  const rows = (data?.latest ?? []).slice(0, TICKER_ROWS);
  return (
    <section className="wl-panel wl-ticker" style={place(rect)} aria-label="最新事件">
      <h2 className="wl-panel-title">
        <span>最新事件</span>
        <small>实时</small>
      </h2>
      <ol className="wl-ticker-rows">
        {rows.length === 0 && <li className="wl-empty">今日暂无事件</li>}
        {rows.map((e) => (
          <li key={e.id} className={`wl-ticker-row wl-urgency-${e.urgency}`} data-event={e.id}>
            <time>{clockText(e.reportedAt, today)}</time>
            <span className="wl-tag">{URGENCY_LABELS[e.urgency]}</span>
            <span className="wl-ticker-category">{e.categoryName}</span>
            <span className="wl-ticker-grid">{e.gridName}</span>
            <span className="wl-ticker-title">{e.title}</span>
            <span className="wl-ticker-status">{statusLabel(e.status)}</span>
          </li>
        ))}
      </ol>
    </section>
  );
}

function ArrivalCard({ arrival, gridName, today }: { arrival: Arrival; gridName: string; today: string }) {
  return (
    <div className={`wl-arrival wl-urgency-${arrival.urgency}`} role="status" data-testid="urgent-arrival" data-event={arrival.id}>
      <span className="wl-tag">{URGENCY_LABELS[arrival.urgency]}事件</span>
      <strong>{arrival.title}</strong>
      <span>
        {gridName} · {clockText(arrival.reportedAt, today)} 上报
      </span>
      <i className="wl-arrival-timer" style={{ animationDuration: `${URGENT_HOLD_MS}ms` }} />
    </div>
  );
}
