// The registers' map layers (issue 17): houses and organisations as points, off by
// default, for the roles that may read the registers (the service refuses the viewer
// `registers.layers` whatever the view asks). The points come from a bounded query: the
// map's viewport (padded, rounded so small moves ask nothing), at most REGISTER_POINTS
// of each; nothing personal travels (ids, grids, points, an organisation's public name).
import type { Layer } from '@deck.gl/core';
import { ScatterplotLayer } from '@deck.gl/layers';
import type { Datum } from './coords';
import type { LayerEnv } from './layers';
import type { Rgba } from './theme';

/** Points of each kind per viewport (the service's default cap). */
export const REGISTER_POINTS = 5000;
/** Below this zoom the viewport is the whole town and houses are a smear: they are drawn from this zoom on. */
export const REGISTER_MIN_ZOOM = 13;

export const REGISTER_LAYER_IDS = { houses: 'register-houses', organisations: 'register-organisations' } as const;

export const REGISTER_COLOURS: { house: Rgba; organisation: Rgba; enterprise: Rgba; outline: Rgba } = {
  house: [120, 113, 108, 200],
  organisation: [13, 148, 136, 230],
  enterprise: [147, 51, 234, 230],
  outline: [255, 255, 255, 220],
};

export type Bbox = [number, number, number, number];

export interface RegisterPoints {
  houses: { id: string; grid: string; lon: number; lat: number }[];
  organisations: { id: string; grid: string; name: string; kind: 'unit' | 'enterprise'; lon: number; lat: number }[];
  truncated: boolean;
}

interface Point {
  id: string;
  position: [number, number];
  name?: string;
  kind?: 'unit' | 'enterprise';
}

/** The box asked for a viewport: padded by a quarter each side and rounded outwards to 0.005° (about 500 m). */
export function queryBox([w, s, e, n]: Bbox): Bbox {
  const padX = (e - w) / 4;
  const padY = (n - s) / 4;
  const down = (v: number): number => Math.floor(v * 200) / 200;
  const up = (v: number): number => Math.ceil(v * 200) / 200;
  return [Math.max(-180, down(w - padX)), Math.max(-90, down(s - padY)), Math.min(180, up(e + padX)), Math.min(90, up(n + padY))];
}

const contains = (outer: Bbox, inner: Bbox): boolean => outer[0] <= inner[0] && outer[1] <= inner[1] && outer[2] >= inner[2] && outer[3] >= inner[3];

/**
 * Loads the points for the viewport when a layer is on and the view left the box last
 * loaded; `changed` asks the map to redraw. A failed load (a role without the registers)
 * leaves the layers empty and says so once.
 */
export class RegisterLayerData {
  private box: Bbox | null = null;
  private loading: string | null = null;
  private points: { houses: Point[]; organisations: Point[]; truncated: boolean } | null = null;

  constructor(
    private readonly load: ((bbox: Bbox, limit: number) => Promise<RegisterPoints>) | undefined,
    private readonly changed: () => void,
    private readonly failed: (error: unknown) => void,
  ) {}

  get truncated(): boolean {
    return this.points?.truncated ?? false;
  }

  /** The viewport (WGS84) and whether a register layer is on. */
  sync(on: boolean, viewport: Bbox | null, zoom: number, datum: Datum): void {
    if (!on || !viewport || !this.load || zoom < REGISTER_MIN_ZOOM) return;
    if (this.box && contains(this.box, viewport)) return;
    const box = queryBox(viewport);
    const key = box.join(',');
    if (this.loading === key) return;
    this.loading = key;
    this.load(box, REGISTER_POINTS).then(
      (r) => {
        if (this.loading !== key) return;
        this.loading = null;
        this.box = box;
        const at = (lon: number, lat: number): [number, number] => datum.toDisplay(lon, lat);
        this.points = {
          houses: r.houses.map((h) => ({ id: h.id, position: at(h.lon, h.lat) })),
          organisations: r.organisations.map((o) => ({ id: o.id, position: at(o.lon, o.lat), name: o.name, kind: o.kind })),
          truncated: r.truncated,
        };
        this.changed();
      },
      (error: unknown) => {
        this.loading = null;
        this.failed(error);
      },
    );
  }

  /** The layers the view asks for (houses under organisations), empty below REGISTER_MIN_ZOOM. */
  layers(show: { houses: boolean; organisations: boolean }, env: LayerEnv): Layer[] {
    if (!this.points || env.zoom < REGISTER_MIN_ZOOM) return [];
    const out: Layer[] = [];
    if (show.houses) {
      out.push(
        new ScatterplotLayer<Point>({
          id: REGISTER_LAYER_IDS.houses,
          data: this.points.houses,
          getPosition: (d) => d.position,
          getFillColor: REGISTER_COLOURS.house,
          getLineColor: REGISTER_COLOURS.outline,
          stroked: true,
          lineWidthMinPixels: 0.5,
          radiusUnits: 'pixels',
          getRadius: 3 * env.scale,
        }),
      );
    }
    if (show.organisations) {
      out.push(
        new ScatterplotLayer<Point>({
          id: REGISTER_LAYER_IDS.organisations,
          data: this.points.organisations,
          getPosition: (d) => d.position,
          getFillColor: (d) => (d.kind === 'enterprise' ? REGISTER_COLOURS.enterprise : REGISTER_COLOURS.organisation),
          getLineColor: REGISTER_COLOURS.outline,
          stroked: true,
          lineWidthMinPixels: 1,
          radiusUnits: 'pixels',
          getRadius: 5 * env.scale,
        }),
      );
    }
    return out;
  }
}
