// Reading a plans spreadsheet (.xlsx, exceljs): the first sheet, its first row the
// headers (core/emergency/plans.ts PLAN_SHEET_COLUMNS), one plan a row, each cell as
// text. A file that is not a workbook is refused with a clear reason.
import ExcelJS from 'exceljs';
import { ApiFailure } from '../service';

const cellText = (v: ExcelJS.CellValue): string => {
  if (v === null || v === undefined) return '';
  if (typeof v === 'object') {
    if ('richText' in v) return v.richText.map((r) => r.text).join('');
    if ('text' in v && typeof v.text === 'string') return v.text;
    if ('result' in v) return String(v.result ?? '');
    if (v instanceof Date) return v.toISOString();
  }
  return String(v);
};

export async function readPlanWorkbook(bytes: Buffer): Promise<Record<string, string>[]> {
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch {
    throw new ApiFailure('invalid', '文件不是有效的 Excel(.xlsx)工作簿');
  }
  const sheet = wb.worksheets[0];
  if (!sheet) throw new ApiFailure('invalid', '工作簿中没有工作表');
  const headers: string[] = [];
  sheet.getRow(1).eachCell({ includeEmpty: true }, (cell, col) => {
    headers[col] = cellText(cell.value).trim();
  });
  const rows: Record<string, string>[] = [];
  for (let r = 2; r <= Math.min(sheet.rowCount, 501); r++) {
    const row = sheet.getRow(r);
    const out: Record<string, string> = {};
    let any = false;
    row.eachCell({ includeEmpty: false }, (cell, col) => {
      const h = headers[col];
      if (!h) return;
      out[h] = cellText(cell.value);
      if (out[h].trim() !== '') any = true;
    });
    if (any) rows.push(out);
  }
  return rows;
}
