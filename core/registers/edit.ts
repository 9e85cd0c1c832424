// The town's edit of one register entry (registers.*.save): the form's draft made into
// the wire entity the outbox carries (register.*.put), or the reasons it is refused, in
// Chinese for the person at the form. Pure: the data service gives the stored entry, the
// house a person lives in, the grids the caller may write to, and whether an ID number or
// an address is taken by another entry (the import's duplicate checks).
//
// Masked fields: the caller sees ID numbers, phones, addresses and contacts' names masked;
// a value left as shown keeps the stored one, any other value with `*` is refused
// (core/privacy/keep-masked.ts, the emergency resources' rule).
import { maskAddress, maskIdNumber, maskName, maskPhone, maskText } from '../privacy/mask';
import { keepMasked, keepMaskedText } from '../privacy/keep-masked';
import { ID_PROBLEM_LABELS, idNumberProblem, normaliseIdNumber } from './id-number';
import { OUT_OF_SCOPE } from './ledger';
import { REGISTER_SCHEMAS, type House, type Mediation, type Organisation, type Person, type RegisterEntities, type RegisterType } from './types';

export type EditResult<T> = { ok: true; value: T } | { ok: false; errors: string[] };

export interface EditContext {
  /** Is this a basic grid of the town the caller may write to? The reason when not. */
  gridProblem: (grid: string) => string | null;
}

const MASKED_REFUSED = (label: string): string => `${label}不完整(含 *),请填写完整的${label}`;

/** A masked-or-plain field: the value to store, or an error pushed. */
function field(value: string, stored: string | undefined, mask: (v: string) => string, label: string, errors: string[]): string {
  const kept = keepMasked(value, stored, mask);
  if (kept.ok) return kept.value;
  errors.push(MASKED_REFUSED(label));
  return value;
}

/** The wire schema's verdict on the built entity (what the county will check). */
function wire<T extends RegisterType>(type: T, value: Omit<RegisterEntities[T], 'id'>, errors: string[]): EditResult<Omit<RegisterEntities[T], 'id'>> {
  if (errors.length > 0) return { ok: false, errors };
  const r = REGISTER_SCHEMAS[type].safeParse(value);
  if (!r.success) return { ok: false, errors: r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`) };
  return { ok: true, value: r.data as unknown as Omit<RegisterEntities[T], 'id'> };
}

export interface PersonDraft {
  name: string;
  idNumber: string;
  phone: string;
  gender?: 'M' | 'F' | undefined;
  residence: Person['residence'];
  house: string;
  tags: Person['tags'];
  pools: Person['pools'];
}

export function personFromDraft(
  d: PersonDraft,
  o: { existing: Person | null; house: House; idTaken: (idNumber: string) => boolean } & EditContext,
): EditResult<Omit<Person, 'id'>> {
  const errors: string[] = [];
  if (d.name.includes('*')) errors.push(MASKED_REFUSED('姓名'));
  const idNumber = normaliseIdNumber(field(d.idNumber, o.existing?.idNumber, maskIdNumber, '身份证号', errors));
  if (!idNumber.includes('*')) {
    const problem = idNumberProblem(idNumber);
    if (problem) errors.push(ID_PROBLEM_LABELS[problem]);
    else if (idNumber !== o.existing?.idNumber && o.idTaken(idNumber)) errors.push('登记中已有此身份证号的人员');
  }
  const phone = field(d.phone, o.existing?.phone, maskPhone, '电话号码', errors);
  const gridProblem = o.gridProblem(o.house.grid);
  if (gridProblem) errors.push(`住址所在的网格 ${o.house.grid} ${gridProblem}`);
  const value: Omit<Person, 'id'> = {
    name: d.name,
    idNumber,
    phone,
    residence: d.residence,
    house: o.house.id,
    grid: o.house.grid,
    address: o.house.address,
    organisation: o.existing?.organisation ?? null,
    tags: [...new Set(d.tags)],
    pools: [...new Set(d.pools)],
    ...(d.gender ? { gender: d.gender } : {}),
    ...(o.existing?.synthetic ? { synthetic: true } : {}),
  };
  return wire('person', value, errors);
}

export interface PlaceDraft {
  grid: string;
  location: { lon: number; lat: number } | null;
}

/** The grid checks of a house or an organisation: the caller's, and its point inside that grid. */
function placeErrors(d: PlaceDraft, o: EditContext & { gridOfPoint: (lon: number, lat: number) => string | null }, errors: string[]): void {
  const problem = o.gridProblem(d.grid);
  if (problem) errors.push(`网格 ${d.grid} ${problem}`);
  else if (d.location !== null && o.gridOfPoint(d.location.lon, d.location.lat) !== d.grid) errors.push(`坐标不在网格 ${d.grid} 内,请核对经纬度`);
}

export function houseFromDraft(
  d: PlaceDraft & { address: string; use: House['use'] },
  o: { existing: House | null; addressTaken: (address: string) => boolean; gridOfPoint: (lon: number, lat: number) => string | null } & EditContext,
): EditResult<Omit<House, 'id'>> {
  const errors: string[] = [];
  const address = field(d.address, o.existing?.address, maskAddress, '地址', errors);
  if (!address.includes('*') && address !== o.existing?.address && o.addressTaken(address)) errors.push('登记中已有此地址的房屋');
  placeErrors(d, o, errors);
  const value: Omit<House, 'id'> = { address, grid: d.grid, location: d.location, head: o.existing?.head ?? null, use: d.use, ...(o.existing?.synthetic ? { synthetic: true } : {}) };
  return wire('house', value, errors);
}

export function organisationFromDraft(
  d: PlaceDraft & { name: string; kind: Organisation['kind']; address: string; contact: string; phone: string },
  o: { existing: Organisation | null; gridOfPoint: (lon: number, lat: number) => string | null } & EditContext,
): EditResult<Omit<Organisation, 'id'>> {
  const errors: string[] = [];
  const contact = field(d.contact, o.existing?.contact, maskName, '联系人', errors);
  const phone = field(d.phone, o.existing?.phone, maskPhone, '电话号码', errors);
  if (d.address.includes('*')) errors.push(MASKED_REFUSED('地址'));
  placeErrors(d, o, errors);
  const value: Omit<Organisation, 'id'> = {
    name: d.name,
    kind: d.kind,
    grid: d.grid,
    address: d.address,
    location: d.location,
    contact,
    phone,
    ...(o.existing?.synthetic ? { synthetic: true } : {}),
  };
  return wire('organisation', value, errors);
}

export function mediationFromDraft(d: Omit<Mediation, 'id'>, o: EditContext & { existing: Mediation | null }): EditResult<Omit<Mediation, 'id'>> {
  const errors: string[] = [];
  // Title and summary come back with their phone and ID numbers masked (maskText).
  const text = (value: string, stored: string | undefined, label: string): string => {
    const kept = keepMaskedText(value, stored, maskText);
    if (!kept.ok) errors.push(`${label}含已遮蔽的号码(*),请填写完整的号码`);
    return kept.ok ? kept.value : value;
  };
  d = { ...d, title: text(d.title, o.existing?.title, '纠纷事由'), summary: text(d.summary, o.existing?.summary, '调解结果') };
  const problem = o.gridProblem(d.grid);
  if (problem) errors.push(`网格 ${d.grid} ${problem}`);
  // The editing roles read names in full: a masked name would be a loss, not a kept value.
  if (d.parties.some((p) => p.includes('*'))) errors.push(MASKED_REFUSED('当事人姓名'));
  return wire('mediation', { ...d, parties: [...new Set(d.parties)] }, errors);
}

/** What the caller may not write to (the ledger import's words). */
export const GRID_OUT_OF_SCOPE = OUT_OF_SCOPE;
export const GRID_UNKNOWN = '不是本镇的基础网格(请选择具体网格,而不是村或社区)';
