// The console's map column: the town map (renderer/src/map GridMap) following the
// dispatcher's work. The open event is selected and ringed with its grid around it;
// while a dispatch is being chosen, the chosen grid worker is ringed instead; while a
// report is being entered by hand, a click on the map picks its place. A grid chosen
// in the grid tree is selected here too, and what is clicked here is selected there.
//
// One map, not one per panel: a second WebGL map beside it would load the same town
// twice for the same picture. The event's "small map" is this column.
import { useEffect, useMemo, useState } from 'react';
import type { GridEvent } from '../../../core/model';
import { GridMap } from '../map/GridMap';
import { useShareView } from '../map/shared-view';
import { defaultViewState, withSelection, type MapViewState, type Selection } from '../map/view-state';

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
      {...(onPick ? { pickLocation: ([lon, lat]: [number, number]) => onPick(lon, lat) } : {})}
      highlight={highlight}
      overlay={
        <label className={`grid-map-cast${cast ? ' grid-map-cast-on' : ''}`} title="大屏跟随本地图的视角、图层、选中和回放">
          <input type="checkbox" checked={cast} onChange={(e) => setCast(e.target.checked)} />
          投到大屏
          {castError && <span className="grid-map-cast-error" role="alert">{castError}</span>}
        </label>
      }
      {...(className ? { className } : {})}
    />
  );
}
