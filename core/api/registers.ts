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
    args: z.strictObject({ grid: grid.optional() }),
    result: z.object({
      houses: z.array(z.object({ id: z.string(), grid: z.string(), lon: z.number(), lat: z.number() })),
      organisations: z.array(z.object({ id: z.string(), grid: z.string(), name: z.string(), kind: z.enum(['unit', 'enterprise']), lon: z.number(), lat: z.number() })),
    }),
    summary: 'Map layers: the points of the houses and organisations (no personal data).',
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
} as const;

export const REGISTER_COMMANDS_API = {
  'registers.visit.record': defineMethod({
    kind: 'command',
    args: VisitArgsSchema,
    result: z.object({ id: z.string(), n: z.number().int() }),
    summary: "Records a household visit (notes, up to 6 photos): kept in the replica and queued for the county (register.visit.record).",
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

export const REGISTER_METHODS = { ...REGISTER_QUERIES, ...REGISTER_COMMANDS_API, ...REGISTER_REVEAL } as const;
export type RegisterMethod = keyof typeof REGISTER_METHODS;
export const REGISTER_METHOD_NAMES = Object.keys(REGISTER_METHODS) as RegisterMethod[];
