// The compiled wire schemas (core/util/fast-parse.ts) against zod itself: random valid
// entities and change items, and the same with one to three mutations each (a key
// removed, set to undefined, a wrong type, a length or a number at and beyond its bound,
// a malformed time, an extra key, an array grown past its cap), must get the same
// accept/reject from both, and the same value when accepted (stripped keys included,
// key order included, as JSON.stringify shows it). A refused item's reason is zod's.
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it, vi } from 'vitest';
import * as z from 'zod';
import town from '../../resources/demo-town/town.json';
import { EVENT_STATUSES } from '../model';
import { REFUSED, compile, type FastParser } from '../util/fast-parse';
import {
  CategoryWireSchema,
  ChangeItemSchema,
  DepartmentWireSchema,
  EventWireSchema,
  GridWireSchema,
  LIMITS,
  WorkerWireSchema,
  describeIssues,
  parseChangeItem,
} from './protocol';

/** mulberry32: a seeded generator, so a failure is reproducible from its seed. */
function rng(seed: number) {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (lo: number, hi: number): number => lo + Math.floor(next() * (hi - lo + 1));
  const pick = <T>(xs: readonly T[]): T => xs[int(0, xs.length - 1)] as T;
  return { next, int, pick, chance: (p: number) => next() < p };
}
type Rng = ReturnType<typeof rng>;

const GRIDS = (town as unknown as { grids: { code: string }[] }).grids.map((g) => g.code);
const UNITS = ['minutes', 'hours', 'days', 'workHours', 'workDays'] as const;

function iso(r: Rng): string {
  const d = new Date(Date.UTC(2026, r.int(0, 11), r.int(1, 28), r.int(0, 23), r.int(0, 59), r.int(0, 59)));
  const text = d.toISOString();
  return r.pick([text, text.replace('Z', '+08:00'), text.replace('.000Z', 'Z'), text.replace('.000Z', '.5-03:30')]);
}
const text = (r: Rng, max: number): string => r.pick(['', '道路积水', 'a'.repeat(r.int(1, 40)), '无'.repeat(max)]);
const limit = (r: Rng) => ({ value: r.pick([0.5, 1, 2, 48, 100_000]), unit: r.pick(UNITS) });

function clock(r: Rng, kind: string) {
  return {
    kind,
    limit: limit(r),
    startedAt: iso(r),
    dueAt: iso(r),
    pausedAt: r.chance(0.3) ? iso(r) : null,
    remainingAtPause: r.chance(0.3) ? r.pick([0, -5, 1.5, 86_400_000]) : null,
    stoppedAt: r.chance(0.3) ? iso(r) : null,
    extensions: Array.from({ length: r.int(0, 2) }, () => limit(r)),
  };
}

/** A valid event's wire data, each optional field present or absent, each nullable null or set. */
function validEvent(r: Rng): Record<string, unknown> {
  const e: Record<string, unknown> = {
    code: `2026${r.int(0, 99999)}`,
    title: text(r, LIMITS.name),
    category: r.pick(['0301', '0102', '']),
    status: r.pick(EVENT_STATUSES),
    urgency: r.pick(['normal', 'urgent', 'critical']),
    source: r.pick(['patrol', 'hotline', 'wechat', 'sensor', 'superior', 'walkIn']),
    location: { lon: r.pick([-180, 180, 112.93, 0]), lat: r.pick([-90, 90, 28.2, 0]), address: text(r, LIMITS.name * 2) },
    grid: r.pick(GRIDS),
    reportedAt: iso(r),
    deadlines: Object.fromEntries((['accept', 'finish', 'verify'] as const).filter(() => r.chance(0.6)).map((k) => [k, clock(r, k)])),
    assignee: r.chance(0.5) ? { kind: r.pick(['department', 'person']), id: 'd-01', cooperating: r.chance(0.5) ? ['d-02'] : [] } : null,
    history: Array.from({ length: r.int(0, 8) }, () => ({ at: iso(r), actor: 'w-0001', action: r.pick(['report', 'event.accept', '']), note: text(r, LIMITS.text) })),
  };
  const optional: [string, () => unknown][] = [
    ['description', () => text(r, LIMITS.text)],
    ['reporter', () => (r.chance(0.3) ? null : { name: '张三', ...(r.chance(0.5) ? { phone: '13800000000' } : {}), ...(r.chance(0.3) ? { workerId: 'w-1' } : {}) })],
    ['tier', () => r.pick(['simple', 'general', 'complex'])],
    ['selfHandled', () => r.chance(0.5)],
    ['suspendedFrom', () => (r.chance(0.5) ? null : r.pick(EVENT_STATUSES))],
    ['reworkCount', () => r.pick([0, 1, 1e6])],
    ['supervisionCount', () => r.pick([0, 3, 1e6])],
    ['extensionRequest', () => (r.chance(0.5) ? null : { by: limit(r), reason: '雨天', at: iso(r), actor: 'w-1' })],
    ['satisfaction', () => (r.chance(0.5) ? null : r.pick(['satisfied', 'basicallySatisfied', 'dissatisfied']))],
    ['mergedInto', () => (r.chance(0.5) ? null : 'e-2')],
    ['photos', () => Array.from({ length: r.int(0, 3) }, () => `https://x/${r.int(0, 9)}.jpg`)],
  ];
  for (const [key, value] of optional) if (r.chance(0.5)) e[key] = value();
  return e;
}

const LENGTHS = [0, 1, 32, 33, 64, 65, 128, 129, 200, 201, 400, 401, 2048, 2049, 4000, 4001];
const ODD_VALUES: unknown[] = [
  undefined, null, true, false, 0, -0, 1, -1, 0.5, 1e6, 1e6 + 1, 1.5, -180.0001, 180.0001, -90.5, 90.00001, NaN, Infinity, -Infinity,
  2 ** 53, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER - 2, '', 'x', '2026-02-30T08:00:00+08:00', '2026-01-01T08:00:00',
  '2026-01-01T08:00:00+8:00', '2026-01-01 08:00:00Z', 'urgent', 'closed', 'bogus', 'minutes', [], [1], {}, { value: 1, unit: 'days' },
];

type Slot = { parent: Record<string, unknown> | unknown[]; key: string | number };

function slots(value: unknown, out: Slot[] = []): Slot[] {
  if (typeof value !== 'object' || value === null) return out;
  const entries: [string | number, unknown][] = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value);
  for (const [key, v] of entries) {
    out.push({ parent: value as Record<string, unknown>, key });
    slots(v, out);
  }
  return out;
}

/** One mutation at a random place: the kinds of damage a county (or an attacker) can send. */
function mutate(r: Rng, root: Record<string, unknown>): void {
  const all = slots(root);
  const at = all.length > 0 ? r.pick(all) : null;
  const kind = r.int(0, 5);
  const odd = (): unknown => structuredClone(r.pick(ODD_VALUES));
  if (at === null || kind === 0) {
    const target = at !== null && typeof at.parent === 'object' && !Array.isArray(at.parent) ? at.parent : root;
    target[r.pick(['extra', 'id', '__proto__x', 'code'])] = odd();
    return;
  }
  const { parent, key } = at;
  const current = (parent as Record<string | number, unknown>)[key];
  if (kind === 1 && !Array.isArray(parent)) delete parent[key as string];
  else if (kind === 2 && typeof current === 'string') (parent as Record<string | number, unknown>)[key] = 'y'.repeat(r.pick(LENGTHS));
  else if (kind === 3 && Array.isArray(current) && current.length > 0) {
    const n = r.pick([20, 21, 50, 51, 1000, 1001]);
    while (current.length < n) current.push(structuredClone(current[0]));
  } else (parent as Record<string | number, unknown>)[key] = odd();
}

/** Both forms of the compiled parser (generated code, closures), compiled once per schema. */
const compiled = new Map<z.ZodType, [FastParser, FastParser]>();
function parsers(schema: z.ZodType): [FastParser, FastParser] {
  const known = compiled.get(schema);
  if (known) return known;
  const both: [FastParser, FastParser] = [compile(schema), compile(schema, { codegen: false })];
  compiled.set(schema, both);
  return both;
}

function expectSame(schema: z.ZodType, input: unknown, label: string): boolean {
  const slow = schema.safeParse(input);
  parsers(schema).forEach((parse, form) => {
    const fast = parse(input);
    expect(fast !== REFUSED, `${label} (form ${form}): accepted by the compiled check ⇔ by zod`).toBe(slow.success);
    if (slow.success) {
      expect(isDeepStrictEqual(fast, slow.data), `${label} (form ${form}): same value`).toBe(true);
      expect(JSON.stringify(fast)).toBe(JSON.stringify(slow.data));
    }
  });
  return slow.success;
}

function fuzz(schema: z.ZodType, make: (r: Rng) => unknown, rounds: number, seed: number): { accepted: number; refused: number } {
  const tally = { accepted: 0, refused: 0 };
  for (let i = 0; i < rounds; i++) {
    const r = rng(seed * 1_000_003 + i);
    const value = make(r);
    expectSame(schema, value, `seed ${seed}/${i}: before the mutation`);
    const damaged = structuredClone(value) as Record<string, unknown>;
    for (let m = r.int(1, 3); m > 0; m--) mutate(r, damaged);
    if (expectSame(schema, damaged, `seed ${seed}/${i}`)) tally.accepted++;
    else tally.refused++;
  }
  return tally;
}

describe('compiled wire schemas accept exactly what zod accepts, and return the same value', () => {
  it('events: random valid ones and mutated ones', () => {
    for (let i = 0; i < 300; i++) expect(expectSame(EventWireSchema, validEvent(rng(i)), `valid ${i}`)).toBe(true);
    const tally = fuzz(EventWireSchema, validEvent, 4000, 1);
    // Both outcomes are well represented (mutations such as an extra key or a value within bounds keep an item valid).
    expect(tally.accepted).toBeGreaterThan(300);
    expect(tally.refused).toBeGreaterThan(2000);
  });

  it('change items: envelopes with every field at and beyond its bounds', () => {
    const item = (r: Rng) => ({
      type: r.pick(['event', 'grid', 'x'.repeat(32)]),
      op: r.pick(['put', 'del']),
      id: r.pick(['e-1', 'x'.repeat(LIMITS.id)]),
      rev: r.pick([1, 2, Number.MAX_SAFE_INTEGER]),
      ...(r.chance(0.7) ? { data: r.chance(0.5) ? validEvent(r) : null } : {}),
    });
    const tally = fuzz(ChangeItemSchema, item, 3000, 2);
    expect(tally.accepted).toBeGreaterThan(300);
    expect(tally.refused).toBeGreaterThan(1000);
  });

  it('grids, departments, categories and workers of the demo town, mutated', () => {
    const t = town as unknown as Record<'grids' | 'departments' | 'categories' | 'workers', Record<string, unknown>[]>;
    const strip = ({ id: _id, ...rest }: Record<string, unknown>) => rest;
    const cases: [z.ZodType, Record<string, unknown>[]][] = [
      [GridWireSchema, t.grids],
      [DepartmentWireSchema, t.departments.map(strip)],
      [CategoryWireSchema, t.categories],
      [WorkerWireSchema, t.workers.map(strip)],
    ];
    cases.forEach(([schema, list], k) => {
      for (const v of list) expect(expectSame(schema, v, `demo ${k}`)).toBe(true);
      fuzz(schema, (r) => structuredClone(r.pick(list)), 800, 10 + k);
    });
  });

  it('non-objects and odd containers', () => {
    const values = [...ODD_VALUES, Object.create({ code: 'x' }), new Date(0), [validEvent(rng(1))], Object.assign(Object.create(null), validEvent(rng(2)))];
    values.forEach((v, i) => {
      expectSame(EventWireSchema, v, `odd value ${i}`);
      expectSame(ChangeItemSchema, v, `odd value ${i}`);
    });
    // An inherited key counts as present, for zod and for the compiled check alike.
    expect(expectSame(EventWireSchema, Object.assign(Object.create(validEvent(rng(3))), { extra: 1 }), 'inherited keys')).toBe(true);
  });
});

/** A schema and every schema inside it (fields, elements, wrapped and union members). */
function subSchemas(schema: z.ZodType): z.ZodType[] {
  const def = (schema as unknown as { _zod: { def: Record<string, unknown> } })._zod.def;
  const inner = [
    ...Object.values((def.shape as Record<string, z.ZodType> | undefined) ?? {}),
    ...((def.options as z.ZodType[] | undefined) ?? []),
    ...[def.innerType, def.element].filter((s): s is z.ZodType => s !== undefined),
  ];
  return [schema, ...inner.flatMap(subSchemas)];
}

describe('the compiler', () => {
  it('runs no zod for a valid event and a valid item (the fast path is real)', () => {
    const spies = [...subSchemas(EventWireSchema), ...subSchemas(ChangeItemSchema)].map((schema) => vi.spyOn(schema, 'safeParse'));
    try {
      const event = validEvent(rng(7));
      for (const parse of parsers(EventWireSchema)) expect(parse(event)).not.toBe(REFUSED);
      expect(parseChangeItem({ type: 'event', op: 'put', id: 'e-1', rev: 1, data: event }).ok).toBe(true);
      for (const spy of spies) expect(spy).not.toHaveBeenCalled();
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
  });

  it('compiles each construct exactly at its edges', () => {
    const cases: [z.ZodType, unknown[]][] = [
      [z.number().gt(0).lt(5), [0, 1e-9, 4.999, 5, -0, NaN]],
      [z.number().gte(-1).lte(1).int(), [-1, 1, 1.5, 2, -2, 2 ** 53]],
      [z.string().min(2).max(3).regex(/^a/), ['a', 'ab', 'abc', 'abcd', 'bb', 1]],
      [z.array(z.number()).min(1).max(2), [[], [1], [1, 2], [1, 2, 3], [1, 'x'], 'ab']],
      [z.union([z.literal(1), z.literal('a'), z.null()]), [1, 'a', null, 2, undefined]],
      [z.object({ a: z.string().optional(), b: z.number().nullable() }), [{ b: null }, { a: undefined, b: 1 }, { a: 'x' }, { b: undefined }, { b: 1, c: 2 }]],
      [z.object({ u: z.unknown() }), [{}, { u: undefined }, { u: 1 }]],
      [z.iso.datetime({ offset: true }), ['2024-02-29T00:00:00Z', '2023-02-29T00:00:00Z', '2024-01-01T24:00:00Z']],
      [z.object({ ['__proto__']: z.string(), 'a-b': z.number(), "it's": z.boolean() }), [JSON.parse('{"__proto__": "x", "a-b": 1, "it\'s": true}'), { 'a-b': 1 }]],
    ];
    for (const [schema, inputs] of cases) inputs.forEach((input, i) => expectSame(schema, input, `${i}`));
  });

  it("hands what it does not know to zod: refinements, transforms, defaults, formats that are more than a pattern", () => {
    const schemas: [z.ZodType, unknown[]][] = [
      [z.object({ a: z.number() }).refine((o) => o.a > 1), [{ a: 1 }, { a: 2 }]],
      [z.string().transform((s) => s.length), ['abc', 1]],
      [z.object({ a: z.number().default(3) }), [{}, { a: 1 }, { a: 'x' }]],
      [z.url(), ['https://x.y/', 'nope']],
      [z.object({ a: z.string() }).strict(), [{ a: 'x' }, { a: 'x', b: 1 }]],
      [z.number().min(1).min(5), [2, 6]],
      [z.array(z.string()).nonempty(), [[], ['a']]],
    ];
    for (const [schema, inputs] of schemas) for (const input of inputs) expectSame(schema, input, JSON.stringify(input));
  });

  it("words a refused item with zod's reason", () => {
    const bad = { type: 'event', op: 'put', id: 'e-1', rev: 1, data: { ...validEvent(rng(3)), urgency: 'whenever' } };
    const parsed = parseChangeItem(bad);
    expect(parsed.ok).toBe(false);
    const zod = EventWireSchema.safeParse(bad.data);
    expect(zod.success).toBe(false);
    if (!parsed.ok && !zod.success) expect(parsed.reason).toBe(`invalid event "e-1": ${describeIssues(zod.error)}`);
    expect(parseChangeItem({ type: 'event', op: 'put', id: '', rev: 0 })).toMatchObject({ ok: false, reason: /^invalid change item: / });
  });
});
