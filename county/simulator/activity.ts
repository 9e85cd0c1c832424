// What the simulated county does by itself: events arriving with a realistic mix
// and daily rhythm, and each event moving on as the departments, the grid workers
// and the county would move it. The workflow rules are core's transition; this
// file only decides who acts, when, and with which words.
//
// Plans are pure functions of an event (and the seed): the next step of an event
// is derived from its state and the time of its last history entry, so the agenda
// is rebuilt after a restart without being stored, and it does not depend on how
// time was cut into ticks.
import type { Actor, Category, EventSource, Grid, GridEvent, Urgency, Worker } from '../../core/model';
import type { CommandArgs, CommandName } from '../../core/events/commands';
import { parseIso, shanghaiDate, shanghaiMinuteOfDay } from '../../core/time/shanghai';
import { hashString, type Rng } from '../../county/demo/random';
import { nextDutyTime, onDutyAt, streamOf } from './patrol';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

// ---------------------------------------------------------------- actors

/** The virtual dispatcher that accepts and dispatches what the town leaves alone (autoDispatchAfterMs). */
export const SIM_DISPATCHER: Actor = { id: 'sim-dispatcher', role: 'dispatcher', name: '值班调度员（模拟）' };
/** 12345 and the county's call center forwarding residents' calls and WeChat messages. */
export const HOTLINE_DESK: Actor = { id: 'hotline-12345', role: 'dispatcher', name: '12345热线坐席' };
export const SENSOR_NET: Actor = { id: 'sensor-net', role: 'system', name: '物联感知平台' };

export function countyActor(countyCode: string): Actor {
  return { id: `county-${countyCode}`, role: 'county', name: '县网格化服务中心' };
}

export function departmentActor(id: string, name: string): Actor {
  return { id: `op-${id}`, role: 'department', departmentId: id, name: `${name}经办人` };
}

export function workerActor(w: Worker): Actor {
  return { id: w.id, role: 'gridWorker', name: w.name };
}

// ---------------------------------------------------------------- daily rhythm

/**
 * Relative arrival rate per Shanghai hour: reports follow the working day (patrols,
 * office hours of the hotline), with peaks in the morning and the afternoon and
 * few at night. Normalised so that the mean over a day is 1.
 */
const RAW_PROFILE = [0.15, 0.1, 0.08, 0.08, 0.1, 0.2, 0.5, 0.9, 1.6, 2.0, 2.0, 1.6, 0.9, 1.0, 1.7, 1.9, 1.8, 1.3, 0.8, 0.6, 0.5, 0.4, 0.3, 0.2];
const PROFILE_MEAN = RAW_PROFILE.reduce((a, b) => a + b, 0) / 24;
export const HOUR_PROFILE: readonly number[] = RAW_PROFILE.map((v) => v / PROFILE_MEAN);
const PROFILE_MAX = Math.max(...HOUR_PROFILE);

export function rateFactor(ms: number): number {
  return HOUR_PROFILE[Math.floor(shanghaiMinuteOfDay(ms) / 60)] ?? 1;
}

/**
 * Arrival instants in (t0, t1] of a Poisson process whose rate follows the daily
 * rhythm around `perHour` (thinning of a process at the peak rate).
 */
export function arrivals(rng: Rng, t0: number, t1: number, perHour: number): number[] {
  const out: number[] = [];
  if (!(perHour > 0) || !(t1 > t0)) return out;
  const peakPerMs = (perHour * PROFILE_MAX) / HOUR;
  let t = t0;
  for (let guard = 0; guard < 1_000_000; guard++) {
    t += -Math.log(1 - rng.next()) / peakPerMs;
    if (t > t1) break;
    if (rng.next() * PROFILE_MAX < rateFactor(t)) out.push(Math.floor(t));
  }
  return out;
}

// ---------------------------------------------------------------- the mix of new events

/**
 * Weight of each top-level group of the demo list of matters: grid work is mostly
 * sanitation and disputes (the seed's 环境监督员 and 矛盾调解员 duties come first in
 * volume), illegal building and public opinion are rare.
 */
export const GROUP_WEIGHTS: Readonly<Record<string, number>> = {
  '03': 26, // 环境卫生
  '01': 20, // 矛盾纠纷
  '08': 12, // 城乡管理与市容
  '05': 12, // 民生服务
  '02': 10, // 安全隐患
  '09': 8, //  12345热线诉求
  '04': 5, //  社会治安
  '07': 4, //  生态环境
  '06': 2.5, // 违法建设
  '10': 0.5, // 舆情信息
};

/** Leaves that a sensor (camera, smoke or water-level sensor, smart manhole) can report. */
const SENSOR_CATEGORIES = new Set(['0201', '0205', '0206', '0207', '0302', '0702', '0804']);

const GROUP_TEXT: Readonly<Record<string, { report: string[]; feedback: string[]; verify: string[] }>> = {
  '01': {
    report: ['双方因琐事发生争执，情绪激动，需要调解', '当事人反映矛盾长期未解决，请求组织调处', '现场有争吵，邻里多次投诉'],
    feedback: ['已组织双方调解，达成一致意见', '已上门做通当事人工作，矛盾已化解', '已联合村委会调处，签订调解协议'],
    verify: ['回访双方，矛盾未再发生', '现场核实，调解协议已履行'],
  },
  '02': {
    report: ['发现安全隐患，存在较大风险，请尽快处置', '巡查发现隐患点，已设置临时警示', '群众反映此处存在安全隐患'],
    feedback: ['已完成隐患整改并复查', '已设置警示并落实整改措施', '已通知责任单位完成整改'],
    verify: ['现场核查，隐患已消除', '复查整改到位'],
  },
  '03': {
    report: ['现场垃圾堆积，影响村容村貌', '环境卫生较差，群众反映强烈', '巡查发现卫生问题，需要清理'],
    feedback: ['已安排保洁人员清理完毕', '已清运并对周边进行整治', '已督促责任人完成清理'],
    verify: ['现场已清理干净', '核查环境卫生已恢复'],
  },
  '04': {
    report: ['发现可疑情况，需要核实处置', '群众反映治安问题，请派员处理', '巡查发现治安隐患'],
    feedback: ['已派员到场核查处置', '已落实防范措施并加强巡逻', '已核实情况并依法处理'],
    verify: ['现场核实，情况已处置', '回访群众，反映问题已解决'],
  },
  '05': {
    report: ['群众来电反映生活困难，请求帮助', '居民反映民生诉求，需要跟进办理', '群众诉求需要相关部门协调解决'],
    feedback: ['已上门了解情况并协助办理', '已按政策落实相关帮扶', '已协调相关单位解决诉求'],
    verify: ['回访当事人，诉求已解决', '核实帮扶措施已落实'],
  },
  '06': {
    report: ['发现疑似违法建设，正在施工', '群众举报有人未批先建', '巡查发现违规搭建'],
    feedback: ['已下达停工通知并督促拆除', '已依法拆除违建部分', '已责令整改并补办手续'],
    verify: ['现场核查，违建已拆除', '核实已停工整改'],
  },
  '07': {
    report: ['发现环境污染问题，群众反映强烈', '巡查发现疑似污染行为', '有群众举报污染环境'],
    feedback: ['已责令停止并整改', '已联合执法查处', '已完成现场处置并加强监管'],
    verify: ['现场核查，污染已消除', '复查未发现违规行为'],
  },
  '08': {
    report: ['市政设施损坏，影响群众出行', '巡查发现市容问题，需要整治', '群众反映公共设施需要维修'],
    feedback: ['已完成维修', '已清理整治到位', '已安排施工队修复'],
    verify: ['现场核查，已修复', '核实问题已整改'],
  },
  '09': {
    report: ['12345热线转办群众诉求', '热线来电反映问题，请核实办理', '市民热线工单转派'],
    feedback: ['已联系来电人并办理完毕', '已核实并答复来电人', '已按诉求协调解决'],
    verify: ['回访来电人，表示满意', '核实诉求已办结'],
  },
  '10': {
    report: ['网络出现相关负面信息，需要核实回应', '监测到涉本镇舆情信息'],
    feedback: ['已核实情况并作出回应', '已联合相关部门妥善处置'],
    verify: ['舆情已平息', '核实已回应处置'],
  },
};

const REWORK_REASONS = ['现场核查发现问题未彻底解决', '群众反映问题仍然存在', '整改不到位，需重新处理'];
const RETURN_REASONS = ['经核实不属于本单位职责，请重新派遣', '事项涉及其他部门职责，建议改派', '派遣信息不全，请补充后重新派遣'];
const REJECT_REASONS = ['经核实不属于网格事项，不予受理', '重复上报，已有事件在办理'];
const COUNTY_FEEDBACK = ['县级职能部门已牵头处置完毕', '县网格化服务中心已协调相关部门办结', '已由县级部门现场处置'];

const SURNAMES = [...'王李张刘陈杨黄赵吴周徐孙马朱胡郭何罗高林'];
const GIVEN = [...'伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国红'];

function groupOf(code: string): string {
  return code.slice(0, 2);
}

function textOf(code: string): (typeof GROUP_TEXT)[string] {
  return GROUP_TEXT[groupOf(code)] ?? GROUP_TEXT['03']!;
}

function weightedPick<T>(rng: Rng, items: readonly (readonly [T, number])[]): T {
  const total = items.reduce((s, [, w]) => s + w, 0);
  let r = rng.float(0, total);
  for (const [item, w] of items) {
    if ((r -= w) < 0) return item;
  }
  return items[items.length - 1]![0];
}

/** The town as the activity sees it. */
export interface TownView {
  code: string;
  name: string;
  /** Case number prefix, e.g. "GP". */
  prefix: string;
  /** Level-3 grids, by code. */
  grids: readonly Grid[];
  grid(code: string): Grid | undefined;
  village(code: string): Grid | undefined;
  categories: readonly Category[];
  category(code: string): Category | undefined;
  department(id: string): { id: string; name: string } | undefined;
  /** Workers who answer for a grid (their grids prefix it), by id. */
  workersOf(grid: string): readonly Worker[];
  worker(id: string): Worker | undefined;
  randomPointIn(grid: string, rng: Rng): readonly [number, number];
  nextCaseSeq(date: string): number;
}

export interface NewEvent {
  actor: Actor;
  args: CommandArgs<'event.create'>;
}

export interface NewEventOverrides {
  category?: string;
  grid?: string;
  urgency?: Urgency;
  source?: EventSource;
  title?: string;
  description?: string;
  location?: { lon: number; lat: number; address: string };
  /** Report it as handled on the spot (自巡自办): only for simple matters, by a grid worker. */
  selfHandled?: boolean;
  /** The reporting grid worker (patrol, wechat). */
  workerId?: string;
  id?: string;
  /** Photo references sent with the report (tests); default: a simulated site photo for most grid workers' reports. */
  photos?: string[];
  /** project: the sensor or camera raising the alarm (source sensor). */
  device?: string;
}

/**
 * A synthetic site photo, small enough for a photo reference (core's 500 characters): a
 * data: URI of a tiny SVG scene, loadable offline, that says it is simulated. Only the
 * characters a data: URI must not carry raw are escaped.
 */
export function sitePhoto(key: string, label: '上报' | '处置后'): string {
  const h = hashString(key);
  const hue = h % 360;
  const svg =
    `<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 32 20'>` +
    `<path fill='hsl(${hue},38%,80%)' d='M0 0h32v13H0'/>` +
    `<path fill='hsl(${(hue + 70) % 360},24%,42%)' d='M0 13h32v7H0'/>` +
    `<path fill='hsl(${(hue + 200) % 360},20%,55%)' d='M${4 + (h % 18)} 7h${5 + (h % 4)}v6h-${5 + (h % 4)}'/>` +
    `<circle cx='${25 - (h % 6)}' cy='4' r='2' fill='%23fd6'/>` +
    `<text x='1' y='19' font-size='1.6' fill='%23fff'>模拟现场照片·${label}</text></svg>`;
  return `data:image/svg+xml,${svg.replace(/%(?!23)/g, '%25').replace(/</g, '%3C').replace(/>/g, '%3E')}`;
}

/** A UUID (version 4 layout) drawn from the seeded stream. */
export function uuidFrom(rng: Rng): string {
  const hex = Array.from({ length: 32 }, () => rng.int(0, 15).toString(16));
  hex[12] = '4';
  hex[16] = (8 + rng.int(0, 3)).toString(16);
  const s = hex.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}

/**
 * A new event as reported at `at`: a category from the mix, a random point in a
 * grid, a source fitting the hour (patrols only while grid workers are on duty)
 * and the category (sensors only for what a sensor can see), some urgent.
 */
export function newEvent(town: TownView, at: number, rng: Rng, o: NewEventOverrides = {}): NewEvent {
  const leaves = town.categories.filter((c) => c.parent !== null);
  let category: Category;
  if (o.category !== undefined) {
    category = town.category(o.category) ?? leaves[0]!;
  } else {
    const groups = Object.entries(GROUP_WEIGHTS).filter(([g]) => leaves.some((c) => groupOf(c.code) === g));
    const group = weightedPick(rng, groups.map(([g, w]) => [g, w] as const));
    category = rng.pick(leaves.filter((c) => groupOf(c.code) === group));
  }
  const grid =
    (o.grid !== undefined ? town.grid(o.grid) : undefined) ??
    weightedPick(rng, town.grids.map((g) => [g, g.households ?? 150] as const));
  const onDuty = onDutyAt(at);
  const gridWorkers = town.workersOf(grid.code).filter((w) => w.role === 'villageWorker' || w.role === 'townWorker' || w.role === 'liaison');
  const named = o.workerId !== undefined ? town.worker(o.workerId) : undefined;

  let source: EventSource;
  if (o.source !== undefined) source = o.source;
  else if (groupOf(category.code) === '09') source = 'hotline';
  else {
    const options: [EventSource, number][] = [
      ['hotline', 0.2],
      ['wechat', 0.15],
    ];
    if (onDuty && gridWorkers.length > 0) options.push(['patrol', 0.55]);
    if (SENSOR_CATEGORIES.has(category.code)) options.push(['sensor', 0.3]);
    source = weightedPick(rng, options);
  }

  const safety = ['02', '04'].includes(groupOf(category.code));
  const u = rng.next();
  const urgency: Urgency = o.urgency ?? (u < (safety ? 0.05 : 0.02) ? 'critical' : u < (safety ? 0.3 : 0.12) ? 'urgent' : 'normal');

  const reporterWorker = named ?? (gridWorkers.length > 0 ? rng.pick(gridWorkers) : undefined);
  let actor: Actor;
  let reporter: CommandArgs<'event.create'>['reporter'];
  if (source === 'sensor') actor = SENSOR_NET;
  else if ((source === 'patrol' || (source === 'wechat' && onDuty)) && reporterWorker) actor = workerActor(reporterWorker);
  else {
    // Residents' calls and messages come in through the 12345 desk, around the clock.
    actor = HOTLINE_DESK;
    if (source === 'patrol') source = 'hotline';
    reporter = { name: rng.pick(SURNAMES) + rng.pick(GIVEN) + (rng.chance(0.5) ? rng.pick(GIVEN) : ''), phone: syntheticPhone(rng.int(30, 89), rng.int(0, 9999)) };
  }

  const point = town.randomPointIn(grid.code, rng);
  const village = grid.parent ? town.village(grid.parent) : undefined;
  const shortGrid = village && grid.name.startsWith(village.name) ? grid.name.slice(village.name.length) : grid.name;
  const address = o.location?.address ?? `${town.name}${village?.name ?? ''}${shortGrid}${rng.int(1, 60)}号附近`;
  const date = shanghaiDate(at);
  const code = `${town.prefix}${date.replaceAll('-', '')}-${String(town.nextCaseSeq(date)).padStart(4, '0')}`;
  const text = textOf(category.code);
  const selfHandled =
    (o.selfHandled ?? (source === 'patrol' && category.tier === 'simple' && rng.chance(0.3))) && actor.role === 'gridWorker' && category.tier === 'simple';

  const args: CommandArgs<'event.create'> = {
    id: o.id ?? uuidFrom(rng),
    code,
    title: o.title ?? `${village?.name ?? ''}${shortGrid}${category.name}`,
    description: o.description ?? rng.pick(text.report),
    category: category.code,
    urgency,
    source,
    location: o.location ?? { lon: Math.round(point[0] * 1e6) / 1e6, lat: Math.round(point[1] * 1e6) / 1e6, address },
    grid: grid.code,
  };
  if (reporter) args.reporter = reporter;
  if (o.device !== undefined) args.device = o.device;
  // Grid workers photograph most of what they report (a stable choice by id: no draw, so the
  // streams of everything else stay as they were).
  if (o.photos !== undefined) args.photos = o.photos;
  else if (actor.role === 'gridWorker' && hashString(`${args.id}/photo`) % 10 < 6) args.photos = [sitePhoto(`${args.id}/before`, '上报')];
  if (selfHandled) args.selfHandled = { note: `现场${rng.pick(text.feedback)}` };
  return { actor, args };
}

// ---------------------------------------------------------------- how events move on

export type ActionKind =
  | 'auto-accept'
  | 'auto-dispatch'
  | 'auto-close'
  | 'assignee-return'
  | 'assignee-feedback'
  | 'verify'
  | 'evaluate'
  | 'county-feedback';

export interface Planned {
  at: number;
  kind: ActionKind;
}

export interface PlanOptions {
  seed: number;
  /** null: the virtual dispatcher never steps in. */
  autoDispatchAfterMs: number | null;
}

/**
 * History entries that do not move an event to another stage: remarks, supervision,
 * extension requests and the note a merge leaves on its target. They must not
 * restart the clock of what the county does next (a comment does not make a
 * department start over), nor change its draws.
 */
const NOT_A_STAGE = new Set(['event.comment', 'event.supervise', 'event.requestExtension', 'event.approveExtension', 'event.denyExtension']);

function stages(e: GridEvent): GridEvent['history'] {
  return e.history.filter((h) => !NOT_A_STAGE.has(h.action) && !(h.action === 'event.merge' && e.status !== 'merged'));
}

const lastEntry = (e: GridEvent) => {
  const s = stages(e);
  return s[s.length - 1];
};

function lastAt(e: GridEvent): number {
  const h = lastEntry(e);
  return parseIso(h?.at ?? e.reportedAt);
}

/** The stream for the next step of an event: fixed by the event and how far it has come. */
export function eventStream(seed: number, e: GridEvent, purpose: string): Rng {
  return streamOf(seed, `event/${e.id}/${stages(e).length}/${purpose}`);
}

/** Office hours of departments: 08:30-17:30 every day (duty offices also answer on weekends in the demo). */
function nextOfficeTime(ms: number): number {
  const m = shanghaiMinuteOfDay(ms);
  if (m >= 8 * 60 + 30 && m < 17 * 60 + 30) return ms;
  const midnight = ms - m * MIN - (ms % MIN);
  const open = midnight + (8 * 60 + 30) * MIN;
  return m < 8 * 60 + 30 ? open : open + DAY;
}

function returnedBefore(e: GridEvent): boolean {
  return e.history.some((h) => h.action === 'event.return');
}

/**
 * The next thing that happens to an event by itself, or null when it waits for
 * the town (or is over). Called again after every change of the event.
 */
export function plan(e: GridEvent, o: PlanOptions): Planned | null {
  const t = lastAt(e);
  const rng = eventStream(o.seed, e, 'plan');
  const auto = o.autoDispatchAfterMs;
  const by = lastEntry(e)?.actor;
  switch (e.status) {
    case 'reported':
      return auto === null ? null : { at: t + auto, kind: 'auto-accept' };
    case 'accepted':
      if (by === SIM_DISPATCHER.id && lastEntry(e)?.action === 'event.accept') return { at: t + rng.int(1, 5) * MIN, kind: 'auto-dispatch' };
      return auto === null ? null : { at: t + auto, kind: 'auto-dispatch' };
    case 'dispatched': {
      // The assignee answers: returns it now and then, feeds back mostly in time, sometimes late.
      const finishDue = e.deadlines.finish ? parseIso(e.deadlines.finish.dueAt) : t + DAY;
      const person = e.assignee?.kind === 'person';
      const shift = person ? nextDutyTime : nextOfficeTime;
      if (!returnedBefore(e) && e.reworkCount === 0 && rng.chance(0.07)) {
        return { at: shift(t + rng.int(20, 240) * MIN), kind: 'assignee-return' };
      }
      if (e.reworkCount > 0) return { at: shift(t + rng.int(60, 24 * 60) * MIN), kind: 'assignee-feedback' };
      const span = Math.max(30 * MIN, finishDue - t);
      const at = rng.chance(0.12) ? finishDue + rng.int(60, 48 * 60) * MIN : t + span * rng.float(0.15, 0.85);
      return { at: shift(at), kind: 'assignee-feedback' };
    }
    case 'handled':
      if (e.selfHandled) return auto === null ? null : { at: t + auto, kind: 'auto-close' };
      return { at: nextDutyTime(t + rng.int(30, 6 * 60) * MIN), kind: 'verify' };
    case 'verified':
      return auto === null ? null : { at: t + auto, kind: 'auto-close' };
    case 'closed':
      // 回访: the grid worker calls on the resident and records satisfaction, for most events.
      if (e.satisfaction !== null || !rng.chance(0.6)) return null;
      return { at: nextDutyTime(t + rng.int(2 * 60, 24 * 60) * MIN), kind: 'evaluate' };
    case 'escalated':
      return { at: nextOfficeTime(t + rng.int(4 * 60, 3 * 24 * 60) * MIN), kind: 'county-feedback' };
    default:
      return null;
  }
}

export interface Move {
  name: CommandName;
  args: Record<string, unknown>;
  actor: Actor;
}

/** The grid worker who verifies or calls back: the reporter when they answer for the grid, else one of the grid's workers. */
function gridWorkerFor(town: TownView, e: GridEvent, rng: Rng): Worker | undefined {
  const workers = town.workersOf(e.grid);
  const reporter = workers.find((w) => w.id === e.reporter?.workerId);
  if (reporter) return reporter;
  const village = workers.filter((w) => w.role === 'villageWorker');
  return village.length > 0 ? rng.pick(village) : workers.length > 0 ? rng.pick(workers) : undefined;
}

/** The command that carries out a planned step, or null when nobody can take it. */
export function moveFor(kind: ActionKind, e: GridEvent, town: TownView, o: PlanOptions, countyCode: string): Move | null {
  const rng = eventStream(o.seed, e, 'act');
  const text = textOf(e.category);
  switch (kind) {
    case 'auto-accept':
      if (rng.chance(0.03)) return { name: 'event.reject', args: { id: e.id, reason: rng.pick(REJECT_REASONS) }, actor: SIM_DISPATCHER };
      return { name: 'event.accept', args: { id: e.id, note: '值班调度受理' }, actor: SIM_DISPATCHER };
    case 'auto-dispatch': {
      const category = town.category(e.category);
      if (!category) return null;
      const villageWorkers = town.workersOf(e.grid).filter((w) => w.role === 'villageWorker');
      if (category.tier === 'simple' && villageWorkers.length > 0 && rng.chance(0.4)) {
        return { name: 'event.dispatch', args: { id: e.id, to: { kind: 'person', id: rng.pick(villageWorkers).id } }, actor: SIM_DISPATCHER };
      }
      return { name: 'event.dispatch', args: { id: e.id, to: { kind: 'department', id: category.department } }, actor: SIM_DISPATCHER };
    }
    case 'auto-close':
      return { name: 'event.close', args: { id: e.id, note: '经核查办结' }, actor: SIM_DISPATCHER };
    case 'assignee-return':
    case 'assignee-feedback': {
      const a = e.assignee;
      if (!a) return null;
      let actor: Actor;
      if (a.kind === 'department') {
        const dept = town.department(a.id);
        if (!dept) return null;
        actor = departmentActor(dept.id, dept.name);
      } else {
        const w = town.worker(a.id);
        if (!w) return null;
        actor = workerActor(w);
      }
      if (kind === 'assignee-return') return { name: 'event.return', args: { id: e.id, reason: rng.pick(RETURN_REASONS) }, actor };
      // Half the feedbacks come with a photo of the site after the work (a stable choice, no draw).
      const n = e.history.filter((h) => h.action === 'event.feedback').length;
      const after = hashString(`${e.id}/after/${n}`) % 2 === 0 ? { photos: [sitePhoto(`${e.id}/after/${n}`, '处置后')] } : {};
      return { name: 'event.feedback', args: { id: e.id, note: rng.pick(text.feedback), ...after }, actor };
    }
    case 'verify': {
      const w = gridWorkerFor(town, e, rng);
      if (!w) return null;
      if (e.reworkCount < 2 && rng.chance(0.12)) {
        return { name: 'event.rework', args: { id: e.id, reason: rng.pick(REWORK_REASONS) }, actor: workerActor(w) };
      }
      return { name: 'event.verify', args: { id: e.id, note: rng.pick(text.verify) }, actor: workerActor(w) };
    }
    case 'evaluate': {
      const w = gridWorkerFor(town, e, rng);
      if (!w) return null;
      const r = rng.next();
      const satisfaction = r < 0.72 ? 'satisfied' : r < 0.95 ? 'basicallySatisfied' : 'dissatisfied';
      return { name: 'event.evaluate', args: { id: e.id, satisfaction, note: '回访群众' }, actor: workerActor(w) };
    }
    case 'county-feedback':
      return { name: 'event.feedback', args: { id: e.id, note: rng.pick(COUNTY_FEEDBACK) }, actor: countyActor(countyCode) };
  }
}

/**
 * A whole (made-up) mobile number, as a county sends it: the town masks it on every screen
 * and shows it in full only through an audited reveal. The middle four digits are derived
 * from the drawn ones, so the simulator's random sequence (and every seeded world) stays as it was.
 */
function syntheticPhone(prefix: number, last: number): string {
  const middle = (prefix * 7919 + last * 31) % 10_000;
  return `1${prefix}${String(middle).padStart(4, '0')}${String(last).padStart(4, '0')}`;
}
