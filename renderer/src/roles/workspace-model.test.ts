import { describe, expect, it } from 'vitest';
import { DEPARTMENT, dispatched, handled, reported, run, T0, MINUTE } from '../console/test-events';
import { TASK_TABS, VILLAGE_TABS, pageText, scopeNames, taskHint, workListArgs } from './workspace-model';

describe('workListArgs', () => {
  it("lists a department's work to do by risk, the rest newest first", () => {
    expect(workListArgs(TASK_TABS[0]!, '', 0)).toEqual({ status: ['dispatched'], sort: 'risk', paging: { offset: 0, limit: 50 } });
    expect(workListArgs(TASK_TABS[2]!, '  垃圾 ', 50)).toEqual({ text: '垃圾', sort: 'reportedAt', paging: { offset: 50, limit: 50 } });
  });

  it("a village's open tab is every status still being handled", () => {
    const args = workListArgs(VILLAGE_TABS[0]!, '', 0);
    expect(args.status).toContain('reported');
    expect(args.status).not.toContain('closed');
  });
});

describe('taskHint', () => {
  it('tells the assigned department what is expected of it', () => {
    expect(taskHint(dispatched('t1'), DEPARTMENT)).toBe('待反馈');
    expect(taskHint(handled('t2'), DEPARTMENT)).toBe('待核查');
    const asked = run(dispatched('t3'), 'event.requestExtension', { id: 't3', by: { value: 1, unit: 'workDays' }, reason: '等材料' }, T0 + 10 * MINUTE, DEPARTMENT);
    expect(taskHint(asked, DEPARTMENT)).toBe('延期待审批');
  });

  it('says nothing expected of another department or of an unassigned event', () => {
    expect(taskHint(dispatched('t4'), { id: 'x', role: 'department', departmentId: 'dept-x' })).toBe('配合办理');
    expect(taskHint(reported('t5'), DEPARTMENT)).toBeNull();
  });
});

describe('pageText', () => {
  it('counts the rows shown', () => {
    expect(pageText(50, 50, 240)).toBe('第 51–100 条，共 240 条');
    expect(pageText(0, 0, 0)).toBe('没有事件');
  });
});

describe('scopeNames', () => {
  it("names the villages of a scope's grids once each", () => {
    const names: Record<string, string> = { '430624103001': '南环社区' };
    expect(scopeNames(['430624103001001', '430624103001002', '430624103002001'], (c) => names[c])).toEqual(['南环社区', '430624103002']);
  });
});
