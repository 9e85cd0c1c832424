// The event lists of the roles that work on some events only: a department's 我的任务
// (the events assigned to it) and a village's events (its grids'). The data service
// scopes events.list to the caller; these are the tabs over it and what each row says
// the person has to do. Pure: the screen (EventWorkspace.tsx) and the tests share it.
import type { ArgsOf } from '../../../core/api/contract';
import type { Actor, EventStatus, GridEvent } from '../../../core/model';
import { FINAL_STATUSES, OPEN_STATUSES } from '../../../core/model';
import { STATUS_LABELS } from '../../../core/events/labels';

export interface WorkTab {
  key: string;
  label: string;
  /** The statuses the tab lists; all when absent. */
  status?: readonly EventStatus[];
}

/** 我的任务: to handle now, fed back (waiting for the center), every one. */
export const TASK_TABS: readonly WorkTab[] = [
  { key: 'todo', label: '待处置', status: ['dispatched'] },
  { key: 'done', label: '已反馈', status: ['handled', 'verified', 'closed'] },
  { key: 'all', label: '全部' },
];

/** A village's events: being handled, finished, every one. */
export const VILLAGE_TABS: readonly WorkTab[] = [
  { key: 'open', label: '办理中', status: OPEN_STATUSES },
  { key: 'final', label: '已办结', status: FINAL_STATUSES },
  { key: 'all', label: '全部' },
];

export const WORK_PAGE = 50;

/** events.list arguments for one page of a tab, newest first, with an optional search text. */
export function workListArgs(tab: WorkTab, text: string, offset: number): ArgsOf<'events.list'> {
  const search = text.trim().slice(0, 100);
  return {
    ...(tab.status ? { status: [...tab.status] } : {}),
    ...(search ? { text: search } : {}),
    sort: tab.status?.length === 1 && tab.status[0] === 'dispatched' ? 'risk' : 'reportedAt',
    paging: { offset, limit: WORK_PAGE },
  };
}

/** What the row says is expected of this department operator now, or null. */
export function taskHint(event: GridEvent, actor: Actor): string | null {
  const ours = actor.role === 'department' && event.assignee?.kind === 'department' && event.assignee.id === actor.departmentId;
  if (!ours) return event.assignee?.kind === 'department' ? '配合办理' : null;
  if (event.status === 'dispatched') return event.extensionRequest ? '延期待审批' : '待反馈';
  // Fed back: what the center does next is the status's own name (待核查, 待结案).
  if (event.status === 'handled' || event.status === 'verified') return STATUS_LABELS[event.status];
  return null;
}

/** "第 51–100 条，共 240 条". */
export function pageText(offset: number, count: number, total: number): string {
  if (total === 0) return '没有事件';
  return `第 ${offset + 1}–${offset + count} 条，共 ${total} 条`;
}

/** The villages (communities) a grid scope covers, by name: a grid's code starts with its village's 12 digits. */
export function scopeNames(grids: readonly string[], nameOf: (code: string) => string | undefined): string[] {
  const villages = [...new Set(grids.map((g) => g.slice(0, 12)))];
  return villages.map((v) => nameOf(v) ?? v);
}
