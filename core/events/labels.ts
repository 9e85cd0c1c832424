// What a dispatcher reads: the workflow's statuses and commands, and the county
// link's state, in Chinese.
import type { LinkState } from '../api/contract';
import type { ActorRole, ClockKind, EventSource, EventStatus, Limit, LimitUnit, Satisfaction, Tier, Urgency } from '../model';
import type { CommandName } from './commands';

export const STATUS_LABELS: Readonly<Record<EventStatus, string>> = {
  reported: '待受理',
  accepted: '待派遣',
  dispatched: '处置中',
  handled: '待核查',
  verified: '待结案',
  closed: '已结案',
  rejected: '不予受理',
  suspended: '挂账缓办',
  escalated: '已上报县级',
  merged: '已合并',
};

export const URGENCY_LABELS: Readonly<Record<Urgency, string>> = { normal: '一般', urgent: '紧急', critical: '特急' };

/** The three deadline clocks of an event (core/sla). */
export const CLOCK_KIND_LABELS: Readonly<Record<ClockKind, string>> = { accept: '受理时限', finish: '办结时限', verify: '核查时限' };

/** The county link in the console's status bar: what each state means for a dispatcher's commands. */
export const LINK_STATE_LABELS: Readonly<Record<LinkState, string>> = {
  online: '在线',
  offline: '离线(命令暂存,恢复后补发)',
  connecting: '连接中',
  refused: '被县级平台拒绝',
  none: '未接入',
};

/** The same on the video wall, one word legible from ten metres: every outage is 离线. */
export const LINK_STATE_SHORT_LABELS: Readonly<Record<LinkState, string>> = {
  online: LINK_STATE_LABELS.online,
  offline: '离线',
  connecting: '离线',
  refused: '离线',
  none: LINK_STATE_LABELS.none,
};

export const COMMAND_LABELS: Readonly<Record<CommandName, string>> = {
  'event.create': '上报',
  'event.accept': '受理',
  'event.reject': '不予受理',
  'event.reclassify': '重新分类',
  'event.dispatch': '派遣',
  'event.return': '退回',
  'event.feedback': '处置反馈',
  'event.verify': '核查',
  'event.rework': '返工',
  'event.close': '结案',
  'event.evaluate': '评价',
  'event.suspend': '挂账缓办',
  'event.resume': '恢复办理',
  'event.requestExtension': '申请延期',
  'event.approveExtension': '批准延期',
  'event.denyExtension': '驳回延期',
  'event.supervise': '督办',
  'event.escalate': '上报县级',
  'event.merge': '合并重复',
  'event.reopen': '重新启用',
  'event.comment': '批注',
};

export const ROLE_LABELS: Readonly<Record<ActorRole, string>> = {
  admin: '管理员',
  dispatcher: '调度员',
  leader: '领导',
  secretary: '会商秘书',
  department: '承办部门',
  village: '村（社区）工作站',
  gridWorker: '网格员',
  county: '县级平台',
  system: '系统',
  viewer: '大屏',
};

export const SOURCE_LABELS: Readonly<Record<EventSource, string>> = {
  patrol: '网格巡查',
  hotline: '12345热线',
  wechat: '微信',
  sensor: '物联感知',
  superior: '上级交办',
  walkIn: '群众来访',
};

export const TIER_LABELS: Readonly<Record<Tier, string>> = { simple: '简单', general: '一般', complex: '复杂' };

export const SATISFACTION_LABELS: Readonly<Record<Satisfaction, string>> = {
  satisfied: '满意',
  basicallySatisfied: '基本满意',
  dissatisfied: '不满意',
};

const UNIT_LABELS: Readonly<Record<LimitUnit, string>> = {
  minutes: '分钟',
  hours: '小时',
  days: '天',
  workHours: '个工作小时',
  workDays: '个工作日',
};

/** "2个工作日", "4小时". */
export function formatLimit(limit: Limit): string {
  return `${limit.value}${UNIT_LABELS[limit.unit]}`;
}
