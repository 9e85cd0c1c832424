// People and their roles, in the browser, against the web shell's embedded demo (one
// account per role): each role logs in and sees only what it may see and do; a department
// operator handles a dispatched event end to end (feedback with a photo, the dispatcher
// verifies and closes); a village operator sees only their village; the wall never
// receives a phone number; a leader approves an extension; an admin revokes a device
// token and the screen using it is cut off within seconds.
import { expect as baseExpect, test, type Page } from '@playwright/test';
import { pointOnFeature } from '@turf/point-on-feature';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { deflateSync } from 'node:zlib';
import type { Grid } from '../../core/model';
import { ROLE_LABELS } from '../../core/events/labels';
import { ROLES, apiSocket, appInfo, fillLogin, login, loginForm, type ApiSocket, type Role } from './login';

// One Node thread serves the API, the county and the map: outcomes are asserted, never speed.
const expect = baseExpect.configure({ timeout: 40_000 });

const town = JSON.parse(readFileSync(path.resolve(import.meta.dirname, '../../resources/demo-town/town.json'), 'utf8')) as { town: Grid; villages: Grid[]; grids: Grid[] };
const TOWN = town.town.code;

interface SessionUser {
  id: string;
  name: string;
  role: Role;
  departmentId?: string;
  grids?: string[];
}
interface EventLite {
  id: string;
  code: string;
  grid: string;
  status: string;
  history: { action: string; actor: string; name?: string; role?: string }[];
  extensionRequest: unknown;
}
interface Page_ {
  items: EventLite[];
  total: number;
}

let county = '';
let dispatcher: ApiSocket;

async function control(body: Record<string, unknown>): Promise<Record<string, unknown>> {
  const res = await fetch(`${county}/control`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const json = (await res.json()) as Record<string, unknown>;
  expect(res.status, JSON.stringify(json)).toBe(200);
  return json;
}

async function countyStatus(id: string): Promise<string | undefined> {
  const snapshot = (await (await fetch(`${county}/snapshot?town=${TOWN}`)).json()) as { events: { id: string; status: string }[] };
  return snapshot.events.find((e) => e.id === id)?.status;
}

/** A report of the county's in a grid of the given village (or any basic grid), known to the replica. */
async function countyEvent(title: string, grid = town.grids.find((g) => g.kind === 'basic')!.code): Promise<string> {
  const id = String((await control({ action: 'create-event', town: TOWN, overrides: { title, grid, category: '0301' } })).id);
  await expect.poll(async () => (await dispatcher.call<EventLite | null>('events.get', { id }))?.status).toBe('reported');
  return id;
}

/** Accepted and dispatched by the town's dispatcher (through the API, signed with the account), then seen by the county. */
async function dispatchTo(id: string, departmentId: string): Promise<void> {
  await dispatcher.call('event.accept', { id });
  await dispatcher.call('event.dispatch', { id, to: { kind: 'department', id: departmentId } });
  await expect.poll(() => countyStatus(id)).toBe('dispatched');
}

const heading = (page: Page) => page.getByRole('heading', { level: 1 });
const detail = (page: Page) => page.getByRole('article', { name: '事件详情' });
const status = (page: Page) => detail(page).locator('.ed-sub .cbadge-status');
const toolbar = (page: Page) => page.getByRole('toolbar', { name: '可执行的操作' });
const dialog = (page: Page) => page.getByRole('dialog');

/** Opens an event in the console's queue by searching its title. */
async function openInConsole(page: Page, id: string, title: string): Promise<void> {
  await expect(page.getByTestId('count-all')).not.toHaveText('…');
  await page.locator('body').press('/');
  await page.keyboard.type(title);
  const row = page.locator(`.qrow[data-event-id="${id}"]`);
  await expect(row).toBeVisible();
  await row.click();
  await expect(detail(page)).toHaveAttribute('data-event-id', id);
}

/** Opens an event in a department's or village's list by searching its title. */
async function openInWorkList(page: Page, id: string, title: string): Promise<void> {
  await page.getByRole('searchbox', { name: '搜索事件' }).fill(title);
  const row = page.locator(`.work-row[data-event-id="${id}"]`);
  await expect(row).toBeVisible();
  await row.click();
  await expect(detail(page)).toHaveAttribute('data-event-id', id);
}

/** A real PNG (a small gradient), as a phone camera would hand over a much larger one. */
function pngFile(width = 64, height = 48): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf: Buffer): number => {
    let c = 0xffffffff;
    for (const b of buf) c = (crcTable[(c ^ b) & 0xff] as number) ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer): Buffer => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const out = Buffer.alloc(12 + data.length);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc(body), 8 + data.length);
    return out;
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  const rows = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) rows.set([(x * 4) & 255, (y * 5) & 255, 120], y * (width * 3 + 1) + 1 + x * 3);
  }
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(rows)), chunk('IEND', Buffer.alloc(0))]);
}

// Each test makes its own events: one failing leaves the others meaningful.
test.describe.configure({ timeout: 300_000 });

test.beforeAll(async ({ baseURL }) => {
  county = (await appInfo<{ demoCounty?: string }>(baseURL as string)).demoCounty ?? '';
  expect(county, 'the web shell runs its embedded county').not.toBe('');
  await control({ action: 'resume' });
  dispatcher = await apiSocket(baseURL as string, 'dispatcher');
});

test.afterAll(async () => {
  if (county) await control({ action: 'resume' }).catch(() => undefined);
  dispatcher?.close();
});

test('the login screen lists the demo accounts; a wrong password is refused; each role lands on its own screen and logs out', async ({ page, baseURL }) => {
  await page.goto('/');
  const demo = page.getByRole('region', { name: '演示账号' });
  for (const role of ROLES) await expect(demo.locator(`tr[data-username="${role}"]`)).toContainText(ROLE_LABELS[role]);
  await fillLogin(page, 'dispatcher', 'not-the-password');
  await expect(loginForm(page).getByRole('alert')).toContainText(/密码/);

  const landing: Record<Role, (p: Page) => Promise<void>> = {
    admin: async (p) => {
      await expect(heading(p)).toContainText('系统管理');
      await expect(p.getByRole('region', { name: '账号列表' }).locator('tr[data-username]')).toHaveCount(ROLES.length, { timeout: 40_000 });
      await expect(p.locator('.qrow')).toHaveCount(0);
    },
    dispatcher: async (p) => {
      await expect(heading(p)).toContainText('调度台');
      await expect(p.getByRole('button', { name: /登记事件/ })).toBeVisible();
    },
    leader: async (p) => {
      await expect(heading(p)).toContainText('领导查看');
      await expect(p.getByRole('button', { name: /登记事件/ })).toHaveCount(0);
      await p.locator('.qrow[data-event-id]').first().click();
      await expect(detail(p)).toBeVisible();
      for (const never of ['受理', '派遣', '结案', '不予受理', '核查通过']) await expect(toolbar(p).getByRole('button', { name: never, exact: true })).toHaveCount(0);
    },
    secretary: async (p) => {
      await expect(heading(p)).toContainText('会商');
      await expect(p.getByTestId('meeting-screen')).toBeVisible();
    },
    department: async (p) => {
      await expect(heading(p)).toContainText('我的任务');
      await expect(p.getByRole('button', { name: '上报事件' })).toHaveCount(0);
    },
    village: async (p) => {
      await expect(heading(p)).toContainText('村（社区）工作站');
      await expect(p.getByRole('button', { name: '上报事件' })).toBeVisible();
    },
    viewer: async (p) => {
      await expect(heading(p)).toContainText('网格化指挥调度中心');
    },
  };
  for (const role of ROLES) {
    await page.goto('/');
    // The demo list fills the form in one click.
    await page.getByRole('button', { name: `填入 ${role}` }).click();
    await loginForm(page).getByRole('button', { name: '登录' }).click();
    await expect(loginForm(page)).toHaveCount(0);
    await landing[role](page);
    if (role !== 'viewer') {
      await expect(page.getByTestId('current-user')).toContainText(`（${ROLE_LABELS[role]}）`);
      await page.getByRole('button', { name: '退出登录' }).click();
      await expect(loginForm(page)).toBeVisible();
      await expect(page.getByRole('status')).toContainText('已退出登录');
    } else {
      await page.evaluate(() => sessionStorage.clear());
    }
  }
  // The API agrees: the viewer may not call a command, the admin may not read events.
  const viewer = await apiSocket(baseURL as string, 'viewer');
  const admin = await apiSocket(baseURL as string, 'admin');
  try {
    expect((await viewer.invoke('event.comment', { id: 'x', note: 'y' })).error?.code).toBe('forbidden');
    expect((await admin.invoke('events.list', {})).error?.code).toBe('forbidden');
  } finally {
    viewer.close();
    admin.close();
  }
});

test('a department operator handles a dispatched event end to end: feedback with a photo; the dispatcher verifies and closes', async ({ page, context, baseURL }) => {
  const dept = await apiSocket(baseURL as string, 'department');
  const me = await dept.call<SessionUser>('auth.me');
  dept.close();
  expect(me.departmentId, 'the demo department account belongs to a department').toBeTruthy();
  const title = `E2E部门反馈-${Date.now() % 100000}`;
  const id = await countyEvent(title);
  await dispatchTo(id, me.departmentId as string);

  await login(page, 'department');
  await expect(heading(page)).toContainText('我的任务');
  await openInWorkList(page, id, title);
  await expect(status(page)).toHaveText('处置中');
  await toolbar(page).getByRole('button', { name: '反馈' }).click();
  await dialog(page).getByLabel('处置情况').fill('已清运堆放垃圾，现场已清扫');
  await dialog(page).getByLabel('选择照片文件').setInputFiles({ name: 'site.png', mimeType: 'image/png', buffer: pngFile(1600, 1200) });
  const thumb = dialog(page).getByRole('img', { name: '待上报照片 1' });
  await expect(thumb).toBeVisible();
  await dialog(page).getByRole('button', { name: '确定反馈' }).click();
  await expect(dialog(page)).toHaveCount(0);
  await expect(status(page)).toHaveText('待核查');
  await expect(detail(page).getByRole('img', { name: '现场照片 1' })).toBeVisible();
  await expect.poll(() => countyStatus(id)).toBe('handled');

  // The dispatcher, in another browser tab, verifies and closes; the history names the department's operator.
  const desk = await context.newPage();
  await login(desk, 'dispatcher');
  await openInConsole(desk, id, title);
  await expect(status(desk)).toHaveText('待核查');
  await toolbar(desk).getByRole('button', { name: '核查通过' }).click();
  await dialog(desk).getByRole('button', { name: '确定核查通过' }).click();
  await expect(status(desk)).toHaveText('待结案');
  await toolbar(desk).getByRole('button', { name: /结案/ }).click();
  await dialog(desk).getByRole('button', { name: '确定结案' }).click();
  await expect(status(desk)).toHaveText('已结案');
  await expect.poll(() => countyStatus(id)).toBe('closed');
  // The department sees it leave its work to do.
  await page.getByRole('tab', { name: '待处置' }).click();
  await expect(page.locator(`.work-row[data-event-id="${id}"]`)).toHaveCount(0);
  // The history names the people who acted: the department's operator and the dispatcher, with their roles.
  const history = detail(desk).getByRole('region', { name: '办理记录' });
  await expect(history).toContainText(`${me.name}（${ROLE_LABELS.department}）`);
  await expect(history).toContainText(`（${ROLE_LABELS.dispatcher}）`);
});

test('a village operator sees only the events of their village, and reports one there', async ({ page, baseURL }) => {
  const village = await apiSocket(baseURL as string, 'village');
  try {
    const me = await village.call<SessionUser>('auth.me');
    const scope = me.grids ?? [];
    expect(scope.length, 'the demo village account has a grid scope').toBeGreaterThan(0);
    const inScope = (grid: string) => scope.some((g) => grid.startsWith(g));
    const mine = town.grids.find((g) => g.kind === 'basic' && inScope(g.code))!;
    const other = town.grids.find((g) => g.kind === 'basic' && !inScope(g.code))!;
    const stamp = Date.now() % 100000;
    const ours = await countyEvent(`E2E本村-${stamp}`, mine.code);
    const theirs = await countyEvent(`E2E外村-${stamp}`, other.code);

    const all = await dispatcher.call<Page_>('events.list', { paging: { offset: 0, limit: 1 } });
    const seen = await village.call<Page_>('events.list', { paging: { offset: 0, limit: 500 }, sort: 'reportedAt' });
    expect(seen.total).toBeLessThan(all.total);
    expect(seen.items.every((e) => inScope(e.grid))).toBe(true);
    expect(seen.items.map((e) => e.id)).toContain(ours);
    expect(seen.items.map((e) => e.id)).not.toContain(theirs);
    expect(await village.call('events.get', { id: theirs })).toBeNull();

    await login(page, 'village');
    await page.getByRole('tab', { name: '全部' }).click();
    await expect(page.locator('.queue-foot')).toContainText(`共 ${seen.total} 条`);
    await page.getByRole('searchbox', { name: '搜索事件' }).fill(`-${stamp}`);
    await expect(page.locator(`.work-row[data-event-id="${ours}"]`)).toBeVisible();
    await expect(page.locator(`.work-row[data-event-id="${theirs}"]`)).toHaveCount(0);

    // 上报事件: a report of the village, placed in its own grid.
    const [lon, lat] = pointOnFeature(mine.geometry).geometry.coordinates as [number, number];
    await page.getByRole('button', { name: '上报事件' }).click();
    const form = dialog(page);
    await form.getByLabel('事件标题').fill(`E2E村报-${stamp}`);
    await form.getByLabel('事件类别').selectOption('0301');
    await form.getByLabel('事发地址').fill('村委会门口');
    await form.getByLabel('经度').fill(lon.toFixed(6));
    await form.getByLabel('纬度').fill(lat.toFixed(6));
    await expect(form.getByTestId('intake-grid')).toContainText('所在网格');
    await form.getByRole('button', { name: '登记上报' }).click();
    await expect(form).toHaveCount(0);
    await expect(detail(page)).toContainText(`E2E村报-${stamp}`);
  } finally {
    village.close();
  }
});

test('the wall never receives a phone number, whatever its writing', async ({ page }) => {
  const frames: string[] = [];
  page.on('websocket', (ws) => ws.on('framereceived', (f) => frames.push(typeof f.payload === 'string' ? f.payload : f.payload.toString('utf8'))));
  await login(page, 'viewer', '/wall');
  await expect(heading(page)).toContainText('网格化指挥调度中心');
  const grid = town.grids.find((g) => g.kind === 'basic')!;
  const [lon, lat] = pointOnFeature(grid.geometry).geometry.coordinates as [number, number];
  const stamp = Date.now() % 100000;
  const phones = ['13912345678', '１３９１２３４５６７８', '139.1234.5678'];
  for (const [i, phone] of phones.entries()) {
    await dispatcher.call('event.create', {
      id: crypto.randomUUID(),
      code: `E2E-WALL-${stamp}-${i}`,
      title: `E2E大屏隐私-${stamp}-${i}`,
      description: `来电人电话 ${phone}`,
      category: '0301',
      urgency: 'urgent',
      source: 'hotline',
      location: { lon, lat, address: '测试地址 8 号' },
      grid: grid.code,
      reporter: { name: '张三丰', phone, idNumber: '430624199001011234' },
    });
  }
  await expect.poll(() => frames.filter((f) => f.includes(`E2E大屏隐私-${stamp}`)).length).toBeGreaterThan(0);
  await page.waitForTimeout(3000);
  // Full-width digits read as digits; a separator may stand between any two of them.
  const text = frames.join('\n').replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0));
  const spread = (digits: string) => new RegExp(digits.split('').join('[\\s.\\-－·]?'));
  const leaks = ['13912345678', '430624199001011234'].flatMap((secret) => {
    const m = spread(secret).exec(text);
    return m ? [`${secret} at: …${text.slice(Math.max(0, m.index - 80), m.index + 40)}…`] : [];
  });
  expect(leaks).toEqual([]);
  expect(text.includes('张三丰'), 'the reporter\'s full name').toBe(false);
});

test('a leader approves an extension the department asked for', async ({ page, baseURL }) => {
  const dept = await apiSocket(baseURL as string, 'department');
  try {
    const me = await dept.call<SessionUser>('auth.me');
    const title = `E2E延期-${Date.now() % 100000}`;
    const id = await countyEvent(title);
    await dispatchTo(id, me.departmentId as string);
    await dept.call('event.requestExtension', { id, by: { value: 2, unit: 'workDays' }, reason: '需等待材料到货' });
    await expect.poll(async () => (await dispatcher.call<EventLite>('events.get', { id })).extensionRequest).not.toBeNull();

    await login(page, 'leader');
    await openInConsole(page, id, title);
    await expect(detail(page)).toContainText('需等待材料到货');
    await toolbar(page).getByRole('button', { name: '批准延期' }).click();
    await dialog(page).getByLabel('审批意见').fill('同意延期两个工作日');
    await dialog(page).getByRole('button', { name: '确定批准延期' }).click();
    await expect(dialog(page)).toHaveCount(0);
    await expect(detail(page).getByRole('region', { name: '办理记录' })).toContainText('批准延期');
    await expect.poll(async () => (await dispatcher.call<EventLite>('events.get', { id })).extensionRequest).toBeNull();
    const history = (await dispatcher.call<EventLite>('events.get', { id })).history;
    expect(history.at(-1)).toMatchObject({ action: 'event.approveExtension', role: 'leader' });
  } finally {
    dept.close();
  }
});

test('an admin issues a device token, the screen enrols with its one-time link and survives a reload; revoked, it is cut off within seconds', async ({ page, browser }) => {
  await login(page, 'admin');
  await page.getByRole('tab', { name: '设备令牌' }).click();
  const name = `E2E大屏-${Date.now() % 100000}`;
  await page.getByLabel('屏幕名称').fill(name);
  await page.getByRole('button', { name: '签发' }).click();
  const link = (await page.getByTestId('device-link').textContent()) ?? '';
  expect(link).toMatch(/\/wall#device=\S{8,}$/);

  // The screen is another machine: its own browser context, no login.
  const screenContext = await browser.newContext({ viewport: { width: 1920, height: 1080 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  const screen = await screenContext.newPage();
  try {
    await screen.goto(link);
    await expect(heading(screen)).toContainText('网格化指挥调度中心');
    expect(screen.url()).not.toContain('device=');
    await screen.reload();
    await expect(heading(screen)).toContainText('网格化指挥调度中心');
    // The link was for once: another screen opening it gets nothing.
    const otherContext = await browser.newContext();
    const again = await otherContext.newPage();
    await again.goto(link);
    await expect(again.getByRole('heading', { name: '此屏幕未授权' })).toBeVisible();
    await otherContext.close();

    page.once('dialog', (d) => void d.accept());
    const row = page.locator(`tr[data-device="${name}"]`);
    await row.getByRole('button', { name: '吊销' }).click();
    await expect(row).toContainText('已吊销');
    const revokedAt = Date.now();
    await expect(screen.getByRole('heading', { name: '此屏幕未授权' })).toBeVisible({ timeout: 20_000 });
    expect(Date.now() - revokedAt).toBeLessThan(10_000);
    await screen.reload();
    await expect(screen.getByRole('heading', { name: '此屏幕未授权' })).toBeVisible();
  } finally {
    await screenContext.close();
  }
});
