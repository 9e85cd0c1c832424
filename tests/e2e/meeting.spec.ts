// The weekly consultation meeting (会商, issue 10) against a web shell of this spec's own
// (own-shell.ts: its own port, replica and embedded county) because the meeting's data
// service is restarted in it: the secretary presents while two followers (the wall, logged
// in as the viewer, and a LAN browser with a device token) show each item within a second
// of the presenter; at the second item the shell's process is killed (SIGKILL; the web shell
// runs the data service in its own process) and started again on its replica, and the
// pages, not reloaded, come back at that item and follow the presenter on to the third;
// the LAN browser breaks away and rejoins; the leader decides with the county link down and
// the decisions reach the county once it returns; the minutes are read back (the .docx
// unzipped, the PDF's text and first page). Each step logs how long following took.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import JSZip from 'jszip';
import { expect, test, type Browser, type Page } from '@playwright/test';
import { OwnShell, type ShellApi } from './own-shell';

const DESK = { id: 'county-meeting-e2e', role: 'dispatcher', name: '县级坐席' };
const ATTENDEES = ['王镇长', '李主任'];
/**
 * How soon after the presenter's screen a follower shows the item (an event's in full):
 * the issue's second. Measured per step and logged with the time from the presenter's
 * click. Five runs on the shared two-core machine (load 11-14): the followers showed an
 * item 0.03-1.4 s after the click (once 5.6 s, the first item on a CPU-starved wall), and
 * behind the presenter's own screen (which moves its map on SwiftShader) by at most 0.15 s,
 * once 0.85 s. MEETING_FOLLOW_MS changes the bound.
 */
const FOLLOW_MS = Number(process.env.MEETING_FOLLOW_MS ?? 1_000);

let county = '';
let town = '';
let secretary: ShellApi;
let leader: ShellApi;

async function control(body: Record<string, unknown>): Promise<Record<string, unknown>> {
  const res = await fetch(`${county}/control`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const json = (await res.json()) as Record<string, unknown>;
  expect(res.status, JSON.stringify(json)).toBe(200);
  return json;
}

type CountyEvent = { id: string; status: string; history: { action: string; actor: string; name?: string }[] };
async function countyEvent(id: string): Promise<CountyEvent | undefined> {
  const snapshot = (await (await fetch(`${county}/snapshot?town=${town}`)).json()) as { events: CountyEvent[] };
  return snapshot.events.find((e) => e.id === id);
}

const shown = (page: Page) => page.getByTestId('meeting-current-item');

type Follower = [name: string, page: Page];
type Item = { id: string; title: string; eventId: string | null };

/**
 * Arms a watch in the page for the moment (the page's Date.now(), the same clock as the
 * test's) it shows what `selector` finds: a MutationObserver, so the moment is the DOM's,
 * not a poll's. Returns the getter of that moment.
 */
async function watchShown(page: Page, selector: string): Promise<() => Promise<number>> {
  await page.evaluate(
    ([sel]) => {
      const w = window as unknown as { shownAt?: Record<string, Promise<number>> };
      w.shownAt ??= {};
      w.shownAt[sel] = new Promise<number>((resolve) => {
        const observer = new MutationObserver(() => {
          if (!document.querySelector(sel)) return;
          observer.disconnect();
          resolve(Date.now());
        });
        if (document.querySelector(sel)) resolve(Date.now());
        else observer.observe(document.body, { subtree: true, childList: true, attributes: true });
      });
    },
    [selector] as const,
  );
  return () => page.evaluate((sel) => (window as unknown as { shownAt: Record<string, Promise<number>> }).shownAt[sel]!, selector);
}

/** A follower's card of the item; of an event's item, with the event in full (status, deadlines, history). */
const followerShows = (item: Item): string => `[data-testid="meeting-current-item"][data-item-id="${item.id}"]${item.eventId ? ` [data-testid="item-event"][data-event-id="${item.eventId}"]` : ''}`;

/** The page's moment of its next click (the button may wait to be enabled: the wait is not the product's). */
async function watchClick(page: Page): Promise<() => Promise<number>> {
  await page.evaluate(() => {
    const w = window as unknown as { clickAt?: Promise<number> };
    w.clickAt = new Promise((resolve) => document.addEventListener('click', () => resolve(Date.now()), { capture: true, once: true }));
  });
  return () => page.evaluate(() => (window as unknown as { clickAt: Promise<number> }).clickAt);
}

/**
 * The page's map (renderer/src/map/test-hook.ts) has drawn the town and is still. A
 * precondition of the measure, not a check of the map (map.spec.ts is): a map not drawn
 * in 30 s (a read of its data timed out on a starved machine) is logged, and the meeting goes on.
 */
async function mapDrawn([name, page]: Follower): Promise<void> {
  type Hook = { __griddeckMap?: { ready: boolean; settled(): Promise<void> } };
  const drawn = await page
    .waitForFunction(() => (window as unknown as Hook).__griddeckMap?.ready === true, undefined, { timeout: 60_000, polling: 250 })
    .then(() => within(30_000, `${name}: map settled`, page.evaluate(() => (window as unknown as Hook).__griddeckMap!.settled())))
    .then(
      () => true,
      () => false,
    );
  if (!drawn) phase(`the ${name} screen's map was not drawn and still within 30 s: following is measured anyway`);
}

/** Within `ms`, or a clear failure. */
function within<T>(ms: number, what: string, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms)));
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

/** What following took at each step, printed with the spec's output. */
const followLog: string[] = [];

/** The presenter moves; each follower shows the item (an event's in full) within FOLLOW_MS of the presenter's screen (measured, logged). */
async function presentAndFollow(presenter: Page, button: string, item: Item, followers: Follower[], step: string): Promise<void> {
  const onPresenter = await watchShown(presenter, `[data-testid="presented-item"][data-item-id="${item.id}"]`);
  const onFollowers = await Promise.all(followers.map(([, f]) => watchShown(f, followerShows(item))));
  const onClick = await watchClick(presenter);
  await presenter.getByRole('button', { name: button, exact: true }).click();
  const clicked = await onClick();
  const presented = await within(60_000, `${step}: the presenter's screen`, onPresenter());
  // Waited for well past the bound, so that a slow follower is measured, not only failed.
  const seen = await Promise.all(onFollowers.map((at, i) => within(FOLLOW_MS + 15_000, `${step}: ${followers[i]![0]}`, at())));
  const lags = seen.map((t) => t - presented);
  phase(`follow ${step}: presenter ${presented - clicked} ms after the click; ${followers.map(([name], i) => `${name} ${seen[i]! - clicked} ms (${lags[i]! >= 0 ? '+' : ''}${lags[i]} ms)`).join(', ')}`);
  lags.forEach((lag, i) => expect(lag, `${step}: ${followers[i]![0]} follows within ${FOLLOW_MS} ms of the presenter`).toBeLessThanOrEqual(FOLLOW_MS));
  for (const [, f] of followers) await expect(shown(f)).toHaveAttribute('data-item-id', item.id);
}

test.describe.configure({ mode: 'serial' });

// The meeting's own web shell (own-shell.ts): the restart below kills its process.
let shell: OwnShell | null = null;
test.afterAll(async () => {
  await shell?.dispose();
  if (followLog.length > 0) console.log(`meeting timings (follow bound ${FOLLOW_MS} ms):\n  ${followLog.join('\n  ')}`);
});

test('a meeting: three items followed live, the data service restarted mid-meeting, break away and rejoin, decisions with the county down, minutes read back', async ({ browser, page }, info) => {
  test.setTimeout(Number(process.env.MEETING_TIMEOUT_MS ?? 300_000));
  const began = Date.now();
  shell = await OwnShell.create(process.env.E2E_MEETING_PORT ? Number(process.env.E2E_MEETING_PORT) : undefined);
  await shell.start();
  phase(`the meeting's own shell started in ${Date.now() - began} ms`);
  secretary = await shell.api('secretary');
  leader = await shell.api('leader');

  // The followers, opened first (their maps draw while the agenda is made, as a room's screens are up before
  // a meeting): the wall (viewer) and a LAN browser enrolled with a device token (its own browser context).
  const admin = await shell.api('admin');
  const issued = await admin.call<{ path: string }>('devices.issue', { name: '会商室屏幕' });
  admin.close();
  const wall = await browser.newPage();
  await shell.login(wall, 'viewer', '/wall');
  const lanContext = await browser.newContext();
  const lan = await lanContext.newPage();
  await lan.goto(`${shell.baseURL}${issued.path}`);
  const { meeting, items, accepted } = await prepareMeeting(shell);
  await shell.login(page, 'secretary', '/');
  await expect(page.getByTestId('meeting-screen')).toBeVisible();
  // Following is measured between screens that are up: each map has drawn the town (on SwiftShader, seconds).
  const opened = Date.now();
  await Promise.all(([['wall', wall], ['lan', lan], ['presenter', page]] as Follower[]).map(mapDrawn));
  phase(`the three screens' maps were drawn ${Date.now() - opened} ms after the presenter's screen opened`);

  // Two items, each on both followers within a second of the presenter's screen.
  const followers: Follower[] = [['wall', wall], ['lan', lan]];
  await presentAndFollow(page, '开始会商', items[0]!, followers, 'item 1');
  await presentAndFollow(page, '下一项', items[1]!, followers, 'item 2');
  // The data service restarts at item 2; the meeting goes on: the third item, followed.
  await restartMidMeeting(shell, page, followers, items[1]!.id);
  await presentAndFollow(page, '下一项', items[2]!, followers, 'item 3, after the restart');
  // The LAN browser breaks away and stays; the wall follows back to item 2; the LAN browser rejoins there.
  await lan.getByRole('button', { name: '脱离跟随' }).click();
  await presentAndFollow(page, '上一项', items[1]!, [['wall', wall]], 'item 2 again, the LAN browser away');
  await expect(shown(lan)).toHaveAttribute('data-item-id', items[2]!.id);
  await expect(lan.getByTestId('meeting-follower')).toHaveAttribute('data-following', 'no');
  const rejoined = await watchShown(lan, followerShows(items[1]!));
  const rejoinClick = await watchClick(lan);
  await lan.getByRole('button', { name: '重新跟随' }).click();
  phase(`follow rejoin: the LAN browser shows the presenter's item ${(await within(FOLLOW_MS + 15_000, 'rejoin', rejoined())) - (await rejoinClick())} ms after its click`);
  await expect(shown(lan)).toHaveAttribute('data-item-id', items[1]!.id, { timeout: FOLLOW_MS });
  await wall.screenshot({ path: info.outputPath('meeting-wall-1920x1080.png') });

  await decideWithCountyDown(browser, shell, meeting.id, items, accepted);

  // The secretary ends the meeting: the followers leave it, the minutes are filed.
  await page.getByRole('button', { name: '结束会商并生成纪要' }).click();
  await expect(page.getByTestId('minutes-row').first()).toBeVisible({ timeout: 120_000 });
  await expect(wall.getByTestId('meeting-follower')).toHaveCount(0);
  const [minutes] = await secretary.call<{ id: string; number: string }[]>('minutes.list', { meetingId: meeting.id });
  expect((await secretary.call<unknown[]>('minutes.list', { eventId: accepted })).length).toBe(1);
  await readMinutes(minutes!, items, info.outputPath('minutes'));
  for (const s of [secretary, leader]) s.close();
  await lanContext.close();
  phase(`the whole meeting took ${Date.now() - began} ms`);
});


/** An accepted event the meeting will dispatch, and the agenda: a hard case, that event, a topic. */
async function prepareMeeting(own: OwnShell): Promise<{ meeting: { id: string }; items: Item[]; accepted: string }> {
  const dispatcher = await own.api('dispatcher');
  const appInfo = await dispatcher.call<{ demoCounty: string; town: { code: string } }>('app.info');
  dispatcher.close();
  county = appInfo.demoCounty;
  town = appInfo.town.code;
  await control({ action: 'resume' });
  const accepted = String((await control({ action: 'create-event', town, overrides: { category: '0301' } })).id);
  await control({ action: 'apply', town, name: 'event.accept', args: { id: accepted }, actor: DESK });
  await expect.poll(async () => (await secretary.call<{ status: string } | null>('events.get', { id: accepted }))?.status, { timeout: 40_000 }).toBe('accepted');
  const candidates = await secretary.call<{ key: string; kind: string; title: string; reasons: unknown[] }[]>('meeting.candidates', {});
  const hard = candidates.find((c) => c.kind === 'event' && c.key !== accepted);
  expect(hard, 'the demo replica has hard cases').toBeTruthy();
  const { meeting } = await secretary.call<{ meeting: { id: string } }>('meeting.create', {
    title: '2026年第49周网格化工作会商会', date: '2026-12-03', place: '镇政府三楼会议室', chair: '王镇长',
    attendees: [{ name: ATTENDEES[0], title: '镇长' }, { name: ATTENDEES[1], title: '网格化办主任' }], departments: ['dept-rj'],
  });
  await secretary.call('meeting.item.add', { meetingId: meeting.id, key: hard!.key });
  await secretary.call('meeting.item.add', { meetingId: meeting.id, key: accepted });
  const items = await secretary.call<Item[]>('meeting.item.add', { meetingId: meeting.id, topic: '春节前安全隐患排查部署' });
  expect(items).toHaveLength(3);
  return { meeting, items, accepted };
}

/** What a screen says over its map while it has no data service. */
const serviceGone = (page: Page) => page.getByRole('alert').filter({ hasText: '与数据服务的连接' });

/**
 * The data service dies (SIGKILL) and is started again on its replica. The pages, not
 * reloaded (the product reconnects by itself: no one touches a wall), come back at the
 * presenter's item, which the service read back from its replica.
 */
async function restartMidMeeting(own: OwnShell, presenter: Page, followers: Follower[], itemId: string): Promise<void> {
  const pages = [presenter, ...followers.map(([, f]) => f)];
  const wall = followers[0]![1];
  // Each page marked (a reload would lose the mark), and watched for its API socket's return.
  for (const p of pages) await p.evaluate(() => ((window as unknown as { beforeRestart: boolean }).beforeRestart = true));
  const back = pages.map((p) => namespaceConnected(p));
  const killedAt = Date.now();
  await own.kill();
  await expect(serviceGone(wall)).toBeVisible({ timeout: 40_000 });
  await own.start();
  const listening = Date.now();
  const reconnected = await Promise.all(back.map((b) => within(30_000, 'a page reconnects', b)));
  phase(`restart: the shell listened again ${listening - killedAt} ms after the kill; the pages reconnected ${reconnected.map((t) => t - listening).join(', ')} ms after that`);
  console.log(own.log());

  const api = await own.api('dispatcher');
  const state = await api.call<{ itemId: string } | null>('meeting.state');
  // The embedded county came back on a port of its own (app.info names it to a desk's role).
  county = (await api.call<{ demoCounty: string }>('app.info')).demoCounty;
  api.close();
  expect(state?.itemId, 'the service resumed the meeting from its replica').toBe(itemId);
  await expect(serviceGone(wall)).toHaveCount(0, { timeout: 40_000 });
  for (const p of pages) expect(await p.evaluate(() => (window as unknown as { beforeRestart?: boolean }).beforeRestart), 'not reloaded').toBe(true);
  await expect(presenter.getByTestId('presented-item')).toHaveAttribute('data-item-id', itemId);
  for (const [, f] of followers) await expect(shown(f)).toHaveAttribute('data-item-id', itemId);
}

/** When (the test's clock) the page's API socket is connected again: the server's CONNECT packet on a new WebSocket. */
function namespaceConnected(page: Page): Promise<number> {
  return new Promise((resolve) => {
    page.on('websocket', (ws) =>
      ws.on('framereceived', ({ payload }) => {
        if (String(payload).startsWith('40/api')) resolve(Date.now());
      }),
    );
  });
}

/** The county link goes down; the leader decides on its screen (dispatch) and by the API (督办, keep); the county gets them once it returns. */
async function decideWithCountyDown(browser: Browser, own: OwnShell, meetingId: string, items: Item[], accepted: string): Promise<void> {
  await control({ action: 'pause' });
  await control({ action: 'drop' });
  try {
    const lead = await browser.newPage();
    await own.login(lead, 'leader', '/#meeting');
    // The leader's screen, opened late, shows the presenter's item at once.
    await expect(lead.getByTestId('presented-item')).toHaveAttribute('data-item-id', items[1]!.id, { timeout: 40_000 });
    const form = lead.getByRole('region', { name: '会商决定' });
    await expect(form).toContainText(items[1]!.title, { timeout: 40_000 });
    await form.getByLabel('决定', { exact: true }).selectOption('dispatch');
    await form.getByLabel('牵头单位').selectOption('dept-rj');
    await form.getByLabel('办结时限').fill('2026-12-10');
    await form.getByLabel('会商意见').fill('由人居环境整治办牵头，一周内整改到位');
    await form.getByRole('button', { name: '作出决定' }).click();
    // Read back with the meeting (meeting.get) by a screen opened a moment ago, whose map may still be drawing.
    await expect(form.getByTestId('decision')).toContainText('派遣', { timeout: 40_000 });
    await leader.call('meeting.decide', { meetingId, itemId: items[0]!.id, action: 'supervise', deadline: '2026-12-08', instruction: '限期办结，逾期约谈' });
    await leader.call('meeting.decide', { meetingId, itemId: items[2]!.id, action: 'keep', deadline: '2026-12-20', instruction: '各村12月20日前完成排查' });
    expect((await countyEvent(accepted))?.status).toBe('accepted');
    await lead.close();
  } finally {
    await control({ action: 'resume' });
  }
  // Back online: the decision's command reaches the county, signed by the leader.
  await expect.poll(async () => (await countyEvent(accepted))?.status, { timeout: 60_000 }).toBe('dispatched');
  const dispatch = (await countyEvent(accepted))!.history.find((h) => h.action === 'event.dispatch');
  expect(dispatch?.name).toBeTruthy();
}

function phase(line: string): void {
  followLog.push(line);
  console.log(line);
}

/** The minutes read back: every attendee, item and decision in the .docx's text and in the PDF's; its first page rendered. */
async function readMinutes(minutes: { id: string; number: string }, items: { title: string }[], outBase: string): Promise<void> {
  const expected = [...ATTENDEES, minutes.number, ...items.map((i) => i.title), '由人居环境整治办牵头，一周内整改到位', '限期办结，逾期约谈', '各村12月20日前完成排查', '派遣', '督办'];
  const docx = await secretary.call<{ base64: string; masked: boolean }>('minutes.download', { id: minutes.id, format: 'docx' });
  const zip = await JSZip.loadAsync(Buffer.from(docx.base64, 'base64'));
  const text = (await zip.file('word/document.xml')!.async('string')).replace(/<[^>]+>/g, '');
  for (const t of expected) expect(text, t).toContain(t);
  const pdf = await secretary.call<{ base64: string }>('minutes.download', { id: minutes.id, format: 'pdf' });
  const dir = mkdtempSync(path.join(tmpdir(), 'griddeck-minutes-'));
  const file = path.join(dir, 'minutes.pdf');
  writeFileSync(file, Buffer.from(pdf.base64, 'base64'));
  const pdfText = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
  for (const t of expected) expect(pdfText, t).toContain(t.replace(/\s+/g, ''));
  execFileSync('pdftoppm', ['-png', '-r', '50', '-singlefile', file, outBase]);
  const png = `${outBase}.png`;
  expect(statSync(png).size).toBeGreaterThan(5_000);
  expect(readFileSync(png).subarray(1, 4).toString()).toBe('PNG');
}
