// A zod schema compiled into a plain function that accepts exactly what the schema
// accepts and returns the same value, without zod's per-value bookkeeping (issue lists,
// payload objects, path arrays). Used where untrusted input arrives in bulk (the county
// link's change items): the common, valid case runs the compiled check, and only a value
// it refuses goes through zod again, for the error text. The compiler reads the schema's
// definition (`_zod.def`, zod 4's public surface for tools) and knows the constructs the
// wire schemas use: object (stripping unknown keys), string with length and pattern
// checks, number with bounds and safe-integer checks, boolean, enum, literal, nullable,
// optional, array with length checks, union and unknown. Any other construct or check
// (a refine, a transform, a default, a format other than a pattern) is delegated to the
// schema's own safeParse for that part, so the result never differs from zod's.
import type * as z from 'zod';

/** What a compiled parser returns for a value the schema refuses. */
export const REFUSED: unique symbol = Symbol('refused');
/** A compiled schema: the parsed value (as zod's `data`), or REFUSED. */
export type FastParser = (input: unknown) => unknown;

interface CheckDef {
  check: string;
  format?: string;
  pattern?: RegExp;
  value?: unknown;
  inclusive?: boolean;
  minimum?: number;
  maximum?: number;
}
interface Def {
  type: string;
  checks?: { _zod: { def: CheckDef } }[];
  format?: string;
  check?: string;
  pattern?: RegExp;
  shape?: Record<string, z.ZodType>;
  catchall?: unknown;
  innerType?: z.ZodType;
  element?: z.ZodType;
  entries?: Record<string, unknown>;
  values?: unknown[];
  options?: z.ZodType[];
  coerce?: boolean;
}

const defOf = (schema: z.ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;
const checksOf = (def: Def): CheckDef[] => (def.checks ?? []).map((c) => c._zod.def);

/** String formats that are a pattern and nothing else (zod tests `def.pattern` only). */
const PATTERN_FORMATS = new Set(['regex', 'datetime']);

/** zod's own parse of one part, for the constructs the compiler does not know. */
function delegate(schema: z.ZodType): FastParser {
  return (input) => {
    const r = schema.safeParse(input);
    return r.success ? r.data : REFUSED;
  };
}

function lengthBounds(checks: CheckDef[]): { min: number; max: number } | null {
  let min = 0;
  let max = Infinity;
  for (const c of checks) {
    if (c.check === 'min_length' && typeof c.minimum === 'number') min = Math.max(min, c.minimum);
    else if (c.check === 'max_length' && typeof c.maximum === 'number') max = Math.min(max, c.maximum);
    else if (c.check !== 'string_format') return null;
  }
  return { min, max };
}

function compileString(def: Def): FastParser | null {
  const checks = checksOf(def);
  const bounds = lengthBounds(checks);
  if (bounds === null || def.coerce) return null;
  const patterns: RegExp[] = [];
  const formats = def.check === 'string_format' ? [{ check: 'string_format', format: def.format, pattern: def.pattern }, ...checks] : checks;
  for (const c of formats) {
    if (c.check !== 'string_format') continue;
    if (c.format === undefined || !PATTERN_FORMATS.has(c.format) || !(c.pattern instanceof RegExp)) return null;
    patterns.push(c.pattern);
  }
  const { min, max } = bounds;
  return (input) => {
    if (typeof input !== 'string' || input.length < min || input.length > max) return REFUSED;
    for (const p of patterns) {
      p.lastIndex = 0;
      if (!p.test(input)) return REFUSED;
    }
    return input;
  };
}

function compileNumber(def: Def): FastParser | null {
  if (def.coerce) return null;
  let lo = -Infinity;
  let loIn = true;
  let hi = Infinity;
  let hiIn = true;
  let safeInt = false;
  for (const c of checksOf(def)) {
    if (c.check === 'greater_than' && typeof c.value === 'number') [lo, loIn] = [c.value, c.inclusive === true];
    else if (c.check === 'less_than' && typeof c.value === 'number') [hi, hiIn] = [c.value, c.inclusive === true];
    else if (c.check === 'number_format' && c.format === 'safeint') safeInt = true;
    else return null;
  }
  // One check of each kind keeps the bounds exact (several would need the tightest).
  const kinds = checksOf(def).map((c) => c.check);
  if (new Set(kinds).size !== kinds.length) return null;
  return (input) => {
    if (typeof input !== 'number' || !Number.isFinite(input)) return REFUSED;
    if (safeInt && !Number.isSafeInteger(input)) return REFUSED;
    if (loIn ? input < lo : input <= lo) return REFUSED;
    if (hiIn ? input > hi : input >= hi) return REFUSED;
    return input;
  };
}

function compileArray(def: Def): FastParser | null {
  const bounds = lengthBounds(checksOf(def));
  if (bounds === null || checksOf(def).some((c) => c.check === 'string_format') || def.element === undefined) return null;
  const element = compile(def.element);
  const { min, max } = bounds;
  return (input) => {
    if (!Array.isArray(input) || input.length < min || input.length > max) return REFUSED;
    const out = new Array<unknown>(input.length);
    for (let i = 0; i < input.length; i++) {
      const v = element(input[i]);
      if (v === REFUSED) return REFUSED;
      out[i] = v;
    }
    return out;
  };
}

function compileObject(def: Def): FastParser | null {
  if (def.catchall !== undefined || checksOf(def).length > 0 || def.shape === undefined) return null;
  const fields = Object.entries(def.shape).map(([key, schema]) => {
    const zod = (schema as unknown as { _zod: { optin?: string; optout?: string } })._zod;
    const optional = defOf(schema).type === 'optional';
    // An optionality other than a plain .optional() (a default, a prefault) is zod's.
    return { key, parse: compile(schema), optional, plain: optional || (zod.optin === undefined && zod.optout === undefined) };
  });
  if (fields.some((f) => !f.plain)) return null;
  return (input) => {
    if (typeof input !== 'object' || input === null || Array.isArray(input)) return REFUSED;
    const record = input as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const f of fields) {
      // As zod: an absent optional key stays absent; a present one (even undefined) is kept.
      if (!(f.key in record)) {
        if (f.optional) continue;
        return REFUSED;
      }
      const v = f.parse(record[f.key]);
      if (v === REFUSED) return REFUSED;
      out[f.key] = v;
    }
    return out;
  };
}

function compileSimple(def: Def): FastParser | null {
  switch (def.type) {
    case 'boolean':
      return def.coerce ? null : (input) => (typeof input === 'boolean' ? input : REFUSED);
    case 'unknown':
      return (input) => input;
    case 'enum':
    case 'literal': {
      const values = new Set(def.type === 'enum' ? Object.values(def.entries ?? {}) : (def.values ?? []));
      return (input) => (values.has(input) ? input : REFUSED);
    }
    default:
      return null;
  }
}

function compileWrapper(def: Def): FastParser | null {
  if (def.innerType === undefined) return null;
  const inner = compile(def.innerType);
  if (def.type === 'nullable') return (input) => (input === null ? null : inner(input));
  if (def.type === 'optional') return (input) => (input === undefined ? undefined : inner(input));
  return null;
}

function compileUnion(def: Def): FastParser | null {
  if (def.options === undefined || def.options.length === 0) return null;
  const options = def.options.map(compile);
  return (input) => {
    for (const option of options) {
      const v = option(input);
      if (v !== REFUSED) return v;
    }
    return REFUSED;
  };
}

/** The schema as a fast parser: the same accepted values and the same output as `schema.safeParse`. */
export function compile(schema: z.ZodType): FastParser {
  const def = defOf(schema);
  let parser: FastParser | null;
  switch (def.type) {
    case 'string':
      parser = compileString(def);
      break;
    case 'number':
      parser = compileNumber(def);
      break;
    case 'array':
      parser = compileArray(def);
      break;
    case 'object':
      parser = compileObject(def);
      break;
    case 'nullable':
    case 'optional':
      parser = checksOf(def).length > 0 ? null : compileWrapper(def);
      break;
    case 'union':
      parser = checksOf(def).length > 0 ? null : compileUnion(def);
      break;
    default:
      parser = checksOf(def).length > 0 ? null : compileSimple(def);
  }
  return parser ?? delegate(schema);
}

/**
 * `schema.safeParse(input)` with the compiled parser in front: zod runs only for a value
 * the parser refuses (to word the error, and to decide should the two ever disagree).
 */
export function fastSafeParse<T>(schema: z.ZodType<T>, parser: FastParser, input: unknown): z.ZodSafeParseResult<T> {
  const value = parser(input);
  if (value !== REFUSED) return { success: true, data: value as T };
  return schema.safeParse(input);
}
