// The registers' import as the app API's long job (issue 17): a job per call kept in the
// same store as the exports' (jobs/owned-jobs.ts: under its owner, polled for its
// progress, a file read back in chunks of EXPORT_CHUNK), with an upload in front. The
// file comes in parts (the web shell carries at most 1 MB a message), up to 20 MB; once
// whole, it joins a queue (one import at a time: two ledgers checked side by side could
// each let the same person in) and runs through the import engine (import.ts), which
// yields to the event loop every few hundred rows. Every import, kept or refused, is in
// the audit trail (who, the file's name, the counts); a kept one in the same transaction
// as its rows. The rejected rows are in the status (the first 200) and in an Excel file
// (masked like the status) for the download.
import { randomUUID } from 'node:crypto';
import { PassThrough, Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { Caller } from '../../../core/api/channels';
import { EXPORT_CHUNK } from '../../../core/api/assessment';
import type { ParsedArgsOf, ResultOf } from '../../../core/api/contract';
import { REGISTER_IMPORT_SHOWN, type RegisterImportStatus } from '../../../core/api/registers';
import type { LedgerKind } from '../../../core/registers/ledger';
import type { Actor, Grid } from '../../../core/model';
import type { SqliteDatabase } from '../db/sqlite';
import { ApiFailure } from '../service';
import { OwnedJobs, ownerOf, type OwnedJob } from '../jobs/owned-jobs';
import type { AuditEntryInput } from './handlers';
import { importLedger, YIELD_ROWS, type ImportDeps, type ImportReport, type RejectedRow } from './import';
import { RegisterTables } from './tables';

export interface ImportJobsDeps {
  db: SqliteDatabase;
  write: <T>(fn: () => T) => T;
  queueCommands: ImportDeps['queueCommands'];
  grids: () => readonly Grid[];
  /** The basic grids a caller may import into (a village's); null: the whole town. */
  gridsOf: (caller: Caller) => readonly string[] | null;
  actorOf: (caller: Caller) => Actor;
  clock: () => number;
  /** The audit trail inside the current write, and on its own (null: no people store). */
  auditIn: ((entry: AuditEntryInput, caller: Caller) => void) | null;
  audit: ((entry: AuditEntryInput, caller: Caller) => void) | null;
  /** Tells the county link that commands wait. */
  kick: () => void;
}

/** Imports not finished (uploading, queued, running) at once, for the whole service: each holds its file in memory. */
export const MAX_OPEN_IMPORTS = 4;
/** An upload that gets no part for this long is dropped. */
export const UPLOAD_IDLE_MS = 10 * 60_000;
/** A finished import's status and rejected-rows file are kept this long. */
export const IMPORT_KEEP_MS = 60 * 60_000;
/** The file is fed to the reader in slices of this many bytes (the `read` progress). */
const SLICE = 64 * 1024;
const XLSX_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);

const LABELS: Record<LedgerKind, string> = { persons: '人口', houses: '房屋', organisations: '单位、企业' };
const SUBJECT: Record<LedgerKind, string> = { persons: '人员(身份证号已脱敏)', houses: '地址(已脱敏)', organisations: '名称' };

interface Job extends OwnedJob {
  status: RegisterImportStatus;
  caller: Caller;
  parts: Buffer[];
  rejectedFile: Buffer | null;
}
const open = (job: Job): boolean => job.status.state !== 'done' && job.status.state !== 'failed';

export function createImportJobs(deps: ImportJobsDeps) {
  const jobs = new OwnedJobs<Job>('没有这次导入(可能已过期),请重新选择文件');
  let queue: Promise<void> = Promise.resolve();
  // Rows staged by an import the service did not finish (it stopped mid-way) are dropped at start.
  deps.write(() => new RegisterTables(deps.db).dropStaged());

  const sweep = (now: number): void =>
    jobs.sweep((job) => (job.status.state === 'uploading' && now - job.at > UPLOAD_IDLE_MS) || (!open(job) && now - job.at > IMPORT_KEEP_MS));
  const view = (job: Job): RegisterImportStatus => ({ ...job.status });

  const begin = (job: Job): void => {
    job.status.state = 'queued';
    queue = queue.then(() => run(deps, job));
  };
  const receive = (job: Job, offset: number, data: string): void => {
    const bytes = Buffer.from(data, 'base64');
    const { received, size } = job.status;
    if (offset + bytes.length <= received) return; // A part sent again (a lost answer): already here.
    if (offset !== received) throw new ApiFailure('invalid', `上传位置不连续:应从第 ${received} 字节继续`);
    if (received + bytes.length > size) throw new ApiFailure('invalid', `上传的内容超过了声明的文件大小(${size} 字节)`);
    job.parts.push(bytes);
    job.status.received += bytes.length;
    job.at = deps.clock();
    if (job.status.received === size) begin(job);
  };

  return {
    'registers.import.start': (args: ParsedArgsOf<'registers.import.start'>, caller: Caller): ResultOf<'registers.import.start'> => {
      const now = deps.clock();
      sweep(now);
      // A new file from the same person replaces an upload they left unfinished.
      jobs.sweep((job) => job.owner === ownerOf(caller) && job.status.state === 'uploading');
      if ([...jobs.values()].filter(open).length >= MAX_OPEN_IMPORTS) throw new ApiFailure('unavailable', '正在进行的导入过多,请稍后再试');
      const id = randomUUID();
      const status: RegisterImportStatus = { id, kind: args.kind, fileName: args.fileName, state: 'uploading', size: args.size, received: 0, read: 0, rows: 0, written: 0 };
      const job: Job = { status, owner: ownerOf(caller), caller, parts: [], at: now, rejectedFile: null };
      if (args.data !== undefined) receive(job, 0, args.data);
      jobs.add(id, job);
      return view(job);
    },
    'registers.import.upload': ({ id, offset, data }: ParsedArgsOf<'registers.import.upload'>, caller: Caller): ResultOf<'registers.import.upload'> => {
      const job = jobs.of(id, caller);
      if (job.status.state === 'uploading') receive(job, offset, data);
      return view(job);
    },
    'registers.import.status': ({ id }: ParsedArgsOf<'registers.import.status'>, caller: Caller): ResultOf<'registers.import.status'> => view(jobs.of(id, caller)),
    'registers.import.rejected': ({ id, offset }: ParsedArgsOf<'registers.import.rejected'>, caller: Caller): ResultOf<'registers.import.rejected'> => {
      const file = jobs.of(id, caller).rejectedFile;
      if (!file) throw new ApiFailure('not-found', '这次导入没有被拒绝的行');
      const part = file.subarray(offset, offset + EXPORT_CHUNK);
      return { data: part.toString('base64'), offset, size: file.length, done: offset + part.length >= file.length };
    },
  };
}

/** One import from its whole file to its report, audited; never throws (a failure is the job's state). */
async function run(deps: ImportJobsDeps, job: Job): Promise<void> {
  const { status, caller } = job;
  const file = Buffer.concat(job.parts);
  job.parts = [];
  status.state = 'reading';
  const what = `${LABELS[status.kind]}台账“${status.fileName}”`;
  try {
    const report = !file.subarray(0, 4).equals(XLSX_MAGIC)
      ? failed(status.kind, '文件不是 Excel 工作簿(.xlsx);旧版 .xls 请先另存为 .xlsx')
      : await importLedger(status.kind, sliced(file, (n) => (status.read = n)), {
          db: deps.db,
          write: deps.write,
          queueCommands: deps.queueCommands,
          grids: deps.grids(),
          scope: deps.gridsOf(caller),
          actor: deps.actorOf(caller),
          clock: deps.clock,
          onProgress: (rows) => (status.rows = rows),
          onWritten: (rows) => ((status.state = 'writing'), (status.written = rows)),
          alongside: (r) => deps.auditIn?.({ kind: 'command', action: 'registers.import', target: `${status.kind}:${status.fileName}`, detail: `导入${what}:读取 ${r.rows} 行,导入 ${r.imported} 行` }, caller),
        });
    status.read = file.length;
    status.rows = report.rows;
    if (report.rejected.length > 0) job.rejectedFile = await rejectedWorkbook(status.kind, report.rejected);
    status.report = reportView(report, job.rejectedFile, status.fileName);
    if (report.ok) deps.kick();
    else deps.audit?.({ kind: 'command', action: 'registers.import', target: `${status.kind}:${status.fileName}`, detail: `导入${what}未导入:${refusal(report)}` }, caller);
    status.state = 'done';
  } catch (error) {
    status.state = 'failed';
    status.error = `导入失败,未写入任何数据:${error instanceof Error ? error.message.slice(0, 200) : String(error)}`;
    deps.audit?.({ kind: 'command', action: 'registers.import', target: `${status.kind}:${status.fileName}`, detail: `导入${what}失败:${status.error}` }, caller);
  }
  job.at = deps.clock();
}

const failed = (kind: LedgerKind, fileError: string): ImportReport => ({ kind, ok: false, rows: 0, imported: 0, rejected: [], fileError });

function refusal(r: ImportReport): string {
  if (r.fileError) return r.fileError;
  if (r.headerProblems) return `表头有误(${r.headerProblems.join(';')})`;
  return `读取 ${r.rows} 行,拒绝 ${r.rejected.length} 行(重复 ${r.rejected.filter((x) => x.duplicate).length} 行)`;
}

/** The file as a stream in slices; `onRead` gets the bytes handed to the reader so far. */
function sliced(file: Buffer, onRead: (bytes: number) => void): Readable {
  function* parts(): Generator<Buffer> {
    for (let at = 0; at < file.length; at += SLICE) {
      onRead(Math.min(file.length, at + SLICE));
      yield file.subarray(at, at + SLICE);
    }
  }
  return Readable.from(parts(), { objectMode: false });
}

function reportView(r: ImportReport, file: Buffer | null, fileName: string): NonNullable<RegisterImportStatus['report']> {
  return {
    ok: r.ok,
    rows: r.rows,
    imported: r.imported,
    rejectedCount: r.rejected.length,
    duplicates: r.rejected.filter((x) => x.duplicate).length,
    rejected: r.rejected.slice(0, REGISTER_IMPORT_SHOWN),
    ...(r.fileError ? { fileError: r.fileError } : {}),
    ...(r.headerProblems ? { headerProblems: r.headerProblems } : {}),
    ...(file ? { rejectedFile: { fileName: `被拒绝的行-${fileName.replace(/\.xlsx$/i, '')}.xlsx`, size: file.length } } : {}),
  };
}

/** The rejected rows as an Excel file (streamed into memory: 100,000 rows are a few MB). */
async function rejectedWorkbook(kind: LedgerKind, rows: readonly RejectedRow[]): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: false, useStyles: true });
  const ws = wb.addWorksheet('被拒绝的行');
  ws.columns = [
    { header: '行号', key: 'row', width: 8 },
    { header: SUBJECT[kind], key: 'subject', width: 32 },
    { header: '原因', key: 'reason', width: 48 },
    { header: '重复', key: 'duplicate', width: 6 },
  ];
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    ws.addRow({ row: r.row, subject: r.subject, reason: r.reason, duplicate: r.duplicate ? '是' : '' }).commit();
    if (i % YIELD_ROWS === YIELD_ROWS - 1) await new Promise((resolve) => setImmediate(resolve));
  }
  ws.commit();
  await wb.commit();
  return Buffer.concat(chunks);
}
