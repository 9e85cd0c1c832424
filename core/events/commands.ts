// The closed set of event commands and the schemas of their arguments. The names are
// also the county-link `mutate` command names, so the same schemas validate a
// dispatcher's click, a wire message and the simulator's input.
import { z } from 'zod';
import { GRID_CODE_PATTERN } from '../grid/codes';

const MAX_ID = 64;
const MAX_TITLE = 200;
const MAX_TEXT = 2000;
const MAX_ADDRESS = 200;
const MAX_PHOTOS = 20;
const MAX_PHOTO_REF = 500;
const MAX_COOPERATING = 10;

/** Trimmed, non-blank text: a reason made of spaces is no reason. */
const text = (label: string, max: number) =>
  z
    .string({ error: (issue) => (issue.input === undefined ? `请填写${label}` : `${label}必须是文字`) })
    .trim()
    .min(1, { error: `${label}不能为空` })
    .max(max, { error: `${label}不能超过${max}个字` });

const id = (label: string) => text(label, MAX_ID);

const photos = z
  .array(text('照片', MAX_PHOTO_REF), { error: '照片必须是列表' })
  .max(MAX_PHOTOS, { error: `照片不能超过${MAX_PHOTOS}张` });

const note = text('备注', MAX_TEXT);
const reason = text('原因', MAX_TEXT);

const limit = z.object(
  {
    value: z
      .number({ error: '时限数值必须是数字' })
      .positive({ error: '时限必须大于0' })
      .max(10_000, { error: '时限过长' }),
    unit: z.enum(['minutes', 'hours', 'days', 'workHours', 'workDays'], { error: '时限单位无效' }),
  },
  { error: '时限必须是 {value, unit}' },
).refine((l) => l.unit !== 'workDays' || Number.isInteger(l.value), { error: '工作日时限应为整数', path: ['value'] });

const eventId = { id: id('事件编号') };

const createArgs = z.object({
  ...eventId,
  code: id('案卷编号'),
  title: text('标题', MAX_TITLE),
  description: z.string({ error: '描述必须是文字' }).trim().max(MAX_TEXT, { error: `描述不能超过${MAX_TEXT}个字` }),
  category: id('事件类别'),
  urgency: z.enum(['normal', 'urgent', 'critical'], { error: '紧急程度无效' }),
  source: z.enum(['patrol', 'hotline', 'wechat', 'sensor', 'superior', 'walkIn'], { error: '事件来源无效' }),
  location: z.object(
    {
      lon: z.number({ error: '经度必须是数字' }).min(-180, { error: '经度超出范围' }).max(180, { error: '经度超出范围' }),
      lat: z.number({ error: '纬度必须是数字' }).min(-90, { error: '纬度超出范围' }).max(90, { error: '纬度超出范围' }),
      address: text('地址', MAX_ADDRESS),
    },
    { error: '位置必须是 {lon, lat, address}' },
  ),
  grid: z.string({ error: '网格编码必须是文字' }).regex(GRID_CODE_PATTERN, { error: '网格编码应为9、12或15位数字' }),
  reporter: z
    .object({
      name: text('报告人姓名', 50),
      phone: text('报告人电话', 32).optional(),
      idNumber: text('报告人证件号', 32).optional(),
      workerId: id('网格员编号').optional(),
    })
    .optional(),
  selfHandled: z.object({ note: text('处置情况', MAX_TEXT), photos: photos.optional() }).optional(),
  photos: photos.optional(),
  /** project: the sensor or camera raising the alarm (a `device` entity of the county). */
  device: id('设备编号').optional(),
});

/** Argument schemas by command name. Adding a command here forces a branch in transition() and a row in the permission table. */
export const COMMAND_ARGS = {
  'event.create': createArgs,
  'event.accept': z.object({ ...eventId, note: note.optional() }),
  'event.reject': z.object({ ...eventId, reason }),
  'event.reclassify': z.object({ ...eventId, category: id('事件类别'), note: note.optional() }),
  'event.dispatch': z.object({
    ...eventId,
    to: z.object(
      { kind: z.enum(['department', 'person'], { error: '派遣对象类型无效' }), id: id('派遣对象编号') },
      { error: (issue) => (issue.input === undefined ? '请选择派遣对象（部门或网格员）' : '派遣对象必须是 {kind, id}') },
    ),
    cooperating: z.array(id('配合部门编号')).max(MAX_COOPERATING, { error: `配合部门不能超过${MAX_COOPERATING}个` }).optional(),
    note: note.optional(),
  }),
  'event.return': z.object({ ...eventId, reason }),
  'event.feedback': z.object({ ...eventId, note: text('处置情况', MAX_TEXT), photos: photos.optional() }),
  'event.verify': z.object({ ...eventId, note: note.optional() }),
  'event.rework': z.object({ ...eventId, reason }),
  'event.close': z.object({ ...eventId, note: note.optional() }),
  'event.evaluate': z.object({
    ...eventId,
    satisfaction: z.enum(['satisfied', 'basicallySatisfied', 'dissatisfied'], { error: '满意度无效' }),
    note: note.optional(),
  }),
  'event.suspend': z.object({ ...eventId, reason }),
  'event.resume': z.object({ ...eventId, note: note.optional() }),
  'event.requestExtension': z.object({ ...eventId, by: limit, reason }),
  'event.approveExtension': z.object({ ...eventId, note: note.optional() }),
  'event.denyExtension': z.object({ ...eventId, reason }),
  'event.supervise': z.object({ ...eventId, note: text('督办意见', MAX_TEXT) }),
  'event.escalate': z.object({ ...eventId, reason }),
  'event.merge': z.object({ ...eventId, into: id('目标事件编号'), note: note.optional() }),
  'event.reopen': z.object({ ...eventId, reason }),
  'event.comment': z.object({ ...eventId, note: text('意见', MAX_TEXT) }),
} as const;

export type CommandName = keyof typeof COMMAND_ARGS;
export type CommandArgs<N extends CommandName> = z.infer<(typeof COMMAND_ARGS)[N]>;

/** The closed union of event commands: `{ name, args }` with args as the schemas produce them. */
export type EventCommand = { [N in CommandName]: { name: N; args: CommandArgs<N> } }[CommandName];

export const COMMAND_NAMES = Object.keys(COMMAND_ARGS) as CommandName[];

export function isCommandName(name: string): name is CommandName {
  return Object.hasOwn(COMMAND_ARGS, name);
}

export type ParsedCommand =
  | { ok: true; command: EventCommand }
  | { ok: false; code: 'invalid' | 'unknown-command'; reason: string };

/** Chinese fallback for the issues the schemas do not word themselves (wrong shape of a whole object). */
const fallbackError = (issue: { path?: PropertyKey[] | undefined }): string => {
  const path = (issue.path ?? []).map(String).join('.');
  return path ? `参数“${path}”无效` : '参数无效';
};

/**
 * Validate a command from outside (wire, UI) into the typed union. The args come back
 * trimmed; unknown extra fields are dropped so that newer peers may add optional ones.
 */
export function parseCommand(name: string, args: unknown): ParsedCommand {
  if (!isCommandName(name)) return { ok: false, code: 'unknown-command', reason: `未知的命令：${name}` };
  const result = COMMAND_ARGS[name].safeParse(args, { error: fallbackError });
  if (!result.success) {
    const messages = [...new Set(result.error.issues.map((i) => i.message))];
    return { ok: false, code: 'invalid', reason: messages.join('；') };
  }
  // The schema for `name` produced these args, so the pair is one member of the union.
  return { ok: true, command: { name, args: result.data } as EventCommand };
}
