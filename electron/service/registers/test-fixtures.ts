// Ledgers for the import's tests and its benchmark (tests/bench/registers.ts).
import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import { ledgerHeader } from './import';

/**
 * A houses ledger of `rows` rows at 「`prefix`N号」 in `grid`, used as 住宅, with one grid code
 * no town has at row `bad` (0: none). No coordinates: their cells are left out, as Excel
 * leaves out an empty cell. Written by exceljs's streamed writer: no workbook in memory.
 */
export async function houseLedger(rows: number, bad: number, grid: string, prefix = '大批路'): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: false, useStyles: false });
  const ws = wb.addWorksheet('房屋');
  ws.addRow(ledgerHeader('houses')).commit();
  for (let i = 1; i <= rows; i++) ws.addRow([`${prefix}${i}号`, i === bad ? '430624103999999' : grid, null, null, '住宅']).commit();
  ws.commit();
  await wb.commit();
  return Buffer.concat(chunks);
}
