// The shared vocabulary of GridDeck: entities as they travel on the county link
// (county-link-v1 "minimal data fields", plus the optional fields this project
// adds, documented in docs/county-protocol.md) and as core/ reasons about them.
// Pure types only: no runtime import here.
import type { MultiPolygon, Polygon } from 'geojson';

/** ISO 8601 instant with an explicit offset, e.g. "2026-11-28T09:12:03+08:00". */
export type IsoTime = string;

// ---------------------------------------------------------------- grids

/** 1 town (9-digit code), 2 village or community (12 digits), 3 grid (15 digits). */
export type GridLevel = 1 | 2 | 3;
/** basic: 基础网格; dedicated: 专属网格 (enterprise, school, market...), always under a village or community. */
export type GridKind = 'basic' | 'dedicated';

export interface Grid {
  code: string;
  name: string;
  level: GridLevel;
  kind: GridKind;
  parent: string | null;
  geometry: Polygon | MultiPolygon;
  /** Optional: residents' households, for the wall's load figures. */
  households?: number;
}

// ---------------------------------------------------------------- organisation

export interface Department {
  id: string;
  name: string;
  /** Category codes this department handles (as lead). */
  categories: string[];
  phone?: string;
}

/** The 1+1+1+N rule of the seeds: 网格长, 镇网格员, 村网格员, 网格联络员. */
export type WorkerRole = 'gridLeader' | 'townWorker' | 'villageWorker' | 'liaison';

export interface Worker {
  id: string;
  name: string;
  role: WorkerRole;
  /** Grid codes this worker is responsible for. */
  grids: string[];
  /** May arrive masked from the county. */
  phone: string;
  onDuty: boolean;
}

/** One position fix of a grid worker: county-link-v1 `positions` item, as an object. */
export interface PositionFix {
  workerId: string;
  lon: number;
  lat: number;
  /** Fix time, epoch milliseconds. */
  at: number;
  speed: number | null;
  heading: number | null;
  accuracy: number | null;
}

// ---------------------------------------------------------------- the list of matters (事项清单)

/** `minutes` is internal (acceptance limits); the wire's finishLimit uses the other four. */
export type LimitUnit = 'minutes' | 'hours' | 'days' | 'workHours' | 'workDays';

export interface Limit {
  value: number;
  unit: LimitUnit;
}

/** simple: the grid worker on the spot; general: the village; complex: the town, several departments. */
export type Tier = 'simple' | 'general' | 'complex';

export interface Category {
  code: string;
  name: string;
  parent: string | null;
  /** Acceptance limit in natural minutes (the center is staffed around the clock). */
  acceptMinutes: number;
  finishLimit: Limit;
  /** Lead department id. */
  department: string;
  tier: Tier;
  /** Cooperating department ids (协办). */
  cooperating?: string[];
  /** Limit for the on-the-spot verification after feedback (核查). */
  verifyLimit?: Limit;
  /** 首报激励: the first report of such an incident earns a reward (安保维稳, 违法建设, 安全生产, 环境保护, 舆情). */
  firstReportReward?: boolean;
}

// ---------------------------------------------------------------- events

export type EventSource = 'patrol' | 'hotline' | 'wechat' | 'sensor' | 'superior' | 'walkIn';
export type Urgency = 'normal' | 'urgent' | 'critical';

export type EventStatus =
  | 'reported' //   上报, waiting for acceptance (待受理)
  | 'accepted' //   受理, waiting for dispatch (待派遣)
  | 'dispatched' // 派遣, being handled by the assignee (处置中)
  | 'handled' //    处置反馈, waiting for on-the-spot verification (待核查)
  | 'verified' //   核查通过, waiting for closing (待结案)
  | 'closed' //     结案
  | 'rejected' //   不予受理
  | 'suspended' //  挂账/缓办
  | 'escalated' //  上报县级 (镇呼县应)
  | 'merged'; //    merged into another event as a duplicate

export const EVENT_STATUSES: readonly EventStatus[] = [
  'reported',
  'accepted',
  'dispatched',
  'handled',
  'verified',
  'closed',
  'rejected',
  'suspended',
  'escalated',
  'merged',
];

/**
 * Where the town's work on an event is over: closed (结案), rejected (不予受理) or merged
 * into another event. The replica's risk order puts them last; the wall and the map's
 * "open" figures leave them out.
 */
export const FINAL_STATUSES: readonly EventStatus[] = ['closed', 'rejected', 'merged'];

/**
 * Every other status: the event is still in the town's hands (the queue, the alerts, the
 * map's open events, the wall's open count, the merge targets). In workflow order.
 */
export const OPEN_STATUSES: readonly EventStatus[] = EVENT_STATUSES.filter((s) => !FINAL_STATUSES.includes(s));

export const isFinalStatus = (status: EventStatus): boolean => FINAL_STATUSES.includes(status);
export const isOpenStatus = (status: EventStatus): boolean => !isFinalStatus(status);

export interface EventLocation {
  lon: number;
  lat: number;
  address: string;
}

/** Personal data of the resident who reported; masked on the wall and in exports. */
export interface Reporter {
  name: string;
  phone?: string;
  idNumber?: string;
  /** Set when the reporter is a grid worker. */
  workerId?: string;
}

export interface Assignee {
  kind: 'department' | 'person';
  /** Department id or worker id. */
  id: string;
  /** Cooperating department ids (协办单位), for a department assignment. */
  cooperating: string[];
}

export interface HistoryEntry {
  at: IsoTime;
  /** Actor id. */
  actor: string;
  /** The command name that made this entry, e.g. "event.accept". */
  action: string;
  note: string;
  /** The person who acted (the town's account, a grid worker), when the command named one. */
  name?: string;
  /** The actor's role, when the command named one. */
  role?: ActorRole;
  /** A department operator's department: the department's part in the event (its operators see what it acted on). */
  departmentId?: string;
}

export type ClockKind = 'accept' | 'finish' | 'verify';

/** One deadline clock. Times are ISO instants; remaining time is kept while paused. */
export interface Clock {
  kind: ClockKind;
  limit: Limit;
  startedAt: IsoTime;
  dueAt: IsoTime;
  /** Set while the clock is stopped by a suspension (缓办). */
  pausedAt: IsoTime | null;
  /** Remaining minutes (working minutes for work units) frozen at the pause. */
  remainingAtPause: number | null;
  /** Set when the clock's stage is done (accepted, handled, verified). */
  stoppedAt: IsoTime | null;
  /** Approved extensions, in order. */
  extensions: Limit[];
}

export interface Deadlines {
  accept?: Clock;
  finish?: Clock;
  verify?: Clock;
}

export type Satisfaction = 'satisfied' | 'basicallySatisfied' | 'dissatisfied';

export interface ExtensionRequest {
  by: Limit;
  reason: string;
  at: IsoTime;
  actor: string;
}

export interface GridEvent {
  id: string;
  /** Case number, e.g. "GP20261128-0042". */
  code: string;
  title: string;
  description: string;
  category: string;
  status: EventStatus;
  urgency: Urgency;
  source: EventSource;
  location: EventLocation;
  grid: string;
  reportedAt: IsoTime;
  reporter: Reporter | null;
  deadlines: Deadlines;
  assignee: Assignee | null;
  history: HistoryEntry[];
  tier: Tier;
  /** 自巡自办: found, handled on the spot, reported and fed back by the grid worker. */
  selfHandled: boolean;
  /** The status to return to on resume, while suspended. */
  suspendedFrom: EventStatus | null;
  reworkCount: number;
  supervisionCount: number;
  extensionRequest: ExtensionRequest | null;
  satisfaction: Satisfaction | null;
  mergedInto: string | null;
  photos: string[];
  /** project: the sensor or camera (`device` entity) whose alarm this event is (source 物联感知). */
  device?: string;
}

// ---------------------------------------------------------------- actors

/**
 * Who issues a command or calls the app. The people of the town's center, each a login
 * (ACCOUNT_ROLES): admin: 管理员 (accounts, device tokens, settings, audit; no workflow);
 * dispatcher: 指挥中心调度员; leader: 网格长/分管领导; secretary: 会商秘书; department: a
 * handling unit's operator; village: 村（社区）工作站; viewer: the wall and meeting
 * screens (read-only). Beyond the town's logins: gridWorker: 网格员 (mobile, through
 * the county); county: the county platform; system: sensors and automation.
 */
export type ActorRole =
  | 'admin'
  | 'dispatcher'
  | 'leader'
  | 'secretary'
  | 'department'
  | 'village'
  | 'viewer'
  | 'gridWorker'
  | 'county'
  | 'system';

/** The roles a town account may have (the role keys of the API and `npm run accounts`). */
export const ACCOUNT_ROLES = ['admin', 'dispatcher', 'leader', 'secretary', 'department', 'village', 'viewer'] as const;
export type AccountRole = (typeof ACCOUNT_ROLES)[number];
export const ALL_ACTOR_ROLES: readonly ActorRole[] = [...ACCOUNT_ROLES, 'gridWorker', 'county', 'system'];

export interface Actor {
  id: string;
  role: ActorRole;
  name?: string;
  /** For role `department`: the department the operator belongs to. */
  departmentId?: string;
}
