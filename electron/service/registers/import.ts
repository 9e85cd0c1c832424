// A town's Excel ledger (persons, houses or organisations) imported into the registers,
// all or nothing: the file is streamed row by row (exceljs' streaming reader: 100,000
// rows without the workbook in memory), every row checked (core/registers/ledger.ts:
// required fields, GB 11643 check character, duplicates in the file and in the register,
// the house an address belongs to, the grid of a point by point-in-polygon), and only a
// file without a single rejected row is written: one transaction that queues the rows as
// the town's `register.import` commands (chunks of 500) with the town's own rows beside
// them (staged first in short transactions, hidden until that one commits them). The report lists every rejected row and why; a broken file or wrong columns are
// reported as such and change nothing. Reading and writing yield to the event loop every
// few hundred rows, so the data service answers other calls during a 100,000-row import.
import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { booleanPointInPolygon } from '@turf/boolean-point-in-polygon';
import type { Actor, Grid } from '../../../core/model';
import { CHECK_ROW, LEDGER_COLUMNS, checkHeader, columnName, rowSubject, type LedgerContext, type LedgerKind } from '../../../core/registers/ledger';
import { IMPORT_CHUNK, REGISTER_IMPORT, type RegisterEntity } from '../../../core/registers/types';
import type { SqliteDatabase } from '../db/sqlite';
import { LIVE, RegisterTables, stagedMark } from './tables';

export interface RejectedRow {
  /** Its row number in the sheet (the header is row 1). */
  row: number;
  /** Who or what the row is, masked (core/registers/ledger.ts rowSubject). */
  subject: string;
  reason: string;
  /** It repeats a row of the file or an entry of the register. */
  duplicate?: true;
}

export interface ImportReport {
  kind: LedgerKind;
  /** True when the rows were imported (no rejected row, a readable file with the right columns). */
  ok: boolean;
  /** Data rows read (the header excluded). */
  rows: number;
  imported: number;
  /** Every rejected row and why. */
  rejected: RejectedRow[];
  /** The file could not be read (not an xlsx, damaged, empty). */
  fileError?: string;
  /** The header lacks required columns or has unknown ones. */
  headerProblems?: string[];
}

export interface ImportDeps {
  db: SqliteDatabase;
  /** The replica's writer (one transaction); default: a transaction on db. */
  write?: <T>(fn: () => T) => T;
  queueCommands: (commands: readonly { name: string; args: unknown; key: string }[], actor: Actor, atMs: number, alongside: (n: number, index: number) => void) => number[];
  grids: readonly Grid[];
  actor: Actor;
  clock: () => number;
  /** Called every YIELD_ROWS rows read, and at the end, with the count so far (the screen's progress). */
  onProgress?: (rows: number) => void;
  /** Called after each chunk of rows is stored (staged), with the count so far. */
  onWritten?: (rows: number) => void;
  /** Runs inside the transaction that commits the rows (the audit entry of a successful import). */
  alongside?: (report: ImportReport) => void;
}

/** Rows between two yields to the event loop (reading and writing): the service keeps answering other calls. */
export const YIELD_ROWS = 500;

const TYPE_OF = { persons: 'person', houses: 'house', organisations: 'organisation' } as const;

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

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
  const house = deps.db.prepare<{ id: string; grid: string }>(`SELECT id, grid FROM reg_houses h WHERE address = ? AND ${LIVE('h')} LIMIT 1`);
  const person = deps.db.prepare<{ c: number }>(`SELECT COUNT(*) AS c FROM reg_persons p WHERE id_number = ? AND ${LIVE('p')}`);
  return {
    gridOfPoint: (lon, lat) => basic.find((g) => booleanPointInPolygon([lon, lat], g.geometry))?.code ?? null,
    gridExists: (code) => codes.has(code),
    houseAt: (address) => fileHouses.get(address) ?? house.get(address) ?? null,
    personExists: (idNumber) => (person.get(idNumber)?.c ?? 0) > 0,
    newId: () => randomUUID(),
  };
}

/** Streams the ledger and checks every row, yielding every YIELD_ROWS rows; writes nothing. */
export async function readLedger(kind: LedgerKind, input: Readable | string, deps: ImportDeps): Promise<{ report: ImportReport; entities: RegisterEntity[] }> {
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
      if (report.rows % YIELD_ROWS === 0) {
        deps.onProgress?.(report.rows);
        await nextTurn();
      }
      const record = Object.fromEntries(header.map((h, i) => [h.trim(), values[i] ?? '']));
      const r = CHECK_ROW[kind](record, ctx, seen);
      if (!r.ok) report.rejected.push({ row: row.number, subject: rowSubject(kind, record), reason: r.reason, ...(r.duplicate ? { duplicate: true as const } : {}) });
      else {
        entities.push(r.entity);
        if (r.entity.type === 'house') fileHouses.set(r.entity.value.address, { id: r.entity.id, grid: r.entity.value.grid });
      }
    }
    break; // The first sheet is the ledger.
  }
  deps.onProgress?.(report.rows);
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
  const done = { ...report, ok: true, imported: entities.length };
  await writeLedger(kind, entities, deps, done);
  return done;
}

/**
 * Writes checked rows all or nothing without holding the service: chunk k of IMPORT_CHUNK
 * rows is staged (pending_n -(k + 1): hidden from every read, tables.ts LIVE), one short
 * transaction each with a yield between; then one transaction queues the town's
 * `register.import` commands and gives each chunk's rows its command's n in one pass. A
 * failure drops the staged rows: nothing was ever visible.
 */
async function writeLedger(kind: LedgerKind, entities: readonly RegisterEntity[], deps: ImportDeps, report: ImportReport): Promise<void> {
  const tables = new RegisterTables(deps.db);
  const write = deps.write ?? (<T>(fn: () => T): T => deps.db.transaction(fn)());
  const chunks: RegisterEntity[][] = [];
  for (let i = 0; i < entities.length; i += IMPORT_CHUNK) chunks.push(entities.slice(i, i + IMPORT_CHUNK));
  const type = TYPE_OF[kind];
  try {
    let written = 0;
    for (const [k, chunk] of chunks.entries()) {
      write(() => chunk.forEach((e) => tables.write(e, 0, stagedMark(k))));
      written += chunk.length;
      deps.onWritten?.(written);
      await nextTurn();
    }
    const commands = chunks.map((chunk) => ({
      name: REGISTER_IMPORT,
      args: { type, items: chunk.map((e) => ({ id: e.id, data: withoutId(e) })) },
      key: `register:import:${chunk[0]!.id}`,
    }));
    let firstN = 0;
    deps.queueCommands(commands, deps.actor, deps.clock(), (n, index) => {
      if (index === 0) firstN = n;
      if (index < chunks.length - 1) return;
      // One transaction numbers its commands consecutively; anything else must not commit half a file.
      if (n !== firstN + index) throw new Error(`导入的指令编号不连续(${firstN}…${n})`);
      const committed = tables.commitStaged(type, firstN);
      if (committed !== entities.length) throw new Error(`暂存的行数(${committed})与文件不符(${entities.length})`);
      deps.alongside?.(report);
    });
  } catch (error) {
    write(() => tables.dropStaged());
    throw error;
  }
}

function withoutId(e: RegisterEntity): Record<string, unknown> {
  const { id: _id, ...data } = e.value as { id: string };
  return data;
}

/** The header row of an empty ledger of a kind (for a template the town fills in). */
export const ledgerHeader = (kind: LedgerKind): string[] => LEDGER_COLUMNS[kind].map(columnName);
