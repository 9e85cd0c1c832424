import { describe, expect, it } from 'vitest';
import { idCheckChar, idNumberProblem, makeIdNumber, SYNTHETIC_REGION } from './id-number';
import { maskPersonFor, maySeeTags } from './mask';
import { coverage, dueVisits, weekOf, weeklyGroupsOf } from './care';
import { parseRegisterCommand, parseRegisterImport } from './types';
import { checkHeader, checkHouseRow, checkOrganisationRow, rowLookups, type LedgerContext } from './ledger';
import type { Person } from './types';

describe('GB 11643 ID numbers', () => {
  it('computes the check character (ISO 7064 MOD 11-2) of published examples', () => {
    expect(idCheckChar('11010519491231002')).toBe('X');
    expect(idCheckChar('44052418800101001')).toBe('4');
    expect(idNumberProblem('11010519491231002X')).toBeNull();
    expect(idNumberProblem('11010519491231002x')).toBeNull();
    expect(idNumberProblem('110105194912310021')).toBe('checksum');
    expect(idNumberProblem('110105194902300021')).toBe('birthDate');
    expect(idNumberProblem('11010519491231002')).toBe('format');
    expect(idNumberProblem(makeIdNumber(SYNTHETIC_REGION, '20000229', 7))).toBeNull();
  });
});

const person: Person = {
  id: 'p-1', name: '测试甲一', idNumber: makeIdNumber(SYNTHETIC_REGION, '19500101', 11), phone: '19912345678', residence: 'registered',
  house: 'h-1', grid: '430624103001001', address: '古培镇南环社区第一网格12号', organisation: null, tags: ['hardship'], pools: ['partyMember'],
};

describe('register masking by role', () => {
  it('masks ID, phone and address for everyone; tags only for dispatcher, leader, village', () => {
    for (const role of ['dispatcher', 'leader', 'village', 'secretary', 'department', 'viewer', 'admin'] as const) {
      const v = maskPersonFor(person, role);
      expect(v.idNumber).toMatch(/^990624\*{8}\d{3}[\dX]$/);
      expect(v.phone).toBe('199****5678');
      expect(v.address).toBe('古培镇南环社区第一网格**号');
      expect(v.tags !== undefined).toBe(maySeeTags(role));
    }
    expect(['dispatcher', 'leader', 'village'].every((r) => maySeeTags(r as 'dispatcher'))).toBe(true);
    expect(maySeeTags('secretary') || maySeeTags('viewer') || maySeeTags('admin')).toBe(false);
  });
});

describe('weekly visits', () => {
  it('weeks run Monday to Monday in Shanghai; households with a weekly group and no visit are due', () => {
    const w = weekOf(Date.parse('2026-12-03T01:00:00+08:00'));
    expect(new Date(w.from).toISOString()).toBe('2026-11-29T16:00:00.000Z');
    expect(w.to - w.from).toBe(7 * 86_400_000);
    expect(weeklyGroupsOf(['keyPerson', 'disabled', 'hardship'])).toEqual(['hardship', 'disabled']);
    const list = [
      { house: 'a', groups: weeklyGroupsOf(['hardship']), visits: 0 },
      { house: 'b', groups: weeklyGroupsOf(['elderlyAlone']), visits: 1 },
      { house: 'c', groups: weeklyGroupsOf(['keyPerson']), visits: 0 },
    ];
    expect(dueVisits(list).map((h) => h.house)).toEqual(['a']);
    expect(coverage(list)).toEqual({ toVisit: 2, visited: 1, rate: 0.5 });
  });
});

describe('register commands and ledger headers', () => {
  it('validates the town commands the county applies', () => {
    expect(parseRegisterCommand('register.visit.record', { id: 'v1', data: { house: 'h-1', grid: '430624103001001', worker: 'w-1', at: '2026-12-02T10:00:00+08:00' } }).ok).toBe(true);
    expect(parseRegisterCommand('register.visit.record', { id: 'v1', data: { house: 'h-1' } })).toMatchObject({ ok: false, code: 'invalid' });
    expect(parseRegisterCommand('register.nope', { id: 'v1', data: {} })).toMatchObject({ ok: false, code: 'unknown-command' });
    expect(parseRegisterImport({ type: 'house', items: [{ id: 'h1', data: { address: 'x', grid: '430624103001001' } }, { id: 'h2', data: { grid: 'bad' } }] })).toMatchObject({ ok: false });
  });
  it('names missing and unknown ledger columns', () => {
    expect(checkHeader('houses', ['地址', '网格编码'])).toEqual([]);
    expect(checkHeader('organisations', ['名称', '地址', '备注'])).toEqual(['缺少必需的列“类型”', '无法识别的列“备注”']);
  });
  it('confines an importer with a scope to its grids, by code and by point; names the lookups a row asks', () => {
    const ctx: LedgerContext = {
      gridOfPoint: (lon) => (lon < 113 ? '430624103001001' : '430624103002001'),
      gridExists: (code) => code === '430624103001001' || code === '430624103002001',
      houseAt: () => null,
      personExists: () => false,
      newId: () => 'n1',
      inScope: (grid) => grid === '430624103001001',
    };
    const house = (row: Record<string, string>) => checkHouseRow(row, ctx, new Set());
    expect(house({ 地址: '甲路1号', 网格编码: '430624103001001' })).toMatchObject({ ok: true });
    expect(house({ 地址: '甲路2号', 网格编码: '430624103002001' })).toEqual({ ok: false, reason: '网格编码 430624103002001 不在本账号管辖的网格内' });
    expect(house({ 地址: '甲路3号', 经度: '112.9', 纬度: '28.6' })).toMatchObject({ ok: true });
    expect(house({ 地址: '甲路4号', 经度: '113.1', 纬度: '28.6' })).toEqual({ ok: false, reason: '坐标所在的网格 430624103002001 不在本账号管辖的网格内' });
    expect(checkOrganisationRow({ 名称: '某公司', 类型: '企业', 地址: '乙路1号', 网格编码: '430624103002001' }, ctx, new Set())).toMatchObject({ ok: false });
    expect(rowLookups('persons', { 住址: '甲路1号', 身份证号: ' ９９０６２４１９８００１０１００１x ' })).toEqual({ address: '甲路1号', idNumber: '99062419800101001X' });
    expect(rowLookups('houses', { 地址: '甲路1号' })).toEqual({ address: '甲路1号', idNumber: null });
    expect(rowLookups('organisations', { 地址: '乙路1号' })).toEqual({ address: null, idNumber: null });
  });
});
