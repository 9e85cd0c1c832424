// The Excel ledgers (台账), written with exceljs's streaming WorkbookWriter: rows are
// committed to the file as they come, so an export of 100,000 events never holds the
// workbook in memory. Every sheet has a frozen header and set column widths; times are
// Excel dates shown in Shanghai time (the date's fields are the Shanghai wall clock).
import ExcelJS from 'exceljs';
import type { AssessmentTable } from '../../../core/api/assessment';
import { TARGET_LABELS } from '../../../core/assessment/figures';
import type { LedgerCell, LedgerColumn } from '../../../core/assessment/ledger';

export const DATE_FORMAT = 'yyyy-mm-dd hh:mm';
const HEADER_FONT = { bold: true };
const SHANGHAI_MS = 8 * 3_600_000;

/** An instant as an Excel date whose fields read as Shanghai time (Excel dates have no zone). */
export const excelDate = (ms: number): Date => new Date(ms + SHANGHAI_MS);

export type Workbook = ExcelJS.stream.xlsx.WorkbookWriter;

export function openWorkbook(file: string): Workbook {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useStyles: true, useSharedStrings: false });
  wb.creator = 'GridDeck 网格指挥舱';
  wb.created = new Date();
  return wb;
}

function sheet(wb: Workbook, name: string, columns: ReadonlyArray<{ header: string; key: string; width: number; numFmt?: string }>): ExcelJS.Worksheet {
  const ws = wb.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = columns.map((c) => ({ header: c.header, key: c.key, width: c.width, ...(c.numFmt ? { style: { numFmt: c.numFmt } } : {}) }));
  ws.getRow(1).font = HEADER_FONT;
  return ws;
}

/**
 * Bytes of a sheet's XML written but not yet taken by the zip (its deflate runs off the
 * main thread) before the writer waits: two of exceljs's 64 KB sheet buffers, so they
 * are taken while still young (see EXPORT_SLICE in jobs.ts).
 */
export const SHEET_BACKLOG_MAX = 128 * 2 ** 10;

interface StreamState {
  length?: number;
}
/**
 * The bytes waiting between a sheet and the zip. exceljs's sheet stream hands its data to
 * the zip's entry stream without waiting (it ignores backpressure), so a writer faster than
 * the deflate would hold the whole sheet in memory; the caller waits for this to drain.
 */
function backlog(ws: ExcelJS.Worksheet): number {
  const pipes = (ws as unknown as { stream?: { pipes?: Array<{ _writableState?: StreamState; _readableState?: StreamState }> } }).stream?.pipes ?? [];
  return pipes.reduce((sum, p) => sum + (p._writableState?.length ?? 0) + (p._readableState?.length ?? 0), 0);
}

/** A ledger sheet: add rows with `add`, wait for `drained` now and then, then `done`. */
export function ledgerSheet(wb: Workbook, name: string, columns: readonly LedgerColumn[]): { add(row: Record<string, LedgerCell>): void; drained(): Promise<void>; done(): void } {
  const ws = sheet(wb, name, columns.map((c) => ({ header: c.header, key: c.key, width: c.width, ...(c.kind === 'date' ? { numFmt: DATE_FORMAT } : {}) })));
  // One style object per column, shared by its cells: exceljs caches a style's id by the
  // object (a WeakMap), so a shared object is looked up once instead of each cell's fresh
  // copy being rendered and matched again (most of the writer's time on 100,000 rows).
  const styles = columns.map((c) => (c.kind === 'date' ? { numFmt: DATE_FORMAT } : {}));
  return {
    add(row) {
      const values: Array<string | number | Date | null> = [];
      for (const c of columns) {
        const v = row[c.key];
        values.push(v !== null && typeof v === 'object' ? excelDate(v.date) : (v ?? null));
      }
      const r = ws.addRow(values);
      for (let i = 0; i < columns.length; i++) r.getCell(i + 1).style = styles[i]!;
      r.commit();
    },
    async drained() {
      while (backlog(ws) > SHEET_BACKLOG_MAX) await new Promise((resolve) => setTimeout(resolve, 2));
    },
    done: () => ws.commit(),
  };
}

/** The assessment tables, a sheet each: a ratio as its rate (percent) with its numerator and denominator beside it. */
export function assessmentSheets(wb: Workbook, periodLabel: string, tables: readonly AssessmentTable[]): void {
  for (const table of tables) {
    const scored = table.rows.some((r) => r.score !== undefined);
    const columns: Array<{ header: string; key: string; width: number; numFmt?: string }> = [
      ...(scored ? [{ header: '名次', key: 'rank', width: 6 }] : []),
      { header: '名称', key: 'name', width: 18 },
      { header: '所属', key: 'parent', width: 14 },
    ];
    for (const c of table.columns) {
      if (c.kind === 'ratio') {
        columns.push({ header: c.label, key: c.key, width: 11, numFmt: '0.0%' });
        columns.push({ header: `${c.label}分子`, key: `${c.key}:n`, width: 9 }, { header: `${c.label}分母`, key: `${c.key}:d`, width: 9 });
      } else {
        columns.push({ header: c.unit ? `${c.label}（${c.unit}）` : c.label, key: c.key, width: 11 });
      }
    }
    if (scored) columns.push({ header: `总分${table.fullScore ? `（满分${table.fullScore}）` : ''}`, key: 'score', width: 12, numFmt: '0.00' });
    const ws = sheet(wb, `${TARGET_LABELS[table.target]}考核`, columns);
    for (const row of table.rows) {
      const values: Record<string, string | number | null> = { rank: row.rank ?? null, name: row.name, parent: row.parent ?? '', score: row.score ?? null };
      for (const c of table.columns) {
        const v = row.values[c.key];
        if (c.kind === 'ratio') {
          values[c.key] = v?.rate ?? null;
          values[`${c.key}:n`] = v?.n ?? null;
          values[`${c.key}:d`] = v?.d ?? null;
        } else {
          values[c.key] = v?.n ?? null;
        }
      }
      ws.addRow(values).commit();
    }
    ws.addRow([]).commit();
    ws.addRow([`考核周期：${periodLabel}`]).commit();
    ws.commit();
  }
}
