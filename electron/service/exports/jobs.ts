// The exports (issue 11): each a job that writes one Excel file in the background, masked
// for the role that asked, recorded in the audit trail when it starts, and read back by
// the same person in chunks (exports.read) for the download. A job runs page by page
// and yields between pages, so the service keeps answering while 100,000 rows are written.
import { randomUUID } from 'node:crypto';
import { mkdirSync, openSync, readSync, closeSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ExportArgs, ExportStatus } from '../../../core/api/assessment';
import { EXPORT_CHUNK } from '../../../core/api/assessment';
import type { ParsedArgsOf, ResultOf } from '../../../core/api/contract';
import type { Caller } from '../../../core/api/channels';
import { ledgerColumns, ledgerRow, type LedgerContext } from '../../../core/assessment/ledger';
import { ASSESSMENT_TARGETS } from '../../../core/assessment/figures';
import { resolvePeriod, periodDays } from '../../../core/assessment/period';
import type { Category, Department, Grid, Worker } from '../../../core/model';
import { maskLevel, maskPersonalData, maySeePersonalData } from '../../../core/privacy/mask';
import type { EventScope } from '../../../core/privacy/scope';
import { shanghaiDate } from '../../../core/time/shanghai';
import type { Replica } from '../replica/replica';
import type { EventsAfterArgs, QueueCursor } from '../replica/queries';
import { ApiFailure } from '../service';
import { OwnedJobs, ownerOf, type OwnedJob } from '../jobs/owned-jobs';
import type { AssessmentService } from '../assessment/handlers';
import { assessmentSheets, ledgerSheet, openWorkbook } from './excel';
import { writeFile } from 'node:fs/promises';
import { toDocx } from '../documents/docx';
import { monthlyReportDocument } from '../../../core/assessment/report';

export interface ExportsOptions {
  replica: Pick<Replica, 'eventsAfter' | 'grids' | 'categories' | 'departments'> & { workers(): Worker[] };
  assessment: AssessmentService;
  clock: () => number;
  scopeOf: (caller: Caller) => EventScope | null;
  /** Records the export in the audit trail (kind 'export'). */
  audit: (entry: { kind: 'export'; action: string; target: string | null; detail: string }, caller: Caller) => void;
  /** The town's name, for the report's title. */
  townName: () => string;
  /** Where the files go; a folder of the system's temporary directory by default. */
  dir?: string;
  log?: { error(message: string, detail?: unknown): void };
}

/**
 * Events per page (Replica.eventsAfter). A page holds its events' seqs only, each event
 * read as it is written, so a large page costs no memory and saves queries.
 */
export const EXPORT_PAGE = 1000;
/**
 * Rows written between two yields to the event loop (the service keeps answering, the
 * file's stream drains): about two of exceljs's 64 KB sheet buffers. Each buffer then
 * reaches the zip's deflate before the next slice's garbage triggers a scavenge or two,
 * so it is freed young; slices of 500 let most of them be promoted, and the dead
 * buffers piled up off-heap to V8's external limit (about 64 MB) before a full collection.
 */
export const EXPORT_SLICE = 128;
/** A finished file is kept this long for its download. */
export const EXPORT_KEEP_MS = 60 * 60_000;

interface Job extends OwnedJob {
  status: ExportStatus;
  file: string;
}

const FILE_NAMES: Record<ExportArgs['kind'], string> = { events: '事件台账', assessment: '考核评估表', overdue: '超时事件清单', patrol: '巡查台账', report: '月度考核报告' };

export function createExports(options: ExportsOptions) {
  const dir = options.dir ?? join(tmpdir(), `griddeck-exports-${process.pid}`);
  const jobs = new OwnedJobs<Job>('没有这个导出文件（可能已过期）');
  const sweep = (now: number): void =>
    jobs.sweep(
      (job) => job.status.state !== 'running' && now - job.at > EXPORT_KEEP_MS,
      (job) => rmSync(job.file, { force: true }),
    );

  const create = (args: ParsedArgsOf<'exports.create'>, caller: Caller): ResultOf<'exports.create'> => {
    const now = options.clock();
    sweep(now);
    mkdirSync(dir, { recursive: true });
    const id = randomUUID();
    const ext = args.kind === 'report' ? 'docx' : 'xlsx';
    const fileName = `${FILE_NAMES[args.kind]}-${shanghaiDate(now)}.${ext}`;
    const job: Job = { status: { id, kind: args.kind, fileName, state: 'running', rows: 0, total: null, size: 0 }, owner: ownerOf(caller), file: join(dir, `${id}.${ext}`), at: now };
    jobs.add(id, job);
    options.audit({ kind: 'export', action: `exports.${args.kind}`, target: null, detail: `导出${FILE_NAMES[args.kind]}：${JSON.stringify(args).slice(0, 400)}` }, caller);
    void run(job, args, caller).then(
      () => {
        job.status = { ...job.status, state: 'done', size: statSync(job.file).size };
      },
      (error: unknown) => {
        options.log?.error('[exports] an export failed', error);
        job.status = { ...job.status, state: 'failed', error: error instanceof Error ? error.message : String(error) };
      },
    );
    return { ...job.status };
  };

  const run = async (job: Job, args: ExportArgs, caller: Caller): Promise<void> => {
    if (args.kind === 'report') {
      const now = options.clock();
      const period = resolvePeriod(args, now);
      const result = { period: { from: period.from, to: period.to, label: period.label, asOf: period.asOf }, tables: options.assessment.tablesFor(caller, period, ASSESSMENT_TARGETS), scheme: options.assessment.scheme().scheme.name };
      await writeFile(job.file, await toDocx(monthlyReportDocument(result, options.townName(), now)));
      return;
    }
    const wb = openWorkbook(job.file);
    const progress = (rows: number, total: number | null): void => {
      job.status = { ...job.status, rows, total };
    };
    if (args.kind === 'events') await eventSheet(options, wb, '事件台账', { ...args.filter }, args.sort, caller, progress);
    else if (args.kind === 'overdue') await eventSheet(options, wb, '超时事件', { overdue: true }, 'risk', caller, progress);
    else if (args.kind === 'assessment') {
      const period = resolvePeriod(args, options.clock());
      const tables = options.assessment.tablesFor(caller, period, ASSESSMENT_TARGETS);
      assessmentSheets(wb, period.label, tables);
      progress(tables.reduce((s, t) => s + t.rows.length, 0), null);
    } else patrolSheet(options, wb, args, caller, progress);
    await wb.commit();
  };

  return {
    handlers: {
      'exports.create': create,
      'exports.status': ({ id }: ParsedArgsOf<'exports.status'>, caller: Caller): ResultOf<'exports.status'> => ({ ...jobs.of(id, caller).status }),
      'exports.read': ({ id, offset }: ParsedArgsOf<'exports.read'>, caller: Caller): ResultOf<'exports.read'> => readChunk(jobs.of(id, caller), offset),
    },
    close: () => rmSync(dir, { recursive: true, force: true }),
  };
}

const context = (options: ExportsOptions): LedgerContext => ({
  categories: new Map<string, Category>(options.replica.categories().map((c) => [c.code, c])),
  departments: new Map<string, Department>(options.replica.departments().map((d) => [d.id, d])),
  grids: new Map<string, Grid>(options.replica.grids().map((g) => [g.code, g])),
  nowMs: options.clock(),
});

async function eventSheet(
  options: ExportsOptions,
  wb: ReturnType<typeof openWorkbook>,
  name: string,
  filter: Record<string, unknown>,
  sort: 'risk' | 'reportedAt',
  caller: Caller,
  progress: (rows: number, total: number | null) => void,
): Promise<void> {
  const personal = maySeePersonalData(caller.role, 'screen');
  const sheetOut = ledgerSheet(wb, name, ledgerColumns(personal));
  const ctx = context(options);
  const scope = options.scopeOf(caller);
  // The events at the export's mask level (maskEvent(e, role, 'export')), asked of the
  // replica's stored masks; maskPersonalData returns those as they are (trustAsMasked) and
  // masks anything else, so a replica that ignores the level still exports nothing unmasked.
  const level = maskLevel(caller.role, 'export');
  const yieldNow = async (rows: number, total: number | null): Promise<void> => {
    progress(rows, total);
    await sheetOut.drained();
    await new Promise((resolve) => setImmediate(resolve));
  };
  let rows = 0;
  let total: number | null = null;
  let after: QueueCursor | null = null;
  do {
    // Keyset pages (after the last event's sort key and seq): no page walks the rows before
    // it, and each event is read and parsed only as it is written, so it dies young.
    const args = { ...filter, sort, ...(scope ? { scope } : {}) } as EventsAfterArgs;
    const page = options.replica.eventsAfter(args, after, EXPORT_PAGE, ctx.nowMs, level);
    total ??= page.total;
    for (const event of page.events) {
      sheetOut.add(ledgerRow(maskPersonalData(event, level), ++rows, ctx));
      if (rows % EXPORT_SLICE === 0) await yieldNow(rows, total);
    }
    after = page.next;
    if (after !== null) await yieldNow(rows, total);
  } while (after !== null);
  progress(rows, total);
  sheetOut.done();
};

function patrolSheet(options: ExportsOptions, wb: ReturnType<typeof openWorkbook>, args: Extract<ExportArgs, { kind: 'patrol' }>, caller: Caller, progress: (rows: number, total: number | null) => void): void {
  const period = resolvePeriod(args, options.clock());
  const days = periodDays(period);
  const workers = new Map(options.replica.workers().map((w) => [w.id, w]));
  const visible = options.assessment.tablesFor(caller, period, ['workers'])[0]?.rows.map((r) => r.id) ?? [];
  const gridName = new Map(options.replica.grids().map((g) => [g.code, g.name]));
  const sheetOut = ledgerSheet(wb, '巡查台账', [
    { key: 'day', header: '日期', width: 12, kind: 'text' },
    { key: 'worker', header: '网格员', width: 10, kind: 'text' },
    { key: 'hours', header: '在线时长（小时）', width: 16, kind: 'number' },
    { key: 'km', header: '巡查里程（公里）', width: 16, kind: 'number' },
    { key: 'fixes', header: '定位点数', width: 10, kind: 'number' },
    { key: 'gridCount', header: '进入网格数', width: 11, kind: 'number' },
    { key: 'grids', header: '进入网格', width: 40, kind: 'text' },
    { key: 'stops', header: '停留点数', width: 10, kind: 'number' },
  ]);
  const rows = options.assessment.patrolRows(visible, days[0] ?? period.from, days.at(-1) ?? period.to);
  rows.forEach((r, i) => {
    const grids = JSON.parse(r.grids) as string[];
    sheetOut.add({
      day: r.day,
      worker: workers.get(r.worker_id)?.name ?? r.worker_id,
      hours: Math.round(r.online_ms / 360_000) / 10,
      km: Math.round(r.distance_m / 100) / 10,
      fixes: r.fixes,
      gridCount: grids.length,
      grids: grids.map((g) => gridName.get(g) ?? g).join('、'),
      stops: r.stops,
    });
    progress(i + 1, rows.length);
  });
  sheetOut.done();
};


/**
 * One buffer for every chunk read: a read is synchronous and its bytes leave as the base64
 * string, so the buffer is free again at once (a fresh 512 KB buffer per chunk stayed
 * off-heap until a full collection: 17 MB for a 100,000-row ledger's download).
 */
const chunkBuffer = Buffer.alloc(EXPORT_CHUNK);

function readChunk(job: Job, offset: number): ResultOf<'exports.read'> {
  if (job.status.state !== 'done') throw new ApiFailure('unavailable', job.status.state === 'failed' ? `导出失败：${job.status.error ?? ''}` : '文件尚未生成完毕');
  const size = job.status.size;
  const length = Math.max(0, Math.min(EXPORT_CHUNK, size - offset));
  const fd = openSync(job.file, 'r');
  let read = 0;
  try {
    while (read < length) {
      const n = readSync(fd, chunkBuffer, read, length - read, offset + read);
      if (n === 0) throw new ApiFailure('unavailable', '导出文件不完整，请重新导出');
      read += n;
    }
  } finally {
    closeSync(fd);
  }
  return { data: chunkBuffer.toString('base64', 0, length), offset, size, done: offset + length >= size };
}
