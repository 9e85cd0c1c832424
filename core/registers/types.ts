// The registers of people, houses and organisations (人、地、物、组织): entity types the
// project adds to county-link-v1 (a peer that does not know them ignores them), their
// wire shapes (zod, used by both sides: the replica and the county simulator) and the
// town's commands that edit them through the outbox. docs/county-protocol.md, "Registers".
//
// 方案5: 采集网格内人口、房屋、单位、特殊人群等基础信息,建立动态信息数据库.
// 方案6: 建立信息台账,并及时更新; 建立困难家庭台账; 建立矛盾纠纷调解档案.
// 方案3: 着重建三库 (党员库、能人库、热心公益人员库).
import * as z from 'zod';
import { GRID_CODE_PATTERN } from '../grid/codes';
import { IsoTimeSchema, SIZE } from '../api/schemas';

/** The entity types the registers add to county-link-v1. */
export const REGISTER_TYPES = ['person', 'house', 'organisation', 'visit', 'mediation'] as const;
export type RegisterType = (typeof REGISTER_TYPES)[number];

export function isRegisterType(type: unknown): type is RegisterType {
  return typeof type === 'string' && (REGISTER_TYPES as readonly string[]).includes(type);
}

/**
 * Special groups (特殊人群) as tags with their care level: `weekly` groups are the
 * households 方案1 has the grid leader visit every week (网格长每周对生活困难家庭、空巢老人
 * 家庭、留守儿童家庭、残疾人家庭等登门走访); `monthly` ones are followed up monthly.
 */
export const SPECIAL_GROUPS = {
  hardship: { label: '困难家庭', care: 'weekly' },
  elderlyAlone: { label: '空巢老人', care: 'weekly' },
  leftBehindChild: { label: '留守儿童', care: 'weekly' },
  disabled: { label: '残疾人', care: 'weekly' },
  keyPerson: { label: '重点人员', care: 'monthly' },
} as const satisfies Record<string, { label: string; care: 'weekly' | 'monthly' }>;
export type SpecialGroup = keyof typeof SPECIAL_GROUPS;
export const SPECIAL_GROUP_CODES = Object.keys(SPECIAL_GROUPS) as SpecialGroup[];

/** The three pools of 方案3: 党员库、能人库、热心公益人员库. */
export const POOLS = { partyMember: '党员', talent: '能人', volunteer: '热心公益' } as const;
export type Pool = keyof typeof POOLS;
export const POOL_CODES = Object.keys(POOLS) as Pool[];

const str = (max: number) => z.string().max(max);
const nonEmpty = (max: number) => z.string().min(1).max(max);
const gridCode = z.string().regex(GRID_CODE_PATTERN);
const LocationSchema = z.object({ lon: z.number().min(-180).max(180), lat: z.number().min(-90).max(90) });
/** A visit's photos: URLs or file names, at most 6 (方案1's 做好登记: a record, not an album). */
export const MAX_VISIT_PHOTOS = 6;

export const PersonSchema = z.object({
  name: nonEmpty(SIZE.name),
  idNumber: str(SIZE.phone),
  phone: str(SIZE.phone).default(''),
  gender: z.enum(['M', 'F']).optional(),
  /** 实有人口: 户籍 (registered) or 流动 (floating). */
  residence: z.enum(['registered', 'floating']),
  house: nonEmpty(SIZE.id).nullable(),
  grid: gridCode,
  address: str(SIZE.name).default(''),
  /** The organisation the person works at, when the register knows it. */
  organisation: nonEmpty(SIZE.id).nullable().default(null),
  tags: z.array(z.enum(SPECIAL_GROUP_CODES as [SpecialGroup, ...SpecialGroup[]])).max(8).default([]),
  pools: z.array(z.enum(POOL_CODES as [Pool, ...Pool[]])).max(3).default([]),
  synthetic: z.boolean().optional(),
});
export type Person = z.output<typeof PersonSchema> & { id: string };

export const HouseSchema = z.object({
  address: nonEmpty(SIZE.name),
  grid: gridCode,
  location: LocationSchema.nullable().default(null),
  /** The household's head (户主), a person id. */
  head: nonEmpty(SIZE.id).nullable().default(null),
  use: z.enum(['residential', 'commercial', 'mixed']).default('residential'),
  synthetic: z.boolean().optional(),
});
export type House = z.output<typeof HouseSchema> & { id: string };

export const OrganisationSchema = z.object({
  name: nonEmpty(SIZE.name),
  kind: z.enum(['unit', 'enterprise']),
  /** The grid it belongs to: often a dedicated grid (专属网格). */
  grid: gridCode,
  address: str(SIZE.name).default(''),
  location: LocationSchema.nullable().default(null),
  contact: str(SIZE.name).default(''),
  phone: str(SIZE.phone).default(''),
  synthetic: z.boolean().optional(),
});
export type Organisation = z.output<typeof OrganisationSchema> & { id: string };

export const VisitSchema = z.object({
  house: nonEmpty(SIZE.id),
  grid: gridCode,
  /** The grid worker who visited (a worker id). */
  worker: nonEmpty(SIZE.id),
  at: IsoTimeSchema,
  note: str(SIZE.text).default(''),
  photos: z.array(nonEmpty(512)).max(MAX_VISIT_PHOTOS).default([]),
});
export type Visit = z.output<typeof VisitSchema> & { id: string };

export const MediationSchema = z.object({
  grid: gridCode,
  title: nonEmpty(SIZE.name),
  parties: z.array(nonEmpty(SIZE.id)).max(20).default([]),
  openedAt: IsoTimeSchema,
  status: z.enum(['open', 'resolved']),
  summary: str(SIZE.text).default(''),
});
export type Mediation = z.output<typeof MediationSchema> & { id: string };

export const REGISTER_SCHEMAS = {
  person: PersonSchema,
  house: HouseSchema,
  organisation: OrganisationSchema,
  visit: VisitSchema,
  mediation: MediationSchema,
} as const;

export interface RegisterEntities {
  person: Person;
  house: House;
  organisation: Organisation;
  visit: Visit;
  mediation: Mediation;
}
export type RegisterEntity = { [T in RegisterType]: { type: T; id: string; value: RegisterEntities[T] } }[RegisterType];

/** Validate one register entity's `data` from the wire; the id travels beside it. */
export function parseRegisterEntity(type: RegisterType, id: string, data: unknown): { ok: true; entity: RegisterEntity } | { ok: false; reason: string } {
  const r = REGISTER_SCHEMAS[type].safeParse(data);
  if (!r.success) return { ok: false, reason: r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ').slice(0, 500) };
  return { ok: true, entity: { type, id, value: { ...r.data, id } } as RegisterEntity };
}

// ---------------------------------------------------------------- commands (town → county, through the outbox)

const IdSchema = z.string().regex(/^[0-9a-zA-Z_-]{1,64}$/);

/** project: the town's register commands; a county that does not know them answers `unknown-command`. */
export const REGISTER_COMMANDS = {
  'register.visit.record': 'visit',
  'register.person.put': 'person',
  'register.house.put': 'house',
  'register.organisation.put': 'organisation',
  'register.mediation.put': 'mediation',
} as const satisfies Record<string, RegisterType>;
export type RegisterCommandName = keyof typeof REGISTER_COMMANDS;

/** project: a ledger import's chunk (`{ type, items: [{ id, data }] }`, at most IMPORT_CHUNK items), applied all or nothing. */
export const REGISTER_IMPORT = 'register.import';
export const IMPORT_CHUNK = 500;

export function isRegisterCommand(name: unknown): name is RegisterCommandName | typeof REGISTER_IMPORT {
  return typeof name === 'string' && (Object.hasOwn(REGISTER_COMMANDS, name) || name === REGISTER_IMPORT);
}

/** A ledger import's chunk as the county validates it: every item valid, or the whole chunk refused. */
export function parseRegisterImport(args: unknown): { ok: true; entities: RegisterEntity[] } | { ok: false; code: 'invalid'; reason: string } {
  const shape = z
    .object({ type: z.enum(['person', 'house', 'organisation']), items: z.array(z.object({ id: IdSchema, data: z.unknown() })).min(1).max(IMPORT_CHUNK) })
    .safeParse(args);
  if (!shape.success) return { ok: false, code: 'invalid', reason: '导入指令应包含 type 与 items(1-500 条)' };
  const entities: RegisterEntity[] = [];
  for (const item of shape.data.items) {
    const parsed = parseRegisterEntity(shape.data.type, item.id, item.data);
    if (!parsed.ok) return { ok: false, code: 'invalid', reason: `${item.id}: ${parsed.reason}` };
    entities.push(parsed.entity);
  }
  return { ok: true, entities };
}


/** A register command's args: `{ id, data }`, the whole entity (the town chooses new ids, UUIDs). */
export function parseRegisterCommand(
  name: string,
  args: unknown,
): { ok: true; entity: RegisterEntity } | { ok: false; code: 'unknown-command' | 'invalid'; reason: string } {
  if (!Object.hasOwn(REGISTER_COMMANDS, name)) return { ok: false, code: 'unknown-command', reason: `未知的登记指令:${name.slice(0, 64)}` };
  const shape = z.object({ id: IdSchema, data: z.unknown() }).safeParse(args);
  if (!shape.success) return { ok: false, code: 'invalid', reason: '登记指令应包含 id 与 data' };
  const parsed = parseRegisterEntity(REGISTER_COMMANDS[name as RegisterCommandName], shape.data.id, shape.data.data);
  return parsed.ok ? parsed : { ok: false, code: 'invalid', reason: parsed.reason };
}
