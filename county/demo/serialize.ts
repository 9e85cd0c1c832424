// The demo data as a committed file: readable in a diff (one object per line for
// flat records, one ring per line for geometry) yet compact. JSON.stringify's
// own indentation puts every coordinate on its own line and triples the size.

const pad = (depth: number): string => '  '.repeat(depth);

const isPrimitive = (v: unknown): boolean => v === null || ['string', 'number', 'boolean'].includes(typeof v);

const isPrimitiveList = (v: unknown): boolean => Array.isArray(v) && v.every(isPrimitive);

/** A list of primitives, or a list of such lists (a ring of positions). */
const isLeafList = (v: unknown): boolean => Array.isArray(v) && v.every((x) => isPrimitive(x) || isPrimitiveList(x));

const isPlainRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** One line: primitives, leaf lists, and records of primitives, primitive lists and records of primitives. */
function isFlat(v: unknown): boolean {
  if (isPrimitive(v) || isLeafList(v)) return true;
  if (!isPlainRecord(v)) return false;
  return Object.values(v).every(
    (x) => x === undefined || isPrimitive(x) || isPrimitiveList(x) || (isPlainRecord(x) && Object.values(x).every(isPrimitive)),
  );
}

function format(value: unknown, depth: number): string {
  if (isFlat(value)) return JSON.stringify(value);
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return `[\n${value.map((x) => pad(depth + 1) + format(x, depth + 1)).join(',\n')}\n${pad(depth)}]`;
  }
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
  if (entries.length === 0) return '{}';
  return `{\n${entries.map(([k, v]) => `${pad(depth + 1)}${JSON.stringify(k)}: ${format(v, depth + 1)}`).join(',\n')}\n${pad(depth)}}`;
}

/** Serialise a data set for the repository: deterministic, newline-terminated. */
export function formatDatasetJson(value: unknown): string {
  return `${format(value, 0)}\n`;
}
