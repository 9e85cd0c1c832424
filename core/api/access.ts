// Who may call which method of the app API, written once as data. The data service
// applies it to every call (electron/service/service.ts, createDispatcher), whatever
// the transport; the transports only say who calls (core/api/channels.ts, Caller).
//
// The table is keyed by role: a role grants the kinds of method it may call (query,
// command: the contract's `kind`), plus explicit exceptions either way. When personal
// logins bring new roles (admin, secretary, village, …), each is one more row here:
// `Record<ActorRole, …>` makes the type-check ask for it. An exception is a method
// named against the kinds: a meeting secretary who may only look and present would be
// `{ kinds: ['query'], also: ['view.share'] }`; today's viewer (the wall) may not share.
//
// Before the role, the session: a call without a valid one is `unauthorized` except
// for PUBLIC_METHODS (core/api/contract.ts); the data service checks that first.
//
// This is the API's coarse gate. The workflow's finer rules (which role may run which
// command from which status, on which event) stay in core/events/permissions.ts.
import type { ActorRole } from '../model';
import { COMMAND_LABELS, ROLE_LABELS } from '../events/labels';
import type { MethodKind, MethodName } from './contract';
import { CONTRACT } from './contract';
import { FIELD_PERSONAL_QUERIES, PLAN_EDIT_METHODS, RESOURCE_EDIT_METHODS } from './field';
import { DESK_QUERY_NAMES } from './desk';
import { LEADER_MEETING_METHODS, MEETING_READS_RESTRICTED, SECRETARY_MEETING_METHODS } from './meeting';
import { REGISTER_EDIT_METHODS, REGISTER_METHOD_NAMES } from './registers';

export interface RoleGrant {
  /** The kinds of method the role may call. */
  kinds: readonly MethodKind[];
  /** Methods it may call although their kind is not granted. */
  also?: readonly MethodName[];
  /** Methods it may not call although their kind is granted. */
  except?: readonly MethodName[];
}

/** What every role of the town may read about the town itself (no event, no person). */
/**
 * The registers a department operator does not read: it works on the events assigned to
 * its department (issue 9), so it sees who lives or works at such an event's address
 * (registers.atAddress answers only for events in its scope), not the town's people.
 */
const REGISTERS_BEYOND_ITS_EVENTS: readonly MethodName[] = REGISTER_METHOD_NAMES.filter((m) => m !== 'registers.atAddress' && m !== 'registers.reveal');

const TOWN_REFERENCE: readonly MethodName[] = ['app.info', 'grids.list', 'grids.tree', 'departments.list', 'categories.list', 'link.status'];

/**
 * The roles, as issue 9 (people) lists them. Queries of a role scoped to grids or to a
 * department answer only what lies in its scope (electron/service/scope.ts); the
 * workflow's finer rules (which command from which status, on whose event) stay in
 * core/events/permissions.ts.
 */
export const ROLE_GRANTS: Readonly<Record<ActorRole, RoleGrant>> = {
  /** 管理员: accounts, device tokens, settings, the audit log; no workflow, no event data. */
  admin: { kinds: ['auth', 'admin'], also: [...TOWN_REFERENCE, 'link.log', 'link.reconnect', 'emergency.plans', ...PLAN_EDIT_METHODS, 'emergency.resources', ...RESOURCE_EDIT_METHODS] },
  /** 调度员: the whole console, with the duty desk's tools (retry the county link, clear rejected commands). */
  dispatcher: { kinds: ['query', 'command', 'auth', 'reveal'] },
  /** 领导: everything read-only, plus 督办, extensions, presenting at the meeting. */
  leader: {
    kinds: ['query', 'auth', 'reveal'],
    also: ['event.supervise', 'event.approveExtension', 'event.denyExtension', 'event.comment', 'view.share', 'desk.supervise', 'assessment.importScheme', ...LEADER_MEETING_METHODS],
  },
  /** 会商秘书: the meeting (its agenda, attendance, minutes: issue 10); presents the shared view. */
  secretary: { kinds: ['query', 'auth'], also: ['view.share', ...SECRETARY_MEETING_METHODS], except: [...DESK_QUERY_NAMES, ...FIELD_PERSONAL_QUERIES] },
  /** 部门人员: the events assigned to their department: feedback, return, extension request. */
  department: {
    kinds: ['query', 'auth', 'reveal'],
    also: ['event.feedback', 'event.return', 'event.requestExtension', 'event.comment'],
    // The supervisions of its own cases and their 督办单 (scoped), not the center's work lists; not the town-wide meeting;
    // of the registers, only who lives or works at the address of an event it may see (and a field revealed with a reason).
    except: ['desk.worklist', 'desk.dispatchProposal', 'desk.rules', ...MEETING_READS_RESTRICTED, ...FIELD_PERSONAL_QUERIES, ...REGISTERS_BEYOND_ITS_EVENTS],
  },
  /**
   * 村（社区）工作站: reports and follows the events of their village's grids (村呼镇应); keeps
   * its grids' registers: records visits, imports its ledgers and edits its entries (方案5/方案6: the grid
   * keeps its people, houses and units up to date), rows outside its grids refused.
   */
  village: { kinds: ['query', 'auth', 'reveal'], also: ['event.create', 'event.comment', 'registers.visit.record', 'registers.import.start', 'registers.import.upload', ...REGISTER_EDIT_METHODS], except: [...DESK_QUERY_NAMES, ...MEETING_READS_RESTRICTED, ...FIELD_PERSONAL_QUERIES] },
  /** 大屏: the wall and meeting screens; no personal data, no track beyond the current position, no register field. */
  viewer: { kinds: ['query', 'auth'], except: ['workers.track', 'link.log', 'commands.rejected', 'commands.pending', ...DESK_QUERY_NAMES, ...FIELD_PERSONAL_QUERIES, ...REGISTER_METHOD_NAMES] },
  /** Grid workers report through the county (their phones), never the app API. */
  gridWorker: { kinds: [] },
  /** The county and the system speak county-link-v1, never the app API. */
  county: { kinds: [] },
  system: { kinds: [] },
};

/** May this role call this method? `grants` is the table (ROLE_GRANTS unless a test passes its own). */
export function mayCall(role: ActorRole, method: MethodName, grants: Readonly<Record<ActorRole, RoleGrant>> = ROLE_GRANTS): boolean {
  const grant = grants[role] as RoleGrant | undefined;
  if (!grant) return false;
  if (grant.except?.includes(method)) return false;
  if (grant.also?.includes(method)) return true;
  return grant.kinds.includes(CONTRACT[method].kind);
}

/** For each method, the roles that may call it (derived from ROLE_GRANTS: docs and reviews). */
export function rolesFor(method: MethodName, grants: Readonly<Record<ActorRole, RoleGrant>> = ROLE_GRANTS): ActorRole[] {
  return (Object.keys(grants) as ActorRole[]).filter((role) => mayCall(role, method, grants));
}

/** The methods that are not workflow commands, named the operator's way. */
const OTHER_LABELS: Partial<Record<MethodName, string>> = {
  'link.reconnect': '重新连接县级平台',
  'view.share': '共享地图视图',
  'commands.dismiss': '移出被拒绝的指令',
  'worker.notify': '通知网格员',
  'emergency.open': '启动应急处置',
  'emergency.check': '勾选应急处置步骤',
  'emergency.close': '结束应急处置',
  'emergency.plans.save': '编辑应急预案',
  'emergency.plans.delete': '删除应急预案',
  'emergency.plans.import': '导入应急预案',
  'emergency.resources.save': '编辑应急队伍和物资',
  'emergency.resources.retire': '停用应急队伍和物资',
  'desk.supervise': '督办',
  'meeting.create': '筹备会商',
  'meeting.update': '修改会商信息',
  'meeting.item.add': '添加议题',
  'meeting.item.remove': '移除议题',
  'meeting.item.order': '调整议题顺序',
  'meeting.item.note': '记录讨论情况',
  'meeting.present': '主持演示',
  'meeting.decide': '作出会商决定',
  'meeting.end': '结束会商',
  'registers.visit.record': '登记走访',
  'registers.import.start': '导入登记台账',
  'registers.import.upload': '导入登记台账',
  'registers.person.save': '编辑登记人员',
  'registers.house.save': '编辑登记房屋',
  'registers.organisation.save': '编辑登记单位',
  'registers.mediation.save': '编辑调解档案',
};

/** The refusal's message, in Chinese for the person at the screen. */
export function forbiddenMessage(role: ActorRole, method: MethodName): string {
  const who = ROLE_LABELS[role] ?? '当前用户';
  const label = (COMMAND_LABELS as Partial<Record<string, string>>)[method] ?? OTHER_LABELS[method];
  const kind = CONTRACT[method].kind;
  if (kind === 'query') return `${who}无权查询此项数据(${method})`;
  if (kind === 'admin') return `${who}无权进行系统管理(${method})`;
  if (kind === 'reveal') return `${who}无权查看完整的个人信息`;
  return label ? `${who}无权执行“${label}”` : `${who}无权执行此操作(${method})`;
}

