// A town's Excel ledger (persons, houses or organisations) imported into the registers,
// all or nothing: the file is streamed row by row (exceljs' streaming reader, its text
// decoded whole: xlsx-reader.ts; 100,000 rows without the workbook in memory), every row checked (core/registers/ledger.ts:
// required fields, GB 11643 check character, duplicates in the file and in the register,
// the house an address belongs to, the grid of a point by point-in-polygon, the
// importer's grids), and only a file without a single rejected row is written: one
// transaction that queues the rows as the town's `register.import` commands (chunks of
// 500) with the town's own rows beside them (staged first in short transactions without
// fsync, hidden until that one commits them). The rows are checked in batches of 500,
// whose register lookups are one query each (no query per row). The report lists every
// rejected row and why; a broken file or wrong columns are reported as such and change
// nothing. Reading and writing yield to the event loop between batches, so the data
// service answers other calls during a 100,000-row import.
import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import type ExcelJS from 'exceljs';
import { booleanPointInPolygon } from '@turf/boolean-point-in-polygon';
import type { Actor, Grid } from '../../../core/model';
import { CHECK_ROW, LEDGER_COLUMNS, checkHeader, columnName, rowLookups, rowSubject, type LedgerContext, type LedgerKind } from '../../../core/registers/ledger';
import { IMPORT_CHUNK, REGISTER_IMPORT, type RegisterEntity } from '../../../core/registers/types';
import type { SqliteDatabase } from '../db/sqlite';
import { LIVE, RegisterTables, stagedMark } from './tables';
import { workbookReader } from './xlsx-reader';

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
  /** The basic grids the importer may write to (a village's); absent: the whole town. */
  scope?: readonly string[] | null;
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

/**
 * The register's answers to a batch of rows, fetched with one query per kind of lookup
 * (the rows' addresses, their ID numbers: core rowLookups) before the batch is checked;
 * a key the batch did not name (none should) is asked on its own.
 */
function registerLookups(db: SqliteDatabase) {
  const housesAt = db.prepare<{ address: string; id: string; grid: string }>(
    `SELECT address, id, grid FROM reg_houses h WHERE address IN (SELECT value FROM json_each(?)) AND ${LIVE('h')}`,
  );
  const personsWith = db.prepare<{ id_number: string }>(`SELECT DISTINCT id_number FROM reg_persons p WHERE id_number IN (SELECT value FROM json_each(?)) AND ${LIVE('p')}`);
  const houseAt = db.prepare<{ id: string; grid: string }>(`SELECT id, grid FROM reg_houses h WHERE address = ? AND ${LIVE('h')} LIMIT 1`);
  const personWith = db.prepare<{ c: number }>(`SELECT COUNT(*) AS c FROM reg_persons p WHERE id_number = ? AND ${LIVE('p')}`);
  let addresses = new Set<string>();
  let idNumbers = new Set<string>();
  let houses = new Map<string, { id: string; grid: string }>();
  let persons = new Set<string>();
  return {
    fetch(keys: readonly { address: string | null; idNumber: string | null }[]): void {
      addresses = new Set(keys.flatMap((k) => (k.address === null ? [] : [k.address])));
      idNumbers = new Set(keys.flatMap((k) => (k.idNumber === null ? [] : [k.idNumber])));
      houses = new Map();
      if (addresses.size > 0) for (const r of housesAt.all(JSON.stringify([...addresses]))) if (!houses.has(r.address)) houses.set(r.address, { id: r.id, grid: r.grid });
      persons = idNumbers.size > 0 ? new Set(personsWith.all(JSON.stringify([...idNumbers])).map((r) => r.id_number)) : new Set();
    },
    house: (address: string) => (addresses.has(address) ? (houses.get(address) ?? null) : (houseAt.get(address) ?? null)),
    person: (idNumber: string) => (idNumbers.has(idNumber) ? persons.has(idNumber) : (personWith.get(idNumber)?.c ?? 0) > 0),
  };
}

/** The ledger context over the replica and this file's own houses (a persons ledger may follow a houses ledger). */
function contextOf(deps: ImportDeps, fileHouses: Map<string, { id: string; grid: string }>, lookups: ReturnType<typeof registerLookups>): LedgerContext {
  const basic = deps.grids.filter((g) => g.level === 3);
  const codes = new Set(basic.map((g) => g.code));
  const scope = deps.scope ? new Set(deps.scope) : null;
  return {
    gridOfPoint: (lon, lat) => basic.find((g) => booleanPointInPolygon([lon, lat], g.geometry))?.code ?? null,
    gridExists: (code) => codes.has(code),
    houseAt: (address) => fileHouses.get(address) ?? lookups.house(address),
    personExists: (idNumber) => lookups.person(idNumber),
    newId: () => randomUUID(),
    ...(scope ? { inScope: (grid: string) => scope.has(grid) } : {}),
  };
}

/** The cells of a sheet row as text (exceljs' row.values is 1-based). */
const rowTexts = (row: ExcelJS.Row): string[] => (row.values as unknown[]).slice(1).map(cellText);

/** Streams the ledger and checks every row in batches of YIELD_ROWS, yielding between them; writes nothing. */
export async function readLedger(kind: LedgerKind, input: Readable | string, deps: ImportDeps): Promise<{ report: ImportReport; entities: RegisterEntity[] }> {
  const report: ImportReport = { kind, ok: false, rows: 0, imported: 0, rejected: [] };
  const entities: RegisterEntity[] = [];
  const fileHouses = new Map<string, { id: string; grid: string }>();
  const lookups = registerLookups(deps.db);
  const ctx = contextOf(deps, fileHouses, lookups);
  const seen = new Set<string>();
  let header: string[] | null = null;
  let batch: { row: number; record: Record<string, string> }[] = [];
  const check = (): void => {
    lookups.fetch(batch.map((b) => rowLookups(kind, b.record)));
    for (const { row, record } of batch) {
      const r = CHECK_ROW[kind](record, ctx, seen);
      if (!r.ok) report.rejected.push({ row, subject: rowSubject(kind, record), reason: r.reason, ...(r.duplicate ? { duplicate: true as const } : {}) });
      else {
        entities.push(r.entity);
        if (r.entity.type === 'house') fileHouses.set(r.entity.value.address, { id: r.entity.id, grid: r.entity.value.grid });
      }
    }
    batch = [];
  };
  const reader = workbookReader(input);
  for await (const sheet of reader) {
    for await (const row of sheet) {
      const values = rowTexts(row);
      if (header === null) {
        header = values.map((h) => h.trim());
        const problems = checkHeader(kind, header);
        if (problems.length > 0) return { report: { ...report, headerProblems: problems }, entities: [] };
        continue;
      }
      if (values.every((v) => v === '')) continue;
      const record: Record<string, string> = {};
      for (let i = 0; i < header.length; i++) record[header[i]!] = values[i] ?? '';
      batch.push({ row: row.number, record });
      report.rows++;
      if (batch.length === YIELD_ROWS) {
        check();
        deps.onProgress?.(report.rows);
        await nextTurn();
      }
    }
    break; // The first sheet is the ledger.
  }
  check();
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
 * rows is staged (pending_n -(k + 1): hidden from every read, tables.ts LIVE), as many
 * chunks a transaction as fit in STAGE_SLICE_MS, with a yield between transactions; then
 * one transaction queues the town's `register.import` commands and gives each chunk's
 * rows its command's n in one pass. A failure drops the staged rows: nothing was ever
 * visible.
 */
async function writeLedger(kind: LedgerKind, entities: readonly RegisterEntity[], deps: ImportDeps, report: ImportReport): Promise<void> {
  const tables = new RegisterTables(deps.db);
  const write = deps.write ?? (<T>(fn: () => T): T => deps.db.transaction(fn)());
  const chunks: RegisterEntity[][] = [];
  for (let i = 0; i < entities.length; i += IMPORT_CHUNK) chunks.push(entities.slice(i, i + IMPORT_CHUNK));
  const type = TYPE_OF[kind];
  try {
    let k = 0;
    let written = 0;
    while (k < chunks.length) {
      const started = performance.now();
      unsynced(deps.db, () =>
        write(() => {
          do {
            for (const e of chunks[k]!) tables.write(e, 0, stagedMark(k));
            written += chunks[k]!.length;
            k++;
          } while (k < chunks.length && performance.now() - started < STAGE_SLICE_MS);
        }),
      );
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

/** How long one staging transaction may run (it holds the service; rows go in whole chunks). */
export const STAGE_SLICE_MS = 50;

/**
 * Runs a write without the fsync of its commit (synchronous NORMAL, then the connection's
 * setting back): for staged rows only, which need no durability: hidden until the final
 * commit, whose fsync of the WAL covers them, and dropped at the next start if the
 * service stops before it. Synchronous like the write, so no other write runs unsynced.
 * Only in WAL mode, where NORMAL never risks the file, only the last commits.
 */
function unsynced<T>(db: SqliteDatabase, fn: () => T): T {
  const was = db.pragma('synchronous', { simple: true }) as number;
  if (was <= 1 || db.pragma('journal_mode', { simple: true }) !== 'wal') return fn();
  db.pragma('synchronous = NORMAL');
  try {
    return fn();
  } finally {
    db.pragma(`synchronous = ${was}`);
  }
}

function withoutId(e: RegisterEntity): Record<string, unknown> {
  const { id: _id, ...data } = e.value as { id: string };
  return data;
}

/** The header row of an empty ledger of a kind (for a template the town fills in). */
export const ledgerHeader = (kind: LedgerKind): string[] => LEDGER_COLUMNS[kind].map(columnName);
