// How many app API calls a changed event costs a screen. The service's entities.changed
// push carries the changed events (masked for the wall), so the console (queue, event
// detail, map, alerts) and the wall should update from the push: at most one call per
// open page for each changed event (the queue re-listing when an event enters it), and
// none of the calls that fetch an event the push already carried.
//
// Calls are counted on the wire: the page's Socket.IO frames pass through Playwright's
// WebSocket route, which sees every `invoke` the page sends and every push it receives.
// The demo county keeps its own activity going, so each window is judged against the
// distinct events the pushes in that window named, not against the one we made.
import { expect as baseExpect, test, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { appInfo, login } from './login';
import type { Grid } from '../../core/model';

const expect = baseExpect.configure({ timeout: 40_000 });

const town = JSON.parse(readFileSync(path.resolve(import.meta.dirname, '../../resources/demo-town/town.json'), 'utf8')) as { town: Grid; grids: Grid[] };
const TOWN = town.town.code;
const GRID = town.grids.find((g) => g.kind === 'basic') as Grid;
const COUNTY_DESK = { id: 'county-calls-e2e', role: 'dispatcher', name: '县级坐席' };

/** Methods that re-read an event (or everything about events) a push already carried. */
const REFETCHES = ['events.get', 'events.counts', 'commands.pending', 'commands.rejected'];

type MapHook = { ready: boolean; locate(kind: 'event', id: string): [number, number] | null };
type WithHook = { __griddeckMap?: MapHook };

interface Call {
  at: number;
  method: string;
  args: string;
}
interface Push {
  at: number;
  ids?: string[];
  events?: { id: string; status: string }[];
  gone?: string[];
  types: string[];
}
interface Wire {
  calls: Call[];
  pushes: Push[];
}

let county = '';

// Each window waits for the page to go quiet (2.5 s without a call) around a change, on a
// shared, busy machine: more than the default minute per test.
test.describe.configure({ timeout: 360_000 });

test.beforeAll(async ({ baseURL }) => {
  county = (await appInfo<{ demoCounty?: string }>(baseURL as string)).demoCounty ?? '';
  expect(county, 'the web shell runs its embedded county').not.toBe('');
});

async function control(body: Record<string, unknown>): Promise<Record<string, unknown>> {
  const res = await fetch(`${county}/control`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const json = (await res.json()) as Record<string, unknown>;
  expect(res.status, JSON.stringify(json)).toBe(200);
  return json;
}

/**
 * Routes the page's Socket.IO WebSocket through the test and records calls and event
 * pushes. Timers of 10 s or more (the periodic recounts and rechecks, which no change
 * causes) are stretched to an hour, so that they cannot land in a window by chance.
 */
async function watchWire(page: Page): Promise<Wire> {
  const wire: Wire = { calls: [], pushes: [] };
  await page.addInitScript(() => {
    const original = window.setInterval.bind(window);
    window.setInterval = ((fn: TimerHandler, ms?: number, ...rest: unknown[]) => original(fn, (ms ?? 0) >= 10_000 ? 3_600_000 : ms, ...rest)) as typeof window.setInterval;
  });
  await page.routeWebSocket(/\/socket\.io\//, (ws) => {
    const server = ws.connectToServer();
    ws.onMessage((message) => {
      if (typeof message === 'string') {
        const m = /^42\/api,\d*\["invoke","([^"]+)",?([\s\S]*)\]$/.exec(message);
        if (m) wire.calls.push({ at: Date.now(), method: m[1] as string, args: m[2] as string });
      }
      server.send(message);
    });
    server.onMessage((message) => {
      if (typeof message === 'string' && message.startsWith('42/api,["push","entities.changed",')) {
        const payload = (JSON.parse(message.slice('42/api,'.length)) as [string, string, Push])[2];
        if (payload.types.includes('event')) wire.pushes.push({ ...payload, at: Date.now() });
      }
      ws.send(message);
    });
  });
  return wire;
}

/** Waits until the page has sent no call for `quietMs`, counted from now at the earliest (coalesced calls come late). */
async function quiet(wire: Wire, quietMs = 2500): Promise<void> {
  const start = Date.now();
  await expect.poll(() => Date.now() - Math.max(start, wire.calls.at(-1)?.at ?? 0), { timeout: 60_000, intervals: [250] }).toBeGreaterThan(quietMs);
}

interface Measured {
  calls: Call[];
  pushes: Push[];
  changed: Set<string>;
}

/** Runs `act`, waits for the push naming `id` and for the page to go quiet; what happened meanwhile. */
async function measure(wire: Wire, act: () => Promise<string>, settled: (id: string) => Promise<void>): Promise<Measured & { id: string }> {
  await quiet(wire);
  const from = { calls: wire.calls.length, pushes: wire.pushes.length };
  const id = await act();
  await expect.poll(() => wire.pushes.slice(from.pushes).some((p) => p.ids?.includes(id))).toBe(true);
  await settled(id);
  await quiet(wire);
  const pushes = wire.pushes.slice(from.pushes);
  const changed = new Set(pushes.flatMap((p) => p.ids ?? []));
  return { id, calls: wire.calls.slice(from.calls), pushes, changed };
}

const createEvent = async (title: string): Promise<string> =>
  (await control({ action: 'create-event', town: TOWN, overrides: { title, grid: GRID.code, category: '0301', urgency: 'urgent' } })).id as string;

function expectCarried(w: Measured): void {
  for (const p of w.pushes) {
    expect(p.ids, 'an event push names its events').toBeDefined();
    const carried = new Set([...(p.events ?? []).map((e) => e.id), ...(p.gone ?? [])]);
    expect([...(p.ids ?? [])].filter((id) => !carried.has(id)), 'the push carries every event it names').toEqual([]);
  }
}

function report(name: string, w: Measured): void {
  console.log(`${name}: ${w.calls.length} call(s) for ${w.changed.size} changed event(s): ${w.calls.map((c) => c.method).join(', ') || 'none'}`);
}

const mapHas = async (page: Page, id: string): Promise<void> => {
  await expect.poll(() => page.evaluate((eid) => (window as unknown as WithHook).__griddeckMap?.locate('event', eid) ?? null, id)).not.toBeNull();
};

test('the console (queue, detail, map, alerts) follows a changed event with at most one call, none re-reading it', async ({ page }) => {
  const wire = await watchWire(page);
  await login(page, 'dispatcher');
  await page.waitForFunction(() => (window as unknown as WithHook).__griddeckMap?.ready === true, undefined, { timeout: 120_000 });
  const first = page.locator('.qrow[data-event-id]').first();
  await expect(first).toBeVisible();
  await first.click();
  const detail = page.getByRole('article', { name: '事件详情' });
  await expect(detail).toBeVisible();

  // 1. A new event enters the queue's 全部 tab: the queue places it among its rows by the risk
  //    key (core/events/risk.ts) without re-listing; the map, the counts, the alerts take it from
  //    the push. Other events the county's activity changed meanwhile may cost one call each.
  const allCount = page.getByTestId('count-all');
  const before = Number((await allCount.textContent())?.replace(/\D/g, ''));
  const entered = await measure(wire, () => createEvent(`E2E计数-${Date.now() % 100000}`), async (id) => {
    await mapHas(page, id);
    await expect.poll(async () => Number((await allCount.textContent())?.replace(/\D/g, ''))).toBeGreaterThan(before);
  });
  report('console, a new event in the open tab', entered);
  expectCarried(entered);
  expect(entered.calls.length).toBeLessThanOrEqual(entered.changed.size - 1);
  expect(entered.calls.filter((c) => REFETCHES.includes(c.method))).toEqual([]);

  // 2. The open event changes at the county without moving in the order (a comment): the
  //    detail and its queue row show it with no call at all (other events the county's
  //    activity changed meanwhile may cost one each).
  const openId = await first.getAttribute('data-event-id');
  const note = `县级意见-${Date.now() % 100000}`;
  const commented = await measure(
    wire,
    async () => {
      expect(await control({ action: 'apply', town: TOWN, name: 'event.comment', args: { id: openId, note }, actor: COUNTY_DESK })).toEqual({ ok: true });
      return openId as string;
    },
    async () => {
      await expect(detail).toContainText(note);
    },
  );
  report('console, the open event changed', commented);
  expectCarried(commented);
  expect(commented.calls.length).toBeLessThanOrEqual(commented.changed.size - 1);
  expect(commented.calls.filter((c) => REFETCHES.includes(c.method))).toEqual([]);

  // 3. In the 已结案 tab a new report belongs to no loaded row and to no filter: no call at all,
  //    unless the county's own activity closed an event meanwhile (that one enters the tab).
  await page.getByRole('tab', { name: /已结案/ }).click();
  await expect(page.locator('.qrow[data-event-id]').first()).toBeVisible();
  const elsewhere = await measure(wire, () => createEvent(`E2E计数外-${Date.now() % 100000}`), (id) => mapHas(page, id));
  report('console, a new event outside the open tab', elsewhere);
  expectCarried(elsewhere);
  const closedMeanwhile = new Set(elsewhere.pushes.flatMap((p) => (p.events ?? []).filter((e) => e.status === 'closed').map((e) => e.id)));
  expect(elsewhere.calls.length).toBeLessThanOrEqual(closedMeanwhile.size > 0 ? 1 : 0);
});

test('the wall follows a changed event with at most one call (its figures), never re-reading the event', async ({ page }) => {
  const wire = await watchWire(page);
  await login(page, 'viewer', '/wall');
  await page.waitForFunction(() => (window as unknown as WithHook).__griddeckMap?.ready === true, undefined, { timeout: 120_000 });
  const w = await measure(wire, () => createEvent(`E2E大屏计数-${Date.now() % 100000}`), (id) => mapHas(page, id));
  report('wall, a new event', w);
  expectCarried(w);
  expect(w.calls.length).toBeLessThanOrEqual(w.changed.size);
  expect(w.calls.filter((c) => c.method !== 'stats.overview')).toEqual([]);
});
