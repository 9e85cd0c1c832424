// The dispatcher's actions on an event: which ones the console offers (the workflow
// and the role decide, through core/events), what each asks for, and the checks made
// before anything is sent, worded for a dispatcher. The data service runs the same
// core rules again, so a check missed here is still refused there.
import { forbiddenMessage, mayCall } from '../../../core/api/access';
import type { CommandName } from '../../../core/events/commands';
import { parseCommand } from '../../../core/events/commands';
import { COMMAND_LABELS } from '../../../core/events/labels';
import { allowedCommands, checkPermission } from '../../../core/events/permissions';
import type { Actor, GridEvent, Worker } from '../../../core/model';

export type FieldKind = 'text' | 'textarea' | 'category' | 'satisfaction' | 'target' | 'event' | 'photos' | 'limit';

export interface FieldSpec {
  key: string;
  label: string;
  kind: FieldKind;
  required: boolean;
  placeholder?: string;
}

export interface ActionSpec {
  name: CommandName;
  /** Button text. */
  label: string;
  /** The single key that runs it from the queue, if any. */
  key?: string;
  fields: FieldSpec[];
  /** Runs without a dialog (nothing to ask). */
  direct?: boolean;
  /** Styled as a warning: it ends or sends away the event. */
  tone?: 'primary' | 'danger';
}

const note = (label = '备注'): FieldSpec => ({ key: 'note', label, kind: 'textarea', required: false });
const reason = (label: string, placeholder?: string): FieldSpec => ({
  key: 'reason',
  label,
  kind: 'textarea',
  required: true,
  ...(placeholder ? { placeholder } : {}),
});

/** The console's actions, in the order the buttons show. event.merge is offered from the duplicates list. */
export const ACTIONS: readonly ActionSpec[] = [
  { name: 'event.accept', label: '受理', key: 'a', fields: [], direct: true, tone: 'primary' },
  { name: 'event.dispatch', label: '派遣', key: 'd', fields: [{ key: 'to', label: '派遣对象', kind: 'target', required: true }, note('派遣说明')], tone: 'primary' },
  { name: 'event.verify', label: '核查通过', fields: [note('核查情况')], tone: 'primary' },
  { name: 'event.close', label: '结案', key: 'c', fields: [note('结案说明')], tone: 'primary' },
  { name: 'event.reject', label: '不予受理', fields: [reason('不予受理的原因', '例如：不属于本镇管辖范围，已告知来电人向…反映')], tone: 'danger' },
  { name: 'event.reclassify', label: '重新分类', fields: [{ key: 'category', label: '新的事件类别', kind: 'category', required: true }, note()] },
  { name: 'event.rework', label: '退回返工', fields: [reason('返工原因', '核查发现的问题')], tone: 'danger' },
  { name: 'event.escalate', label: '上报县级', fields: [reason('上报原因', '例如：涉及多个部门，镇级无法协调解决')], tone: 'danger' },
  { name: 'event.supervise', label: '督办', fields: [{ key: 'note', label: '督办意见', kind: 'textarea', required: true }] },
  { name: 'event.approveExtension', label: '批准延期', fields: [note('审批意见')] },
  { name: 'event.denyExtension', label: '驳回延期', fields: [reason('驳回理由')] },
  { name: 'event.suspend', label: '挂账缓办', fields: [reason('缓办原因')] },
  { name: 'event.resume', label: '恢复办理', fields: [note()] },
  { name: 'event.reopen', label: '重新启用', fields: [reason('重新启用的原因')] },
  { name: 'event.evaluate', label: '回访评价', fields: [{ key: 'satisfaction', label: '满意度', kind: 'satisfaction', required: true }, note('回访情况')] },
  { name: 'event.feedback', label: '反馈', fields: [{ key: 'note', label: '处置情况', kind: 'textarea', required: true }, { key: 'photos', label: '现场照片', kind: 'photos', required: false }], tone: 'primary' },
  { name: 'event.return', label: '退回', fields: [reason('退回原因', '例如：不属于本部门职责，应由…承办')], tone: 'danger' },
  { name: 'event.requestExtension', label: '申请延期', fields: [{ key: 'by', label: '延长时限', kind: 'limit', required: true }, reason('延期理由')] },
  { name: 'event.comment', label: '批注', fields: [{ key: 'note', label: '批注内容', kind: 'textarea', required: true }] },
  { name: 'event.merge', label: '合并为重复事件', fields: [{ key: 'into', label: '合并到', kind: 'event', required: true }, note()] },
];

export function actionSpec(name: CommandName): ActionSpec | undefined {
  return ACTIONS.find((a) => a.name === name);
}

/**
 * The actions the console shows for this event: allowed by the workflow (core/events) and
 * by the API's role table (core/api/access.ts: a leader's workflow rights are wider than
 * what the API grants the role), and part of the console (`among`, all by default).
 */
export function offeredActions(event: GridEvent, actor: Actor, worker: (id: string) => Worker | undefined, among: readonly ActionSpec[] = ACTIONS): ActionSpec[] {
  const allowed = new Set(allowedCommands(event, actor, { worker }));
  return among.filter((a) => a.name !== 'event.merge' && allowed.has(a.name) && mayCall(actor.role, a.name));
}

/**
 * Why an action cannot run on this event now, in core's words ("事件当前状态为“待核查”，
 * 不能结案：需先完成核查") or the role table's ("领导无权执行“受理”"), or null when it can.
 * For keys pressed on the wrong event.
 */
export function whyNot(event: GridEvent, name: CommandName, actor: Actor, worker: (id: string) => Worker | undefined): string | null {
  if (!mayCall(actor.role, name)) return forbiddenMessage(actor.role, name);
  return checkPermission(event, name, actor, { worker })?.reason ?? null;
}

/** The units an extension is asked in (the workflow's limits count working time). */
export type ExtensionUnit = 'workDays' | 'workHours';

/** What the dialog collected: text fields, for a dispatch its target, for a feedback its photos, for an extension its length. */
export interface ActionInput {
  note?: string;
  reason?: string;
  category?: string;
  satisfaction?: string;
  into?: string;
  to?: { kind: 'department' | 'person'; id: string } | null;
  photos?: string[];
  /** As typed: the value is parsed when the command is built. */
  by?: { value: string; unit: ExtensionUnit };
  /** A dispatch to a department: its cooperating departments (配合部门). */
  cooperating?: string[];
  /** Where the dispatch's pre-filled choice came from (a dispatch rule, the list of matters). */
  basis?: string;
}

/** The missing-field messages a dispatcher reads before anything is sent. */
const MISSING: Partial<Record<CommandName, Partial<Record<string, string>>>> = {
  'event.reject': { reason: '不予受理必须填写原因：请写明为什么不受理，以便答复报告人。' },
  'event.dispatch': { to: '请选择派遣对象：一个承办部门或一名网格员，不能派遣给“无人”。' },
  'event.reclassify': { category: '请选择新的事件类别。' },
  'event.rework': { reason: '请填写返工原因：核查发现了什么问题。' },
  'event.escalate': { reason: '请填写上报县级的原因。' },
  'event.supervise': { note: '请填写督办意见。' },
  'event.denyExtension': { reason: '请填写驳回延期的理由。' },
  'event.suspend': { reason: '请填写挂账缓办的原因。' },
  'event.reopen': { reason: '请填写重新启用的原因。' },
  'event.evaluate': { satisfaction: '请选择满意度。' },
  'event.comment': { note: '请填写批注内容。' },
  'event.merge': { into: '请选择要合并到的事件。' },
  'event.feedback': { note: '请填写处置情况：做了什么、结果如何。' },
  'event.return': { reason: '请填写退回原因：为什么本部门不能承办。' },
  'event.requestExtension': { by: '请填写需要延长的时限。', reason: '请填写延期理由。' },
};

/** A required field's value as text, whatever its kind ('' when empty). */
function requiredValue(key: string, input: ActionInput): string {
  if (key === 'to') return input.to?.id ?? '';
  if (key === 'by') return input.by?.value ?? '';
  const value = input[key as keyof ActionInput];
  return typeof value === 'string' ? value : '';
}

/** The command's argument for a field (undefined: left out). */
function argOf(key: string, input: ActionInput): unknown {
  if (key === 'to') return input.to ? { kind: input.to.kind, id: input.to.id.trim() } : undefined;
  if (key === 'photos') return input.photos && input.photos.length > 0 ? input.photos : undefined;
  if (key === 'by') return input.by ? { value: Number(input.by.value.trim()), unit: input.by.unit } : undefined;
  const value = (input[key as keyof ActionInput] as string | undefined)?.trim();
  return value || undefined;
}

export type Validated = { ok: true; args: Record<string, unknown> } | { ok: false; message: string };

/**
 * The command's arguments from the dialog, or the first problem in the dispatcher's
 * words: a required field left empty, then whatever core's own schema refuses.
 */
export function buildArgs(spec: ActionSpec, event: GridEvent, input: ActionInput): Validated {
  for (const field of spec.fields) {
    if (field.required && requiredValue(field.key, input).trim() === '') {
      return { ok: false, message: MISSING[spec.name]?.[field.key] ?? `请填写${field.label}。` };
    }
  }
  if (spec.name === 'event.reclassify' && input.category === event.category) {
    return { ok: false, message: '新类别与当前类别相同，无需重新分类。' };
  }
  if (spec.name === 'event.merge' && input.into === event.id) return { ok: false, message: '不能将事件合并到它自身。' };
  const args: Record<string, unknown> = { id: event.id };
  for (const field of spec.fields) {
    const value = argOf(field.key, input);
    if (value !== undefined) args[field.key] = value;
  }
  if (spec.name === 'event.dispatch' && input.to?.kind === 'department' && input.cooperating !== undefined) {
    const lead = input.to.id;
    args.cooperating = input.cooperating.filter((d) => d !== lead);
  }
  const parsed = parseCommand(spec.name, args);
  if (!parsed.ok) return { ok: false, message: parsed.reason };
  return { ok: true, args };
}

/** The dialog's fields prefilled from a command's arguments (redoing a rejected command). */
export function inputFromArgs(args: unknown): ActionInput {
  const a = (args ?? {}) as Record<string, unknown>;
  const out: ActionInput = {};
  for (const key of ['note', 'reason', 'category', 'satisfaction', 'into'] as const) {
    if (typeof a[key] === 'string') out[key] = a[key];
  }
  const to = a.to as { kind?: unknown; id?: unknown } | undefined;
  if (to && (to.kind === 'department' || to.kind === 'person') && typeof to.id === 'string') out.to = { kind: to.kind, id: to.id };
  if (Array.isArray(a.cooperating)) out.cooperating = a.cooperating.filter((d): d is string => typeof d === 'string');
  return out;
}

export const commandLabel = (name: string): string => (COMMAND_LABELS as Record<string, string>)[name] ?? name;
