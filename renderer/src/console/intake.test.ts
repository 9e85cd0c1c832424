import { describe, expect, it } from 'vitest';
import { EMPTY_INTAKE, buildCreate, caseNumber, intakeFromArgs, type IntakeInput } from './intake';
import { T0 } from './test-events';

const ID = '3f9a2c1b-0d4e-4f5a-8b6c-7d8e9f0a1b2c';
const filled: IntakeInput = {
  ...EMPTY_INTAKE,
  title: '路灯不亮',
  category: '0601',
  source: 'hotline',
  reporterName: '王五',
  reporterPhone: '13812345678',
  address: '南环路 12 号',
  lon: 112.9,
  lat: 28.6,
  grid: '430624103001001',
};

describe('manual intake', () => {
  it('numbers a case by the Shanghai date and the UUID', () => {
    // 2026-11-30 09:00 Shanghai; 23:30 UTC the day before is already the 30th in Shanghai
    expect(caseNumber(T0, ID)).toBe('SL20261130-3F9A2C');
    expect(caseNumber(Date.parse('2026-11-29T23:30:00Z'), ID)).toBe('SL20261130-3F9A2C');
  });

  it('builds event.create with the client id, the case number and the reporter', () => {
    const r = buildCreate(filled, ID, T0);
    expect(r).toEqual({
      ok: true,
      args: {
        id: ID,
        code: 'SL20261130-3F9A2C',
        title: '路灯不亮',
        description: '',
        category: '0601',
        urgency: 'normal',
        source: 'hotline',
        location: { lon: 112.9, lat: 28.6, address: '南环路 12 号' },
        grid: '430624103001001',
        reporter: { name: '王五', phone: '13812345678' },
      },
    });
  });

  it('says what is missing, in order', () => {
    expect(buildCreate({ ...filled, title: ' ' }, ID, T0)).toMatchObject({ ok: false, message: expect.stringContaining('标题') });
    expect(buildCreate({ ...filled, category: '' }, ID, T0)).toMatchObject({ ok: false, message: '请选择事件类别。' });
    expect(buildCreate({ ...filled, lon: null }, ID, T0)).toMatchObject({ ok: false, message: expect.stringContaining('地图上点选') });
    expect(buildCreate({ ...filled, grid: null }, ID, T0)).toMatchObject({ ok: false, message: expect.stringContaining('不在本镇') });
    expect(buildCreate({ ...filled, address: '' }, ID, T0)).toMatchObject({ ok: false, message: '请填写事发地址。' });
    expect(buildCreate({ ...filled, reporterName: '' }, ID, T0)).toMatchObject({ ok: false, message: expect.stringContaining('报告人姓名') });
    const anonymous = buildCreate({ ...filled, reporterName: '', reporterPhone: '' }, ID, T0);
    expect(anonymous.ok && 'reporter' in anonymous.args).toBe(false);
  });

  it('prefills the form from a rejected report', () => {
    const r = buildCreate(filled, ID, T0);
    if (!r.ok) throw new Error(r.message);
    expect(intakeFromArgs(r.args)).toEqual(filled);
    expect(intakeFromArgs(undefined)).toEqual({ ...EMPTY_INTAKE });
  });
});
