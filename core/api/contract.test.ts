import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import {
  ApiResponseSchema,
  CONTRACT,
  EVENTS_PAGE_MAX,
  METHOD_NAMES,
  PUSH_TOPICS,
  apiError,
  defineMethod,
  isCommand,
  isMethodName,
  isPushTopic,
} from './contract';
import { describeIssues, validateArgs, validateResult } from './validate';

describe('CONTRACT', () => {
  it('declares the foundation queries, each with schemas and a summary', () => {
    expect(METHOD_NAMES).toEqual(
      expect.arrayContaining([
        'grids.list',
        'grids.tree',
        'departments.list',
        'categories.list',
        'workers.list',
        'events.list',
        'events.get',
        'link.status',
        'commands.rejected',
        'app.info',
        'view.shared',
        'view.share',
      ]),
    );
    for (const name of METHOD_NAMES) {
      const spec = CONTRACT[name];
      expect(['query', 'command', 'auth', 'admin', 'reveal']).toContain(spec.kind);
      expect(spec.summary.length).toBeGreaterThan(10);
    }
    expect(isCommand('grids.list')).toBe(false);
    // Sharing a view changes what other screens show: a read-only screen may not.
    expect(isCommand('view.share')).toBe(true);
    expect(isCommand('view.shared')).toBe(false);
  });

  it('recognises only its own method names, not inherited keys', () => {
    expect(isMethodName('grids.list')).toBe(true);
    expect(isMethodName('toString')).toBe(false);
    expect(isMethodName('__proto__')).toBe(false);
    expect(isMethodName(42)).toBe(false);
    expect(isPushTopic('link.status')).toBe(true);
    expect(isPushTopic('constructor')).toBe(false);
  });

  it('defineMethod returns the spec unchanged', () => {
    const spec = { kind: 'command' as const, args: z.object({}), result: z.null(), summary: 'x' };
    expect(defineMethod(spec)).toBe(spec);
  });

  it('declares the push topics with schemas', () => {
    expect(Object.keys(PUSH_TOPICS).sort()).toEqual(['auth.ended', 'entities.changed', 'field.changed', 'link.status', 'meeting.state', 'positions', 'view.shared']);
    expect(PUSH_TOPICS['view.shared'].safeParse(null).success).toBe(true);
    expect(PUSH_TOPICS['view.shared'].safeParse({ view: {}, by: '调度台', at: '2026-11-28T10:00:00+08:00', version: 1 }).success).toBe(true);
    expect(PUSH_TOPICS['view.shared'].safeParse({ view: {}, by: '', at: '2026-11-28T10:00:00+08:00', version: 1 }).success).toBe(false);
    expect(PUSH_TOPICS['entities.changed'].safeParse({ types: [] }).success).toBe(false);
    expect(PUSH_TOPICS['entities.changed'].safeParse({ types: ['event'], ids: ['e-1'] }).success).toBe(true);
  });
});

describe('validateArgs', () => {
  it('fills the defaults of events.list', () => {
    const checked = validateArgs('events.list', {});
    expect(checked).toEqual({ ok: true, value: { paging: { offset: 0, limit: 100 }, sort: 'risk' } });
  });

  it('treats undefined args as an empty object', () => {
    expect(validateArgs('departments.list', undefined)).toEqual({ ok: true, value: {} });
  });

  it(`refuses a page larger than ${EVENTS_PAGE_MAX}`, () => {
    const checked = validateArgs('events.list', { paging: { offset: 0, limit: EVENTS_PAGE_MAX + 1 } });
    expect(checked.ok).toBe(false);
    if (!checked.ok) {
      expect(checked.error.code).toBe('invalid');
      expect(checked.error.message).toContain('paging.limit');
    }
  });

  it('refuses a time range that ends before it starts', () => {
    const checked = validateArgs('events.list', { from: '2026-11-28T10:00:00+08:00', to: '2026-11-28T09:00:00+08:00' });
    expect(checked).toEqual({ ok: false, error: { code: 'invalid', message: '参数无效:to: 起始时间不能晚于结束时间' } });
  });

  it('words a refused command for the dispatcher: in the schema’s own words, or with the field in zod’s', () => {
    expect(validateArgs('event.reject', { id: 'e1' })).toEqual({ ok: false, error: { code: 'invalid', message: '请填写原因' } });
    expect(validateArgs('event.reject', { id: 'e1', reason: '   ' })).toEqual({ ok: false, error: { code: 'invalid', message: '原因不能为空' } });
    expect(validateArgs('event.dispatch', { id: 'e1' })).toEqual({ ok: false, error: { code: 'invalid', message: '请选择派遣对象（部门或网格员）' } });
    const extra = validateArgs('event.accept', { id: 'e1', extra: 1 });
    expect(extra.ok).toBe(false);
    if (!extra.ok) expect(extra.error.message).toMatch(/^参数 .*extra/);
  });

  it('refuses unknown keys, with a Chinese message', () => {
    const checked = validateArgs('grids.list', { level: 3, extra: true });
    expect(checked.ok).toBe(false);
    if (!checked.ok) expect(checked.error.message).toMatch(/^参数无效:.*extra/);
  });

  it('refuses an unknown method', () => {
    expect(validateArgs('grids.drop', {})).toEqual({
      ok: false,
      error: { code: 'unknown-method', message: '未知的方法:grids.drop' },
    });
  });

  it('refuses non-object args', () => {
    expect(validateArgs('events.get', 'e-1').ok).toBe(false);
    expect(validateArgs('events.get', { id: '' }).ok).toBe(false);
    expect(validateArgs('events.get', { id: 'e-1' })).toEqual({ ok: true, value: { id: 'e-1' } });
  });
});

describe('validateResult', () => {
  it('checks results against the method result schema', () => {
    expect(validateResult('departments.list', [{ id: 'd-1', name: '综治中心', categories: [] }]).ok).toBe(true);
    const bad = validateResult('departments.list', [{ id: 'd-1' }]);
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error.code).toBe('internal');
  });

  it('accepts a nested grid tree and refuses a broken child', () => {
    const leaf = { code: '430624103001001', name: '一网格', level: 3, kind: 'basic', staff: 3, children: [] };
    const tree = { code: '430624103', name: '古培镇', level: 1, kind: 'basic', staff: 3, children: [leaf] };
    expect(validateResult('grids.tree', tree)).toEqual({ ok: true, value: tree });
    expect(validateResult('grids.tree', { ...tree, children: [{ ...leaf, staff: -1 }] }).ok).toBe(false);
  });
});

describe('responses', () => {
  it('ApiResponseSchema tells ok from error and refuses anything else', () => {
    expect(ApiResponseSchema.safeParse({ ok: true, result: [] }).success).toBe(true);
    expect(ApiResponseSchema.safeParse(apiError('invalid', '参数无效')).success).toBe(true);
    expect(ApiResponseSchema.safeParse({ ok: false }).success).toBe(false);
    expect(ApiResponseSchema.safeParse('ok').success).toBe(false);
  });

  it('describeIssues caps the list and says how many more there are', () => {
    const schema = z.object({ a: z.string(), b: z.string(), c: z.string(), d: z.string() });
    const result = schema.safeParse({});
    expect(result.success).toBe(false);
    if (!result.success) {
      const text = describeIssues(result.error, 2);
      expect(text.split(';')).toHaveLength(3);
      expect(text).toMatch(/^a: .*;b: .*;另有 2 处问题$/);
    }
  });
});

describe('stage 2 queries', () => {
  it('workers.track takes ISO times in order', () => {
    expect(validateArgs('workers.track', { workerId: 'w-1', from: '2026-11-28T08:00:00+08:00', to: '2026-11-28T09:00:00+08:00' }).ok).toBe(true);
    const reversed = validateArgs('workers.track', { workerId: 'w-1', from: '2026-11-28T09:00:00+08:00', to: '2026-11-28T08:00:00+08:00' });
    expect(reversed.ok).toBe(false);
    if (!reversed.ok) expect(reversed.error.message).toContain('起始时间不能晚于结束时间');
    expect(validateArgs('workers.track', { workerId: '', from: '2026-11-28T08:00:00+08:00', to: '2026-11-28T09:00:00+08:00' }).ok).toBe(false);
  });

  it('link.log defaults its limit and link.status accepts the link extensions', () => {
    expect(validateArgs('link.log', {})).toEqual({ ok: true, value: { limit: 100 } });
    const status = {
      state: 'online',
      since: '2026-11-28T09:00:00+08:00',
      queueLength: 2,
      lastSyncAt: null,
      catchingUp: false,
      stalled: true,
      offlineSince: null,
      unsent: 1,
      detail: '连接正常',
    };
    expect(validateResult('link.status', status).ok).toBe(true);
    expect(validateResult('link.status', { ...status, unsent: -1 }).ok).toBe(false);
    expect(isCommand('workers.positions')).toBe(false);
  });
});
