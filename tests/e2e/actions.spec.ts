// The console actions no other spec runs in a browser (issue 15): reclassify, comment,
// escalate, deny and approve an extension, suspend and resume, rework, evaluate, reopen,
// merge, and the redo of a command the county rejected. The county's side puts each
// event where the action applies (the simulator's control endpoint); the dispatcher then
// acts through the console's toolbar and dialogs. Each action checks what the dispatcher
// sees (the status badge, the record) and what the county ends with (its history).
// One login and one page for the whole file: the suite is near its time bound.
import { expect as baseExpect, test, type Page } from '@playwright/test';
import { pointOnFeature } from '@turf/point-on-feature';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Grid } from '../../core/model';
import { appInfo, login } from './login';

const expect = baseExpect.configure({ timeout: 30_000 });

const town = JSON.parse(readFileSync(path.resolve(import.meta.dirname, '../../resources/demo-town/town.json'), 'utf8')) as { town: Grid; grids: Grid[] };
const TOWN = town.town.code;
const GRID = town.grids.find((g) => g.kind === 'basic') as Grid;
const DESK = { id: 'county-actions', role: 'dispatcher', name: '县级坐席' };
const DEPARTMENT = { id: 'op-dept-rj', role: 'department', departmentId: 'dept-rj', name: '人居环境整治办经办人' };
const RUN = Date.now() % 100000;

interface CountyEvent {
  id: string;
  status: string;
  history: { action: string; note: string }[];
}

let county = '';
let page: Page;

async function control(body: Record<string, unknown>): Promise<Record<string, unknown>> {
  const res = await fetch(`${county}/control`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const json = (await res.json()) as Record<string, unknown>;
  expect(res.status, JSON.stringify(json)).toBe(200);
  return json;
}

/** The county desk or a department acts on an event at the county (not through the town). */
async function atCounty(id: string, name: string, args: Record<string, unknown> = {}, actor: Record<string, unknown> = DESK): Promise<void> {
  expect(await control({ action: 'apply', town: TOWN, name, args: { id, ...args }, actor })).toEqual({ ok: true });
}

async function countyEvent(id: string): Promise<CountyEvent | undefined> {
  const snapshot = (await (await fetch(`${county}/snapshot?town=${TOWN}`)).json()) as { events: CountyEvent[] };
  return snapshot.events.find((e) => e.id === id);
}

/** The county's history of an event from its first town action on, once it holds `count` more entries than `from`. */
async function countyActions(id: string, from: number): Promise<string[]> {
  return ((await countyEvent(id))?.history ?? []).slice(from).map((h) => h.action);
}

/** A new event at the county, moved on by the county's own people; returns its id. */
async function countyEventAt(title: string, moves: [string, Record<string, unknown>, Record<string, unknown>?][]): Promise<string> {
  const id = (await control({ action: 'create-event', town: TOWN, overrides: { title, grid: GRID.code, category: '0301' } })).id as string;
  for (const [name, args, actor] of moves) await atCounty(id, name, args, actor);
  return id;
}

const ACCEPT: [string, Record<string, unknown>] = ['event.accept', {}];
const DISPATCH: [string, Record<string, unknown>] = ['event.dispatch', { to: { kind: 'department', id: 'dept-rj' } }];
const FEEDBACK: [string, Record<string, unknown>, Record<string, unknown>] = ['event.feedback', { note: '已清运完毕' }, DEPARTMENT];
const EXTENSION: [string, Record<string, unknown>, Record<string, unknown>] = ['event.requestExtension', { by: { value: 1, unit: 'days' }, reason: '需协调清运车辆' }, DEPARTMENT];

const detail = () => page.getByRole('article', { name: '事件详情' });
const status = () => detail().locator('.ed-sub .cbadge-status');
const record = () => detail().getByRole('region', { name: '办理记录' });
const toolbar = () => page.getByRole('toolbar', { name: '可执行的操作' });
const dialog = () => page.getByRole('dialog');

/** Finds an event by its title from the keyboard and opens it, once the console shows it in `want`. */
async function open(title: string, id: string, want: string): Promise<void> {
  await page.keyboard.press('Escape');
  await page.locator('body').press('/');
  await page.keyboard.press('Control+A');
  await page.keyboard.type(title);
  const row = page.locator(`.qrow[data-event-id="${id}"]`);
  await expect(row).toBeVisible({ timeout: 40_000 });
  await row.click();
  await expect(detail()).toHaveAttribute('data-event-id', id);
  await expect(status()).toHaveText(want, { timeout: 40_000 });
}

/** An action from the toolbar: its dialog filled, confirmed; the dispatcher sees `want` and, when given, the note in the record. */
async function act(label: string, want: string, fill: (d: ReturnType<typeof dialog>) => Promise<void>, note?: string): Promise<void> {
  await toolbar().getByRole('button', { name: label, exact: false }).first().click();
  await expect(dialog()).toContainText(label);
  await fill(dialog());
  await dialog().getByRole('button', { name: `确定${label}` }).click();
  await expect(dialog()).toHaveCount(0);
  await expect(status()).toHaveText(want);
  if (note) await expect(record()).toContainText(note);
}

const text = (label: string, value: string) => async (d: ReturnType<typeof dialog>) => d.getByLabel(label).fill(value);

test.describe.configure({ mode: 'serial', timeout: 180_000 });

test.beforeAll(async ({ browser, baseURL }) => {
  const info = await appInfo<{ demoCounty?: string }>(baseURL as string);
  county = info.demoCounty ?? '';
  expect(county).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  await control({ action: 'resume' });
  page = await browser.newPage({ baseURL: baseURL as string });
  await login(page, 'dispatcher');
  await expect(page.getByTestId('count-all')).not.toHaveText('…');
});

test.afterAll(async () => {
  if (county) await control({ action: 'resume' }).catch(() => undefined);
  await page?.close();
});

test('reclassify, comment and escalate an accepted event', async () => {
  const title = `E2E分类-${RUN}`;
  const id = await countyEventAt(title, [ACCEPT]);
  await open(title, id, '待派遣');
  await act('重新分类', '待派遣', async (d) => void (await d.getByLabel('新的事件类别').selectOption('0302')));
  await expect(detail().locator('.ed-facts').first()).toContainText('河道漂浮物');
  await act('批注', '待派遣', text('批注内容', '已联系河道保洁员'), '已联系河道保洁员');
  await act('上报县级', '已上报县级', text('上报原因', '涉及跨镇河段，镇级无法协调'), '涉及跨镇河段');
  await expect.poll(() => countyActions(id, 2), { timeout: 40_000 }).toEqual(['event.reclassify', 'event.comment', 'event.escalate']);
  expect((await countyEvent(id))?.status).toBe('escalated');
});

test('deny and approve a department\'s extension, suspend and resume the event', async () => {
  const title = `E2E延期-${RUN}`;
  const id = await countyEventAt(title, [ACCEPT, DISPATCH, EXTENSION]);
  await open(title, id, '处置中');
  await expect(toolbar().getByRole('button', { name: '批准延期' })).toBeVisible({ timeout: 40_000 });
  await act('驳回延期', '处置中', text('驳回理由', '时限内可以完成'), '时限内可以完成');
  await expect(toolbar().getByRole('button', { name: '批准延期' })).toHaveCount(0);
  await expect.poll(async () => (await countyActions(id, 4)).at(-1), { timeout: 40_000 }).toBe('event.denyExtension');
  await atCounty(id, ...EXTENSION);
  await expect(toolbar().getByRole('button', { name: '批准延期' })).toBeVisible({ timeout: 40_000 });
  await act('批准延期', '处置中', text('审批意见', '同意延期一天'), '同意延期一天');
  await act('挂账缓办', '挂账缓办', text('缓办原因', '等待上级批复'), '等待上级批复');
  await act('恢复办理', '处置中', text('备注', '批复已到，恢复办理'));
  await expect
    .poll(() => countyActions(id, 3), { timeout: 40_000 })
    .toEqual(['event.requestExtension', 'event.denyExtension', 'event.requestExtension', 'event.approveExtension', 'event.suspend', 'event.resume']);
  expect((await countyEvent(id))?.status).toBe('dispatched');
});

test('rework a handled event; evaluate and reopen a closed one', async () => {
  const handled = `E2E返工-${RUN}`;
  const h = await countyEventAt(handled, [ACCEPT, DISPATCH, FEEDBACK]);
  await open(handled, h, '待核查');
  await act('退回返工', '处置中', text('返工原因', '现场仍有残留垃圾'), '现场仍有残留垃圾');

  const closed = `E2E回访-${RUN}`;
  const c = await countyEventAt(closed, [ACCEPT, DISPATCH, FEEDBACK, ['event.verify', {}], ['event.close', {}]]);
  await open(closed, c, '已结案');
  await act('回访评价', '已结案', async (d) => {
    await d.getByLabel('满意度').selectOption('dissatisfied');
    await d.getByLabel('回访情况').fill('居民反映仍有异味');
  });
  await act('重新启用', '待派遣', text('重新启用的原因', '回访不满意，重新处置'), '回访不满意');
  await expect.poll(() => countyActions(h, 4), { timeout: 40_000 }).toEqual(['event.rework']);
  await expect.poll(() => countyActions(c, 6), { timeout: 40_000 }).toEqual(['event.evaluate', 'event.reopen']);
  expect((await countyEvent(h))?.status).toBe('dispatched');
  expect((await countyEvent(c))?.status).toBe('accepted');
});

test('merge a duplicate report into another, from the likely duplicates', async () => {
  const first = `E2E合并甲-${RUN}`;
  const second = `E2E合并乙-${RUN}`;
  // Two reports of one matter a few metres apart: the second lists the first as a likely duplicate.
  const [lon, lat] = pointOnFeature(GRID.geometry).geometry.coordinates as [number, number];
  const at = (d: number) => ({ location: { lon: lon + d, lat, address: `${GRID.name}测试点` }, category: '0305' });
  const into = (await control({ action: 'create-event', town: TOWN, overrides: { title: first, grid: GRID.code, ...at(0) } })).id as string;
  const dup = (await control({ action: 'create-event', town: TOWN, overrides: { title: second, grid: GRID.code, ...at(0.0002) } })).id as string;
  await open(second, dup, '待受理');
  const candidate = detail().getByRole('region', { name: '疑似重复事件' }).getByRole('listitem').filter({ hasText: first });
  await candidate.getByRole('button', { name: '合并到此事件' }).click();
  await expect(dialog().getByLabel('合并到')).toHaveValue(into);
  await dialog().getByRole('button', { name: '确定合并为重复事件' }).click();
  await expect(dialog()).toHaveCount(0);
  await expect(status()).toHaveText('已合并');
  await expect(detail()).toContainText(into);
  await expect.poll(async () => (await countyEvent(dup))?.status, { timeout: 40_000 }).toBe('merged');
  expect((await countyActions(dup, 1)).at(-1)).toBe('event.merge');
});

test('redo of a command the county rejected: listed with its reason, done again from the list, applied', async () => {
  const title = `E2E重做-${RUN}`;
  const id = await countyEventAt(title, [ACCEPT]);
  await open(title, id, '待派遣');
  await control({ action: 'pause' });
  try {
    await act('上报县级', '已上报县级', text('上报原因', '需县级协调'));
    // The county suspends the event before the town's escalate reaches it: the escalate is rejected.
    await atCounty(id, 'event.suspend', { reason: '等待县级会商' });
  } finally {
    await control({ action: 'resume' });
  }
  await expect(status()).toHaveText('挂账缓办', { timeout: 40_000 });
  await atCounty(id, 'event.resume', {});
  await expect(status()).toHaveText('待派遣', { timeout: 40_000 });
  await page.getByTestId('rejected-button').click();
  const item = page.getByRole('region', { name: '被拒命令' }).getByTestId('rejected-item').filter({ hasText: title });
  await expect(item).toContainText('上报县级');
  await expect(item).toContainText('拒绝原因');
  await item.getByRole('button', { name: '重做', exact: true }).click();
  await expect(dialog().getByLabel('上报原因')).toHaveValue('需县级协调');
  await dialog().getByRole('button', { name: '确定上报县级' }).click();
  await expect(dialog()).toHaveCount(0);
  await expect(status()).toHaveText('已上报县级');
  await expect.poll(() => countyActions(id, 2), { timeout: 40_000 }).toEqual(['event.suspend', 'event.resume', 'event.escalate']);
  // Redone, the rejected command leaves the list.
  await expect(page.getByRole('region', { name: '被拒命令' }).getByTestId('rejected-item').filter({ hasText: title })).toHaveCount(0);
});
