// The event ledger (事件台账): the columns a town's ledger carries, and one event as a
// row of them. The Excel export writes these (electron/service/exports/); times are
// instants (epoch ms) that the writer stores as dates. Personal data: the reporter's
// name and phone appear only for the roles that handle cases, and masked (exports mask
// at the 'all' level: core/privacy/mask.ts); for every other role the columns are left out.
import { CLOCK_KIND_LABELS } from '../events/labels';
import type { Category, Department, Grid, GridEvent } from '../model';
import { SATISFACTION_LABELS, SOURCE_LABELS, STATUS_LABELS, URGENCY_LABELS } from '../events/labels';
import { ACTION, firstOf, lastOf, steps } from '../analytics/history';
import { parseIso } from '../time/shanghai';

export type LedgerCell = string | number | { date: number } | null;

export interface LedgerColumn {
  key: string;
  header: string;
  /** Excel column width, in characters. */
  width: number;
  kind: 'text' | 'number' | 'date';
  /** Personal data: only in the exports of the roles that handle cases. */
  personal?: boolean;
}

export const LEDGER_COLUMNS: readonly LedgerColumn[] = [
  { key: 'no', header: '序号', width: 7, kind: 'number' },
  { key: 'code', header: '案卷编号', width: 18, kind: 'text' },
  { key: 'title', header: '事件标题', width: 28, kind: 'text' },
  { key: 'category', header: '事项类别', width: 16, kind: 'text' },
  { key: 'source', header: '来源', width: 10, kind: 'text' },
  { key: 'urgency', header: '紧急程度', width: 9, kind: 'text' },
  { key: 'status', header: '当前状态', width: 11, kind: 'text' },
  { key: 'village', header: '村（社区）', width: 14, kind: 'text' },
  { key: 'grid', header: '网格', width: 18, kind: 'text' },
  { key: 'address', header: '事发地址', width: 28, kind: 'text' },
  { key: 'reportedAt', header: '上报时间', width: 17, kind: 'date' },
  { key: 'reporter', header: '上报人', width: 10, kind: 'text', personal: true },
  { key: 'phone', header: '联系电话', width: 14, kind: 'text', personal: true },
  { key: 'acceptedAt', header: '受理时间', width: 17, kind: 'date' },
  { key: 'dispatchedAt', header: '派遣时间', width: 17, kind: 'date' },
  { key: 'department', header: '承办单位', width: 16, kind: 'text' },
  { key: 'finishDue', header: CLOCK_KIND_LABELS.finish, width: 17, kind: 'date' },
  { key: 'handledAt', header: '处置反馈时间', width: 17, kind: 'date' },
  { key: 'closedAt', header: '结案时间', width: 17, kind: 'date' },
  { key: 'overdue', header: '是否超时', width: 9, kind: 'text' },
  { key: 'rework', header: '返工次数', width: 9, kind: 'number' },
  { key: 'supervision', header: '督办次数', width: 9, kind: 'number' },
  { key: 'satisfaction', header: '满意度', width: 10, kind: 'text' },
];

export interface LedgerContext {
  categories: ReadonlyMap<string, Category>;
  departments: ReadonlyMap<string, Department>;
  grids: ReadonlyMap<string, Grid>;
  nowMs: number;
}

/** The columns of a role's ledger: without the personal ones when it may not see them. */
export const ledgerColumns = (personal: boolean): LedgerColumn[] => LEDGER_COLUMNS.filter((c) => personal || !c.personal);

const at = (iso: string | null | undefined): { date: number } | null => {
  if (!iso) return null;
  try {
    return { date: parseIso(iso) };
  } catch {
    return null;
  }
};
const when = (t: number | null): { date: number } | null => (t === null ? null : { date: t });

/** Late: the finish clock's due passed before the handling was fed back (or, still open, before now). */
function overdueText(e: GridEvent, handled: number | null, nowMs: number): string {
  const due = at(e.deadlines.finish?.dueAt)?.date;
  if (due === undefined) return '';
  const done = handled ?? (e.status === 'closed' ? null : nowMs);
  return done !== null && done > due ? '超时' : '否';
}

/** One event as a ledger row (the event already masked for the export). */
export function ledgerRow(e: GridEvent, no: number, ctx: LedgerContext): Record<string, LedgerCell> {
  const s = steps(e);
  const handled = lastOf(s, [ACTION.feedback]);
  const grid = ctx.grids.get(e.grid);
  const village = e.grid.length >= 12 ? ctx.grids.get(e.grid.slice(0, 12)) : undefined;
  const department = e.assignee?.kind === 'department' ? ctx.departments.get(e.assignee.id)?.name ?? e.assignee.id : '';
  return {
    no,
    code: e.code,
    title: e.title,
    category: ctx.categories.get(e.category)?.name ?? e.category,
    source: SOURCE_LABELS[e.source] ?? e.source,
    urgency: URGENCY_LABELS[e.urgency] ?? e.urgency,
    status: STATUS_LABELS[e.status] ?? e.status,
    village: village?.name ?? '',
    grid: grid?.name ?? e.grid,
    address: e.location.address,
    reportedAt: at(e.reportedAt),
    reporter: e.reporter?.name ?? '',
    phone: e.reporter?.phone ?? '',
    acceptedAt: when(firstOf(s, [ACTION.accept])),
    dispatchedAt: when(lastOf(s, [ACTION.dispatch])),
    department,
    finishDue: at(e.deadlines.finish?.dueAt),
    handledAt: when(handled),
    closedAt: when(lastOf(s, [ACTION.close])),
    overdue: overdueText(e, handled, ctx.nowMs),
    rework: e.reworkCount,
    supervision: e.supervisionCount,
    satisfaction: e.satisfaction ? SATISFACTION_LABELS[e.satisfaction] : '',
  };
}
