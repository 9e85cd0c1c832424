// window.__griddeckMap: a small window into the map for browser tests and
// benchmarks, which cannot read pixels of a WebGL canvas meaningfully. It only
// reads the map (picking, projection, frame counters) and moves the camera of
// this tab; it exposes nothing the page does not already show, so it stays in
// production builds.
//
//   const hook = window.__griddeckMap;
//   hook.ready                       // base map, grids, workers and events drawn
//   hook.project(lon, lat)           // WGS84 → [x, y] client pixels (page viewport)
//   hook.pickAt(x, y, kind?)         // { kind, id } of what is drawn there, or null
//   hook.pickAllAt(x, y, kind)       // all of one kind drawn there (events at one spot), topmost first
//   hook.locate(kind, id)            // where the map holds it, WGS84
//   await hook.jumpTo({ lon, lat, zoom })   // then pick (the camera is drawn)
//   hook.stats                       // { frames, lastFrameMs, renders, eventPaints, frameTimes }
//   hook.layerOrder()                // the ids of the layers drawn, bottom first
import type { Picked } from './layers';
import type { MapStats } from './controller';
import type { Camera } from './view-state';

export interface GriddeckMapHook {
  readonly ready: boolean;
  readonly mode: 'console' | 'wall';
  pickAt(x: number, y: number, kind?: Picked['kind']): Picked | null;
  /** Everything of one kind drawn at a point, topmost first. */
  pickAllAt(x: number, y: number, kind: Picked['kind']): Picked[];
  project(lon: number, lat: number): [number, number] | null;
  jumpTo(camera: Partial<Camera> & { lon: number; lat: number }): Promise<void>;
  /** Moves the camera without waiting (benchmarks). */
  setCamera(camera: Partial<Camera> & { lon: number; lat: number }): void;
  settled(): Promise<void>;
  /** Fits the whole town (every level-1 grid) in view; resolves when drawn. */
  overview(): Promise<void>;
  camera(): Camera;
  /** Where the map holds a grid (a point inside), worker (its last fix) or event, WGS84; null if it does not know it. */
  locate(kind: 'grid' | 'worker' | 'event', id: string): [number, number] | null;
  readonly stats: MapStats;
  /** The ids of the deck.gl layers last drawn, bottom first (what draws above what). */
  layerOrder(): string[];
}

declare global {
  interface Window {
    __griddeckMap?: GriddeckMapHook;
  }
}

/**
 * Installs the hook for this map; the returned function removes it if it is still this
 * map's. The first map on a page keeps it: a second one (the wide wall's village map)
 * does not take it from the main map.
 */
export function installMapHook(hook: GriddeckMapHook): () => void {
  if (window.__griddeckMap) return () => undefined;
  window.__griddeckMap = hook;
  return () => {
    if (window.__griddeckMap === hook) delete window.__griddeckMap;
  };
}
