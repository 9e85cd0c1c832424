import { describe, expect, it } from 'vitest';
import { CODE_LENGTH, isAncestor, isGridCode, levelOfCode, parentCode, parseGridCode } from './codes';

const TOWN = '430624103';
const VILLAGE = '430624103201';
const GRID = '430624103201004';

describe('parseGridCode: valid shapes', () => {
  it('reads a town code', () => {
    expect(parseGridCode(TOWN)).toEqual({ ok: true, code: TOWN, level: 1, county: '430624', town: TOWN });
  });

  it('reads a village or community code', () => {
    expect(parseGridCode(VILLAGE)).toEqual({ ok: true, code: VILLAGE, level: 2, county: '430624', town: TOWN, village: VILLAGE });
    expect(parseGridCode('430624103001')).toMatchObject({ ok: true, level: 2, village: '430624103001' });
  });

  it('reads a grid code with its sequence number', () => {
    expect(parseGridCode(GRID)).toEqual({ ok: true, code: GRID, level: 3, county: '430624', town: TOWN, village: VILLAGE, seq: 4 });
    expect(parseGridCode('430624103201999')).toMatchObject({ ok: true, seq: 999 });
    expect(parseGridCode('430624103201901')).toMatchObject({ ok: true, seq: 901 });
  });

  it('accepts every province prefix in the list and a county part of 00 (towns directly under a city)', () => {
    for (const p of ['11', '15', '21', '23', '31', '37', '41', '46', '50', '54', '61', '65']) {
      expect(parseGridCode(`${p}0101001`.padEnd(9, '1')).ok, p).toBe(true);
    }
    expect(parseGridCode('441900003').ok).toBe(true);
  });

  it('exposes the code length per level', () => {
    expect(CODE_LENGTH).toEqual({ 1: 9, 2: 12, 3: 15 });
  });
});

describe('parseGridCode: every error, in Chinese', () => {
  const error = (code: unknown): string => {
    const r = parseGridCode(code);
    if (r.ok) throw new Error(`expected ${String(code)} to be rejected`);
    return r.error;
  };

  it('rejects what is not a string', () => {
    expect(error(430624103)).toBe('网格编码必须是字符串,实际为number');
    expect(error(null)).toBe('网格编码必须是字符串,实际为null');
    expect(error(undefined)).toBe('网格编码必须是字符串,实际为undefined');
  });

  it('rejects the empty string', () => {
    expect(error('')).toBe('网格编码为空');
  });

  it('names the first non-digit and its position', () => {
    expect(error('43062410A')).toBe('网格编码只能由数字组成,第9位是“A”');
    expect(error(' 430624103')).toBe('网格编码只能由数字组成,第1位是“ ”');
    expect(error('430624-103')).toContain('第7位是“-”');
  });

  it('rejects a length other than 9, 12 or 15 and says which it got', () => {
    expect(error('4306241')).toBe('网格编码长度应为9位(镇)、12位(村或社区)或15位(网格),实际为7位');
    expect(error('4306241032')).toContain('实际为10位');
    expect(error('4306241032010041')).toContain('实际为16位');
  });

  it('rejects a prefix that is not a province', () => {
    for (const p of ['00', '10', '16', '20', '24', '30', '38', '40', '47', '55', '60', '66', '71', '81', '99']) {
      expect(error(`${p}0624103`)).toBe(
        `网格编码的前两位应为有效的省级区划代码(11–15、21–23、31–37、41–46、50–54、61–65),实际为${p}`,
      );
    }
  });

  it('rejects a zero township, village or sequence', () => {
    expect(error('430624000')).toBe('网格编码的乡镇部分(第7–9位)不能为000');
    expect(error('430624000201001')).toBe('网格编码的乡镇部分(第7–9位)不能为000');
    expect(error('430624103000')).toBe('网格编码的村或社区部分(第10–12位)不能为000');
    expect(error('430624103000001')).toBe('网格编码的村或社区部分(第10–12位)不能为000');
    expect(error('430624103201000')).toBe('网格编码的网格序号(第13–15位)应为001–999,不能为000');
  });
});

describe('levels, parents and ancestors', () => {
  it('levelOfCode gives the level or null', () => {
    expect(levelOfCode(TOWN)).toBe(1);
    expect(levelOfCode(VILLAGE)).toBe(2);
    expect(levelOfCode(GRID)).toBe(3);
    expect(levelOfCode('430624103201000')).toBeNull();
    expect(levelOfCode(42)).toBeNull();
  });

  it('isGridCode narrows to valid codes only', () => {
    expect(isGridCode(GRID)).toBe(true);
    expect(isGridCode('12')).toBe(false);
  });

  it('parentCode walks 15 → 12 → 9 → null by prefix', () => {
    expect(parentCode(GRID)).toBe(VILLAGE);
    expect(parentCode(VILLAGE)).toBe(TOWN);
    expect(parentCode(TOWN)).toBeNull();
  });

  it('parentCode throws on an invalid code instead of calling it a town', () => {
    expect(() => parentCode('4306241')).toThrow(/长度应为9位/);
    expect(() => parentCode('990624103')).toThrow(/省级区划代码/);
  });

  it('isAncestor is strict and prefix-based', () => {
    expect(isAncestor(TOWN, GRID)).toBe(true);
    expect(isAncestor(VILLAGE, GRID)).toBe(true);
    expect(isAncestor(TOWN, VILLAGE)).toBe(true);
    expect(isAncestor(GRID, GRID)).toBe(false);
    expect(isAncestor(GRID, VILLAGE)).toBe(false);
    expect(isAncestor('430624103202', GRID)).toBe(false);
    expect(isAncestor('430624104', GRID)).toBe(false);
    expect(isAncestor('bogus', GRID)).toBe(false);
    expect(isAncestor(TOWN, '430624103201000')).toBe(false);
  });
});
