// The importers of the 考核方案 and the 事项清单 from Excel (issue 11). A bad file is
// refused with a clear message before anything is read into memory: over the size cap,
// not an .xlsx (zip) file, a zip whose sheets would unpack past the cap (checked from
// its central directory, before exceljs unpacks anything), a broken file, the wrong
// columns. Then every row is checked (core/assessment/import-rules.ts: formulas, dates
// as text, unknown figures or departments…) and every rejected row reported; only a
// file without one is stored, in one transaction. Nothing is ever half imported.
import ExcelJS from 'exceljs';
import { AssessmentSchemeSchema, type AssessmentScheme } from '../../../core/assessment/scheme';
import { CATALOG_COLUMNS, SCHEME_COLUMNS, catalogRow, schemeRow, type ImportCell, type RowError } from '../../../core/assessment/import-rules';
import type { Category, Department } from '../../../core/model';

/** The largest file accepted (its base64 must fit the web shell's 1 MB Socket.IO message). */
export const MAX_IMPORT_BYTES = 700_000;
/** The most a file's parts may unpack to. */
export const MAX_UNPACKED_BYTES = 20_000_000;
/** The most data rows a sheet may have. */
export const MAX_IMPORT_ROWS = 2000;

export type ImportOutcome<T> = { ok: true; value: T; rows: number } | { ok: false; message: string; errors: RowError[] };

const fail = <T>(message: string, errors: RowError[] = []): ImportOutcome<T> => ({ ok: false, message, errors });

/** The unpacked sizes the zip's central directory declares (PK\x01\x02 records); null when it has none (not a zip). */
export function declaredUnpackedBytes(bytes: Uint8Array): number | null {
  const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let total = 0;
  let entries = 0;
  for (let i = view.indexOf('PK\x01\x02', 0, 'latin1'); i >= 0 && i + 28 <= view.length; i = view.indexOf('PK\x01\x02', i + 4, 'latin1')) {
    total += view.readUInt32LE(i + 24);
    entries++;
  }
  return entries === 0 ? null : total;
}

function cellOf(cell: ExcelJS.Cell): ImportCell {
  const v = cell.value;
  if (v === null || v === undefined || v === '') return { kind: 'empty' };
  if (typeof v === 'object' && ('formula' in v || 'sharedFormula' in v)) return { kind: 'formula' };
  if (v instanceof Date) return { kind: 'date', value: v.getTime() };
  if (typeof v === 'number') return { kind: 'number', value: v };
  if (typeof v === 'string') return { kind: 'text', value: v };
  if (typeof v === 'boolean') return { kind: 'text', value: v ? '是' : '否' };
  if (typeof v === 'object' && 'richText' in v) return { kind: 'text', value: v.richText.map((r) => r.text).join('') };
  return { kind: 'text', value: String(cell.text) };
}

/** Opens the workbook's first sheet after the file checks; checks its header against `columns`. */
async function sheetOf(bytes: Uint8Array, columns: readonly string[]): Promise<{ ok: true; rows: ImportCell[][]; first: number } | { ok: false; message: string }> {
  if (bytes.byteLength === 0) return { ok: false, message: '文件是空的' };
  if (bytes.byteLength > MAX_IMPORT_BYTES) return { ok: false, message: `文件过大（${(bytes.byteLength / 1e6).toFixed(1)} MB），上限 ${MAX_IMPORT_BYTES / 1e6} MB` };
  const unpacked = declaredUnpackedBytes(bytes);
  if (unpacked === null || bytes[0] !== 0x50 || bytes[1] !== 0x4b) return { ok: false, message: '不是有效的 Excel 文件（.xlsx），请另存为 Excel 工作簿后再导入' };
  if (unpacked > MAX_UNPACKED_BYTES) return { ok: false, message: `表格内容过大（解压后 ${(unpacked / 1e6).toFixed(0)} MB，上限 ${MAX_UNPACKED_BYTES / 1e6} MB）` };
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
  } catch {
    return { ok: false, message: 'Excel 文件已损坏，无法读取' };
  }
  const ws = wb.worksheets[0];
  if (!ws) return { ok: false, message: '文件中没有工作表' };
  const header = columns.map((_, i) => String(ws.getRow(1).getCell(i + 1).text ?? '').trim());
  if (header.some((h, i) => h !== columns[i])) return { ok: false, message: `列名不符：应为“${columns.join('、')}”，实为“${header.filter(Boolean).join('、')}”` };
  if (ws.rowCount - 1 > MAX_IMPORT_ROWS) return { ok: false, message: `行数过多（${ws.rowCount - 1} 行），上限 ${MAX_IMPORT_ROWS} 行` };
  const rows: ImportCell[][] = [];
  for (let r = 2; r <= ws.rowCount; r++) {
    const row = ws.getRow(r);
    const cells = columns.map((_, i) => cellOf(row.getCell(i + 1)));
    if (cells.every((c) => c.kind === 'empty')) continue;
    rows[r] = cells;
  }
  return { ok: true, rows, first: 2 };
}

/** Every row through `parse`; the rejected ones with their row numbers and reasons. */
function rowsThrough<T>(rows: ImportCell[][], parse: (cells: ImportCell[]) => T): { values: T[]; errors: RowError[] } {
  const values: T[] = [];
  const errors: RowError[] = [];
  rows.forEach((cells, row) => {
    try {
      values.push(parse(cells));
    } catch (error) {
      errors.push({ row, reason: error instanceof Error ? error.message : String(error) });
    }
  });
  return { values, errors };
}

export async function readScheme(bytes: Uint8Array, name: string): Promise<ImportOutcome<AssessmentScheme>> {
  const sheet = await sheetOf(bytes, SCHEME_COLUMNS);
  if (!sheet.ok) return fail(sheet.message);
  const { values, errors } = rowsThrough(sheet.rows, schemeRow);
  if (errors.length > 0) return fail(`有 ${errors.length} 行不符合要求，未导入任何内容`, errors);
  const scheme = { name, workers: values.filter((v) => v.target === 'workers').map((v) => v.item), departments: values.filter((v) => v.target === 'departments').map((v) => v.item) };
  const parsed = AssessmentSchemeSchema.safeParse(scheme);
  if (!parsed.success) return fail(`考核方案无效：${parsed.error.issues.map((i) => i.message).join('；')}`);
  if (scheme.workers.length === 0 && scheme.departments.length === 0) return fail('表中没有考核指标');
  return { ok: true, value: parsed.data, rows: values.length };
}

export async function readCatalog(bytes: Uint8Array, departments: readonly Department[]): Promise<ImportOutcome<Category[]>> {
  const sheet = await sheetOf(bytes, CATALOG_COLUMNS);
  if (!sheet.ok) return fail(sheet.message);
  const names = new Map<string, string>([...departments.map((d) => [d.name, d.id] as const), ...departments.map((d) => [d.id, d.id] as const)]);
  const { values, errors } = rowsThrough(sheet.rows, (cells) => catalogRow(cells, names));
  const seen = new Map<string, number>();
  sheet.rows.forEach((cells, row) => {
    const code = cells[0]?.kind === 'text' || cells[0]?.kind === 'number' ? String(cells[0].value).trim() : '';
    if (code === '') return;
    if (seen.has(code)) errors.push({ row, reason: `编码“${code}”与第 ${seen.get(code)} 行重复` });
    else seen.set(code, row);
  });
  const codes = new Set(values.map((c) => c.code));
  values.forEach((c) => {
    if (c.parent !== null && !codes.has(c.parent)) errors.push({ row: seen.get(c.code) ?? 0, reason: `上级编码“${c.parent}”不在表中` });
  });
  errors.sort((a, b) => a.row - b.row);
  if (errors.length > 0) return fail(`有 ${errors.length} 行不符合要求，未导入任何内容`, errors);
  if (values.length === 0) return fail('表中没有事项');
  return { ok: true, value: values, rows: values.length };
}
