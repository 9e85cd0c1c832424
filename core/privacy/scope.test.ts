import { describe, expect, it } from 'vitest';
import type { GridEvent } from '../model';
import { freshWorkflow } from '../events/transition';
import { departmentsOf, eventInScope, gridInScope, workerInScope } from './scope';

const base: GridEvent = {
  id: 'e',
  code: 'GP-1',
  title: 't',
  description: '',
  category: '0301',
  status: 'dispatched',
  urgency: 'normal',
  source: 'patrol',
  location: { lon: 0, lat: 0, address: '' },
  grid: '430624103001001',
  reportedAt: '2026-11-30T09:00:00+08:00',
  reporter: null,
  ...freshWorkflow(),
  tier: 'simple',
};
const dept = 'dept-rj';

describe('eventInScope', () => {
  it('no scope is the whole town; a grid scope holds its grids only; an empty one nothing', () => {
    expect(eventInScope(base, null)).toBe(true);
    expect(eventInScope(base, { grids: ['430624103001001'] })).toBe(true);
    expect(eventInScope(base, { grids: ['430624103001002'] })).toBe(false);
    expect(eventInScope(base, { grids: [] })).toBe(false);
  });
  it('a department holds what it leads, cooperates on, or acted on', () => {
    const lead = { ...base, assignee: { kind: 'department' as const, id: 'dept-rj', cooperating: [] } };
    const coop = { ...base, assignee: { kind: 'department' as const, id: 'dept-zz', cooperating: ['dept-rj'] } };
    const acted = { ...base, history: [{ at: base.reportedAt, actor: 'op-x', action: 'event.comment', note: '', departmentId: 'dept-rj' }] };
    const byMe = { ...base, history: [{ at: base.reportedAt, actor: 'u-rj', action: 'event.return', note: '', role: 'department' as const, departmentId: 'dept-rj' }] };
    const other = { ...base, assignee: { kind: 'department' as const, id: 'dept-zz', cooperating: [] } };
    const person = { ...base, assignee: { kind: 'person' as const, id: 'dept-rj', cooperating: [] } };
    expect([lead, coop, acted, byMe, other, person].map((e) => eventInScope(e, { department: dept }))).toEqual([true, true, true, true, false, false]);
    expect(eventInScope(lead, { department: dept, grids: ['430624103002001'] })).toBe(false);
    expect(departmentsOf({ ...coop, history: acted.history })).toEqual(['dept-zz', 'dept-rj']);
  });
});

describe('workers and grids in scope', () => {
  it('holds the workers of its grids and villages, not the town’s own, and none for a department', () => {
    const scope = { grids: ['430624103001001', '430624103001002'] };
    expect(workerInScope({ grids: ['430624103001002'] }, scope)).toBe(true);
    expect(workerInScope({ grids: ['430624103001'] }, scope)).toBe(true);
    expect(workerInScope({ grids: ['430624103002001'] }, scope)).toBe(false);
    expect(workerInScope({ grids: ['430624103'] }, scope)).toBe(false);
    expect(workerInScope({ grids: ['430624103001001'] }, { department: dept })).toBe(false);
    expect(workerInScope({ grids: ['430624103'] }, null)).toBe(true);
    expect(gridInScope('430624103001001', scope)).toBe(true);
    expect(gridInScope('430624103002001', scope)).toBe(false);
    expect(gridInScope('430624103002001', { department: dept })).toBe(true);
  });
});
