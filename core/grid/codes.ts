// Grid codes in the shape the county platform deploys: the national statistical
// division code (统计用区划代码) of the county (6 digits) and township (3), then
// 3 digits per level below it. The code alone carries the hierarchy, so parents,
// ancestors and levels are derived from prefixes and never looked up.
import type { GridLevel } from '../model';

/** Province-level prefixes of 统计用区划代码 (mainland provinces, regions and municipalities). */
const PROVINCES: ReadonlySet<string> = new Set([
  '11', '12', '13', '14', '15',
  '21', '22', '23',
  '31', '32', '33', '34', '35', '36', '37',
  '41', '42', '43', '44', '45', '46',
  '50', '51', '52', '53', '54',
  '61', '62', '63', '64', '65',
]);

const LENGTH_TO_LEVEL: Readonly<Record<number, GridLevel>> = { 9: 1, 12: 2, 15: 3 };

/** The length of a code at each level. */
export const CODE_LENGTH: Readonly<Record<GridLevel, number>> = { 1: 9, 2: 12, 3: 15 };

/** A town's (乡镇/街道) code: 9 digits, the level-1 grid code. The shape only; parseGridCode checks the province. */
export const TOWN_CODE_PATTERN = /^\d{9}$/;
/** A grid code of any level (9, 12 or 15 digits). The shape only; parseGridCode checks the rest. */
export const GRID_CODE_PATTERN = /^\d{9}(?:\d{3}){0,2}$/;

export interface ParsedGridCode {
  ok: true;
  code: string;
  level: GridLevel;
  /** 6-digit county (区县) code. */
  county: string;
  /** 9-digit town (乡镇/街道) code. */
  town: string;
  /** 12-digit village or community code, for levels 2 and 3. */
  village?: string;
  /** The grid's sequence number in its village, 1..999, for level 3. */
  seq?: number;
}

export interface GridCodeError {
  ok: false;
  error: string;
}

export type GridCodeResult = ParsedGridCode | GridCodeError;

const fail = (error: string): GridCodeError => ({ ok: false, error });

/** Parse and validate a grid code; the error says, in Chinese, what is wrong. */
export function parseGridCode(code: unknown): GridCodeResult {
  if (typeof code !== 'string') {
    return fail(`网格编码必须是字符串,实际为${code === null ? 'null' : typeof code}`);
  }
  if (code.length === 0) return fail('网格编码为空');
  const bad = /[^0-9]/.exec(code);
  if (bad) {
    return fail(`网格编码只能由数字组成,第${bad.index + 1}位是“${bad[0]}”`);
  }
  const level = LENGTH_TO_LEVEL[code.length];
  if (level === undefined) {
    return fail(`网格编码长度应为9位(镇)、12位(村或社区)或15位(网格),实际为${code.length}位`);
  }
  const province = code.slice(0, 2);
  if (!PROVINCES.has(province)) {
    return fail(`网格编码的前两位应为有效的省级区划代码(11–15、21–23、31–37、41–46、50–54、61–65),实际为${province}`);
  }
  if (code.slice(6, 9) === '000') return fail('网格编码的乡镇部分(第7–9位)不能为000');
  const result: ParsedGridCode = { ok: true, code, level, county: code.slice(0, 6), town: code.slice(0, 9) };
  if (level >= 2) {
    if (code.slice(9, 12) === '000') return fail('网格编码的村或社区部分(第10–12位)不能为000');
    result.village = code.slice(0, 12);
  }
  if (level === 3) {
    const seq = Number(code.slice(12, 15));
    if (seq === 0) return fail('网格编码的网格序号(第13–15位)应为001–999,不能为000');
    result.seq = seq;
  }
  return result;
}

/** True when `code` is a well-formed grid code. */
export function isGridCode(code: unknown): code is string {
  return parseGridCode(code).ok;
}

/** The level a code denotes, or null when it is not a valid code. */
export function levelOfCode(code: unknown): GridLevel | null {
  const parsed = parseGridCode(code);
  return parsed.ok ? parsed.level : null;
}

/**
 * The parent's code by prefix: grid → village or community → town → null.
 * Throws on an invalid code, so that an invalid code is never mistaken for a town.
 */
export function parentCode(code: string): string | null {
  const parsed = parseGridCode(code);
  if (!parsed.ok) throw new RangeError(parsed.error);
  if (parsed.level === 1) return null;
  return code.slice(0, CODE_LENGTH[(parsed.level - 1) as GridLevel]);
}

/** True when `ancestor` is a strict ancestor of `code` (its town, or its village for a grid). */
export function isAncestor(ancestor: string, code: string): boolean {
  const a = levelOfCode(ancestor);
  const b = levelOfCode(code);
  return a !== null && b !== null && a < b && code.startsWith(ancestor);
}
