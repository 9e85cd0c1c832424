// What a person noticed at the console (issue 14), guarded in the browser: the dispatch
// dialog's recommended workers are listed in the order their heading names; the intake's
// 在地图上选择位置 button can be seen and clicked (no filter covers it) and its （必填）
// marks stay beside the fields' names; the map's grid fill spreads the demo's grids over
// more than one class, and the place names draw above the markers; a wall wider than
// 16:9 uses its width (the hottest village's map and the overdue column beside the town).
import { expect as baseExpect, test, type Locator, type Page } from '@playwright/test';
import { pointOnFeature } from '@turf/point-on-feature';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { RECOMMEND_ORDER, RECOMMEND_ORDER_TEXT } from '../../core/catalog/catalog';
import type { Grid } from '../../core/model';
import { login } from './login';

/** The part of the map's test hook (renderer/src/map/test-hook.ts) this spec uses. */
type MapHook = { ready: boolean; overview(): Promise<void>; layerOrder(): string[] };

// A busy machine can take seconds per screen update: outcomes are asserted, never speed.
const expect = baseExpect.configure({ timeout: 30_000 });

const town = JSON.parse(readFileSync(path.resolve(import.meta.dirname, '../../resources/demo-town/town.json'), 'utf8')) as { grids: Grid[] };
const GRID = town.grids.find((g) => g.kind === 'basic') as Grid;
const [LON, LAT] = pointOnFeature(GRID.geometry).geometry.coordinates as [number, number];

const dialog = (page: Page) => page.getByRole('dialog');
const detail = (page: Page) => page.getByRole('article', { name: '事件详情' });
const status = (page: Page) => detail(page).locator('.ed-sub .cbadge-status');

async function mapReady(page: Page): Promise<void> {
  await page.waitForFunction(() => (window as unknown as { __griddeckMap?: MapHook }).__griddeckMap?.ready === true, undefined, { timeout: 60_000 });
}

/** A field's name and its （必填） mark on one line: the mark's box sits within the name's single line. */
async function expectMarkBesideName(field: Locator): Promise<void> {
  const name = field.locator('.field-name');
  await expect(name.locator('.req')).toHaveText('（必填）');
  const nameBox = (await name.boundingBox())!;
  const markBox = (await name.locator('.req').boundingBox())!;
  const inputBox = (await field.locator('input, select, textarea').first().boundingBox())!;
  expect(nameBox.height).toBeLessThan(28);
  expect(markBox.y).toBeGreaterThanOrEqual(nameBox.y - 1);
  expect(markBox.y + markBox.height).toBeLessThanOrEqual(nameBox.y + nameBox.height + 1);
  expect(markBox.x).toBeGreaterThan(nameBox.x);
  expect(inputBox.y).toBeGreaterThanOrEqual(nameBox.y + nameBox.height - 1);
}

/** Metres from a row's shown distance: "310 米", "1.9 公里"; null without a fix. */
function shownMetres(text: string): number | null {
  const m = /([\d.]+) (米|公里)/.exec(text);
  if (!m) return null;
  return Number(m[1]) * (m[2] === '公里' ? 1000 : 1);
}

test.describe.configure({ mode: 'serial', timeout: 240_000 });

test('intake: the map-pick button is visible and clickable, the （必填） marks beside the names; dispatch: the list follows its heading', async ({ page }) => {
  await login(page, 'dispatcher');
  await expect(page.getByTestId('count-all')).not.toHaveText('…');
  await mapReady(page);
  await page.locator('body').press('n');
  const form = dialog(page);
  await expect(form).toContainText('手工登记事件');

  // The button is the first of the map's bar: nothing covers it, a plain click reaches it (Playwright checks the hit target).
  const pick = page.getByRole('button', { name: '在地图上选择位置' });
  await expect(pick).toBeVisible();
  await expect(pick).toHaveAttribute('aria-pressed', 'true');
  await pick.click();
  await expect(pick).toHaveAttribute('aria-pressed', 'false');
  await pick.click();
  await expect(pick).toHaveAttribute('aria-pressed', 'true');
  for (const filter of ['地图事件类别', '地图紧急程度']) {
    const a = (await pick.boundingBox())!;
    const b = (await page.getByRole('combobox', { name: filter }).boundingBox())!;
    const overlap = a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
    expect(overlap, `在地图上选择位置 overlaps ${filter}`).toBe(false);
  }

  for (const name of ['事件标题', '事件类别', '事发地址']) await expectMarkBesideName(form.locator('label.field', { hasText: name }).first());

  const title = `E2E推荐顺序-${Date.now() % 100000}`;
  await form.getByLabel('事件标题').fill(title);
  await form.getByLabel('事件类别').selectOption('0301');
  await form.getByLabel('事发地址').fill('村口 8 号');
  await form.getByLabel('经度').fill(LON.toFixed(6));
  await form.getByLabel('纬度').fill(LAT.toFixed(6));
  await expect(form.getByTestId('intake-grid')).toContainText('所在网格');
  await form.getByRole('button', { name: '登记上报' }).click();
  await expect(form).toHaveCount(0);
  await expect(detail(page)).toContainText(title);
  await page.locator('body').press('a');
  await expect(status(page)).toHaveText('待派遣');

  await page.getByRole('toolbar', { name: '可执行的操作' }).getByRole('button', { name: /派遣/ }).click();
  const group = dialog(page).getByRole('radiogroup', { name: '推荐网格员' });
  await expect(group.getByRole('heading')).toHaveText(`推荐网格员（${RECOMMEND_ORDER_TEXT}）`);
  const rows = group.locator('label.target-option');
  await expect.poll(() => rows.count()).toBeGreaterThanOrEqual(2);
  const listed = await rows.evaluateAll((els) => els.map((el) => ({ key: (el.getAttribute('data-order-key') ?? '').split(',').map(Number), text: el.textContent ?? '' })));

  // Each row's key has one figure per named criterion, and the rows rise by them in turn.
  for (const { key } of listed) expect(key).toHaveLength(RECOMMEND_ORDER.length);
  for (let i = 1; i < listed.length; i++) {
    const [a, b] = [listed[i - 1]!.key, listed[i]!.key];
    const first = a.findIndex((x, k) => x !== b[k]);
    if (first >= 0) expect(a[first]!, `row ${i} before row ${i + 1}: ${listed[i - 1]!.text} / ${listed[i]!.text}`).toBeLessThan(b[first]!);
  }
  // What the rows show agrees: 本网格 before 相邻网格, and by the shown distance within the same rank.
  for (const { key, text } of listed) {
    expect(text).toContain(key[0] === 0 ? '本网格' : '相邻网格');
    if (key[2] === 2) expect(text).toContain('无定位');
  }
  for (let i = 1; i < listed.length; i++) {
    const [a, b] = [listed[i - 1]!, listed[i]!];
    if (a.key.slice(0, 3).join() !== b.key.slice(0, 3).join()) continue;
    const [da, db] = [shownMetres(a.text), shownMetres(b.text)];
    if (da !== null && db !== null) expect(da, `${a.text} / ${b.text}`).toBeLessThanOrEqual(db);
  }
  await dialog(page).getByRole('button', { name: '取消' }).click();
  await expect(dialog(page)).toHaveCount(0);
});

test('the grid fill’s classes spread the demo’s grids over more than one class; place names draw above the markers', async ({ page }) => {
  await login(page, 'dispatcher');
  await mapReady(page);
  await page.evaluate(() => (window as unknown as { __griddeckMap?: MapHook }).__griddeckMap?.overview());

  const fold = page.locator('details.map-legend-fold');
  if (await fold.count()) await fold.locator('summary').click();
  const fill = page.getByTestId('legend-fill');
  await expect(fill.getByRole('heading')).toContainText('按本镇各网格分布分级', { timeout: 60_000 });
  const steps = await fill.locator('.legend-step').evaluateAll((els) => els.map((el) => ({ label: el.textContent ?? '', grids: Number(el.getAttribute('data-grids')) })));
  expect(steps.length).toBeGreaterThanOrEqual(2);
  expect(steps[0]!.label).toBe('0');
  const total = steps.reduce((n, s) => n + s.grids, 0);
  expect(total).toBeGreaterThan(0);
  // Among the grids with open events, more than one class is used, and no class holds them all.
  const busy = steps.slice(1).filter((s) => s.grids > 0);
  expect(busy.length, JSON.stringify(steps)).toBeGreaterThan(1);
  expect(Math.max(...steps.slice(1).map((s) => s.grids))).toBeLessThan(total - steps[0]!.grids);

  const order = await page.evaluate(() => (window as unknown as { __griddeckMap?: MapHook }).__griddeckMap?.layerOrder() ?? []);
  const places = order.indexOf('place-labels');
  expect(places, order.join(' ')).toBeGreaterThanOrEqual(0);
  for (const marker of ['events', 'event-clusters', 'event-cluster-counts', 'workers']) {
    const at = order.indexOf(marker);
    if (at >= 0) expect(places, `place-labels above ${marker}: ${order.join(' ')}`).toBeGreaterThan(at);
  }
  expect(order.some((id) => id === 'event-clusters' || id === 'events')).toBe(true);
});

// 32:9 at 3840×1080 (scale 1) rather than 7680×2160 (scale 2): the same stage of 3840×1080
// design pixels and the same layout, with a quarter of the pixels for SwiftShader to draw
// two maps (wall.spec keeps its 7680×2160 screenshot).
test('a 32:9 span wall uses its width: the hottest village’s map and the overdue events beside the town', async ({ page }) => {
  await page.setViewportSize({ width: 3840, height: 1080 });
  await login(page, 'viewer', '/wall');
  await expect(page.getByRole('heading', { level: 1 })).toContainText('网格化指挥调度中心');
  const village = page.getByTestId('wall-village');
  const overdue = page.getByTestId('wall-overdue');
  await expect(village.getByRole('heading')).toContainText(/重点关注 · \S+(村|社区)/, { timeout: 60_000 });
  await expect(village.locator('[data-stat="village.open"]')).toHaveText(/^未办结 [1-9]\d* 件 · 超时 \d+ 件$/);
  await expect(village.locator('canvas').first()).toBeVisible({ timeout: 60_000 });
  // The overdue column counts what the figures' 当前超时 counts.
  await expect(overdue.locator('[data-stat="overdue.total"]')).toHaveText(/^\d+$/);
  await expect(overdue.locator('[data-stat="overdue.total"]')).toHaveText((await page.locator('[data-stat="today.overdue"]').textContent()) ?? '');
  // The main map keeps the test hook (the village map does not take it) and draws the town.
  await mapReady(page);

  const boxes = await Promise.all(
    [page.locator('.wl-column').first(), page.getByLabel('全镇网格地图'), village, overdue, page.locator('.wl-column').last()].map(async (l) => (await l.boundingBox())!),
  );
  const [left, town, villageBox, overdueBox, right] = boxes as [Box, Box, Box, Box, Box];
  // Side by side, left to right, none over another, and together across more than 80 % of the width.
  for (const [a, b] of [[left, town], [town, villageBox], [villageBox, overdueBox], [overdueBox, right]] as const) expect(a.x + a.width).toBeLessThanOrEqual(b.x);
  expect(villageBox.width).toBeGreaterThan(800);
  expect(villageBox.height).toBeGreaterThan(800);
  const spread = Math.max(...boxes.map((b) => b.x + b.width)) - Math.min(...boxes.map((b) => b.x));
  expect(spread / 3840).toBeGreaterThan(0.8);
  // The centre is not one map with empty sides: the town map takes under half the width.
  expect(town.width / 3840).toBeLessThan(0.5);

  // A 16:9 wall keeps its layout: no village map, no overdue column.
  await page.setViewportSize({ width: 1920, height: 1080 });
  await expect(village).toHaveCount(0);
  await expect(overdue).toHaveCount(0);
});

type Box = { x: number; y: number; width: number; height: number };
