// The map benchmark's page (tests/bench/map-frame.ts builds and serves it; it is not
// part of the app's build): GridMap over a synthetic source loaded from a local JSON
// file, and in-page measurements the benchmark calls through window.__mapBench.
//   ?data=/bench-data.json&mode=wall|console&density=1&layers=grids,workers,…
import '../../platform/zod-config';
import { createRoot } from 'react-dom/client';
import { GridMap } from '../GridMap';
import { defaultViewState } from '../view-state';
import type { BenchData } from './synthetic';
import { syntheticSource } from './synthetic';

export interface FrameSample {
  /** requestAnimationFrame intervals, ms: the page's frame time. */
  intervals: number[];
  /** deck.gl's CPU time of each frame it drew, ms. */
  deckMs: number[];
  /** Frames deck.gl drew. */
  deckFrames: number;
  /** Position pushes sent, and the fixes they carried. */
  pushes: number;
  fixes: number;
  elapsedMs: number;
}

declare global {
  interface Window {
    __mapBench?: {
      measure(options: { ms: number; move: boolean; pushEveryMs: number; fixEveryMs: number; still?: boolean }): Promise<FrameSample>;
      eventLatency(options: { count: number; gapMs: number }): Promise<number[]>;
      counts: { grids: number; workers: number; events: number };
    };
  }
}

const params = new URLSearchParams(window.location.search);
const mode = params.get('mode') === 'console' ? 'console' : 'wall';

async function main(): Promise<void> {
  const data = (await (await fetch(params.get('data') ?? '/bench-data.json')).json()) as BenchData;
  const synthetic = syntheticSource(data);
  const camera = { ...data.camera, bearing: 0, pitch: 0 };
  // ?layers=grids,workers,… draws only those (a benchmark of one layer); default: all but density.
  const only = params.get('layers')?.split(',');
  const on = (key: string, byDefault = true): boolean => (only ? only.includes(key) : byDefault);
  const view = defaultViewState({
    camera,
    layers: { grids: on('grids'), gridLabels: on('gridLabels'), workers: on('workers'), trails: on('trails'), events: on('events'), density: on('density', params.get('density') === '1') },
  });
  const root = document.getElementById('root');
  if (!root) throw new Error('no #root');
  createRoot(root).render(<GridMap mode={mode} view={view} source={synthetic.source} legend={false} />);

  const frame = (): Promise<number> => new Promise((resolve) => requestAnimationFrame(resolve));

  window.__mapBench = {
    counts: { grids: data.grids.length, workers: data.workers.length, events: data.events.length },
    async measure({ ms, move, pushEveryMs, fixEveryMs, still = false }) {
      const hook = window.__griddeckMap;
      if (!hook) throw new Error('the map is not mounted');
      const intervals: number[] = [];
      const deckStart = hook.stats.frameTimes.length;
      const framesStart = hook.stats.frames;
      let pushes = 0;
      let fixes = 0;
      let flip = false;
      const start = await frame();
      let last = start;
      let lastPush = -Infinity;
      for (;;) {
        // Every frame the camera moves by a hair (both runs): the base map and deck.gl both redraw, as while panning.
        flip = !flip;
        // still: the wall as it runs, camera at rest, only the pushes make deck.gl draw.
        if (!still) hook.setCamera({ lon: camera.lon + (flip ? 1e-7 : 0), lat: camera.lat, zoom: camera.zoom });
        if (move && last - lastPush >= pushEveryMs) {
          // Each worker sends a fix every fixEveryMs: a push carries the share whose fix came in.
          const share = Math.ceil((data.workers.length * Math.max(pushEveryMs, last - lastPush)) / fixEveryMs);
          fixes += synthetic.moveSome(Math.min(share, data.workers.length), (1.4 * fixEveryMs) / 1000, Date.now());
          pushes++;
          lastPush = last;
        }
        const t = await frame();
        intervals.push(t - last);
        last = t;
        if (t - start >= ms) break;
      }
      return { intervals, deckMs: hook.stats.frameTimes.slice(deckStart), deckFrames: hook.stats.frames - framesStart, pushes, fixes, elapsedMs: last - start };
    },
    async eventLatency({ count, gapMs }) {
      const hook = window.__griddeckMap;
      if (!hook) throw new Error('the map is not mounted');
      const ids: string[] = [];
      for (let i = 0; i < count; i++) {
        ids.push(synthetic.addEvent(Date.now()));
        await new Promise((resolve) => setTimeout(resolve, gapMs));
      }
      const paints = new Map(hook.stats.eventPaints.map((p) => [p.id, p.ms]));
      return ids.map((id) => paints.get(id) ?? NaN);
    },
  };
}

void main();
