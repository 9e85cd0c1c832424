// The minutes of a consultation meeting (会商纪要) as an OfficialDocument (core/documents):
// the meeting's facts (date, place, chair, attendees, departments), each item with its
// facts, the discussion's note, the decision, who leads, the deadline and the map's
// snapshot, and a table of the decisions. Personal data is masked here, before the
// document exists, at the level of the role the minutes are for.
import { CLOCK_KIND_LABELS } from '../events/labels';
import { chineseDate, documentNumber, type DocBlock, type OfficialDocument } from '../documents/official';
import type { GridEvent } from '../model';
import { STATUS_LABELS } from '../events/labels';
import { maskEventData, maskEventNumbers, maskText, type MaskLevel } from '../privacy/mask';
import { parseIso } from '../time/shanghai';
import { DECISION_ACTION_LABELS, OUTCOME_LABELS, type AgendaItem, type Decision, type Meeting } from './model';

/** The 文号 prefix of the minutes: 网格会商〔2026〕3号. */
export const MINUTES_NUMBER_PREFIX = '网格会商';

export interface MinutesInput {
  /** The town's name: the issuer is its grid center. */
  town: string;
  serial: number;
  meeting: Meeting;
  items: readonly AgendaItem[];
  decisions: readonly Decision[];
  events: ReadonlyMap<string, GridEvent>;
  names: { department(id: string): string; grid(code: string): string; category(code: string): string };
  /** PNG map snapshots by decision id. */
  snapshots: ReadonlyMap<string, Uint8Array>;
  endedAtMs: number;
  /**
   * How residents' personal data is masked (core/privacy/mask.ts): `numbers` for a role
   * that works cases (names and addresses readable), `all` for the others. Phone and ID
   * numbers are never printed in full.
   */
  level: MaskLevel;
}

export function minutesNumberOf(input: Pick<MinutesInput, 'meeting' | 'serial'>): string {
  return documentNumber(MINUTES_NUMBER_PREFIX, Number(input.meeting.date.slice(0, 4)), input.serial);
}

export function minutesTitle(meeting: Meeting): string {
  return `关于${meeting.title}的纪要`;
}

export function buildMinutes(input: MinutesInput): OfficialDocument {
  const { meeting, names } = input;
  const issuer = `${input.town}网格化服务管理中心`;
  const text = (t: string): string => maskText(t);
  const departments = meeting.departments.map(names.department);
  const blocks: DocBlock[] = [
    {
      kind: 'paragraph',
      text: `${dateText(meeting.date)}，${meeting.chair}在${meeting.place}主持召开网格化工作会商会，对二、三级网格处理困难的问题进行会商处理。现将会议议定事项纪要如下：`,
    },
    { kind: 'heading', level: 1, text: '会议基本情况' },
    {
      kind: 'fields',
      rows: [
        ['会议时间', dateText(meeting.date)],
        ['会议地点', meeting.place],
        ['主持人', meeting.chair],
        ['参会人员', meeting.attendees.map((a) => (a.title ? `${a.name}（${a.title}）` : a.name)).join('、') || '无'],
        ['参会部门', departments.join('、') || '无'],
      ],
    },
    { kind: 'heading', level: 1, text: '会商议题及议定事项' },
  ];
  for (const item of input.items) blocks.push(...itemBlocks(input, item, text));
  blocks.push({ kind: 'heading', level: 1, text: '议定事项汇总' });
  blocks.push(summaryTable(input, text));
  return {
    issuer,
    number: minutesNumberOf(input),
    title: minutesTitle(meeting),
    blocks,
    signature: { issuer, date: chineseDate(input.endedAtMs) },
    ...(departments.length > 0 ? { cc: departments.join('，') } : {}),
    printed: { by: issuer, date: chineseDate(input.endedAtMs) },
  };
}

function itemBlocks(input: MinutesInput, item: AgendaItem, text: (t: string) => string): DocBlock[] {
  const raw = item.eventId ? input.events.get(item.eventId) : undefined;
  const event = raw === undefined ? undefined : input.level === 'all' ? maskEventData(raw) : maskEventNumbers(raw);
  const blocks: DocBlock[] = [{ kind: 'heading', level: 2, text: text(event?.title ?? item.title) }];
  const facts: [string, string][] = [];
  if (event) {
    facts.push(['案卷编号', event.code], ['事件类别', input.names.category(event.category)], ['所在网格', input.names.grid(event.grid)]);
    facts.push(['当前状态', STATUS_LABELS[event.status]], ['上报时间', event.reportedAt.slice(0, 16).replace('T', ' ')], ['地址', event.location.address]);
    if (event.reporter) facts.push(['报告人', [event.reporter.name, event.reporter.phone].filter(Boolean).join(' ')]);
  } else if (item.grid) {
    facts.push(['所在网格', input.names.grid(item.grid)]);
    if (item.category) facts.push(['事件类别', input.names.category(item.category)]);
  }
  if (item.reasons.length > 0) facts.push(['上会原因', item.reasons.map((r) => r.text).join('；')]);
  if (item.outcome) facts.push(['上次决定落实情况', OUTCOME_LABELS[item.outcome]]);
  if (facts.length > 0) blocks.push({ kind: 'fields', rows: facts });
  blocks.push({ kind: 'paragraph', text: `讨论情况：${text(item.note) || '无'}` });
  const decisions = input.decisions.filter((d) => d.itemId === item.id);
  if (decisions.length === 0) blocks.push({ kind: 'paragraph', text: '会议决定：本次未作决定。' });
  for (const d of decisions) {
    blocks.push({
      kind: 'fields',
      rows: [
        ['会议决定', DECISION_ACTION_LABELS[d.action]],
        ['牵头单位', d.leadDepartment ? input.names.department(d.leadDepartment) : '无'],
        ['配合单位', d.cooperating.map(input.names.department).join('、') || '无'],
        [CLOCK_KIND_LABELS.finish, d.deadline ? dateText(d.deadline) : '无'],
        ['会商意见', text(d.instruction)],
        ['决定人', d.decidedBy.name],
        ...(d.commandId ? ([['指令编号', d.commandId]] as [string, string][]) : []),
      ],
    });
    const png = input.snapshots.get(d.id);
    if (png) blocks.push({ kind: 'image', png, caption: `图：${text(item.title)}位置示意` });
  }
  return blocks;
}

function summaryTable(input: MinutesInput, text: (t: string) => string): DocBlock {
  const order = new Map(input.items.map((i) => [i.id, i]));
  const rows = input.decisions.map((d, n) => [
    String(n + 1),
    text(order.get(d.itemId)?.title ?? ''),
    DECISION_ACTION_LABELS[d.action],
    d.leadDepartment ? input.names.department(d.leadDepartment) : '—',
    d.deadline ? dateText(d.deadline) : '—',
  ]);
  return { kind: 'table', columns: ['序号', '议题', '决定', '牵头单位', '时限'], rows: rows.length > 0 ? rows : [['—', '本次会商未作决定', '—', '—', '—']], widths: [1, 5, 2, 3, 3] };
}

/** "2026-12-03" → "2026年12月3日". */
function dateText(date: string): string {
  return chineseDate(parseIso(`${date}T12:00:00+08:00`));
}
