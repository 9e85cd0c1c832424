// A town's Excel ledger (persons, houses or organisations) imported into the registers,
// all or nothing: the file is streamed row by row (exceljs' streaming reader: 100,000
// rows without the workbook in memory), every row checked (core/registers/ledger.ts:
// required fields, GB 11643 check character, duplicates in the file and in the register,
// the house an address belongs to, the grid of a point by point-in-polygon), and only a
// file without a single rejected row is written: one transaction that queues the rows as
// the town's `register.import` commands (chunks of 500) with the town's own rows beside
// them. The report lists every rejected row and why; a broken file or wrong columns are
// reported as such and change nothing.
import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { booleanPointInPolygon } from '@turf/boolean-point-in-polygon';
import type { Actor, Grid } from '../../../core/model';
import { CHECK_ROW, LEDGER_COLUMNS, checkHeader, columnName, type LedgerContext, type LedgerKind } from '../../../core/registers/ledger';
import { IMPORT_CHUNK, REGISTER_IMPORT, type RegisterEntity } from '../../../core/registers/types';
import type { SqliteDatabase } from '../db/sqlite';
import { RegisterTables } from './tables';

export interface ImportReport {
  kind: LedgerKind;
  /** True when the rows were imported (no rejected row, a readable file with the right columns). */
  ok: boolean;
  /** Data rows read (the header excluded). */
  rows: number;
  imported: number;
  /** Every rejected row: its row number in the sheet (the header is row 1) and why. */
  rejected: { row: number; reason: string }[];
  /** The file could not be read (not an xlsx, damaged, empty). */
  fileError?: string;
  /** The header lacks required columns or has unknown ones. */
  headerProblems?: string[];
}

export interface ImportDeps {
  db: SqliteDatabase;
  queueCommands: (commands: readonly { name: string; args: unknown; key: string }[], actor: Actor, atMs: number, alongside: (n: number, index: number) => void) => number[];
  grids: readonly Grid[];
  actor: Actor;
  clock: () => number;
  /** Called every 1,000 rows read with the count so far (the screen's progress). */
  onProgress?: (rows: number) => void;
}

const TYPE_OF = { persons: 'person', houses: 'house', organisations: 'organisation' } as const;

function cellText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'object') {
    const o = v as { text?: unknown; richText?: { text: string }[]; result?: unknown };
    if (Array.isArray(o.richText)) return o.richText.map((r) => r.text).join('').trim();
    if (o.text !== undefined) return String(o.text).trim();
    if (o.result !== undefined) return String(o.result).trim();
    if (v instanceof Date) return v.toISOString().slice(0, 10);
  }
  return String(v as string | number | boolean).trim();
}

/** The ledger context over the replica and this file's own houses (a persons ledger may follow a houses ledger). */
function contextOf(deps: ImportDeps, fileHouses: Map<string, { id: string; grid: string }>): LedgerContext {
  const basic = deps.grids.filter((g) => g.level === 3);
  const codes = new Set(basic.map((g) => g.code));
  const house = deps.db.prepare<{ id: string; grid: string }>('SELECT id, grid FROM reg_houses WHERE address = ? LIMIT 1');
  const person = deps.db.prepare<{ c: number }>('SELECT COUNT(*) AS c FROM reg_persons WHERE id_number = ?');
  return {
    gridOfPoint: (lon, lat) => basic.find((g) => booleanPointInPolygon([lon, lat], g.geometry))?.code ?? null,
    gridExists: (code) => codes.has(code),
    houseAt: (address) => fileHouses.get(address) ?? house.get(address) ?? null,
    personExists: (idNumber) => (person.get(idNumber)?.c ?? 0) > 0,
    newId: () => randomUUID(),
  };
}

/** Streams the ledger and checks every row; writes nothing. */
async function readLedger(kind: LedgerKind, input: Readable | string, deps: ImportDeps): Promise<{ report: ImportReport; entities: RegisterEntity[] }> {
  const report: ImportReport = { kind, ok: false, rows: 0, imported: 0, rejected: [] };
  const entities: RegisterEntity[] = [];
  const fileHouses = new Map<string, { id: string; grid: string }>();
  const ctx = contextOf(deps, fileHouses);
  const seen = new Set<string>();
  let header: string[] | null = null;
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(input, { sharedStrings: 'cache', hyperlinks: 'ignore', styles: 'ignore', worksheets: 'emit', entries: 'ignore' });
  for await (const sheet of reader) {
    for await (const row of sheet) {
      const values = (row.values as unknown[]).slice(1).map(cellText);
      if (header === null) {
        header = values;
        const problems = checkHeader(kind, header);
        if (problems.length > 0) return { report: { ...report, headerProblems: problems }, entities: [] };
        continue;
      }
      if (values.every((v) => v === '')) continue;
      report.rows++;
      if (report.rows % 1000 === 0) deps.onProgress?.(report.rows);
      const record = Object.fromEntries(header.map((h, i) => [h.trim(), values[i] ?? '']));
      const r = CHECK_ROW[kind](record, ctx, seen);
      if (!r.ok) report.rejected.push({ row: row.number, reason: r.reason });
      else {
        entities.push(r.entity);
        if (r.entity.type === 'house') fileHouses.set(r.entity.value.address, { id: r.entity.id, grid: r.entity.value.grid });
      }
    }
    break; // The first sheet is the ledger.
  }
  if (header === null) return { report: { ...report, fileError: '文件中没有工作表或表头' }, entities: [] };
  return { report, entities };
}

export async function importLedger(kind: LedgerKind, input: Readable | string, deps: ImportDeps): Promise<ImportReport> {
  let read: Awaited<ReturnType<typeof readLedger>>;
  try {
    read = await readLedger(kind, input, deps);
  } catch (error) {
    return { kind, ok: false, rows: 0, imported: 0, rejected: [], fileError: `无法读取 Excel 文件：${error instanceof Error ? error.message.slice(0, 200) : String(error)}` };
  }
  const { report, entities } = read;
  if (report.fileError || report.headerProblems || report.rejected.length > 0) return report;
  if (entities.length === 0) return { ...report, fileError: '文件中没有数据行' };
  const tables = new RegisterTables(deps.db);
  const chunks: RegisterEntity[][] = [];
  for (let i = 0; i < entities.length; i += IMPORT_CHUNK) chunks.push(entities.slice(i, i + IMPORT_CHUNK));
  const type = TYPE_OF[kind];
  const commands = chunks.map((chunk) => ({
    name: REGISTER_IMPORT,
    args: { type, items: chunk.map((e) => ({ id: e.id, data: withoutId(e) })) },
    key: `register:import:${chunk[0]!.id}`,
  }));
  deps.queueCommands(commands, deps.actor, deps.clock(), (n, index) => {
    for (const e of chunks[index]!) tables.write(e, 0, n);
  });
  return { ...report, ok: true, imported: entities.length };
}

function withoutId(e: RegisterEntity): Record<string, unknown> {
  const { id: _id, ...data } = e.value as { id: string };
  return data;
}

/** The header row of an empty ledger of a kind (for a template the town fills in). */
export const ledgerHeader = (kind: LedgerKind): string[] => LEDGER_COLUMNS[kind].map(columnName);
