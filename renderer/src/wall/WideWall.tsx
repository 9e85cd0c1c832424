// What a wall wider than 16:9 shows beside the town (stage.ts, the wide layout): the
// hottest village's own map, fitted to the village, and a column of the overdue events,
// the most pressing first. Both follow the wall's figures: they are read again when
// the figures are (a pushed change, at most every REFRESH_MS, or the periodic refresh).
import { useEffect, useMemo, type CSSProperties } from 'react';
import type { StatsOverview } from '../../../core/api/stats';
import { GridMap } from '../map/GridMap';
import { defaultViewState } from '../map/view-state';
import { useQuery } from '../platform/hooks';
import { boundsOfCoordinates, fitCamera } from './camera';
import { URGENCY_LABELS, hottestVillage, overdueText, statusLabel, type HotVillage } from './model';
import type { Rect } from './stage';

/** Rows of the overdue column: each legible from the back of the room. */
export const OVERDUE_ROWS = 8;
/** The village panel's title bar (design pixels), above its map. */
const TITLE_HEIGHT = 56;

const place = (r: Rect): CSSProperties => ({ left: r.x, top: r.y, width: r.width, height: r.height });

/** The hottest village's map: the same wall map, fitted to the village, with its open and overdue counts. */
export function VillagePanel({ rect, data, mapScale }: { rect: Rect; data: StatsOverview | undefined; mapScale: number | null }) {
  const grids = useQuery('grids.list', { level: 3 });
  const villages = useQuery('grids.list', { level: 2 });
  const village: HotVillage | null = useMemo(
    () => (data && grids.data && villages.data ? hottestVillage(data.gridLoad, grids.data, villages.data) : null),
    [data, grids.data, villages.data],
  );
  const shape = villages.data?.find((v) => v.code === village?.code)?.geometry;
  const mapHeight = rect.height - TITLE_HEIGHT;
  const view = useMemo(() => {
    const bounds = boundsOfCoordinates(shape?.coordinates);
    if (!bounds) return null;
    return defaultViewState({
      camera: fitCamera(bounds, rect.width, mapHeight, 36),
      gridFill: 'load',
      layers: { grids: true, gridLabels: true, workers: true, trails: true, events: true, density: false },
    });
  }, [shape, rect.width, mapHeight]);
  return (
    <section className="wl-panel wl-village" style={place(rect)} aria-label="重点关注村(社区)地图" data-testid="wall-village">
      <h2 className="wl-panel-title" style={{ height: TITLE_HEIGHT }}>
        <span>重点关注 · {village?.name ?? '—'}</span>
        <small data-stat="village.open">{village ? `未办结 ${village.open} 件 · 超时 ${village.overdue} 件` : '各村暂无未办结事件'}</small>
      </h2>
      <div className="wl-village-map" style={{ height: mapHeight }}>
        {/* The wall map's pixel ratio holds once mapScale is set (pixel-ratio.ts); no legend: the town map's serves both. */}
        {mapScale !== null && view && <GridMap key={`${mapScale}/${village?.code ?? ''}`} mode="wall" view={view} legend={false} className="wl-map" />}
      </div>
    </section>
  );
}

/** The overdue events, the most pressing first (the queue's risk order). */
export function OverduePanel({ rect, data, gridName, now }: { rect: Rect; data: StatsOverview | undefined; gridName: ReadonlyMap<string, string>; now: number }) {
  // The same filter as the figures' 当前超时 (stats.overview today.overdue).
  const list = useQuery('events.list', { overdue: true, sort: 'risk', paging: { offset: 0, limit: OVERDUE_ROWS } });
  const { reload } = list;
  // Read again with the figures, not on every push: the figures' refresh is already throttled.
  useEffect(() => reload(), [data?.at, reload]);
  const rows = list.data?.items ?? [];
  return (
    <section className="wl-panel wl-overdue" style={place(rect)} aria-label="超时事件" data-testid="wall-overdue">
      <h2 className="wl-panel-title">
        <span>超时事件</span>
        <small>
          共 <b data-stat="overdue.total">{list.data?.total ?? '—'}</b> 件
        </small>
      </h2>
      <ol className="wl-overdue-rows">
        {list.status === 'ok' && rows.length === 0 && <li className="wl-empty">当前无超时事件</li>}
        {rows.map((e) => (
          <li key={e.id} className={`wl-overdue-row wl-urgency-${e.urgency}`} data-event={e.id}>
            <span className="wl-overdue-late">超时 {overdueText(e, now) ?? '—'}</span>
            <span className="wl-tag">{URGENCY_LABELS[e.urgency]}</span>
            <strong className="wl-overdue-title">{e.title}</strong>
            <span className="wl-overdue-meta">
              {gridName.get(e.grid) ?? e.grid} · {statusLabel(e.status)}
            </span>
          </li>
        ))}
      </ol>
    </section>
  );
}
