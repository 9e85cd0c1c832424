// The 督办单 as an official document (core/documents/official.ts): the form a town
// office sends to the supervised unit. 编号, 督办事项, 承办单位, 办理时限, 督办要求 and
// 签发, then the case's progress since the supervision (the unit's follow-up). The
// caller masks the event for an export first (core/privacy/mask.ts, purpose 'export').
import type { DocBlock, OfficialDocument } from '../documents/official';
import { chineseDate } from '../documents/official';
import { COMMAND_LABELS, ROLE_LABELS, STATUS_LABELS } from '../events/labels';
import type { GridEvent, HistoryEntry } from '../model';
import { parseIso, toIso } from '../time/shanghai';
import { SUPERVISION_LEVEL_LABELS, SUPERVISION_STATE_LABELS, answeredAt, followUp, supervisionState, type Supervision } from './supervision';

export interface SupervisionDocInput {
  supervision: Supervision;
  /** The case, already masked for an export. */
  event: GridEvent;
  /** The town's name ("古培镇"): the issuer is its grid center. */
  town: string;
  names: {
    category: string;
    grid: string;
    /** 承办单位: the assignee's name, or null when nobody holds the case. */
    assignee: string | null;
    cooperating: readonly string[];
    /** An actor id's name, for the history's entries that carry none. */
    actor(id: string): string;
  };
  nowMs: number;
}

/** "2026-12-03 09:12" from an ISO instant (already in +08:00). */
const minute = (iso: string): string => iso.slice(0, 16).replace('T', ' ');

const entryActor = (h: HistoryEntry, fallback: (id: string) => string): string => {
  const name = h.name?.trim() || fallback(h.actor);
  const role = h.role ? ROLE_LABELS[h.role] : undefined;
  return role ? `${name}（${role}）` : name;
};

const label = (action: string): string => (COMMAND_LABELS as Partial<Record<string, string>>)[action] ?? action;

/** The progress section: the case's steps since the supervision, or that none was taken. */
function progressBlocks(input: SupervisionDocInput): DocBlock[] {
  const { supervision: s, event, names, nowMs } = input;
  const steps = followUp(s, event);
  const state = supervisionState(s, event, nowMs);
  const answered = answeredAt(s, event);
  const summary = `截至${minute(toIso(nowMs))}，案件状态：${STATUS_LABELS[event.status]}；督办状态：${SUPERVISION_STATE_LABELS[state]}${answered ? `（${minute(answered)} 办复）` : ''}。`;
  if (steps.length === 0) return [{ kind: 'paragraph', text: `${summary}督办后承办单位尚无办理记录。` }];
  return [
    { kind: 'paragraph', text: summary },
    {
      kind: 'table',
      columns: ['时间', '办理环节', '办理人', '办理情况'],
      rows: steps.map((h) => [minute(h.at), label(h.action), entryActor(h, names.actor), h.note || '—']),
      widths: [3, 2, 3, 6],
    },
  ];
}

export function supervisionDocument(input: SupervisionDocInput): OfficialDocument {
  const { supervision: s, event, names, town, nowMs } = input;
  const issuer = `${town}网格化服务管理中心`;
  const unit = names.assignee ?? '镇网格化服务管理中心（待派遣）';
  const finish = event.deadlines.finish;
  const overdue = parseIso(s.deadline) < nowMs && supervisionState(s, event, nowMs) === 'overdue';
  return {
    issuer,
    number: s.number,
    title: '督办单',
    recipient: unit,
    blocks: [
      {
        kind: 'fields',
        rows: [
          ['编号', s.number],
          ['督办级别', SUPERVISION_LEVEL_LABELS[s.level]],
          ['督办事项', `${event.code} ${event.title}`],
          ['事件类别', names.category],
          ['发生地点', `${names.grid} ${event.location.address}`],
          ['上报时间', minute(event.reportedAt)],
          ['承办单位', unit],
          ['配合单位', names.cooperating.length > 0 ? names.cooperating.join('、') : '无'],
          ['原办结时限', finish ? minute(finish.dueAt) : '未派遣'],
          ['办理时限', `${minute(s.deadline)}前办复${overdue ? '（已超期）' : ''}`],
          ['督办时间', minute(s.at)],
        ],
      },
      { kind: 'heading', level: 1, text: '督办事项' },
      { kind: 'paragraph', text: event.description.trim() || event.title },
      { kind: 'heading', level: 1, text: '督办要求' },
      { kind: 'paragraph', text: s.requirement },
      {
        kind: 'paragraph',
        text: `请${unit}接单后抓紧办理，于${minute(s.deadline)}前将办理结果反馈镇网格化服务管理中心。逾期未办结或办理不力的，将按照加大跟踪督办和责任追究力度的要求，纳入网格化工作重点督查事项和年度考核。`,
      },
      { kind: 'heading', level: 1, text: '办理进展' },
      ...progressBlocks(input),
      { kind: 'fields', rows: [['签发', `${s.by.name}（${ROLE_LABELS[s.by.role]}）`], ['签发日期', chineseDate(parseIso(s.at))]] },
    ],
    signature: { issuer, date: chineseDate(parseIso(s.at)) },
    ...(s.level === 'leader' ? { cc: '镇纪委、镇网格化工作领导小组办公室' } : { cc: '镇网格化工作领导小组办公室' }),
    printed: { by: issuer, date: chineseDate(nowMs) },
  };
}
