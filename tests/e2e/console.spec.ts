// The dispatcher console driven like a dispatcher drives it, against the web shell and
// its embedded county simulator: an event's whole life (manual intake, accept,
// dispatch, the department's feedback arriving from the county, verify, close); the
// same with the county stopped halfway and restarted, ending in the county's state
// with each command applied once; a command the county rejects, listed with its
// reason; and the refusals a dispatcher must understand.
import { expect as baseExpect, test, type Page } from '@playwright/test';
import { pointOnFeature } from '@turf/point-on-feature';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Grid } from '../../core/model';
import { appInfo, login } from './login';

/** The part of the map's test hook (renderer/src/map/test-hook.ts) this spec uses. */
type MapHook = { ready: boolean; project(lon: number, lat: number): [number, number] | null; jumpTo(c: { lon: number; lat: number; zoom?: number }): Promise<void> };

// The data service is one Node thread shared with the county simulator and the map's loads:
// on a busy machine a screen update can take seconds. Outcomes are asserted, never speed.
const expect = baseExpect.configure({ timeout: 30_000 });

const town = JSON.parse(readFileSync(path.resolve(import.meta.dirname, '../../resources/demo-town/town.json'), 'utf8')) as {
  town: Grid;
  villages: Grid[];
  grids: Grid[];
};
const TOWN = town.town.code;
const GRID = town.grids.find((g) => g.kind === 'basic') as Grid;
const VILLAGE = town.villages.find((v) => v.code === GRID.parent) as Grid;
const [LON, LAT] = pointOnFeature(GRID.geometry).geometry.coordinates as [number, number];
const DEPARTMENT = { id: 'op-dept-rj', role: 'department', departmentId: 'dept-rj', name: '人居环境整治办经办人' };
const COUNTY_DESK = { id: 'county-e2e', role: 'dispatcher', name: '县级坐席' };

interface AppInfo {
  demoCounty?: string;
  replicaId?: string;
}
interface Applied {
  n: number;
  name: string;
  status: 'applied' | 'rejected';
}
interface CountyEvent {
  id: string;
  status: string;
  history: { action: string }[];
}

let county = '';
let replicaId = '';

async function control(body: Record<string, unknown>): Promise<Record<string, unknown>> {
  const res = await fetch(`${county}/control`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const json = (await res.json()) as Record<string, unknown>;
  expect(res.status, JSON.stringify(json)).toBe(200);
  return json;
}

async function countyEvent(id: string): Promise<CountyEvent | undefined> {
  const snapshot = (await (await fetch(`${county}/snapshot?town=${TOWN}`)).json()) as { events: CountyEvent[] };
  return snapshot.events.find((e) => e.id === id);
}

async function applied(): Promise<Applied[]> {
  return (await (await fetch(`${county}/applied?replica=${encodeURIComponent(replicaId)}`)).json()) as Applied[];
}

const detail = (page: Page) => page.getByRole('article', { name: '事件详情' });
const status = (page: Page) => detail(page).locator('.ed-sub .cbadge-status');
const toolbar = (page: Page) => page.getByRole('toolbar', { name: '可执行的操作' });
const dialog = (page: Page) => page.getByRole('dialog');

/** Manual intake through the form (keyboard n), its place picked on the map or typed; returns the new event's id. */
async function intake(page: Page, title: string, place: 'map' | 'fields'): Promise<string> {
  await page.locator('body').press('n');
  const form = dialog(page);
  await expect(form).toContainText('手工登记事件');
  await form.getByLabel('事件标题').fill(title);
  await form.getByLabel('事件描述').fill('来电反映路边垃圾堆放多日，气味很大');
  await form.getByLabel('事件类别').selectOption('0301');
  await form.getByLabel('紧急程度').selectOption('urgent');
  await form.getByLabel('来源').selectOption('hotline');
  await form.getByLabel('姓名').fill('王小明');
  await form.getByLabel('电话').fill('13812345678');
  await form.getByLabel('事发地址').fill(`${VILLAGE.name}村口 12 号`);
  if (place === 'map') {
    // A click on the console's map picks the place (the map's test hook gives the pixel of a WGS84 point).
    await page.waitForFunction(() => (window as unknown as { __griddeckMap?: MapHook }).__griddeckMap?.ready === true, undefined, { timeout: 60_000 });
    await page.evaluate(([lon, lat]) => (window as unknown as { __griddeckMap?: MapHook }).__griddeckMap?.jumpTo({ lon, lat, zoom: 15 }), [LON, LAT] as const);
    const xy = await page.evaluate(
      ([lon, lat]) => (window as unknown as { __griddeckMap?: MapHook }).__griddeckMap?.project(lon, lat) ?? null,
      [LON, LAT] as const,
    );
    expect(xy).not.toBeNull();
    await page.mouse.click(xy![0], xy![1]);
    await expect(form.getByLabel('经度')).toHaveValue(/^112\.\d+/);
    const lon = Number(await form.getByLabel('经度').inputValue());
    expect(Math.abs(lon - LON)).toBeLessThan(0.0005);
  } else {
    await form.getByLabel('经度').fill(LON.toFixed(6));
    await form.getByLabel('纬度').fill(LAT.toFixed(6));
  }
  await expect(form.getByTestId('intake-grid')).toContainText(`所在网格：${VILLAGE.name} · ${GRID.name}`);
  await form.getByRole('button', { name: '登记上报' }).click();
  await expect(form).toHaveCount(0);
  await expect(detail(page)).toContainText(title);
  await expect(status(page)).toHaveText('待受理');
  const id = await detail(page).getAttribute('data-event-id');
  expect(id).toMatch(/^[0-9a-f-]{36}$/);
  return id as string;
}

/** Department operator's feedback, sent to the county as the department would. */
async function departmentFeedback(id: string, note: string): Promise<void> {
  expect(await control({ action: 'apply', town: TOWN, name: 'event.feedback', args: { id, note }, actor: DEPARTMENT })).toEqual({ ok: true });
}

async function waitForCounty(id: string, want: string): Promise<CountyEvent> {
  await expect.poll(async () => (await countyEvent(id))?.status, { timeout: 40_000 }).toBe(want);
  return (await countyEvent(id)) as CountyEvent;
}

/** Verify then close, as a dispatcher does it with the mouse and the keyboard. */
async function verifyAndClose(page: Page): Promise<void> {
  await toolbar(page).getByRole('button', { name: '核查通过' }).click();
  await dialog(page).getByRole('button', { name: '确定核查通过' }).click();
  await expect(status(page)).toHaveText('待结案');
  await page.locator('body').press('c');
  await expect(dialog(page)).toContainText('结案');
  await dialog(page).getByLabel('结案说明').fill('群众满意，结案');
  await dialog(page).getByLabel('结案说明').press('Control+Enter');
  await expect(status(page)).toHaveText('已结案');
}

/** Every command of this replica settled once, all applied, for the given event's names in order. */
function expectAppliedOnce(log: Applied[], ns: number[], names: string[]): void {
  const all = log.map((a) => a.n);
  expect(new Set(all).size).toBe(all.length);
  const mine = log.filter((a) => ns.includes(a.n));
  expect(mine.map((a) => [a.name, a.status])).toEqual(names.map((n) => [n, 'applied']));
}

test.describe.configure({ mode: 'serial', timeout: 240_000 });

test.beforeAll(async ({ baseURL }) => {
  const info = await appInfo<AppInfo>(baseURL as string);
  county = info.demoCounty ?? '';
  replicaId = info.replicaId ?? '';
  expect(county).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  expect(replicaId).not.toBe('');
  await control({ action: 'resume' });
});

test.afterAll(async () => {
  if (county) await control({ action: 'resume' }).catch(() => undefined);
});

test('an event’s whole life: intake, accept, dispatch, the department’s feedback from the county, verify, close', async ({ page }, info) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await login(page, 'dispatcher');
  await expect(page.getByRole('heading', { level: 1 })).toContainText('调度台');
  await expect(page.getByTestId('count-all')).not.toHaveText('…');

  const title = `E2E全流程-${Date.now() % 100000}`;
  const id = await intake(page, title, 'map');

  // The reporter's phone is masked for every role; the dispatcher reveals it with a reason (audited).
  const reporter = page.getByTestId('reporter');
  await expect(page.getByTestId('reporter-phone')).toContainText('138****5678');
  await expect(reporter).not.toContainText('13812345678');
  const region = page.getByRole('region', { name: '报告人' });
  await region.getByRole('button', { name: '查看完整电话' }).click();
  await region.getByRole('form', { name: '查看完整电话' }).getByRole('button', { name: '确认查看' }).click();
  await expect(region.getByRole('alert')).toHaveText('请说明查看原因');
  await region.getByLabel('查看原因').fill('回访报告人核实情况');
  await region.getByRole('button', { name: '确认查看' }).click();
  await expect(page.getByTestId('reporter-phone')).toContainText('13812345678');

  // Deadlines count down in working time.
  await expect(detail(page).getByTestId('clock-accept')).toContainText(/剩余 \d+ 分/);

  // Accept from the keyboard.
  await page.locator('body').press('a');
  await expect(status(page)).toHaveText('待派遣');

  // A dispatch to nobody is refused before anything is sent.
  await toolbar(page).getByRole('button', { name: /派遣/ }).click();
  await expect(dialog(page).getByRole('radiogroup', { name: '推荐网格员' })).toContainText(/网格/);
  await dialog(page).getByRole('button', { name: '确定派遣' }).click();
  await expect(dialog(page).getByRole('alert')).toHaveText('请选择派遣对象：一个承办部门或一名网格员，不能派遣给“无人”。');
  await dialog(page).getByLabel('或派遣至部门').selectOption('dept-rj');
  await dialog(page).getByRole('button', { name: '确定派遣' }).click();
  await expect(status(page)).toHaveText('处置中');
  await waitForCounty(id, 'dispatched');

  // The department's feedback arrives from the county.
  await departmentFeedback(id, '垃圾已全部清运，现场已消毒');
  await expect(status(page)).toHaveText('待核查', { timeout: 40_000 });
  await expect(detail(page).getByRole('region', { name: '办理记录' })).toContainText('垃圾已全部清运');

  // A close before verification is refused in the workflow's words.
  await page.locator('body').press('c');
  await expect(page.getByTestId('action-notice')).toHaveText('不能结案：事件当前状态为“待核查”，不能结案：需先完成核查');

  await verifyAndClose(page);
  const final = await waitForCounty(id, 'closed');
  expect(final.history.map((h) => h.action)).toEqual(['event.create', 'event.accept', 'event.dispatch', 'event.feedback', 'event.verify', 'event.close']);
  await expect(page.getByTestId('queue-length')).toHaveText(/待同步命令 0 条/, { timeout: 40_000 });
  await expect(detail(page).getByRole('region', { name: '办理记录' })).toContainText('结案');
  await page.screenshot({ path: info.outputPath('console-event-closed-1920x1080.png') });
  expect(errors).toEqual([]);
});

test('the county stopped halfway and restarted: the console goes on, and the county ends with each command once', async ({ page }, info) => {
  await login(page, 'dispatcher');
  const title = `E2E断网-${Date.now() % 100000}`;
  const id = await intake(page, title, 'fields');
  await page.locator('body').press('a');
  await expect(status(page)).toHaveText('待派遣');
  await waitForCounty(id, 'accepted');
  const before = (await applied()).map((a) => a.n);
  let assignee: Record<string, string> = DEPARTMENT;

  // The county stops answering; the link is dropped too, so the town reconnects and resends.
  await control({ action: 'pause' });
  try {
    // d: the dispatch dialog with the nearest on-duty grid worker preselected (grid workers are on duty 08:00–18:00).
    await page.locator('body').press('d');
    const picker = dialog(page).getByRole('radiogroup', { name: '推荐网格员' });
    await expect(picker).not.toContainText('正在计算推荐');
    const radios = picker.getByRole('radio');
    if ((await radios.count()) > 0) {
      await expect(radios.first()).toBeChecked();
      assignee = { id: (await radios.first().getAttribute('value')) as string, role: 'gridWorker' };
    } else {
      await dialog(page).getByLabel('或派遣至部门').selectOption('dept-rj');
    }
    await dialog(page).getByRole('button', { name: '确定派遣' }).click();
    await expect(status(page)).toHaveText('处置中');
    await expect(detail(page).locator('.cbadge-pending')).toBeVisible();
    await expect(detail(page).getByTestId('pending-commands')).toContainText('派遣');
    await control({ action: 'drop' });
    await toolbar(page).getByRole('button', { name: '督办' }).click();
    await dialog(page).getByLabel('督办意见').fill('请今日内处理完毕');
    await dialog(page).getByRole('button', { name: '确定督办' }).click();
    await expect(detail(page).getByTestId('pending-commands')).toContainText('派遣、督办');
    await expect(page.getByTestId('queue-length')).toHaveText(/待同步命令 ([2-9]|\d{2,}) 条/);
    // The queue row carries the badge too.
    await page.locator('body').press('/');
    await page.keyboard.type(title);
    await expect(page.locator(`[data-event-id="${id}"].qrow .cbadge-pending`)).toBeVisible();
    await page.screenshot({ path: info.outputPath('console-county-stopped-1920x1080.png') });
    expect((await countyEvent(id))?.status).toBe('accepted');
  } finally {
    await control({ action: 'resume' });
  }

  // Restarted: the queued commands reach the county once each, and the badge goes.
  await waitForCounty(id, 'dispatched');
  await expect(detail(page).getByTestId('pending-commands')).toHaveCount(0, { timeout: 40_000 });
  expect(await control({ action: 'apply', town: TOWN, name: 'event.feedback', args: { id, note: '已清理' }, actor: assignee })).toEqual({ ok: true });
  await expect(status(page)).toHaveText('待核查', { timeout: 40_000 });
  await verifyAndClose(page);
  const final = await waitForCounty(id, 'closed');
  expect(final.history.map((h) => h.action)).toEqual([
    'event.create',
    'event.accept',
    'event.dispatch',
    'event.supervise',
    'event.feedback',
    'event.verify',
    'event.close',
  ]);
  await expect.poll(async () => (await applied()).length, { timeout: 40_000 }).toBe(before.length + 4);
  const log = await applied();
  const mine = log.filter((a) => !before.includes(a.n)).map((a) => a.n);
  expectAppliedOnce(log, mine, ['event.dispatch', 'event.supervise', 'event.verify', 'event.close']);
});

test('refusals: a reject without a reason; a command the county rejected is listed with its reason, and dropped', async ({ page }) => {
  await login(page, 'dispatcher');
  const title = `E2E驳回-${Date.now() % 100000}`;
  const created = await control({ action: 'create-event', town: TOWN, overrides: { title, grid: GRID.code, category: '0301' } });
  const id = created.id as string;

  // Find it from the keyboard: / to search, then open it.
  await page.locator('body').press('/');
  await page.keyboard.type(title);
  const row = page.locator(`.qrow[data-event-id="${id}"]`);
  await expect(row).toBeVisible({ timeout: 40_000 });
  await row.click();
  await expect(status(page)).toHaveText('待受理');

  // A reject without a reason is refused before anything is sent.
  await toolbar(page).getByRole('button', { name: '不予受理' }).click();
  await dialog(page).getByRole('button', { name: '确定不予受理' }).click();
  await expect(dialog(page).getByRole('alert')).toHaveText('不予受理必须填写原因：请写明为什么不受理，以便答复报告人。');
  await dialog(page).getByLabel('不予受理的原因').press('Escape');
  await expect(dialog(page)).toHaveCount(0);

  // The town accepts while the county, stopped, has already refused the report: the county rejects the accept.
  await control({ action: 'pause' });
  try {
    await page.locator('body').press('a');
    await expect(status(page)).toHaveText('待派遣');
    expect(await control({ action: 'apply', town: TOWN, name: 'event.reject', args: { id, reason: '重复来电，已合并处理' }, actor: COUNTY_DESK })).toEqual({ ok: true });
  } finally {
    await control({ action: 'resume' });
  }
  await expect(status(page)).toHaveText('不予受理', { timeout: 40_000 });
  const button = page.getByTestId('rejected-button');
  await expect(button).not.toHaveText('被拒命令 0 条', { timeout: 40_000 });
  await button.click();
  const item = page.getByRole('region', { name: '被拒命令' }).getByTestId('rejected-item').filter({ hasText: title });
  await expect(item).toContainText('受理');
  await expect(item).toContainText('拒绝原因：事件当前状态为“不予受理”，不能受理');
  await item.getByRole('button', { name: '移出列表' }).click();
  await expect(item).toHaveCount(0);
  const log = await applied();
  expect(log.filter((a) => a.status === 'rejected').at(-1)?.name).toBe('event.accept');
});

test('photos the county sends show in the event, loaded offline', async ({ page }) => {
  await login(page, 'dispatcher');
  const title = `E2E照片-${Date.now() % 100000}`;
  const svg = "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 4 3'><path fill='%23c33' d='M0 0h4v3H0'/></svg>";
  const photo = `data:image/svg+xml,${svg.replace(/</g, '%3C').replace(/>/g, '%3E')}`;
  const created = await control({ action: 'create-event', town: TOWN, overrides: { title, grid: GRID.code, category: '0301', photos: [photo, 'county/photos/0001.jpg'] } });
  await page.locator('body').press('/');
  await page.keyboard.type(title);
  const row = page.locator(`.qrow[data-event-id="${created.id as string}"]`);
  await expect(row).toBeVisible({ timeout: 40_000 });
  await row.click();
  const photos = page.getByRole('region', { name: '现场照片' });
  await expect(photos.getByRole('heading')).toHaveText('现场照片（2）');
  const img = photos.getByRole('img', { name: '现场照片 1' });
  await expect(img).toBeVisible();
  expect(await img.evaluate((el) => (el as HTMLImageElement).naturalWidth)).toBeGreaterThan(0);
  // A reference the page may not load (another host, or a path of the county's) is shown as text, never fetched.
  await expect(photos).toContainText('照片 2：county/photos/0001.jpg');
});
