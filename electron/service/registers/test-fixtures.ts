// Ledgers for the import's tests and its benchmark (tests/bench/registers.ts).
import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import { makeIdNumber, SYNTHETIC_REGION } from '../../../core/registers/id-number';
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

/** A valid ID number for row i of a persons ledger: 1,000 a birth day from 1990-01-01 (the demo's synthetic region). */
export function ledgerIdNumber(i: number): string {
  const birth = new Date(Date.UTC(1990, 0, 1) + Math.floor(i / 1000) * 86_400_000).toISOString().slice(0, 10).replaceAll('-', '');
  return makeIdNumber(SYNTHETIC_REGION, birth, i % 1000);
}

/**
 * A persons ledger of `rows` rows living at `addressOf(i)`, each with its own valid ID
 * number (ledgerIdNumber), one with a wrong check character at row `bad` (0: none).
 */
export async function personLedger(rows: number, bad: number, addressOf: (i: number) => string): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: false, useStyles: false });
  const ws = wb.addWorksheet('人口');
  ws.addRow(ledgerHeader('persons')).commit();
  for (let i = 1; i <= rows; i++) {
    const id = ledgerIdNumber(i);
    const idNumber = i === bad ? id.slice(0, 17) + (id.endsWith('0') ? '1' : '0') : id;
    ws.addRow([`测试${'甲乙丙丁戊己庚辛壬癸'[i % 10]}${i}`, idNumber, `199${String(i).padStart(8, '0')}`, i % 2 ? '男' : '女', '户籍', addressOf(i)]).commit();
  }
  ws.commit();
  await wb.commit();
  return Buffer.concat(chunks);
}
