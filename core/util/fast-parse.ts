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
// The schema is first read into a small tree of checks (analyse), which becomes either
// generated code (monomorphic property reads, no closure per field: several times
// faster, where the runtime allows `new Function`) or a tree of closures (elsewhere).
import * as z from 'zod';

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

/** What the compiler read from a schema: the checks of each part. */
type Node =
  | { kind: 'string'; min: number; max: number; patterns: RegExp[] }
  | { kind: 'number'; lo: number; loIn: boolean; hi: number; hiIn: boolean; safeInt: boolean }
  | { kind: 'boolean' | 'unknown' }
  | { kind: 'values'; values: Set<unknown> }
  | { kind: 'array'; min: number; max: number; element: Node }
  | { kind: 'object'; fields: { key: string; node: Node; optional: boolean }[] }
  | { kind: 'nullable' | 'optional'; inner: Node }
  | { kind: 'union'; options: Node[] }
  /** A part only zod can check: its safeParse is called. */
  | { kind: 'zod'; schema: z.ZodType };

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

function analyseString(def: Def): Node | null {
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
  return { kind: 'string', ...bounds, patterns };
}

function analyseNumber(def: Def): Node | null {
  const checks = checksOf(def);
  // One check of each kind keeps the bounds exact (several would need the tightest).
  if (def.coerce || new Set(checks.map((c) => c.check)).size !== checks.length) return null;
  const node = { kind: 'number' as const, lo: -Infinity, loIn: true, hi: Infinity, hiIn: true, safeInt: false };
  for (const c of checks) {
    if (c.check === 'greater_than' && typeof c.value === 'number') [node.lo, node.loIn] = [c.value, c.inclusive === true];
    else if (c.check === 'less_than' && typeof c.value === 'number') [node.hi, node.hiIn] = [c.value, c.inclusive === true];
    else if (c.check === 'number_format' && c.format === 'safeint') node.safeInt = true;
    else return null;
  }
  return node;
}

function analyseArray(def: Def): Node | null {
  const checks = checksOf(def);
  const bounds = lengthBounds(checks);
  if (bounds === null || checks.some((c) => c.check === 'string_format') || def.element === undefined) return null;
  return { kind: 'array', ...bounds, element: analyse(def.element) };
}

function analyseObject(def: Def): Node | null {
  // A shape key "__proto__" would set the output's prototype: zod's business.
  if (def.catchall !== undefined || checksOf(def).length > 0 || def.shape === undefined || Object.hasOwn(def.shape, '__proto__')) return null;
  const fields = Object.entries(def.shape).map(([key, schema]) => {
    const zod = (schema as unknown as { _zod: { optin?: string; optout?: string } })._zod;
    const optional = defOf(schema).type === 'optional';
    // An optionality other than a plain .optional() (a default, a prefault) is zod's.
    return { key, node: analyse(schema), optional, plain: optional || (zod.optin === undefined && zod.optout === undefined) };
  });
  if (fields.some((f) => !f.plain)) return null;
  return { kind: 'object', fields: fields.map(({ key, node, optional }) => ({ key, node, optional })) };
}

function analyseOther(def: Def): Node | null {
  if (checksOf(def).length > 0) return null;
  switch (def.type) {
    case 'boolean':
      return def.coerce ? null : { kind: 'boolean' };
    case 'unknown':
      return { kind: 'unknown' };
    case 'enum':
      return { kind: 'values', values: new Set(Object.values(def.entries ?? {})) };
    case 'literal':
      return { kind: 'values', values: new Set(def.values ?? []) };
    case 'nullable':
    case 'optional':
      return def.innerType === undefined ? null : { kind: def.type, inner: analyse(def.innerType) };
    case 'union':
      return def.options === undefined || def.options.length === 0 ? null : { kind: 'union', options: def.options.map(analyse) };
    default:
      return null;
  }
}

function analyse(schema: z.ZodType): Node {
  const def = defOf(schema);
  const read = { string: analyseString, number: analyseNumber, array: analyseArray, object: analyseObject }[def.type as string] ?? analyseOther;
  return read(def) ?? { kind: 'zod', schema };
}

// ---------------------------------------------------------------- closures

function delegate(schema: z.ZodType): FastParser {
  return (input) => {
    const r = schema.safeParse(input);
    return r.success ? r.data : REFUSED;
  };
}

function objectClosure(fields: { key: string; parse: FastParser; optional: boolean }[]): FastParser {
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

function arrayClosure(min: number, max: number, element: FastParser): FastParser {
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

function closure(node: Node): FastParser {
  switch (node.kind) {
    case 'string': {
      const { min, max, patterns } = node;
      return (input) => {
        if (typeof input !== 'string' || input.length < min || input.length > max) return REFUSED;
        for (const p of patterns) {
          p.lastIndex = 0;
          if (!p.test(input)) return REFUSED;
        }
        return input;
      };
    }
    case 'number': {
      const { lo, loIn, hi, hiIn, safeInt } = node;
      return (input) => {
        if (typeof input !== 'number' || !Number.isFinite(input) || (safeInt && !Number.isSafeInteger(input))) return REFUSED;
        if ((loIn ? input < lo : input <= lo) || (hiIn ? input > hi : input >= hi)) return REFUSED;
        return input;
      };
    }
    case 'boolean':
      return (input) => (typeof input === 'boolean' ? input : REFUSED);
    case 'unknown':
      return (input) => input;
    case 'values':
      return (input) => (node.values.has(input) ? input : REFUSED);
    case 'array':
      return arrayClosure(node.min, node.max, closure(node.element));
    case 'object':
      return objectClosure(node.fields.map((f) => ({ key: f.key, parse: closure(f.node), optional: f.optional })));
    case 'nullable':
    case 'optional': {
      const inner = closure(node.inner);
      const empty = node.kind === 'nullable' ? null : undefined;
      return (input) => (input === empty ? empty : inner(input));
    }
    case 'union': {
      const options = node.options.map(closure);
      return (input) => {
        for (const option of options) {
          const v = option(input);
          if (v !== REFUSED) return v;
        }
        return REFUSED;
      };
    }
    case 'zod':
      return delegate(node.schema);
  }
}

// ---------------------------------------------------------------- generated code

/** Writes the code of one function: values it needs (patterns, sets, sub-parsers) go to `refs`. */
class Writer {
  readonly refs: unknown[] = [];
  private n = 0;

  name(prefix: string): string {
    return `${prefix}${this.n++}`;
  }

  ref(value: unknown): string {
    this.refs.push(value);
    return `k[${this.refs.length - 1}]`;
  }

  /** Code that reads `input` (an expression without side effects) into the new variable `out`, or returns R. */
  node(node: Node, input: string, out: string): string {
    switch (node.kind) {
      case 'string': {
        const tests = node.patterns.map((p) => this.ref(p)).map((p) => `${p}.lastIndex = 0; if (!${p}.test(${input})) return R;`);
        return `if (typeof ${input} !== 'string' || ${input}.length < ${node.min} || ${input}.length > ${node.max}) return R; ${tests.join(' ')} const ${out} = ${input};`;
      }
      case 'number': {
        const lo = node.lo === -Infinity ? '' : ` || ${input} ${node.loIn ? '<' : '<='} ${node.lo}`;
        const hi = node.hi === Infinity ? '' : ` || ${input} ${node.hiIn ? '>' : '>='} ${node.hi}`;
        const int = node.safeInt ? ` || !Number.isSafeInteger(${input})` : '';
        return `if (typeof ${input} !== 'number' || !Number.isFinite(${input})${int}${lo}${hi}) return R; const ${out} = ${input};`;
      }
      case 'boolean':
        return `if (typeof ${input} !== 'boolean') return R; const ${out} = ${input};`;
      case 'unknown':
        return `const ${out} = ${input};`;
      case 'values':
        return `if (!${this.ref(node.values)}.has(${input})) return R; const ${out} = ${input};`;
      case 'array':
        return this.array(node, input, out);
      case 'object':
        return this.object(node, input, out);
      case 'nullable':
      case 'optional': {
        const v = this.name('w');
        const empty = node.kind === 'nullable' ? 'null' : 'undefined';
        return `let ${out}; if (${input} === ${empty}) ${out} = ${empty}; else { ${this.node(node.inner, input, v)} ${out} = ${v}; }`;
      }
      case 'union': {
        const calls = node.options.map((o) => `if (${out} === R) ${out} = ${this.ref(generate(o) ?? closure(o))}(${input});`);
        return `let ${out} = R; ${calls.join(' ')} if (${out} === R) return R;`;
      }
      case 'zod':
        return `const ${out} = ${this.ref(delegate(node.schema))}(${input}); if (${out} === R) return R;`;
    }
  }

  private array(node: Extract<Node, { kind: 'array' }>, input: string, out: string): string {
    const [i, e, v] = [this.name('i'), this.name('e'), this.name('v')];
    return (
      `if (!Array.isArray(${input}) || ${input}.length < ${node.min} || ${input}.length > ${node.max}) return R; ` +
      `const ${out} = new Array(${input}.length); ` +
      `for (let ${i} = 0; ${i} < ${input}.length; ${i}++) { const ${e} = ${input}[${i}]; ${this.node(node.element, e, v)} ${out}[${i}] = ${v}; }`
    );
  }

  private object(node: Extract<Node, { kind: 'object' }>, input: string, out: string): string {
    const parts = [`if (typeof ${input} !== 'object' || ${input} === null || Array.isArray(${input})) return R; const ${out} = {};`];
    for (const f of node.fields) {
      const key = JSON.stringify(f.key);
      const [e, v] = [this.name('e'), this.name('v')];
      // As zod: an absent optional key stays absent; a present one (even undefined) is kept; a required key must be present.
      const read = `const ${e} = ${input}[${key}]; ${this.node(f.node, e, v)} ${out}[${key}] = ${v};`;
      parts.push(f.optional ? `if (${key} in ${input}) { ${read} }` : `if (!(${key} in ${input})) return R; ${read}`);
    }
    return parts.join(' ');
  }
}

/** The node as generated code; null where the runtime forbids it (a content security policy). */
function generate(node: Node): FastParser | null {
  // A page whose policy forbids eval says so by configuring zod jitless (renderer/src/platform/zod-config.ts):
  // no attempt there, since a refused one is reported as a policy violation.
  if (z.config().jitless) return null;
  const writer = new Writer();
  const body = `${writer.node(node, 'input', 'result')} return result;`;
  try {
    // The code is built from the schema only, never from input.
    const make = new Function('R', 'k', `return function parse(input) { ${body} };`) as (r: symbol, k: unknown[]) => FastParser;
    return make(REFUSED, writer.refs);
  } catch {
    return null;
  }
}

/**
 * The schema as a fast parser: the same accepted values and the same output as
 * `schema.safeParse`. `codegen: false` gives the closure form (what runs where code
 * cannot be generated).
 */
export function compile(schema: z.ZodType, options: { codegen?: boolean } = {}): FastParser {
  const node = analyse(schema);
  return (options.codegen !== false ? generate(node) : null) ?? closure(node);
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
