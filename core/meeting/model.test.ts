import { describe, expect, it } from 'vitest';
import { documentText } from '../documents/official';
import { freshWorkflow } from '../events/transition';
import type { GridEvent } from '../model';
import { buildMinutes, minutesNumberOf, type MinutesInput } from './minutes';
import { decisionOutcome, deadlineEndMs, type AgendaItem, type Decision, type Meeting } from './model';

const at = (iso: string) => Date.parse(iso);

function event(history: { action: string; at: string }[]): GridEvent {
  return {
    id: 'e1',
    code: 'GP20261201-0001',
    title: '违建争议',
    description: '群众来电,电话13912345678',
    category: '0301',
    status: 'dispatched',
    urgency: 'normal',
    source: 'hotline',
    location: { lon: 112.9, lat: 28.6, address: '南环路18号' },
    grid: '430624103001001',
    reportedAt: '2026-12-01T08:00:00+08:00',
    reporter: { name: '欧阳娜娜', phone: '13912345678' },
    ...freshWorkflow(),
    history: history.map((h) => ({ ...h, actor: 'x', note: '' })),
    tier: 'general',
  };
}

const decision = (over: Partial<Decision> = {}): Decision => ({
  id: 'd1',
  meetingId: 'm1',
  itemId: 'i1',
  eventId: 'e1',
  action: 'dispatch',
  leadDepartment: 'dept-rj',
  cooperating: ['dept-hb'],
  deadline: '2026-12-10',
  instruction: '一周内整改,联系人电话13812345678',
  commandId: 'r:7',
  decidedBy: { id: 'u1', name: '王镇长', role: 'leader' },
  decidedAt: '2026-12-03T10:00:00+08:00',
  hasSnapshot: false,
  ...over,
});

describe('whether a decision was kept', () => {
  it('is kept when the work was done after the decision and by the deadline day, missed after it, pending before', () => {
    const d = decision();
    expect(deadlineEndMs('2026-12-10')).toBe(at('2026-12-10T23:59:59.999+08:00'));
    expect(decisionOutcome(d, event([{ action: 'event.feedback', at: '2026-12-09T09:00:00+08:00' }]), at('2026-12-20T00:00:00+08:00'))).toBe('kept');
    // Done before the decision does not count; late is missed.
    expect(decisionOutcome(d, event([{ action: 'event.feedback', at: '2026-12-02T09:00:00+08:00' }]), at('2026-12-20T00:00:00+08:00'))).toBe('missed');
    expect(decisionOutcome(d, event([{ action: 'event.feedback', at: '2026-12-11T09:00:00+08:00' }]), at('2026-12-20T00:00:00+08:00'))).toBe('missed');
    expect(decisionOutcome(d, event([]), at('2026-12-10T20:00:00+08:00'))).toBe('pending');
    // A close decision needs the close itself.
    expect(decisionOutcome(decision({ action: 'close' }), event([{ action: 'event.feedback', at: '2026-12-04T09:00:00+08:00' }]), at('2026-12-20T00:00:00+08:00'))).toBe('missed');
    // A topic: the meeting judges it once due.
    expect(decisionOutcome(decision({ eventId: null, action: 'keep' }), null, at('2026-12-20T00:00:00+08:00'))).toBe('unknown');
    expect(decisionOutcome(decision({ eventId: null, action: 'keep', deadline: null }), null, at('2026-12-20T00:00:00+08:00'))).toBe('pending');
  });
});

describe('the minutes (会商纪要)', () => {
  const meeting: Meeting = {
    id: 'm1', title: '第49周网格化工作会商会', date: '2026-12-03', place: '镇政府三楼会议室', chair: '王镇长',
    attendees: [{ name: '王镇长', title: '镇长' }, { name: '李主任', title: '' }], departments: ['dept-rj'],
    status: 'ended', createdAt: '2026-12-03T09:00:00+08:00', createdBy: '刘秘书', endedAt: null,
  };
  const item: AgendaItem = { id: 'i1', meetingId: 'm1', order: 1, kind: 'event', title: '违建争议', eventId: 'e1', grid: null, category: null, reasons: [{ code: 'returned', text: '部门退回2次' }], decisionId: null, note: '意见不一', outcome: null };
  const input = (level: MinutesInput['level']): MinutesInput => ({
    town: '古培镇', serial: 3, meeting, items: [item], decisions: [decision()], events: new Map([['e1', event([])]]),
    names: { department: (id) => ({ 'dept-rj': '人居环境整治办', 'dept-hb': '环保站' })[id] ?? id, grid: () => '南环社区第一网格', category: () => '违法建设' },
    snapshots: new Map(), endedAtMs: at('2026-12-03T11:00:00+08:00'), level,
  });

  it('holds the facts, the attendees, each item and its decision, numbered in the 文号 style', () => {
    const doc = buildMinutes(input('numbers'));
    expect(doc.number).toBe('网格会商〔2026〕3号');
    expect(minutesNumberOf({ meeting, serial: 3 })).toBe(doc.number);
    const text = documentText(doc);
    for (const t of ['王镇长（镇长）', '李主任', '镇政府三楼会议室', '人居环境整治办', '环保站', '部门退回2次', '意见不一', '派遣', '2026年12月10日', 'r:7', '欧阳娜娜']) expect(text).toContain(t);
    expect(doc.signature).toEqual({ issuer: '古培镇网格化服务管理中心', date: '2026年12月3日' });
  });

  it('never prints a phone number in full, and masks names and addresses for a room', () => {
    for (const level of ['numbers', 'all'] as const) expect(documentText(buildMinutes(input(level)))).not.toMatch(/13912345678|13812345678/);
    const room = documentText(buildMinutes(input('all')));
    expect(room).not.toContain('欧阳娜娜');
    expect(room).toContain('王镇长');
  });
});
