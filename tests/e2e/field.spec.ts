// The field desk in the browser, against the web shell and its embedded county: an urgent
// fire report opens its plan, finds the workers within 1 km, notifies three of them and
// sees them move towards it on the console's map (the dialog docked beside it; checked
// through the map's test hook: the desk's marks picked where the map holds each worker);
// a grid nobody patrolled today is listed and highlighted on the map, and goes once a
// worker walks into it; a device alarm becomes an event linked to its device.
// One page and one login for the three steps; the county is moved by its control
// endpoint (place a worker, tick the clock, raise an alarm), never by fixed sleeps.
import { expect as baseExpect, test, type Page } from '@playwright/test';
import { pointOnFeature } from '@turf/point-on-feature';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Grid } from '../../core/model';
import { apiSocket, login, BASE_URL, type ApiSocket } from './login';

const expect = baseExpect.configure({ timeout: 30_000 });

const demo = JSON.parse(readFileSync(path.resolve(import.meta.dirname, '../../resources/demo-town/town.json'), 'utf8')) as { town: Grid; grids: Grid[] };
const TOWN = demo.town.code;
const GRID = demo.grids.find((g) => g.kind === 'basic') as Grid;
const [LON, LAT] = pointOnFeature(GRID.geometry).geometry.coordinates as [number, number];

let county = '';
let api: ApiSocket;
let page: Page;

async function control(body: Record<string, unknown>): Promise<Record<string, unknown>> {
  const res = await fetch(`${county}/control`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const json = (await res.json()) as Record<string, unknown>;
  expect(res.status, JSON.stringify(json)).toBe(200);
  return json;
}

const dialog = () => page.getByRole('dialog');

type Picked = { kind: string; id: string; mark?: string } | null;
type WithHook = {
  __griddeckMap?: {
    ready: boolean;
    locate(kind: string, id: string): [number, number] | null;
    project(lon: number, lat: number): [number, number] | null;
    pickAllAt(x: number, y: number, kind: string): Picked[];
    jumpTo(camera: { lon: number; lat: number; zoom?: number }): Promise<void>;
  };
};

/** What the desk marks on the console's map where the map holds a worker now, and how far that is from the spot. */
async function marksAtWorker(id: string): Promise<{ marks: string[]; distanceM: number }> {
  return page.evaluate(
    ({ id, lon0, lat0 }) => {
      const h = (window as unknown as WithHook).__griddeckMap!;
      const at = h.locate('worker', id);
      if (!at) return { marks: [], distanceM: NaN };
      const p = h.project(at[0], at[1]);
      const marks = p ? h.pickAllAt(p[0], p[1], 'desk').map((x) => `${x!.mark}:${x!.id}`) : [];
      const dx = (at[0] - lon0) * 111_320 * Math.cos((lat0 * Math.PI) / 180);
      const dy = (at[1] - lat0) * 110_574;
      return { marks, distanceM: Math.hypot(dx, dy) };
    },
    { id, lon0: LON, lat0: LAT },
  );
}

/** The desk marks drawn at a point of the console's map, after bringing it into view. */
async function marksAt(lon: number, lat: number): Promise<string[]> {
  return page.evaluate(
    async ({ lon, lat }) => {
      const h = (window as unknown as WithHook).__griddeckMap!;
      await h.jumpTo({ lon, lat, zoom: 15 });
      const p = h.project(lon, lat);
      return p ? h.pickAllAt(p[0], p[1], 'desk').map((x) => `${x!.mark}:${x!.id}`) : [];
    },
    { lon, lat },
  );
}

async function openEvent(title: string, id: string): Promise<void> {
  await page.locator('body').press('/');
  await page.keyboard.type(title);
  const row = page.locator(`.qrow[data-event-id="${id}"]`);
  await expect(row).toBeVisible({ timeout: 40_000 });
  await row.click();
  await expect(page.locator(`article[data-event-id="${id}"]`)).toBeVisible();
}

test.describe.configure({ mode: 'serial' });

test.beforeAll(async ({ browser }) => {
  api = await apiSocket(BASE_URL, 'dispatcher');
  county = (await api.call<{ demoCounty?: string }>('app.info')).demoCounty ?? '';
  expect(county, 'the web shell runs its embedded county simulator').toBeTruthy();
  await control({ action: 'resume' });
  await control({ action: 'duty', mode: 'always' });
  page = await browser.newPage();
  await login(page, 'dispatcher');
});

test.afterAll(async () => {
  api?.close();
  await page?.close();
});

// A loaded machine (the console's map in software WebGL) can take a minute for this one test.
test.setTimeout(240_000);

test('an urgent fire opens its plan, finds the workers within 1 km, notifies three and they converge on the map', async () => {
  // Three workers placed 300, 500 and 700 m north of the spot, then the fire reported there.
  const workers = ((await (await fetch(`${county}/snapshot?town=${TOWN}`)).json()) as { workers: { id: string }[] }).workers.slice(0, 3).map((w) => w.id);
  for (const [i, w] of workers.entries()) await control({ action: 'place', town: TOWN, worker: w, lon: LON, lat: LAT + 0.0027 * (1 + (2 * i) / 3) });
  await control({ action: 'tick', ms: 1000 });
  const title = `E2E火情-${Date.now() % 100000}`;
  const id = (await control({ action: 'create-event', town: TOWN, overrides: { title, grid: GRID.code, category: '0201', urgency: 'urgent', location: { lon: LON, lat: LAT, address: '古培镇E2E' } } })).id as string;
  await expect.poll(async () => (await api.call<unknown>('events.get', { id })) !== null, { timeout: 60_000 }).toBe(true);
  await openEvent(title, id);

  await page.getByRole('button', { name: '应急处置' }).click();
  await dialog().getByRole('button', { name: '启动应急预案' }).click();
  await expect(dialog().getByTestId('plan-name')).toContainText('火灾事故应急预案');
  await dialog().getByRole('listitem').filter({ hasText: '核实火情' }).getByRole('checkbox').click();
  await expect(dialog().getByRole('listitem').filter({ hasText: '核实火情' })).toContainText('✓');

  // The search within 1 km (the default radius) lists the three, with distances.
  await expect(dialog().getByLabel('搜索半径')).toHaveValue('1000');
  for (const w of workers) {
    const row = dialog().locator(`[data-testid="nearby-worker"][data-worker="${w}"]`);
    await expect(row).toBeVisible({ timeout: 40_000 });
    await expect(row).toContainText('米');
    await row.getByRole('checkbox').click();
    await expect(row.getByRole('checkbox')).toBeChecked();
  }
  await dialog().getByRole('button', { name: '通知选中的网格员(3)' }).click();
  await expect(dialog().getByTestId('notice')).toHaveAttribute('data-state', 'applied', { timeout: 40_000 });

  // On the console's map beside the docked dialog: each of the three ringed as notified where
  // the map holds it, then nearer the scene once the county's clock has run a minute.
  await page.waitForFunction(() => (window as unknown as WithHook).__griddeckMap?.ready === true, undefined, { timeout: 90_000 });
  for (const w of workers) await expect.poll(async () => (await marksAtWorker(w)).marks, { timeout: 40_000 }).toContain(`notified:${w}`);
  const before = await Promise.all(workers.map(async (w) => (await marksAtWorker(w)).distanceM));
  expect(Math.max(...before)).toBeGreaterThan(160);
  await control({ action: 'tick', ms: 60_000 });
  // A minute on at 6 m/s: each is 100 m nearer, or already on the scene (the 700 m one cannot be yet).
  await expect.poll(async () => (await Promise.all(workers.map(async (w) => (await marksAtWorker(w)).distanceM))).every((d, i) => d < Math.max(60, before[i]! - 100)), { timeout: 40_000 }).toBe(true);
  for (const w of workers) await expect.poll(async () => (await marksAtWorker(w)).marks).toContain(`notified:${w}`);
  // The list beside it says the same from the same positions.
  await expect(dialog().locator('[data-testid="notified-worker"]')).toHaveCount(3);
  await page.keyboard.press('Escape');
  await expect(dialog()).toHaveCount(0);
  // The specs after this one expect a wall without an emergency panel.
  await api.call('emergency.close', { eventId: id });
});

test('a grid nobody patrolled today is listed, and goes once a worker walks into it', async () => {
  const today = await api.call<{ unpatrolled: { code: string }[] }>('patrol.today');
  const target = demo.grids.find((g) => g.kind === 'basic' && g.code !== GRID.code && today.unpatrolled.some((u) => u.code === g.code));
  expect(target, 'a basic grid not patrolled yet').toBeTruthy();
  await page.getByRole('button', { name: '巡查管理' }).click();
  const row = dialog().locator(`[data-testid="unpatrolled-grid"][data-grid="${target!.code}"]`);
  await expect(row).toBeVisible();
  // Highlighted on the console's map beside the list, until a worker has walked into it.
  const [lon, lat] = pointOnFeature(target!.geometry).geometry.coordinates as [number, number];
  await expect.poll(() => marksAt(lon, lat), { timeout: 40_000 }).toContain(`unpatrolled:${target!.code}`);
  const walker = ((await (await fetch(`${county}/snapshot?town=${TOWN}`)).json()) as { workers: { id: string }[] }).workers[5]!.id;
  await control({ action: 'place', town: TOWN, worker: walker, lon, lat });
  await control({ action: 'tick', ms: 1000 });
  await expect(row).toHaveCount(0, { timeout: 40_000 });
  await expect.poll(() => marksAt(lon, lat)).not.toContain(`unpatrolled:${target!.code}`);
  await page.keyboard.press('Escape');
});

test('a device alarm becomes an event linked to the device', async () => {
  const alarm = await control({ action: 'device-alarm', town: TOWN });
  await page.getByRole('button', { name: '物联设备' }).click();
  const device = dialog().locator(`[data-testid="device"][data-device="${String(alarm.device)}"]`);
  await expect(device).toHaveAttribute('data-status', 'alarm', { timeout: 40_000 });
  // On the console's map beside the list, by its state.
  const where = (await api.call<{ id: string; location: { lon: number; lat: number } }[]>('sensors.list')).find((d) => d.id === String(alarm.device))!.location;
  await expect.poll(() => marksAt(where.lon, where.lat), { timeout: 40_000 }).toContain(`device:${String(alarm.device)}`);
  await device.getByTestId('alarm-event').click();
  await expect(page.locator(`article[data-event-id="${String(alarm.id)}"]`)).toBeVisible();
  await expect(page.getByTestId('alarm-device')).toContainText(String(alarm.device));
});

test('the dispatcher creates, edits and deletes a plan of the library', async () => {
  const id = `e2e-${Date.now() % 100000}`;
  await page.getByRole('button', { name: '应急预案', exact: true }).click();
  const library = dialog().getByTestId('plans-library');
  await expect(library.locator('[data-testid="plan-row"][data-plan="fire"]')).toBeVisible();
  await library.getByRole('button', { name: '新建预案' }).click();
  const form = library.getByRole('form', { name: '新建预案' });
  // An empty form is refused by the same check as the import, naming the fields.
  await form.getByRole('button', { name: '保存预案' }).click();
  await expect(form.getByRole('alert')).toContainText('预案名称');
  await form.getByLabel('预案编号').fill(id);
  await form.getByLabel('预案名称').fill('燃气泄漏E2E预案');
  await form.getByLabel('适用类别').fill('0201');
  await form.getByLabel('处置步骤').fill('值班调度员：核实泄漏位置\n网格员：疏散周边住户');
  await form.getByLabel('联系人').fill('镇燃气站/抢修/0730-2110999');
  await form.getByRole('checkbox', { name: '应急队伍' }).check();
  await form.getByRole('button', { name: '保存预案' }).click();
  await expect(library.getByRole('status')).toContainText('已保存预案「燃气泄漏E2E预案」');
  const row = library.locator(`[data-testid="plan-row"][data-plan="${id}"]`);
  await expect(row).toContainText('燃气泄漏E2E预案');

  const edit = library.getByRole('form', { name: '编辑预案 燃气泄漏E2E预案' });
  await expect(edit.getByLabel('预案编号')).toHaveAttribute('readonly', '');
  await edit.getByLabel('预案名称').fill('燃气泄漏应急预案E2E');
  await edit.getByRole('button', { name: '保存预案' }).click();
  await expect(row).toContainText('燃气泄漏应急预案E2E');
  const saved = (await api.call<{ id: string; name: string; steps: { role: string; text: string }[]; contacts: { phone: string }[]; resources: string[] }[]>('emergency.plans')).find((p) => p.id === id);
  expect(saved).toMatchObject({ name: '燃气泄漏应急预案E2E', steps: [{ role: '值班调度员', text: '核实泄漏位置' }, { role: '网格员' }], contacts: [{ phone: '0730-2110999' }], resources: ['team'] });

  const editNow = library.getByRole('form', { name: '编辑预案 燃气泄漏应急预案E2E' });
  await editNow.getByRole('button', { name: '删除预案' }).click();
  await editNow.getByRole('button', { name: '确认删除「燃气泄漏应急预案E2E」' }).click();
  await expect(row).toHaveCount(0);
  expect((await api.call<{ id: string }[]>('emergency.plans')).some((p) => p.id === id)).toBe(false);
  await page.keyboard.press('Escape');
});

test('the dispatcher adds a team to the register, edits it and retires it', async () => {
  const name = `E2E抢险队-${Date.now() % 100000}`;
  await page.getByRole('button', { name: '队伍物资' }).click();
  const register = dialog().getByTestId('resources-register');
  await register.getByRole('button', { name: '新增队伍或物资' }).click();
  const form = register.getByRole('form', { name: '新增队伍或物资' });
  // Nothing chosen: refused before the service is asked, naming what is missing.
  await form.getByRole('button', { name: '保存' }).click();
  await expect(form.getByRole('alert')).toContainText('名称不能为空');
  await form.getByLabel('类型').selectOption({ label: '应急队伍' });
  await form.getByLabel('名称').fill(name);
  await form.getByLabel(/所在网格/).selectOption(GRID.code);
  await form.getByLabel('说明').fill('队员 9 人');
  await form.getByLabel('联系人').fill('周队长');
  await form.getByLabel('联系电话').fill('13907301234');
  await form.getByRole('button', { name: '保存' }).click();
  await expect(register.getByRole('status')).toContainText(`已保存「${name}」`);
  const row = register.getByTestId('resource-row').filter({ hasText: name });
  await expect(row).toContainText(GRID.name);
  const id = await row.getAttribute('data-resource');

  const edit = register.getByRole('form', { name: `编辑 ${name}` });
  await edit.getByLabel('说明').fill('队员 12 人');
  await edit.getByRole('button', { name: '保存' }).click();
  await expect(row).toContainText('队员 12 人');
  await edit.getByRole('button', { name: '停用' }).click();
  await expect(register.getByRole('status')).toContainText('已停用');
  await expect(row).toHaveCount(0);
  const entry = (await api.call<{ id: string; grid: string; retiredAt: string | null; contact: { phone: string } }[]>('emergency.resources', { includeRetired: true })).find((r) => r.id === id);
  expect(entry).toMatchObject({ grid: GRID.code, contact: { phone: '13907301234' } });
  expect(entry?.retiredAt).toBeTruthy();
  await page.keyboard.press('Escape');
});
