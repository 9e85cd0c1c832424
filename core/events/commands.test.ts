import { describe, expect, it } from 'vitest';
import { EVENT_STATUSES } from '../model';
import { COMMAND_ARGS, COMMAND_NAMES, isCommandName, parseCommand } from './commands';
import { COMMAND_LABELS, formatLimit, STATUS_LABELS } from './labels';

describe('parseCommand', () => {
  it('refuses an unknown command with its own code', () => {
    expect(parseCommand('event.delete', { id: 'x' })).toEqual({ ok: false, code: 'unknown-command', reason: '未知的命令：event.delete' });
    expect(isCommandName('toString')).toBe(false);
    expect(isCommandName('event.close')).toBe(true);
  });

  it('returns trimmed args and drops unknown fields', () => {
    const r = parseCommand('event.dispatch', { id: ' e-1 ', to: { kind: 'department', id: 'dept-gt' }, cooperating: [' dept-zf'], extra: 1 });
    expect(r).toEqual({ ok: true, command: { name: 'event.dispatch', args: { id: 'e-1', to: { kind: 'department', id: 'dept-gt' }, cooperating: ['dept-zf'] } } });
  });

  it('words every refusal in Chinese, joining several', () => {
    expect(parseCommand('event.accept', null)).toEqual({ ok: false, code: 'invalid', reason: '参数无效' });
    const r = parseCommand('event.reject', { id: '', reason: ' ' });
    expect(r).toEqual({ ok: false, code: 'invalid', reason: '事件编号不能为空；原因不能为空' });
    expect(parseCommand('event.accept', { id: 'x'.repeat(65) })).toMatchObject({ reason: '事件编号不能超过64个字' });
    expect(parseCommand('event.requestExtension', { id: 'e', reason: 'r', by: 3 })).toMatchObject({ reason: '时限必须是 {value, unit}' });
    expect(parseCommand('event.feedback', { id: 'e', note: 'n', photos: Array(21).fill('p') })).toMatchObject({ reason: '照片不能超过20张' });
    expect(parseCommand('event.dispatch', { id: 'e', to: { kind: 'department', id: 'd' }, cooperating: Array(11).fill('d') })).toMatchObject({
      reason: '配合部门不能超过10个',
    });
  });

  it('checks the coordinates, the reporter and the self-handling of a report', () => {
    const base = {
      id: 'e', code: 'c', title: 't', description: '', category: '0301', urgency: 'urgent', source: 'wechat', grid: '430624103',
      location: { lon: 112.9, lat: 28.6, address: '镇政府' },
    };
    expect(parseCommand('event.create', base).ok).toBe(true);
    expect(parseCommand('event.create', { ...base, location: { lon: 112.9, lat: -91, address: 'a' } })).toMatchObject({ reason: '纬度超出范围' });
    expect(parseCommand('event.create', { ...base, location: { lon: '112', lat: 28, address: 'a' } })).toMatchObject({ reason: '经度必须是数字' });
    expect(parseCommand('event.create', { ...base, location: 'somewhere' })).toMatchObject({ reason: '位置必须是 {lon, lat, address}' });
    expect(parseCommand('event.create', { ...base, reporter: { name: '' } })).toMatchObject({ reason: '报告人姓名不能为空' });
    expect(parseCommand('event.create', { ...base, selfHandled: {} })).toMatchObject({ reason: '请填写处置情况' });
    expect(parseCommand('event.create', { ...base, source: 'fax' })).toMatchObject({ reason: '事件来源无效' });
    expect(parseCommand('event.create', { ...base, description: 'x'.repeat(2001) })).toMatchObject({ reason: '描述不能超过2000个字' });
  });
});

describe('labels', () => {
  it('name every status and command in Chinese', () => {
    expect(Object.keys(STATUS_LABELS).sort()).toEqual([...EVENT_STATUSES].sort());
    expect(Object.keys(COMMAND_LABELS).sort()).toEqual([...COMMAND_NAMES].sort());
    expect(Object.keys(COMMAND_ARGS)).toEqual(COMMAND_NAMES);
    expect(STATUS_LABELS.handled).toBe('待核查');
    expect(COMMAND_LABELS['event.close']).toBe('结案');
    expect(formatLimit({ value: 2, unit: 'workDays' })).toBe('2个工作日');
    expect(formatLimit({ value: 30, unit: 'minutes' })).toBe('30分钟');
  });
});
