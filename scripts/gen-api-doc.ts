// Writes the method and push-topic tables of docs/api.md from the contract, so the
// document cannot drift from the code (scripts/docs.test.ts checks it is current).
// Usage: npx tsx scripts/gen-api-doc.ts [--check]
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { CONTRACT, METHOD_NAMES, PUSH_TOPICS } from '../core/api/contract';

export const BEGIN = '<!-- BEGIN GENERATED: npx tsx scripts/gen-api-doc.ts -->';
export const END = '<!-- END GENERATED -->';
export const API_DOC = path.resolve(import.meta.dirname, '../docs/api.md');

/** Top-level argument keys of a zod object schema, optional ones with a '?'. */
function argKeys(schema: unknown): string {
  // A nullable object (a push that may carry null) lists its object's fields, then "or null".
  const inner = (schema as { unwrap?: () => unknown; def?: { type?: string } }).def?.type === 'nullable' ? (schema as { unwrap(): unknown }).unwrap() : null;
  if (inner) return `${argKeys(inner)}; or null`;
  const shape = (schema as { shape?: Record<string, { safeParse(v: unknown): { success: boolean } }> }).shape;
  if (!shape) return '';
  return Object.entries(shape)
    .map(([key, field]) => (field.safeParse(undefined).success ? `${key}?` : key))
    .join(', ');
}

export function generatedTables(): string {
  const rows = METHOD_NAMES.map((name) => {
    const spec = CONTRACT[name];
    return `| \`${name}\` | ${spec.kind} | ${argKeys(spec.args) || '–'} | ${spec.summary.replace(/\|/g, '\\|')} |`;
  });
  const topics = Object.keys(PUSH_TOPICS).map((t) => `| \`${t}\` | ${argKeys(PUSH_TOPICS[t as keyof typeof PUSH_TOPICS])} |`);
  return [
    BEGIN,
    '',
    '### Methods',
    '',
    '| method | kind | arguments | what it does |',
    '| --- | --- | --- | --- |',
    ...rows,
    '',
    '### Push topics',
    '',
    '| topic | payload fields |',
    '| --- | --- |',
    ...topics,
    '',
    END,
  ].join('\n');
}

export function renderApiDoc(current: string): string {
  const start = current.indexOf(BEGIN);
  const end = current.indexOf(END);
  if (start < 0 || end < start) throw new Error(`docs/api.md lacks the ${BEGIN} … ${END} markers`);
  return current.slice(0, start) + generatedTables() + current.slice(end + END.length);
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  const current = readFileSync(API_DOC, 'utf8');
  const next = renderApiDoc(current);
  if (process.argv.includes('--check')) {
    if (next !== current) {
      console.error('docs/api.md is out of date: run npx tsx scripts/gen-api-doc.ts');
      process.exit(1);
    }
  } else {
    writeFileSync(API_DOC, next);
  }
}
