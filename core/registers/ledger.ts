// The town's existing Excel ledgers (台账, 方案6: 建立信息台账,并及时更新) read into the
// registers: the columns each ledger must have, and the check of one row (required
// fields, the ID number's GB 11643 check character, duplicates, the house and grid an
// address belongs to). Pure: the data service streams the file and applies the result
// all or nothing (electron/service/registers/import.ts).
import { maskAddress, maskIdNumber } from '../privacy/mask';
import { ID_PROBLEM_LABELS, idNumberProblem, normaliseIdNumber } from './id-number';
import type { House, Organisation, Person, RegisterEntity } from './types';
import { SPECIAL_GROUPS, POOLS, type Pool, type SpecialGroup } from './types';

export type LedgerKind = 'persons' | 'houses' | 'organisations';

/** The header of each ledger, in Chinese as the town's spreadsheets have them; `*` marks a required column. */
export const LEDGER_COLUMNS: Readonly<Record<LedgerKind, readonly string[]>> = {
  persons: ['姓名*', '身份证号*', '联系电话', '性别', '人口类别', '住址*', '特殊人群', '三库'],
  houses: ['地址*', '网格编码', '经度', '纬度', '用途'],
  organisations: ['名称*', '类型*', '地址*', '网格编码', '经度', '纬度', '联系人', '联系电话'],
};

export const columnName = (c: string): string => c.replace(/\*$/, '');

/** Header problems: missing required columns, unknown ones; [] when the header is usable. */
export function checkHeader(kind: LedgerKind, header: readonly string[]): string[] {
  const names = header.map((h) => h.trim());
  const known = LEDGER_COLUMNS[kind].map(columnName);
  const problems: string[] = [];
  for (const c of LEDGER_COLUMNS[kind]) if (c.endsWith('*') && !names.includes(columnName(c))) problems.push(`缺少必需的列“${columnName(c)}”`);
  for (const n of names) if (n !== '' && !known.includes(n)) problems.push(`无法识别的列“${n}”`);
  return problems;
}

export interface LedgerContext {
  /** The basic grid of a point, or null (point-in-grid over the town's grid polygons). */
  gridOfPoint: (lon: number, lat: number) => string | null;
  /** Is this a basic grid code of the town? */
  gridExists: (code: string) => boolean;
  /** A house of the register or of this file at an exact address. */
  houseAt: (address: string) => { id: string; grid: string } | null;
  /** Is this ID number already in the register? */
  personExists: (idNumber: string) => boolean;
  newId: () => string;
  /**
   * May the importer write to this basic grid? Absent: every grid of the town. A village
   * imports into its own grids only; a row placed elsewhere is rejected.
   */
  inScope?: (grid: string) => boolean;
}

/** What is said of a row placed in a grid of the town outside the importer's scope. */
export const OUT_OF_SCOPE = '不在本账号管辖的网格内';

/**
 * The register lookups a row's check asks (houseAt, personExists), read from the raw row
 * the way the checks read it: a reader fetches a batch's keys with one query each.
 */
export function rowLookups(kind: LedgerKind, row: Record<string, string>): { address: string | null; idNumber: string | null } {
  if (kind === 'persons') return { address: row['住址'] ?? '', idNumber: normaliseIdNumber(row['身份证号'] ?? '') };
  if (kind === 'houses') return { address: row['地址'] ?? '', idNumber: null };
  return { address: null, idNumber: null };
}

/** A rejected row's reason; `duplicate` when it repeats a row of the file or an entry of the register. */
export type RowResult = { ok: true; entity: RegisterEntity; key: string } | { ok: false; reason: string; duplicate?: true };

const byLabel = <K extends string>(table: Readonly<Record<K, string | { label: string }>>, label: string): K | undefined =>
  (Object.keys(table) as K[]).find((k) => {
    const v = table[k];
    return (typeof v === 'string' ? v : v.label) === label;
  });

function list<K extends string>(table: Readonly<Record<K, string | { label: string }>>, text: string, what: string): { ok: true; values: K[] } | { ok: false; reason: string } {
  const values: K[] = [];
  for (const part of text.split(/[、,，;；\s]+/).filter((p) => p !== '')) {
    const k = byLabel(table, part.replace(/库$/, ''));
    if (!k) return { ok: false, reason: `无法识别的${what}“${part}”` };
    values.push(k);
  }
  return { ok: true, values };
}

function point(lonText: string, latText: string): { lon: number; lat: number } | null | 'bad' {
  if (lonText === '' && latText === '') return null;
  const lon = Number(lonText);
  const lat = Number(latText);
  if (!Number.isFinite(lon) || !Number.isFinite(lat) || lon < -180 || lon > 180 || lat < -90 || lat > 90) return 'bad';
  return { lon, lat };
}

/** The grid of a row: its code column, else the point's grid; an error when neither gives a grid of the town. */
function gridOf(row: Record<string, string>, ctx: LedgerContext, loc: { lon: number; lat: number } | null): string | { reason: string } {
  const code = row['网格编码'] ?? '';
  if (code !== '') {
    if (!ctx.gridExists(code)) return { reason: `网格编码 ${code} 不是本镇的网格` };
    return ctx.inScope && !ctx.inScope(code) ? { reason: `网格编码 ${code} ${OUT_OF_SCOPE}` } : code;
  }
  if (loc) {
    const grid = ctx.gridOfPoint(loc.lon, loc.lat);
    if (grid === null) return { reason: '坐标不在本镇任何网格内' };
    return ctx.inScope && !ctx.inScope(grid) ? { reason: `坐标所在的网格 ${grid} ${OUT_OF_SCOPE}` } : grid;
  }
  return { reason: '缺少网格编码或坐标，无法确定所属网格' };
}

export function checkPersonRow(row: Record<string, string>, ctx: LedgerContext, seen: Set<string>): RowResult {
  const name = row['姓名'] ?? '';
  if (name === '') return { ok: false, reason: '姓名为空' };
  const idNumber = normaliseIdNumber(row['身份证号'] ?? '');
  const problem = idNumberProblem(idNumber);
  if (problem) return { ok: false, reason: ID_PROBLEM_LABELS[problem] };
  if (seen.has(idNumber)) return { ok: false, reason: '与本文件中前面的行身份证号重复', duplicate: true };
  if (ctx.personExists(idNumber)) return { ok: false, reason: '登记中已有此身份证号的人员', duplicate: true };
  const address = row['住址'] ?? '';
  const house = ctx.houseAt(address);
  if (!house) return { ok: false, reason: `住址“${maskAddress(address)}”与登记中的房屋都不相符` };
  if (ctx.inScope && !ctx.inScope(house.grid)) return { ok: false, reason: `住址“${maskAddress(address)}”所在的网格 ${house.grid} ${OUT_OF_SCOPE}` };
  const tags = list<SpecialGroup>(SPECIAL_GROUPS, row['特殊人群'] ?? '', '特殊人群');
  if (!tags.ok) return tags;
  const pools = list<Pool>(POOLS, row['三库'] ?? '', '三库类别');
  if (!pools.ok) return pools;
  const gender = row['性别'] === '男' ? 'M' : row['性别'] === '女' ? 'F' : undefined;
  const id = ctx.newId();
  const value: Person = {
    id,
    name,
    idNumber,
    phone: row['联系电话'] ?? '',
    residence: row['人口类别'] === '流动' ? 'floating' : 'registered',
    house: house.id,
    grid: house.grid,
    address,
    organisation: null,
    tags: tags.values,
    pools: pools.values,
    ...(gender ? { gender } : {}),
  };
  seen.add(idNumber);
  return { ok: true, entity: { type: 'person', id, value }, key: idNumber };
}

export function checkHouseRow(row: Record<string, string>, ctx: LedgerContext, seen: Set<string>): RowResult {
  const address = row['地址'] ?? '';
  if (address === '') return { ok: false, reason: '地址为空' };
  if (seen.has(address)) return { ok: false, reason: '与本文件中前面的行地址重复', duplicate: true };
  if (ctx.houseAt(address)) return { ok: false, reason: '登记中已有此地址的房屋', duplicate: true };
  const loc = point(row['经度'] ?? '', row['纬度'] ?? '');
  if (loc === 'bad') return { ok: false, reason: '经纬度无效' };
  const grid = gridOf(row, ctx, loc);
  if (typeof grid !== 'string') return { ok: false, reason: grid.reason };
  const use = row['用途'] === '商用' ? 'commercial' : row['用途'] === '商住' ? 'mixed' : 'residential';
  const id = ctx.newId();
  const value: House = { id, address, grid, location: loc, head: null, use };
  seen.add(address);
  return { ok: true, entity: { type: 'house', id, value }, key: address };
}

export function checkOrganisationRow(row: Record<string, string>, ctx: LedgerContext, seen: Set<string>): RowResult {
  const name = row['名称'] ?? '';
  if (name === '') return { ok: false, reason: '名称为空' };
  const kind = row['类型'] === '企业' ? 'enterprise' : row['类型'] === '单位' ? 'unit' : null;
  if (!kind) return { ok: false, reason: '类型应为“单位”或“企业”' };
  const address = row['地址'] ?? '';
  if (address === '') return { ok: false, reason: '地址为空' };
  const key = `${name}@${address}`;
  if (seen.has(key)) return { ok: false, reason: '与本文件中前面的行重复（名称和地址相同）', duplicate: true };
  const loc = point(row['经度'] ?? '', row['纬度'] ?? '');
  if (loc === 'bad') return { ok: false, reason: '经纬度无效' };
  const grid = gridOf(row, ctx, loc);
  if (typeof grid !== 'string') return { ok: false, reason: grid.reason };
  const id = ctx.newId();
  const value: Organisation = { id, name, kind, grid, address, location: loc, contact: row['联系人'] ?? '', phone: row['联系电话'] ?? '' };
  seen.add(key);
  return { ok: true, entity: { type: 'organisation', id, value }, key };
}

export const CHECK_ROW = { persons: checkPersonRow, houses: checkHouseRow, organisations: checkOrganisationRow } as const;

/**
 * What a report shows of a row so the person can find it in the sheet: a person's name
 * and masked ID number, a house's masked address, an organisation's name (public).
 */
export function rowSubject(kind: LedgerKind, row: Record<string, string>): string {
  if (kind === 'persons') {
    const id = (row['身份证号'] ?? '').trim();
    return [row['姓名'] ?? '', id === '' ? '' : maskIdNumber(id)].filter((x) => x !== '').join(' ');
  }
  if (kind === 'houses') return maskAddress(row['地址'] ?? '');
  return row['名称'] ?? '';
}
