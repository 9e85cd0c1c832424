// The registers on the app API (issue 17): the grid's profile, search, a person's or a
// house's card, who lives or works at an event's address, the map layers, the weekly
// visits and their coverage, the town's edits (commands queued for the county) and the
// audited reveal of one register field. Shapes only; the rules are in core/registers
// (masking by role, care levels) and in the data service (electron/service/registers).
import * as z from 'zod';
import type { MethodKind, MethodSpec } from './contract';
import { GRID_CODE_PATTERN } from '../grid/codes';
import { IsoTimeSchema, GridEventSchema } from './schemas';
import { POOL_CODES, SPECIAL_GROUP_CODES, MAX_VISIT_PHOTOS, type Pool, type SpecialGroup } from '../registers/types';
import { REVEALABLE_FIELDS } from '../registers/mask';

/** contract.ts's defineMethod, repeated here so that this file needs only contract's types (no import cycle at load). */
function defineMethod<const K extends MethodKind, A extends z.ZodType, R extends z.ZodType>(spec: MethodSpec<K, A, R>): MethodSpec<K, A, R> {
  return spec;
}

const grid = z.string().regex(GRID_CODE_PATTERN, '网格编码应为 9、12 或 15 位数字');
const id = z.string().min(1).max(128);
const count = z.number().int().nonnegative();
const tag = z.enum(SPECIAL_GROUP_CODES as [SpecialGroup, ...SpecialGroup[]]);
const pool = z.enum(POOL_CODES as [Pool, ...Pool[]]);
/** The map layers' points per call: the default and the cap. */
export const REGISTER_LAYER_DEFAULT = 5000;
export const REGISTER_LAYER_MAX = 20_000;
const location = z.object({ lon: z.number(), lat: z.number() }).nullable();

export const PersonViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  idNumber: z.string(),
  phone: z.string(),
  gender: z.enum(['M', 'F']).optional(),
  residence: z.enum(['registered', 'floating']),
  house: z.string().nullable(),
  grid: z.string(),
  address: z.string(),
  organisation: z.string().nullable(),
  /** Only for the roles that may see special groups (dispatcher, leader, village). */
  tags: z.array(tag).optional(),
  pools: z.array(pool),
  synthetic: z.boolean().optional(),
  /** Written by the town, not yet settled by the county. */
  pending: z.boolean().optional(),
});
export const HouseViewSchema = z.object({
  id: z.string(),
  address: z.string(),
  grid: z.string(),
  location,
  head: z.string().nullable(),
  use: z.enum(['residential', 'commercial', 'mixed']),
  synthetic: z.boolean().optional(),
  pending: z.boolean().optional(),
});
export const OrganisationViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.enum(['unit', 'enterprise']),
  grid: z.string(),
  address: z.string(),
  location,
  contact: z.string(),
  phone: z.string(),
  synthetic: z.boolean().optional(),
  pending: z.boolean().optional(),
});
export const VisitViewSchema = z.object({
  id: z.string(),
  house: z.string(),
  grid: z.string(),
  worker: z.string(),
  workerName: z.string().optional(),
  at: IsoTimeSchema,
  note: z.string(),
  photos: z.array(z.string()),
  pending: z.boolean().optional(),
});
export const MediationViewSchema = z.object({
  id: z.string(),
  grid: z.string(),
  /** The dispute (纠纷事由). */
  title: z.string(),
  /** The parties' names (surname only for the roles that may not read names). */
  parties: z.array(z.string()),
  openedAt: IsoTimeSchema,
  status: z.enum(['open', 'resolved']),
  /** The mediation's result (调解结果), personal numbers masked. */
  summary: z.string(),
  pending: z.boolean().optional(),
});
const HouseholdSchema = z.object({ house: HouseViewSchema, persons: z.array(PersonViewSchema) });
const GroupCountSchema = z.object({ group: tag, label: z.string(), care: z.enum(['weekly', 'monthly']), persons: count, households: count });

const VisitArgsSchema = z.strictObject({
  house: id,
  worker: id,
  /** Default: now. */
  at: IsoTimeSchema.optional(),
  note: z.string().trim().max(2000).default(''),
  photos: z.array(z.string().min(1).max(512)).max(MAX_VISIT_PHOTOS).default([]),
});

// The town's edit forms (registers.*.save). A field the caller saw masked (ID number,
// phone, address, a contact's name) may come back as shown: the stored value is kept
// (core/privacy/keep-masked.ts); any other value with `*` is refused.
const phoneText = z.string().trim().max(32).regex(/^$|^[+\d][\d\s*()-]{2,31}$/, '电话号码格式不正确');
const point = z.object({ lon: z.number({ error: '经度必须是数字' }).min(-180, '经度超出范围').max(180, '经度超出范围'), lat: z.number({ error: '纬度必须是数字' }).min(-90, '纬度超出范围').max(90, '纬度超出范围') });
const required = (label: string, max: number) => z.string().trim().min(1, `请填写${label}`).max(max, `${label}不能超过 ${max} 个字`);
const saveResult = z.object({ id: z.string(), n: z.number().int() });

export const PersonSaveSchema = z.strictObject({
  /** Absent: a new person (the service names it). */
  id: id.optional(),
  name: required('姓名', 50),
  /** 18 characters, GB 11643 check character; or the masked number the form showed (kept). */
  idNumber: required('身份证号', 32),
  phone: phoneText.default(''),
  gender: z.enum(['M', 'F']).optional(),
  residence: z.enum(['registered', 'floating']),
  /** The house the person lives in: its address and grid are the person's. */
  house: id,
  tags: z.array(tag).max(8).default([]),
  pools: z.array(pool).max(3).default([]),
});
export const HouseSaveSchema = z.strictObject({
  id: id.optional(),
  address: required('地址', 200),
  grid,
  location: point.nullable().default(null),
  use: z.enum(['residential', 'commercial', 'mixed']).default('residential'),
});
export const OrganisationSaveSchema = z.strictObject({
  id: id.optional(),
  name: required('名称', 200),
  kind: z.enum(['unit', 'enterprise']),
  grid,
  address: z.string().trim().max(200).default(''),
  location: point.nullable().default(null),
  contact: z.string().trim().max(50).default(''),
  phone: phoneText.default(''),
});
export const MediationSaveSchema = z.strictObject({
  id: id.optional(),
  grid,
  /** The dispute (纠纷事由). */
  title: required('纠纷事由', 200),
  /** The parties (当事人), by name. */
  parties: z.array(z.string().trim().min(1).max(50)).min(1, '请填写至少一名当事人').max(20, '当事人不超过 20 名'),
  /** When the mediation was opened (受理日期). */
  openedAt: IsoTimeSchema,
  status: z.enum(['open', 'resolved']),
  /** The result (调解结果). */
  summary: z.string().trim().max(2000, '调解结果不能超过 2000 个字').default(''),
});

export const REGISTER_QUERIES = {
  'registers.grid': defineMethod({
    kind: 'query',
    args: z.strictObject({ grid }),
    result: z.object({
      grid: z.string(),
      households: count,
      persons: count,
      floating: count,
      organisations: count,
      /** Special groups (only for the roles that may see them). */
      groups: z.array(GroupCountSchema).optional(),
      pools: z.array(z.object({ pool, label: z.string(), persons: count })),
      mediations: z.object({ open: count, resolved: count }),
    }),
    summary: "A grid's (or a village's) profile: households, people, organisations, special groups and pools with their counts.",
  }),
  'registers.search': defineMethod({
    kind: 'query',
    args: z.strictObject({
      /** Name, address, or a masked ID's / phone's last four characters. */
      text: z.string().trim().max(100).default(''),
      /** A special group (only the roles that may see them). */
      tag: tag.optional(),
      pool: pool.optional(),
      grid: grid.optional(),
      limit: z.number().int().min(1).max(200).default(50),
    }),
    result: z.object({ persons: z.array(PersonViewSchema), houses: z.array(HouseViewSchema), organisations: z.array(OrganisationViewSchema) }),
    summary: 'Search across the registers by name, address, masked ID (last four), phone (last four), tag or pool.',
  }),
  'registers.person': defineMethod({
    kind: 'query',
    args: z.strictObject({ id }),
    result: z.object({ person: PersonViewSchema, house: HouseViewSchema.nullable(), events: z.array(GridEventSchema) }),
    summary: "A person's card: masked fields, the house, the events reported at the house's address.",
  }),
  'registers.house': defineMethod({
    kind: 'query',
    args: z.strictObject({ id }),
    result: z.object({ house: HouseViewSchema, persons: z.array(PersonViewSchema), visits: z.array(VisitViewSchema), events: z.array(GridEventSchema) }),
    summary: "A house's card: its household (masked), its visits, the events reported at its address.",
  }),
  'registers.atAddress': defineMethod({
    kind: 'query',
    args: z.strictObject({ eventId: id }),
    result: z.object({ households: z.array(HouseholdSchema), organisations: z.array(OrganisationViewSchema) }),
    summary: "Who lives or works at an event's address (masked): the houses at the address (or within 30 m of its point) and their people, the organisations there.",
  }),
  'registers.layers': defineMethod({
    kind: 'query',
    args: z.strictObject({
      grid: grid.optional(),
      /** The map's viewport, WGS84 [west, south, east, north]: only the points inside. */
      bbox: z
        .tuple([z.number().min(-180).max(180), z.number().min(-90).max(90), z.number().min(-180).max(180), z.number().min(-90).max(90)])
        .refine(([w, s, e, n]) => w <= e && s <= n, '范围无效')
        .optional(),
      /** At most this many houses and this many organisations (truncated says when more matched). */
      limit: z.number().int().min(1).max(REGISTER_LAYER_MAX).default(REGISTER_LAYER_DEFAULT),
    }),
    result: z.object({
      houses: z.array(z.object({ id: z.string(), grid: z.string(), lon: z.number(), lat: z.number() })),
      organisations: z.array(z.object({ id: z.string(), grid: z.string(), name: z.string(), kind: z.enum(['unit', 'enterprise']), lon: z.number(), lat: z.number() })),
      /** More points matched than the limit: the map shows a part (zoom in). */
      truncated: z.boolean(),
    }),
    summary: 'Map layers: the points of the houses and organisations (no personal data) of a grid or inside the map\'s viewport, capped (truncated when more matched).',
  }),
  'registers.visitsDue': defineMethod({
    kind: 'query',
    args: z.strictObject({ grid: grid.optional(), at: IsoTimeSchema.optional() }),
    result: z.object({
      week: z.object({ from: IsoTimeSchema, to: IsoTimeSchema }),
      households: z.array(z.object({ house: HouseViewSchema, groups: z.array(tag), lastVisitAt: IsoTimeSchema.nullable() })),
    }),
    summary: "The households due a visit this week by 方案1's rule (困难家庭, 空巢老人, 留守儿童, 残疾人: weekly), not yet visited this week.",
  }),
  'registers.coverage': defineMethod({
    kind: 'query',
    args: z.strictObject({ grid: grid.optional(), from: IsoTimeSchema.optional(), to: IsoTimeSchema.optional() }),
    result: z.object({
      from: IsoTimeSchema,
      to: IsoTimeSchema,
      byGrid: z.array(z.object({ grid: z.string(), name: z.string(), toVisit: count, visited: count, rate: z.number() })),
      byWorker: z.array(z.object({ worker: z.string(), name: z.string(), visits: count, households: count })),
    }),
    summary: 'Visit coverage in a period (default: this week): weekly households visited per grid, visits and households per worker.',
  }),
  'registers.visits': defineMethod({
    kind: 'query',
    args: z.strictObject({ house: id.optional(), grid: grid.optional(), worker: id.optional(), limit: z.number().int().min(1).max(500).default(100) }),
    result: z.array(VisitViewSchema),
    summary: 'Recorded visits, newest first, by house, grid or worker.',
  }),
  'registers.mediations': defineMethod({
    kind: 'query',
    args: z.strictObject({ grid: grid.optional(), status: z.enum(['open', 'resolved']).optional(), limit: z.number().int().min(1).max(500).default(100) }),
    result: z.array(MediationViewSchema),
    summary: '矛盾纠纷调解档案 (方案6): the mediation files of a grid or a village, newest first, parties named as the caller may read them.',
  }),
} as const;

export const REGISTER_COMMANDS_API = {
  'registers.visit.record': defineMethod({
    kind: 'command',
    args: VisitArgsSchema,
    result: z.object({ id: z.string(), n: z.number().int() }),
    summary: "Records a household visit (notes, up to 6 photos): kept in the replica and queued for the county (register.visit.record).",
  }),
  'registers.person.save': defineMethod({
    kind: 'command',
    args: PersonSaveSchema,
    result: saveResult,
    summary:
      "Adds or edits a person (GB 11643 checked, duplicate ID numbers refused; a masked ID number or phone left as shown keeps the stored one): kept in the replica and queued for the county (register.person.put); recorded in the audit trail. A village within its own grids only.",
  }),
  'registers.house.save': defineMethod({
    kind: 'command',
    args: HouseSaveSchema,
    result: saveResult,
    summary: 'Adds or edits a house (a duplicate address refused; a point must lie in its grid): queued for the county (register.house.put); audited. A village within its own grids only.',
  }),
  'registers.organisation.save': defineMethod({
    kind: 'command',
    args: OrganisationSaveSchema,
    result: saveResult,
    summary: 'Adds or edits an organisation (unit or enterprise; a masked contact or phone left as shown is kept): queued for the county (register.organisation.put); audited. A village within its own grids only.',
  }),
  'registers.mediation.save': defineMethod({
    kind: 'command',
    args: MediationSaveSchema,
    result: saveResult,
    summary: 'Adds or edits a mediation file (矛盾纠纷调解档案: parties, dispute, result, date): queued for the county (register.mediation.put); audited. A village within its own grids only.',
  }),
} as const;

export const REGISTER_REVEAL = {
  'registers.reveal': defineMethod({
    kind: 'reveal',
    args: z.strictObject({
      type: z.enum(['person', 'house', 'organisation']),
      id,
      field: z.enum(REVEALABLE_FIELDS),
      reason: z.string().trim().min(2, '请说明查看原因').max(200),
    }),
    result: z.object({ value: z.string().nullable() }),
    summary: "Shows one register field (a person's or organisation's phone, a person's ID number, an address) in full, with the caller's reason; recorded in the audit trail.",
  }),
} as const;

/** The largest ledger file an import takes (bytes): a town's whole population register fits many times over. */
export const REGISTER_IMPORT_MAX_BYTES = 20 * 1024 * 1024;
/**
 * Bytes of the file per call (start's first part, then upload): base64 makes it about
 * 700 kB on the wire, under the web shell's 1 MB message (electron/web/server.ts).
 */
export const REGISTER_IMPORT_PART_BYTES = 512 * 1024;
/** Rejected rows a status carries (all of them are in the rejected-rows file, registers.import.rejected). */
export const REGISTER_IMPORT_SHOWN = 200;

const base64Part = z
  .string()
  .min(1, '文件内容为空')
  .max(Math.ceil(REGISTER_IMPORT_PART_BYTES / 3) * 4, `每次上传不超过 ${REGISTER_IMPORT_PART_BYTES / 1024} KB`)
  .regex(/^[A-Za-z0-9+/]+={0,2}$/, '文件内容不是有效的 base64 编码')
  .refine((s) => s.length % 4 === 0, '文件内容不是有效的 base64 编码(长度不是 4 的倍数)');

export const LedgerKindSchema = z.enum(['persons', 'houses', 'organisations']);

export const RegisterImportStatusSchema = z.object({
  id: z.string(),
  kind: LedgerKindSchema,
  fileName: z.string(),
  /** uploading: parts still to come; queued: behind another import; reading: rows checked; writing: rows stored; done / failed. */
  state: z.enum(['uploading', 'queued', 'reading', 'writing', 'done', 'failed']),
  /** The file's size in bytes (as start announced it), bytes received so far, bytes the reader has consumed. */
  size: count,
  received: count,
  read: count,
  /** Data rows read so far (the progress); once done, all of them. */
  rows: count,
  /** Rows stored so far while writing (all or nothing: they show only once every one is stored). */
  written: count,
  report: z
    .object({
      /** True when the rows were imported. */
      ok: z.boolean(),
      rows: count,
      imported: count,
      rejectedCount: count,
      /** Rejected rows that repeat a row of the file or an entry of the register. */
      duplicates: count,
      /** The first rejected rows (the header is row 1); who (masked) and why. */
      rejected: z.array(z.object({ row: count, subject: z.string(), reason: z.string(), duplicate: z.boolean().optional() })),
      fileError: z.string().optional(),
      headerProblems: z.array(z.string()).optional(),
      /** The rejected-rows file (Excel, masked) is ready for registers.import.rejected. */
      rejectedFile: z.object({ fileName: z.string(), size: count }).optional(),
    })
    .optional(),
  error: z.string().optional(),
});
export type RegisterImportStatus = z.output<typeof RegisterImportStatusSchema>;

const importId = z.string().min(1).max(64);

export const REGISTER_IMPORT_METHODS = {
  'registers.import.start': defineMethod({
    kind: 'command',
    args: z.strictObject({
      kind: LedgerKindSchema,
      fileName: z.string().trim().min(1).max(200),
      /** The whole file's size in bytes. */
      size: z.number().int().min(1, '文件为空').max(REGISTER_IMPORT_MAX_BYTES, `文件过大,上限 ${REGISTER_IMPORT_MAX_BYTES / 1024 / 1024} MB`),
      /** The file's first part (base64, at most 512 kB); a small file fits whole. */
      data: base64Part.optional(),
    }),
    result: RegisterImportStatusSchema,
    summary:
      "Starts importing a town's Excel ledger (persons, houses or organisations; at most 20 MB, sent in parts of 512 kB): the file is checked row by row (GB 11643, address to house and grid, duplicates) and imported all or nothing as the town's commands; recorded in the audit trail. Answers the status (registers.import.status for the progress).",
  }),
  'registers.import.upload': defineMethod({
    kind: 'command',
    args: z.strictObject({ id: importId, offset: count, data: base64Part }),
    result: RegisterImportStatusSchema,
    summary: "The next part of an import's file at its byte offset (base64, at most 512 kB; a part already received is ignored); the import starts once the file is whole.",
  }),
  'registers.import.status': defineMethod({
    kind: 'query',
    args: z.strictObject({ id: importId }),
    result: RegisterImportStatusSchema,
    summary: "One of the caller's imports: bytes received, rows read and written, then the report (imported, every rejected row with why, duplicates).",
  }),
  'registers.import.rejected': defineMethod({
    kind: 'query',
    args: z.strictObject({ id: importId, offset: count.default(0) }),
    result: z.object({ data: z.string(), offset: count, size: count, done: z.boolean() }),
    summary: "A finished import's rejected rows as an Excel file (row, who masked, why) from offset (base64, at most 512 kB a call); only the caller who imported may read it.",
  }),
} as const;

export const REGISTER_METHODS = { ...REGISTER_QUERIES, ...REGISTER_COMMANDS_API, ...REGISTER_REVEAL, ...REGISTER_IMPORT_METHODS } as const;
export type RegisterMethod = keyof typeof REGISTER_METHODS;
export const REGISTER_METHOD_NAMES = Object.keys(REGISTER_METHODS) as RegisterMethod[];

/** The town's edits of one register entry: the dispatcher (town-wide) and the village (its own grids). */
export const REGISTER_EDIT_METHODS = ['registers.person.save', 'registers.house.save', 'registers.organisation.save', 'registers.mediation.save'] as const satisfies readonly RegisterMethod[];
