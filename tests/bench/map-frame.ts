// The map's frame time under load, against the same view with an empty map, in
// one run (npm run bench:map):
//   load: the benchmark county (county/demo generateCounty: 5,000 grids), 10,000
//   grid workers moving (each sends a fix every second, five times the simulator's
//   rate; pushed 10 times a second, the data service's coalescing rate), 50,000
//   events; the wall's look, 1920×1080, the whole county in view.
//   baseline: the same page, camera and base map with no grids, workers or events.
// Both runs move the camera by a hair every frame, so the base map and deck.gl
// redraw every frame (as while panning). Also, on the loaded map: the wall as it
// runs (camera at rest, the pushes alone make deck.gl draw: updates drawn per
// second), and the time from the notice of a new event to the first frame that
// draws it.
// Headless Debian Chromium on SwiftShader (no GPU): the absolute numbers are a CPU
// rasteriser's; the ratio is the figure to compare between machines.
//
//   npm run bench:map [-- --seconds 6 --events 50000 --workers 10000 --keep]
import react from '@vitejs/plugin-react';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { chromium, type Page } from 'playwright-core';
import sirv from 'sirv';
import { build } from 'vite';
import booleanPointInPolygon from '@turf/boolean-point-in-polygon';
import { DEMO_CATEGORIES } from '../../county/demo/catalog';
import { createRng } from '../../county/demo/random';
import { countyGrids, countyWorkers, generateCounty } from '../../county/demo/town';
import type { Category, EventStatus, Grid, GridEvent, PositionFix, Urgency, Worker } from '../../core/model';
import { OPEN_STATUSES } from '../../core/model';
import { toIso } from '../../core/time/shanghai';
import { basemapHandler } from '../../electron/web/basemap';
import { formatReport, type BenchReport } from './lib/report';
import { ROOT, scratchDir } from './lib/util';
import { freshWorkflow } from '../../core/events/transition';

interface Options {
  seconds: number;
  events: number;
  workers: number;
  keep: boolean;
}

function parseArgs(argv: readonly string[]): Options {
  const o: Options = { seconds: 6, events: 50_000, workers: 10_000, keep: false };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    if (flag === '--keep') o.keep = true;
    else if (flag === '--seconds' || flag === '--events' || flag === '--workers') {
      const v = Number(argv[++i]);
      if (!Number.isFinite(v) || v <= 0) throw new Error(`bad ${flag}`);
      o[flag.slice(2) as 'seconds' | 'events' | 'workers'] = v;
    } else throw new Error(`unknown option ${flag}`);
  }
  return o;
}

// ---------------------------------------------------------------- data

interface BenchData {
  grids: Grid[];
  workers: Worker[];
  positions: PositionFix[];
  events: GridEvent[];
  categories: Category[];
  camera: { lon: number; lat: number; zoom: number };
}

const OPEN: EventStatus[] = [...OPEN_STATUSES];

function bbox(grids: readonly Grid[]): [number, number, number, number] {
  const b: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const g of grids) {
    const polys = g.geometry.type === 'Polygon' ? [g.geometry.coordinates] : g.geometry.coordinates;
    for (const [x, y] of polys.flatMap((p) => p[0] ?? [])) {
      b[0] = Math.min(b[0], x!);
      b[1] = Math.min(b[1], y!);
      b[2] = Math.max(b[2], x!);
      b[3] = Math.max(b[3], y!);
    }
  }
  return b;
}

/** The zoom that fits a box into width × height pixels (Web Mercator, 512-pixel world at zoom 0). */
function fitZoom(b: [number, number, number, number], width: number, height: number): number {
  const merc = (lat: number): number => Math.log(Math.tan(Math.PI / 4 + (lat * Math.PI) / 360)) / (2 * Math.PI);
  const zx = Math.log2((width * 0.92 * 360) / ((b[2] - b[0]) * 512));
  const zy = Math.log2((height * 0.92) / ((merc(b[3]) - merc(b[1])) * 512));
  return Math.min(zx, zy);
}

function randomPointIn(g: Grid, rng: ReturnType<typeof createRng>): [number, number] {
  const [minX, minY, maxX, maxY] = bbox([g]);
  for (let i = 0; i < 30; i++) {
    const p: [number, number] = [rng.float(minX, maxX), rng.float(minY, maxY)];
    if (booleanPointInPolygon(p, g.geometry)) return p;
  }
  return [(minX + maxX) / 2, (minY + maxY) / 2];
}

function makeData(o: Options, now: number): BenchData {
  const county = generateCounty({ seed: 20241112 });
  const grids = countyGrids(county);
  const level3 = grids.filter((g) => g.level === 3);
  const workers = countyWorkers(county).slice(0, o.workers);
  const rng = createRng(7);
  const gridByCode = new Map(level3.map((g) => [g.code, g]));
  const positions: PositionFix[] = workers.map((w) => {
    const g = gridByCode.get(w.grids[0] ?? '') ?? rng.pick(level3);
    const [lon, lat] = randomPointIn(g, rng);
    return { workerId: w.id, lon, lat, at: now - rng.int(0, 600_000), speed: 1.2, heading: rng.float(0, 360), accuracy: 8 };
  });
  const leaves = DEMO_CATEGORIES.filter((c) => c.parent !== null);
  const events: GridEvent[] = [];
  for (let i = 0; i < o.events; i++) {
    const g = rng.pick(level3);
    const [lon, lat] = randomPointIn(g, rng);
    const reported = now - rng.int(0, 14 * 86_400_000);
    const open = rng.chance(0.7);
    const status: EventStatus = open ? rng.pick(OPEN) : 'closed';
    const u = rng.next();
    const urgency: Urgency = u < 0.05 ? 'critical' : u < 0.2 ? 'urgent' : 'normal';
    const due = reported + rng.int(1, 6) * 86_400_000;
    const c = rng.pick(leaves);
    events.push({
      id: `bench-${i}`,
      code: `BM-${i}`,
      title: `${g.name}${c.name}`,
      description: '',
      category: c.code,
      status,
      urgency,
      source: 'patrol',
      location: { lon, lat, address: g.name },
      grid: g.code,
      reportedAt: toIso(reported),
      reporter: null,
      ...freshWorkflow(),
      deadlines: open
        ? { finish: { kind: 'finish', limit: { value: 5, unit: 'days' }, startedAt: toIso(reported), dueAt: toIso(due), pausedAt: null, remainingAtPause: null, stoppedAt: null, extensions: [] } }
        : {},
      tier: 'general',
    });
  }
  const b = bbox(grids.filter((g) => g.level === 1));
  const camera = { lon: (b[0] + b[2]) / 2, lat: (b[1] + b[3]) / 2, zoom: fitZoom(b, 1920, 1080) };
  return { grids, workers, positions, events, categories: DEMO_CATEGORIES, camera };
}

// ---------------------------------------------------------------- page

async function buildHarness(outDir: string): Promise<void> {
  await build({
    configFile: false,
    root: path.join(ROOT, 'renderer'),
    base: '/',
    logLevel: 'warn',
    plugins: [react()],
    build: {
      outDir,
      emptyOutDir: true,
      chunkSizeWarningLimit: 10_000,
      rollupOptions: { input: path.join(ROOT, 'renderer/src/map/bench/index.html') },
    },
  });
}

async function serve(harnessDir: string, files: Record<string, string>): Promise<{ url: string; server: Server }> {
  const statics = sirv(harnessDir, { dev: true });
  const basemap = basemapHandler({ config: { kind: 'demo' } });
  const server = createServer((req, res) => {
    const p = (req.url ?? '/').split('?')[0] ?? '/';
    if (p.endsWith('.mjs')) res.setHeader('Content-Type', 'text/javascript; charset=utf-8');
    const file = files[p];
    if (file) {
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(file);
      return;
    }
    if (basemap(req, res)) return;
    statics(req, res, () => {
      res.writeHead(404).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

interface FrameSample {
  intervals: number[];
  deckMs: number[];
  deckFrames: number;
  pushes: number;
  fixes: number;
  elapsedMs: number;
}

/** Every worker sends a fix every second: five times the simulator's rate (one every 5 s), pushed 10 times a second. */
const FIX_EVERY_MS = 1000;

const mean = (xs: readonly number[]): number => xs.reduce((s, x) => s + x, 0) / Math.max(1, xs.length);
function pct(xs: readonly number[], p: number): number {
  const s = [...xs].filter(Number.isFinite).sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
}
const ms = (v: number): string => (Number.isFinite(v) ? `${v.toFixed(1)} ms` : '—');

async function open(page: Page, url: string): Promise<{ grids: number; workers: number; events: number }> {
  await page.goto(url);
  await page.waitForFunction(() => window.__griddeckMap?.ready === true && !!window.__mapBench, null, { timeout: 180_000 });
  return page.evaluate(() => window.__mapBench!.counts);
}

async function main(): Promise<void> {
  const o = parseArgs(process.argv.slice(2));
  const scratch = scratchDir('map');
  const t0 = Date.now();
  console.log(`map benchmark: generating the county (5,000 grids), ${o.workers} workers, ${o.events} events…`);
  const now = Date.now();
  const full = makeData(o, now);
  const empty: BenchData = { grids: [], workers: [], positions: [], events: [], categories: full.categories, camera: full.camera };
  console.log(`  data ready in ${((Date.now() - t0) / 1000).toFixed(1)} s; building the harness page…`);
  const harness = path.join(scratch.dir, 'harness');
  await buildHarness(harness);
  const files = { '/full.json': JSON.stringify(full), '/empty.json': JSON.stringify(empty) };
  // Kept beside the harness (with --keep) to open the page by hand: serve the folder, open /src/map/bench/index.html?data=/full.json.
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(harness, name.slice(1)), text);
  const { url, server } = await serve(harness, files);
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--enable-unsafe-swiftshader', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    // MAP_BENCH_LAYERS=grids,events: only these layers in the loaded run (to find which one costs).
    const layers = process.env.MAP_BENCH_LAYERS ? `&layers=${encodeURIComponent(process.env.MAP_BENCH_LAYERS)}` : '';
    const page0 = `/src/map/bench/index.html?mode=wall${layers}&data=`;
    const measure = (move: boolean, still = false): Promise<FrameSample> =>
      page.evaluate((args) => window.__mapBench!.measure(args), { ms: o.seconds * 1000, move, pushEveryMs: 100, fixEveryMs: FIX_EVERY_MS, still });
    const gl = await (async () => {
      await page.goto(`${url}/src/map/bench/index.html?data=/empty.json`);
      return page.evaluate(() => {
        const c = document.createElement('canvas').getContext('webgl2');
        const info = c?.getExtension('WEBGL_debug_renderer_info');
        return c ? String(info ? c.getParameter(info.UNMASKED_RENDERER_WEBGL) : c.getParameter(c.RENDERER)) : 'no WebGL2';
      });
    })();

    console.log('  baseline: the empty map…');
    await open(page, `${url}${page0}/empty.json`);
    await measure(false); // warm-up
    const base = await measure(false);

    console.log('  load: the county…');
    const loadStart = Date.now();
    const counts = await open(page, `${url}${page0}/full.json`);
    const loadMs = Date.now() - loadStart;
    await measure(true); // warm-up: shaders, glyph atlas, first trails
    // MAP_BENCH_PROFILE=file.cpuprofile: a V8 CPU profile of the loaded run (open it in Chromium's DevTools).
    const profileTo = process.env.MAP_BENCH_PROFILE;
    const cdp = profileTo ? await page.context().newCDPSession(page) : null;
    if (cdp) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.start');
    }
    const loaded = await measure(true);
    if (cdp && profileTo) {
      const { profile } = await cdp.send('Profiler.stop');
      writeFileSync(profileTo, JSON.stringify(profile));
      console.log(`  CPU profile of the loaded run: ${profileTo}`);
    }
    // The wall as it runs: the camera at rest, the pushes alone make deck.gl draw.
    const still = await measure(true, true);
    const latencies = await page.evaluate(() => window.__mapBench!.eventLatency({ count: 12, gapMs: 400 }));
    mkdirSync(path.join(ROOT, 'test-results', 'bench'), { recursive: true });
    await page.screenshot({ path: path.join(ROOT, 'test-results', 'bench', 'map-frame-county.png') }).catch(() => undefined);

    const rows: BenchReport['rows'] = [
      { name: 'frame interval, mean', value: ms(mean(loaded.intervals)), baseline: ms(mean(base.intervals)), ratio: `${(mean(loaded.intervals) / mean(base.intervals)).toFixed(2)}×` },
      { name: 'frame interval, p95', value: ms(pct(loaded.intervals, 95)), baseline: ms(pct(base.intervals, 95)), ratio: `${(pct(loaded.intervals, 95) / pct(base.intervals, 95)).toFixed(2)}×` },
      { name: 'deck.gl CPU per frame, mean', value: ms(mean(loaded.deckMs)), baseline: ms(mean(base.deckMs)), ratio: `${(mean(loaded.deckMs) / Math.max(0.01, mean(base.deckMs))).toFixed(1)}×` },
      { name: 'deck.gl CPU per frame, p95', value: ms(pct(loaded.deckMs, 95)), baseline: ms(pct(base.deckMs, 95)), ratio: '' },
      { name: 'frames per second', value: (loaded.intervals.length / (loaded.elapsedMs / 1000)).toFixed(1), baseline: (base.intervals.length / (base.elapsedMs / 1000)).toFixed(1), ratio: '' },
      {
        name: 'camera at rest: updates drawn per second',
        value: (still.deckFrames / (still.elapsedMs / 1000)).toFixed(1),
        baseline: '',
        ratio: '',
        note: `${still.pushes} pushes in ${(still.elapsedMs / 1000).toFixed(1)} s; deck.gl CPU ${ms(mean(still.deckMs))} a frame`,
      },
      { name: 'new event → first frame, median', value: ms(pct(latencies, 50)), baseline: '', ratio: '', note: `${latencies.filter(Number.isFinite).length}/${latencies.length} drawn` },
      { name: 'new event → first frame, max', value: ms(Math.max(...latencies.filter(Number.isFinite))), baseline: '', ratio: '' },
      { name: 'load to first complete frame', value: `${(loadMs / 1000).toFixed(1)} s`, baseline: '', ratio: '', note: 'JSON parse, grid preparation, layers' },
    ];
    const report: BenchReport = {
      name: 'map-frame',
      title: 'the map under load against the empty map, same view, same run',
      setup: `${counts.grids} grids (${full.grids.filter((g) => g.level === 3).length} level 3), ${counts.workers} workers moving (each a fix a second: ${loaded.fixes} fixes in ${loaded.pushes} pushes in ${(loaded.elapsedMs / 1000).toFixed(1)} s), ${counts.events} events; wall mode, 1920×1080, ${o.seconds} s per run; WebGL: ${gl}`,
      rows,
      checks: [
        { name: 'new event drawn within a second', measured: ms(Math.max(...latencies.filter(Number.isFinite))), target: '< 1000 ms', pass: latencies.every((l) => Number.isFinite(l) && l < 1000) },
      ],
      verified: [`every one of ${latencies.length} new events was drawn: ${latencies.every(Number.isFinite)}`],
    };
    console.log(`\n${formatReport(report)}`);
    const out = path.join(ROOT, 'test-results', 'bench');
    mkdirSync(out, { recursive: true });
    writeFileSync(path.join(out, 'map-frame.json'), `${JSON.stringify({ ...report, raw: { base, loaded, still, latencies, loadMs } }, null, 1)}\n`);
    console.log(`\n(raw samples in test-results/bench/map-frame.json, a screenshot in test-results/bench/map-frame-county.png)`);
  } finally {
    await browser.close();
    await new Promise((resolve) => server.close(resolve));
    if (!o.keep) scratch.cleanup();
    else console.log(`kept ${scratch.dir}`);
  }
}

declare global {
  interface Window {
    __griddeckMap?: { ready: boolean };
    __mapBench?: {
      measure(options: { ms: number; move: boolean; pushEveryMs: number; fixEveryMs: number; still?: boolean }): Promise<FrameSample>;
      eventLatency(options: { count: number; gapMs: number }): Promise<number[]>;
      counts: { grids: number; workers: number; events: number };
    };
  }
}

main().catch((error: unknown) => {
  console.error(`map benchmark: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exit(1);
});
