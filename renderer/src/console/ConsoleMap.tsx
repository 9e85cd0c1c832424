// The console's map column: the town map (renderer/src/map GridMap) following the
// dispatcher's work. The open event is selected and ringed with its grid around it;
// while a dispatch is being chosen, the chosen grid worker is ringed instead; while a
// report is being entered by hand, a click on the map picks its place. A grid chosen
// in the grid tree is selected here too, and what is clicked here is selected there.
//
// One map, not one per panel: a second WebGL map beside it would load the same town
// twice for the same picture. The event's "small map" is this column.
import { useEffect, useMemo, useState, type ReactNode } from 'react';
import type { GridEvent } from '../../../core/model';
import { GridMap } from '../map/GridMap';
import { useShareView } from '../map/shared-view';
import { defaultViewState, withSelection, type MapViewState, type Selection } from '../map/view-state';
import type { Urgency } from '../../../core/model';
import { useQuery } from '../platform/hooks';
import { categoryGroups, GroupedOptions } from './common';
import { useOptionalSession } from '../session/context';
import { useFieldMarks } from '../emergency/FieldDesk';

export interface ConsoleMapProps {
  /** What is selected on the map (controlled): the open event, a grid of the tree, a clicked worker. */
  selection: Selection | null;
  onSelection: (selection: Selection | null) => void;
  /** The open event, ringed when it is the selection. */
  event: GridEvent | null;
  /** What to ring (and fly to) instead: a chosen grid worker, a picked point. */
  focus?: { lon: number; lat: number; id?: string } | null;
  /** Pick mode: a click reports the point (WGS84) instead of selecting. */
  onPick?: ((lon: number, lat: number) => void) | null;
  className?: string;
}

export function ConsoleMap({ selection, onSelection, event, focus, onPick, className }: ConsoleMapProps) {
  const [view, setView] = useState<MapViewState>(() => defaultViewState());
  // 投到大屏: the wall follows this map's view while it is on (view.share, docs/api.md).
  const [cast, setCast] = useState(false);
  const castError = useShareView(view, cast);
  const mayCast = useOptionalSession()?.may('view.share') ?? false;
  const [picking, pickButton] = usePickSwitch(onPick ?? null);
  // The field desk's view docked beside this map draws its marks here (FieldDesk.tsx useDeskMarks).
  const marks = useFieldMarks();

  useEffect(() => {
    setView((v) => withSelection(v, selection));
  }, [selection]);

  const highlight = useMemo(() => {
    if (focus) return focus;
    if (event && selection?.kind === 'event' && selection.id === event.id) {
      return { lon: event.location.lon, lat: event.location.lat, id: event.id };
    }
    return null;
  }, [focus, event, selection]);

  return (
    <GridMap
      mode="console"
      view={view}
      onViewChange={setView}
      onSelect={onSelection}
      {...(onPick && picking ? { pickLocation: ([lon, lat]: [number, number]) => onPick(lon, lat) } : {})}
      highlight={highlight}
      marks={marks}
      overlay={
        <div className="grid-map-bar">
          {pickButton}
          {mayCast && (
            <label className={`grid-map-cast${cast ? ' grid-map-cast-on' : ''}`} title="大屏跟随本地图的视角、图层、选中和回放">
              <input type="checkbox" checked={cast} onChange={(e) => setCast(e.target.checked)} />
              投到大屏
              {castError && <span className="grid-map-cast-error" role="alert">{castError}</span>}
            </label>
          )}
          <MapFilterBar view={view} onChange={setView} />
        </div>
      }
      {...(className ? { className } : {})}
    />
  );
}

/**
 * While a report is entered by hand: the 在地图上选择位置 switch, first in the map's bar
 * (so the filters never cover it). On, a click on the map picks the place (it is on
 * when the form opens); off, the map selects as usual.
 */
function usePickSwitch(onPick: ((lon: number, lat: number) => void) | null): [boolean, ReactNode] {
  const [on, setOn] = useState(true);
  const active = onPick !== null;
  useEffect(() => {
    if (active) setOn(true);
  }, [active]);
  if (!active) return [false, null];
  const button = (
    <button
      type="button"
      className={`grid-map-pick${on ? ' grid-map-pick-on' : ''}`}
      aria-pressed={on}
      title={on ? '点击地图即选定事发位置；再按一次改回普通选择' : '按下后点击地图选定事发位置'}
      onClick={() => setOn((v) => !v)}
    >
      在地图上选择位置
    </button>
  );
  return [on, button];
}

const URGENCY_FILTERS: readonly { key: string; label: string; urgency?: Urgency[] }[] = [
  { key: '', label: '全部紧急程度' },
  { key: 'urgent', label: '紧急及以上', urgency: ['urgent', 'critical'] },
  { key: 'critical', label: '仅特急', urgency: ['critical'] },
];

/** Which events the map draws: a category (a group or one matter) and an urgency; part of the view the wall follows. */
function MapFilterBar({ view, onChange }: { view: MapViewState; onChange: (view: MapViewState) => void }) {
  const categories = useQuery('categories.list');
  const groups = useMemo(() => (categories.status === 'ok' ? categoryGroups(categories.data) : []), [categories.status, categories.data]);
  const urgencyKey = URGENCY_FILTERS.find((f) => f.urgency && f.urgency.join() === (view.filters.urgency ?? []).join())?.key ?? '';
  const set = (filters: MapViewState['filters']): void => onChange({ ...view, filters });
  return (
    <>
      <select
        className="grid-map-filter"
        aria-label="地图事件类别"
        value={view.filters.categories?.[0] ?? ''}
        onChange={(e) => {
          const { categories: _drop, ...rest } = view.filters;
          set(e.target.value ? { ...rest, categories: [e.target.value] } : rest);
        }}
      >
        <option value="">全部类别</option>
        <GroupedOptions groups={groups} whole />
      </select>
      <select
        className="grid-map-filter"
        aria-label="地图紧急程度"
        value={urgencyKey}
        onChange={(e) => {
          const chosen = URGENCY_FILTERS.find((f) => f.key === e.target.value);
          const { urgency: _drop, ...rest } = view.filters;
          set(chosen?.urgency ? { ...rest, urgency: chosen.urgency } : rest);
        }}
      >
        {URGENCY_FILTERS.map((f) => (
          <option key={f.key} value={f.key}>
            {f.label}
          </option>
        ))}
      </select>
    </>
  );
}
