import { describe, expect, it } from 'vitest';
import type { Category, Department, GridEvent, Worker } from '../model';
import { WorkCalendar } from '../sla/calendar';
import { parseIso } from '../time/shanghai';
import { matchRule, parseDispatchRules, proposeDispatch, gridWorkerFor, type DispatchRule } from './rules';
import { overdueSupervisions, supervisionDeadline, supervisionState } from './supervision';
import { dueSoonHorizon, formatDuration, workListItem } from './worklists';

const cal = new WorkCalendar();
const CATS: Category[] = [
  { code: '03', name: '环境卫生', parent: null, acceptMinutes: 30, finishLimit: { value: 2, unit: 'workDays' }, department: 'rj', tier: 'simple', cooperating: ['ny'] },
  { code: '0301', name: '垃圾乱堆乱放', parent: '03', acceptMinutes: 30, finishLimit: { value: 2, unit: 'workDays' }, department: 'rj', tier: 'simple' },
];
const DEPTS: Department[] = ['rj', 'ny', 'zf'].map((id) => ({ id, name: id, categories: [] }));
const W = (id: string, grids: string[], role: Worker['role'], onDuty = true): Worker => ({ id, name: id, role, grids, phone: '', onDuty });
const WORKERS = [W('w-l', ['430624103001001'], 'gridLeader'), W('w-v', ['430624103001001'], 'villageWorker'), W('w-off', ['430624103001001'], 'villageWorker', false)];
const rule = (r: Partial<DispatchRule> & Pick<DispatchRule, 'id' | 'category'>): DispatchRule => ({ name: r.id, to: { kind: 'department', id: 'zf' }, auto: false, ...r });
const at = (iso: string): number => parseIso(iso);

describe('dispatch rules', () => {
  it('keep the sound rules of a file and say what is wrong with the others', () => {
    expect(parseDispatchRules('{').errors[0]).toContain('不是有效的 JSON');
    expect(parseDispatchRules('{"rules": []}').errors[0]).toContain('格式不对');
    const parsed = parseDispatchRules(JSON.stringify({ version: 1, rules: [{ id: 'a', name: 'A', category: '03', to: { kind: 'gridWorker' } }, { id: 'a', name: 'B', category: '03', to: { kind: 'gridWorker' } }, { id: 'c', name: 'C', category: '03', area: '12', to: { kind: 'department', id: 'rj' } }] }));
    expect(parsed.rules.map((r) => [r.id, r.auto])).toEqual([['a', false]]);
    expect(parsed.errors).toHaveLength(2);
    expect(parsed.errors[0]).toContain('编号重复');
  });

  it('match the deepest category, then the narrowest area', () => {
    const rules = [rule({ id: 'town', category: '03' }), rule({ id: 'village', category: '03', area: '430624103001' }), rule({ id: 'leaf', category: '0301' }), rule({ id: 'other', category: '0301', area: '430624103002' })];
    expect(matchRule(rules, { category: '0301', grid: '430624103001001' }, CATS)?.id).toBe('leaf');
    expect(matchRule(rules.slice(0, 2), { category: '0301', grid: '430624103001001' }, CATS)?.id).toBe('village');
    expect(matchRule(rules.slice(0, 2), { category: '0301', grid: '430624103201001' }, CATS)?.id).toBe('town');
    expect(matchRule(rules, { category: '04', grid: '430624103001001' }, CATS)).toBeNull();
  });

  it('propose a rule\'s target, a grid worker of the grid, or the list of matters\' lead (never auto)', () => {
    const ctx = { categories: CATS, departments: DEPTS, workers: WORKERS };
    const e = { category: '0301', grid: '430624103001001' };
    expect(proposeDispatch(e, { ...ctx, rules: [] })).toEqual({ to: { kind: 'department', id: 'rj' }, cooperating: ['ny'], auto: false, rule: null, basis: '事项清单（牵头部门与配合部门）' });
    expect(proposeDispatch(e, { ...ctx, rules: [rule({ id: 'r', category: '03', auto: true, cooperating: ['rj', 'gone'] })] })).toMatchObject({ to: { kind: 'department', id: 'zf' }, cooperating: ['rj'], auto: true });
    expect(proposeDispatch(e, { ...ctx, rules: [rule({ id: 'r', category: '03', auto: true, to: { kind: 'department', id: 'gone' } })] })).toMatchObject({ to: null, auto: false });
    expect(proposeDispatch(e, { ...ctx, rules: [rule({ id: 'r', category: '03', auto: true, to: { kind: 'gridWorker' } })] })).toMatchObject({ to: { kind: 'person', id: 'w-v' }, auto: true });
    expect(gridWorkerFor('430624103009001', WORKERS)).toBeNull();
  });
});

function event(patch: Partial<GridEvent>): GridEvent {
  return { id: 'e', code: 'E', title: 't', description: '', category: '0301', status: 'dispatched', urgency: 'normal', source: 'hotline', location: { lon: 0, lat: 0, address: '' }, grid: '430624103001001', reportedAt: '2026-11-30T09:00:00+08:00', reporter: null, deadlines: {}, assignee: null, history: [], tier: 'simple', selfHandled: false, suspendedFrom: null, reworkCount: 0, supervisionCount: 0, extensionRequest: null, satisfaction: null, mergedInto: null, photos: [], ...patch };
}

describe('supervision', () => {
  it('defaults its deadline by level in working days, and is open, answered or overdue', () => {
    const now = at('2026-12-04T16:00:00+08:00'); // a Friday
    expect(supervisionDeadline('leader', now, cal)).toBe('2026-12-08T17:30:00+08:00');
    expect(supervisionDeadline('dispatch', now, cal)).toBe('2026-12-09T17:30:00+08:00');
    const s = { at: '2026-12-04T16:00:00+08:00', deadline: '2026-12-08T17:30:00+08:00', eventId: 'e' };
    const open = event({});
    expect(supervisionState(s, open, at('2026-12-08T17:00:00+08:00'))).toBe('open');
    expect(supervisionState(s, open, at('2026-12-08T18:00:00+08:00'))).toBe('overdue');
    const fed = event({ history: [{ at: '2026-12-05T10:00:00+08:00', actor: 'd', action: 'event.feedback', note: '已办' }] });
    expect(supervisionState(s, fed, at('2026-12-09T09:00:00+08:00'))).toBe('answered');
    expect(overdueSupervisions([s, { ...s, eventId: 'f' }], (id) => (id === 'e' ? open : fed), at('2026-12-09T09:00:00+08:00')).map((x) => x.eventId)).toEqual(['e']);
  });
});

describe('work lists', () => {
  it('due within the next working day, in working time', () => {
    const now = at('2026-12-04T16:00:00+08:00'); // Friday: the horizon is Monday's close
    const horizon = dueSoonHorizon(now, cal);
    expect(horizon).toBe(at('2026-12-07T17:30:00+08:00'));
    const clock = (dueAt: string, paused = false) => ({ finish: { kind: 'finish' as const, limit: { value: 1, unit: 'workDays' as const }, startedAt: '2026-12-01T09:00:00+08:00', dueAt, pausedAt: paused ? dueAt : null, remainingAtPause: paused ? 10 : null, stoppedAt: null, extensions: [] } });
    expect(workListItem('dueSoon', event({ deadlines: clock('2026-12-07T10:00:00+08:00') }), now, horizon)?.due).toEqual({ clock: 'finish', at: '2026-12-07T10:00:00+08:00' });
    expect(workListItem('dueSoon', event({ deadlines: clock('2026-12-08T10:00:00+08:00') }), now, horizon)).toBeNull();
    expect(workListItem('dueSoon', event({ deadlines: clock('2026-12-04T10:00:00+08:00') }), now, horizon)).toBeNull();
    expect(workListItem('dueSoon', event({ deadlines: clock('2026-12-07T10:00:00+08:00', true) }), now, horizon)).toBeNull();
    expect(formatDuration(3 * 1440 + 4 * 60 + 5)).toBe('3天4小时');
    expect(formatDuration(65)).toBe('1小时5分钟');
  });
});
