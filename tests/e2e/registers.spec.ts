// The registers of people, houses and organisations (issue 17) in the browser, against
// the web shell's embedded demo (whose county seeds the synthetic register): a
// dispatcher opens an event and sees the households at its address, masked; a leader
// reveals one phone with a reason and the audit log holds it; a grid worker's visit
// shows as coverage; a dispatcher edits a person's phone from the card; a dispatcher imports a ledger and gets its report (one rejected
// row, nothing imported), then turns the houses layer on on the console's map; a viewer
// never receives a register field.
import { expect as baseExpect, test, type Browser, type Page } from '@playwright/test';
import ExcelJS from 'exceljs';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Grid } from '../../core/model';
import { houseAddress } from '../../county/demo/registers';
import { apiSocket, appInfo, login, type ApiSocket, type Role } from './login';

const expect = baseExpect.configure({ timeout: 40_000 });
const town = JSON.parse(readFileSync(path.resolve(import.meta.dirname, '../../resources/demo-town/town.json'), 'utf8')) as { town: Grid; villages: Grid[]; grids: Grid[] };
const TOWN = town.town.code;
const GRID = town.grids.find((g) => g.kind === 'basic')!.code;

interface HouseLite {
  id: string;
  address: string;
  grid: string;
  location: { lon: number; lat: number } | null;
}

let county = '';
let dispatcher: ApiSocket;
let house: HouseLite;
let eventId = '';
const title = `登记测试-${Date.now().toString(36)}`;

const detail = (page: Page) => page.getByRole('article', { name: '事件详情' });

async function pageAs(browser: Browser, role: Role): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await login(page, role);
  return page;
}

// One dispatcher's console for the dispatcher's steps (a login and a console load each cost seconds here).
let dispatcherPage: Page | null = null;
async function asDispatcher(browser: Browser): Promise<Page> {
  dispatcherPage ??= await pageAs(browser, 'dispatcher');
  return dispatcherPage;
}

async function openInConsole(page: Page): Promise<void> {
  await expect(page.getByTestId('count-all')).not.toHaveText('…');
  await page.locator('body').press('/');
  // One input event for the whole title: a search per keystroke costs the loaded page seconds.
  await page.keyboard.insertText(title);
  const row = page.locator(`.qrow[data-event-id="${eventId}"]`);
  await row.click();
  await expect(detail(page)).toHaveAttribute('data-event-id', eventId);
}

// Serial steps over one demo; the loaded shared machines make a console page slow to open.
test.describe.configure({ mode: 'serial', timeout: 240_000 });

test.beforeAll(async ({ baseURL }) => {
  county = (await appInfo<{ demoCounty?: string }>(baseURL as string)).demoCounty ?? '';
  dispatcher = await apiSocket(baseURL as string, 'dispatcher');
  // The register arrives with the first sync: a house of the first basic grid with people in it.
  await expect
    .poll(async () => (await dispatcher.call<{ houses: HouseLite[] }>('registers.search', { grid: GRID, limit: 1 })).houses.length, { timeout: 120_000 })
    .toBe(1);
  house = (await dispatcher.call<{ houses: HouseLite[] }>('registers.search', { grid: GRID, limit: 1 })).houses[0]!;
  // The raw address (masked on the wire), as the demo county writes it: the county's event carries it unmasked.
  const grid = town.grids.find((g) => g.code === house.grid)!;
  const k = Number(house.id.split('-').pop());
  const full = { value: houseAddress(town.town, town.villages.find((v) => v.code === grid.parent), grid, k) };
  const res = await fetch(`${county}/control`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      action: 'create-event',
      town: TOWN,
      overrides: { title, grid: GRID, category: '0301', location: { ...house.location!, address: `${full.value}附近` } },
    }),
  });
  eventId = String(((await res.json()) as { id: string }).id);
  await expect.poll(async () => (await dispatcher.call<{ id: string } | null>('events.get', { id: eventId }))?.id).toBe(eventId);
});

test.afterAll(async () => {
  dispatcher?.close();
  await dispatcherPage?.context().close();
});

test('a dispatcher opens an event and sees the households at its address, masked', async ({ browser }) => {
  const page = await asDispatcher(browser);
  await openInConsole(page);
  const section = detail(page).getByTestId('at-address');
  await expect(section.getByTestId('reg-household')).toHaveCount(1);
  const people = section.getByTestId('reg-person');
  await expect(people.first()).toBeVisible();
  const text = await section.innerText();
  expect(text).toMatch(/990624\*{8}[\dX]{4}/);
  expect(text).not.toMatch(/199\d{8}/);
  expect(text).not.toMatch(/990624\d{12}/);
});

test('a leader reveals one phone with a reason, and the audit log holds it', async ({ browser, baseURL }) => {
  const page = await pageAs(browser, 'leader');
  await openInConsole(page);
  const section = detail(page).getByTestId('at-address');
  await expect(section.getByTestId('reg-person').first()).toBeVisible({ timeout: 120_000 });
  await section.getByRole('button', { name: '查看完整电话' }).first().click();
  const form = section.getByRole('form', { name: '查看完整电话' });
  await form.getByLabel('查看原因').fill('联系住户核实险情');
  await form.getByRole('button', { name: '确认查看' }).click();
  await expect(section.getByText(/199\d{8}/)).toBeVisible();
  const admin = await apiSocket(baseURL as string, 'admin');
  const audit = await admin.call<{ entries: { action: string; detail: string; role: string }[] }>('audit.list', { kind: 'reveal' });
  admin.close();
  expect(audit.entries.find((e) => e.action === 'registers.reveal:phone' && e.role === 'leader')?.detail).toContain('联系住户核实险情');
  await page.context().close();
});

test("a grid worker's visit shows as coverage", async ({ browser }) => {
  const page = await asDispatcher(browser);
  await page.getByRole('button', { name: '登记台账' }).click();
  const screen = page.getByRole('dialog', { name: '登记台账' });
  await screen.getByRole('tab', { name: '走访' }).click();
  const due = screen.getByTestId('reg-due').first();
  await due.getByRole('button', { name: '登记走访' }).click();
  const form = screen.getByRole('form', { name: '登记走访' });
  // The grid's workers load after the form opens: read the chosen one once it is there.
  await expect(form.getByLabel('走访网格员')).not.toHaveValue('');
  const worker = await form.getByLabel('走访网格员').inputValue();
  const before = await dispatcher.call<{ byWorker: { worker: string; households: number }[] }>('registers.coverage', {});
  const had = before.byWorker.find((w) => w.worker === worker)?.households ?? 0;
  await form.getByLabel('走访情况').fill('登门走访,老人身体良好');
  await form.getByRole('button', { name: '保存' }).click();
  await expect(screen.getByTestId(`reg-worker-${worker}`).locator('td').nth(2)).toHaveText(String(had + 1));
  await screen.getByRole('button', { name: '关闭登记台账' }).click();
});

test("a dispatcher edits a person's phone from the card and sees it there, masked", async ({ browser }) => {
  const page = await asDispatcher(browser);
  await page.getByRole('button', { name: '登记台账' }).click();
  const screen = page.getByRole('dialog', { name: '登记台账' });
  await screen.getByRole('tab', { name: '查询' }).click();
  await screen.getByLabel('查询登记').fill('测试');
  await screen.getByRole('button', { name: '查询', exact: true }).click();
  await screen.getByTestId('reg-person').first().getByRole('button').click();
  const card = screen.getByTestId('reg-person-card');
  await card.getByRole('button', { name: '编辑' }).click();
  const form = screen.getByRole('form', { name: '编辑人员' });
  const last4 = String(Date.now() % 10_000).padStart(4, '0');
  // A masked number typed anew is refused with a clear error; the ID number stays as shown (kept).
  await form.getByLabel('联系电话').fill('199****0000');
  await form.getByRole('button', { name: '保存' }).click();
  await expect(form.getByTestId('reg-edit-errors')).toContainText('电话号码不完整');
  await form.getByLabel('联系电话').fill(`1990000${last4}`);
  await form.getByRole('button', { name: '保存' }).click();
  await expect(card.getByText(`199****${last4}`)).toBeVisible();
  await screen.getByRole('button', { name: '关闭登记台账' }).click();
});

type MapHook = { ready: boolean; jumpTo(c: { lon: number; lat: number; zoom: number }): Promise<void>; layerOrder(): string[] };
type WithHook = { __griddeckMap?: MapHook };

test('a dispatcher imports a ledger: the report shows the one rejected row; then the houses layer on the map', async ({ browser }) => {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('房屋');
  ws.addRow(['地址', '网格编码', '经度', '纬度', '用途']);
  ws.addRow(['导入测试路1号', GRID, '', '', '住宅']);
  ws.addRow(['导入测试路2号', '430624103999999', '', '', '住宅']);
  const buffer = Buffer.from(await wb.xlsx.writeBuffer());
  const before = (await dispatcher.call<{ households: number }>('registers.grid', { grid: GRID })).households;

  const page = await asDispatcher(browser);
  await page.getByRole('button', { name: '登记台账' }).click();
  const screen = page.getByRole('dialog', { name: '登记台账' });
  await screen.getByRole('tab', { name: '导入台账' }).click();
  await screen.getByLabel('台账类型').selectOption('houses');
  await screen.getByLabel('选择 Excel 文件').setInputFiles({ name: '房屋台账.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer });
  const report = screen.getByTestId('reg-import-report');
  await expect(report).toContainText('未导入任何数据');
  await expect(report.getByTestId('reg-import-rejected')).toHaveCount(1);
  await expect(report.getByTestId('reg-import-rejected')).toContainText('网格编码 430624103999999 不是本镇的网格');
  await expect(report.getByRole('button', { name: '下载不合格行清单(Excel)' })).toBeVisible();
  expect((await dispatcher.call<{ households: number }>('registers.grid', { grid: GRID })).households).toBe(before);
  await screen.getByRole('button', { name: '关闭登记台账' }).click();

  // The houses layer: off by default, a switch of the console's map (folded behind 图层 on a narrow map).
  await page.waitForFunction(() => (window as unknown as WithHook).__griddeckMap?.ready === true, undefined, { timeout: 120_000 });
  const fold = page.locator('details.grid-map-fold');
  if (await fold.count()) await fold.locator('summary').click();
  const toggle = page.getByRole('checkbox', { name: '房屋', exact: true });
  await expect(toggle).not.toBeChecked();
  await toggle.check();
  await page.evaluate(([lon, lat]) => (window as unknown as WithHook).__griddeckMap!.jumpTo({ lon, lat, zoom: 16 }), [house.location!.lon, house.location!.lat] as const);
  await expect.poll(() => page.evaluate(() => (window as unknown as WithHook).__griddeckMap!.layerOrder())).toContain('register-houses');
  await expect(page.getByTestId('legend-registers')).toBeAttached();
});

test('a village imports its own ledger: a row in another village\'s grid is reported and nothing is written', async ({ browser }) => {
  // The demo's village account works for the town's first village (data-service.ts, demoScopes).
  const village = town.villages.map((v) => v.code).sort()[0]!;
  const mine = town.grids.find((g) => g.kind === 'basic' && g.parent === village)!.code;
  const elsewhere = town.grids.find((g) => g.kind === 'basic' && g.parent !== village)!.code;
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('房屋');
  ws.addRow(['地址', '网格编码', '经度', '纬度', '用途']);
  ws.addRow(['本村导入路1号', mine, '', '', '住宅']);
  ws.addRow(['外村导入路1号', elsewhere, '', '', '住宅']);
  const buffer = Buffer.from(await wb.xlsx.writeBuffer());

  const page = await pageAs(browser, 'village');
  await page.getByRole('button', { name: '登记台账' }).click();
  const screen = page.getByRole('dialog', { name: '登记台账' });
  await screen.getByRole('tab', { name: '导入台账' }).click();
  await screen.getByLabel('台账类型').selectOption('houses');
  await screen.getByLabel('选择 Excel 文件').setInputFiles({ name: '本村房屋.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer });
  const report = screen.getByTestId('reg-import-report');
  await expect(report).toContainText('未导入任何数据');
  await expect(report.getByTestId('reg-import-rejected')).toHaveCount(1);
  await expect(report.getByTestId('reg-import-rejected')).toContainText(`网格编码 ${elsewhere} 不在本账号管辖的网格内`);
  const found = await dispatcher.call<{ houses: unknown[] }>('registers.search', { text: '本村导入路', limit: 5 });
  expect(found.houses).toHaveLength(0);
});

test('a viewer never receives a register field', async ({ baseURL }) => {
  const viewer = await apiSocket(baseURL as string, 'viewer');
  try {
    for (const [method, args] of [
      ['registers.search', { text: '测试' }],
      ['registers.grid', { grid: GRID }],
      ['registers.atAddress', { eventId }],
      ['registers.house', { id: house.id }],
      ['registers.layers', {}],
      ['registers.visitsDue', {}],
      ['registers.coverage', {}],
      ['registers.visits', {}],
      ['registers.reveal', { type: 'house', id: house.id, field: 'address', reason: '大屏查看' }],
      ['registers.import.status', { id: 'x' }],
      ['registers.import.start', { kind: 'houses', fileName: 'a.xlsx', size: 10 }],
      ['registers.mediations', {}],
      ['registers.house.save', { id: house.id, address: house.address, grid: house.grid }],
    ] as const) {
      const answer = await viewer.invoke(method, args);
      expect(answer.ok, method).toBe(false);
      expect(JSON.stringify(answer)).not.toContain('990624');
    }
  } finally {
    viewer.close();
  }
});
