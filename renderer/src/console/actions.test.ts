import { describe, expect, it } from 'vitest';
import { actionSpec, buildArgs, inputFromArgs, offeredActions, whyNot, type ActionSpec } from './actions';
import { DEPARTMENT, DISPATCHER, T0, dispatched, handled, reported, run, worker } from './test-events';

const spec = (name: Parameters<typeof actionSpec>[0]): ActionSpec => {
  const s = actionSpec(name);
  if (!s) throw new Error(name);
  return s;
};

describe('the actions offered', () => {
  it('follow the workflow: a new report can be accepted, rejected, reclassified, not closed', () => {
    const names = offeredActions(reported('e1'), DISPATCHER, worker).map((a) => a.name);
    expect(names).toEqual(['event.accept', 'event.reject', 'event.reclassify', 'event.supervise', 'event.comment']);
  });

  it('a handled event is verified or sent back, and cannot be closed before verification', () => {
    const e = handled('e2');
    const names = offeredActions(e, DISPATCHER, worker).map((a) => a.name);
    expect(names).toContain('event.verify');
    expect(names).toContain('event.rework');
    expect(names).not.toContain('event.close');
    expect(whyNot(e, 'event.close', DISPATCHER, worker)).toBe('事件当前状态为“待核查”，不能结案：需先完成核查');
    const verified = run(e, 'event.verify', { id: 'e2' }, T0 + 120 * 60_000);
    expect(offeredActions(verified, DISPATCHER, worker).map((a) => a.name)).toContain('event.close');
    expect(whyNot(verified, 'event.close', DISPATCHER, worker)).toBeNull();
  });

  it("a leader is offered what the role table grants beyond reading: 督办 and 批注, never 受理", () => {
    const leader = { id: 'u-leader', role: 'leader' as const, name: '李镇长' };
    expect(offeredActions(reported('e5'), leader, worker).map((a) => a.name)).toEqual(['event.supervise', 'event.comment']);
    expect(whyNot(reported('e5'), 'event.accept', leader, worker)).toBe('领导无权执行“受理”');
  });

  it('offers nothing that changes an event to a read-only viewer', () => {
    expect(offeredActions(reported('e3'), { id: 'wall', role: 'viewer' }, worker)).toEqual([]);
  });
});

describe('checks before sending, worded for a dispatcher', () => {
  const e = reported('e4');

  it('a reject needs a reason', () => {
    expect(buildArgs(spec('event.reject'), e, { reason: '   ' })).toEqual({
      ok: false,
      message: '不予受理必须填写原因：请写明为什么不受理，以便答复报告人。',
    });
    expect(buildArgs(spec('event.reject'), e, { reason: ' 重复来电 ' })).toEqual({ ok: true, args: { id: 'e4', reason: '重复来电' } });
  });

  it('a dispatch needs somebody to send to', () => {
    expect(buildArgs(spec('event.dispatch'), e, { to: null })).toEqual({
      ok: false,
      message: '请选择派遣对象：一个承办部门或一名网格员，不能派遣给“无人”。',
    });
    expect(buildArgs(spec('event.dispatch'), e, { to: { kind: 'person', id: ' ' } }).ok).toBe(false);
    expect(buildArgs(spec('event.dispatch'), e, { to: { kind: 'person', id: 'w-1' }, note: '' })).toEqual({
      ok: true,
      args: { id: 'e4', to: { kind: 'person', id: 'w-1' } },
    });
  });

  it('a dispatch to a department carries the cooperating departments chosen (the lead never among them), a worker none', () => {
    const to = { kind: 'department' as const, id: 'dept-rj' };
    expect(buildArgs(spec('event.dispatch'), e, { to, cooperating: ['dept-zf', 'dept-rj'] })).toEqual({ ok: true, args: { id: 'e4', to, cooperating: ['dept-zf'] } });
    expect(buildArgs(spec('event.dispatch'), e, { to, cooperating: [] })).toEqual({ ok: true, args: { id: 'e4', to, cooperating: [] } });
    expect(buildArgs(spec('event.dispatch'), e, { to: { kind: 'person', id: 'w-1' }, cooperating: ['dept-zf'] })).toEqual({ ok: true, args: { id: 'e4', to: { kind: 'person', id: 'w-1' } } });
  });

  it('refuses a reclassification to the same category and what core refuses (too long)', () => {
    expect(buildArgs(spec('event.reclassify'), e, { category: '0301' })).toEqual({ ok: false, message: '新类别与当前类别相同，无需重新分类。' });
    expect(buildArgs(spec('event.comment'), e, { note: '长'.repeat(2001) })).toEqual({ ok: false, message: '意见不能超过2000个字' });
    expect(buildArgs(spec('event.merge'), e, { into: 'e4' }).ok).toBe(false);
  });

  it('prefills a dialog from a rejected command', () => {
    expect(inputFromArgs({ id: 'x', reason: '重复', to: { kind: 'department', id: 'dept-rj' }, extra: 1 })).toEqual({
      reason: '重复',
      to: { kind: 'department', id: 'dept-rj' },
    });
    expect(inputFromArgs(null)).toEqual({});
  });
});

describe("a department's actions on an event dispatched to it", () => {
  const e = dispatched('e9');

  it('are feedback, return and an extension request (and a comment), for its own department only', () => {
    expect(offeredActions(e, DEPARTMENT, worker).map((a) => a.name)).toEqual(['event.feedback', 'event.return', 'event.requestExtension', 'event.comment']);
    const other = { id: 'op-x', role: 'department' as const, departmentId: 'dept-x' };
    expect(offeredActions(e, other, worker).map((a) => a.name)).toEqual(['event.comment']);
  });

  it('a feedback carries its photos; without a note it is refused in plain words', () => {
    expect(buildArgs(spec('event.feedback'), e, { photos: ['data:image/webp;base64,AAAA'] })).toEqual({ ok: false, message: '请填写处置情况：做了什么、结果如何。' });
    expect(buildArgs(spec('event.feedback'), e, { note: ' 已清运 ', photos: ['data:image/webp;base64,AAAA'] })).toEqual({
      ok: true,
      args: { id: 'e9', note: '已清运', photos: ['data:image/webp;base64,AAAA'] },
    });
    expect(buildArgs(spec('event.feedback'), e, { note: '已清运', photos: [] })).toEqual({ ok: true, args: { id: 'e9', note: '已清运' } });
  });

  it('an extension request needs a length, a number, and a reason', () => {
    const ext = spec('event.requestExtension');
    expect(buildArgs(ext, e, { reason: '等材料' })).toEqual({ ok: false, message: '请填写需要延长的时限。' });
    expect(buildArgs(ext, e, { by: { value: '2', unit: 'workDays' } })).toEqual({ ok: false, message: '请填写延期理由。' });
    expect(buildArgs(ext, e, { by: { value: 'x', unit: 'workDays' }, reason: '等材料' })).toMatchObject({ ok: false });
    expect(buildArgs(ext, e, { by: { value: '2', unit: 'workDays' }, reason: '等材料' })).toEqual({
      ok: true,
      args: { id: 'e9', by: { value: 2, unit: 'workDays' }, reason: '等材料' },
    });
  });
});
