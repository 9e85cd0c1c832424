import { describe, expect, it } from 'vitest';
import { EMPTY_INTAKE, buildCreate, caseNumber, emptyIntake, gridFoundText, intakeFromArgs, intakeSources, parseLonLat, roundCoord, type IntakeInput } from './intake';
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

describe('the place as typed or picked', () => {
  it('takes longitude and latitude only when both are numbers on the globe', () => {
    expect(parseLonLat('120.5', '30.25')).toEqual({ lon: 120.5, lat: 30.25 });
    expect(parseLonLat('', '30')).toBeNull();
    expect(parseLonLat('120', ' ')).toBeNull();
    expect(parseLonLat('abc', '30')).toBeNull();
    expect(parseLonLat('181', '30')).toBeNull();
    expect(parseLonLat('120', '-91')).toBeNull();
  });

  it('rounds a picked point to six decimals', () => {
    expect(roundCoord(120.12345678)).toBe(120.123457);
  });

  it('says where the point is, or what is still missing', () => {
    expect(gridFoundText({ lon: null, lat: 30 }, undefined)).toBe('在右侧地图上点击事发位置，或填写经纬度。');
    expect(gridFoundText({ lon: 120, lat: 30 }, undefined)).toBe('正在查找所在网格…');
    expect(gridFoundText({ lon: 120, lat: 30 }, null)).toBe('该位置不在本镇任何网格内。');
    expect(gridFoundText({ lon: 120, lat: 30 }, { grid: { name: '一网格' }, village: { name: '东村' } })).toBe('所在网格：东村 · 一网格');
    expect(gridFoundText({ lon: 120, lat: 30 }, { grid: { name: '一网格' }, village: null })).toBe('所在网格：一网格');
  });
});

describe('the sources a role may report under', () => {
  it("follow core's table, in the form's order, with the first allowed one chosen", () => {
    expect(intakeSources('dispatcher')).toEqual(['hotline', 'walkIn', 'wechat', 'patrol', 'superior']);
    expect(intakeSources('county')).toEqual(['superior']);
    expect(emptyIntake('county').source).toBe('superior');
    expect(emptyIntake('dispatcher')).toBe(EMPTY_INTAKE);
  });

  it('offer the whole form where core names none', () => {
    expect(intakeSources('secretary')).toEqual(['hotline', 'walkIn', 'wechat', 'patrol', 'superior']);
  });
});
