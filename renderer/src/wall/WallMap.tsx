// The wall's map: the town map (renderer/src/map/GridMap) in wall mode: dark, no
// pointer, its legend always shown. Kept behind this one component so the wall's
// layout does not depend on the map's inner workings.
import { GridMap } from '../map/GridMap';
import type { MapViewState } from '../map/view-state';

export interface WallMapProps {
  view: MapViewState;
  /** The urgent event the map flies to and rings; null: the town overview. */
  highlight: { lon: number; lat: number; id?: string } | null;
  /** Who the map follows (a shared view: the console's 投到大屏), said over the map; null: its own view. */
  following?: string | null;
}

export function WallMap({ view, highlight, following = null }: WallMapProps) {
  return (
    <GridMap
      mode="wall"
      view={view}
      highlight={highlight}
      className="wl-map"
      overlay={following ? <div className="grid-map-following" data-testid="wall-following">跟随{following}视图</div> : null}
    />
  );
}
