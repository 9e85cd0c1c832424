// `npm run bench -- --only assessment`
//
// Issue 11's two targets, by ratio and by bound, never timed tests:
// - the month's assessment (assessment.run: workers, departments, villages, grids, with
//   first reports, patrol days and the scheme's scores) through the data service's app API
//   over the bench's replica of 1,000,000 events, against the same aggregate statements
//   run directly on SQLite in the same run (target: within 2×);
// - the event ledger of 100,000 rows exported to Excel by the streaming writer, in a
//   process of its own (export-child.ts: the replica and the service opened as the app
//   does, exports.create / status / read): its time and that process's peak RSS
//   (target: ≤ 300 MB). The bench's own RSS holds the 1M replica and says nothing of it.
//   The child runs under tsx (as `npm run serve` runs the service), and once more built as
//   the Electron app builds its service (buildChild), which leaves tsx's own memory out.
// The cached replicas (tests/bench/lib/replica-data.ts) are opened through Replica.open,
// which fills event_facts once for a file made before migration 0009 (minutes for a million).
import { spawn } from 'node:child_process';
import path from 'node:path';
import { rmSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import ExcelJS from 'exceljs';
import { build } from 'vite';
import type { Caller } from '../../core/api/channels';
import type { AssessmentResult } from '../../core/api/assessment';
import { ASSESSMENT_TARGETS } from '../../core/assessment/figures';
import { resolvePeriod } from '../../core/assessment/period';
import { createReplicaService } from '../../electron/service/replica-service';
import { Replica } from '../../electron/service/replica/replica';
import { aggregateStatements } from '../../electron/service/assessment/sql';
import { paramsOf } from '../../electron/service/assessment/engine';
import { ensureEventsReplica } from './lib/replica-data';
import type { BenchReport, Row } from './lib/report';
import { ROOT, fmtInt, fmtMs, fmtRatio, median, scratchDir } from './lib/util';
import type { ExportChildResult } from './export-child';

export const ASSESSMENT_TARGETS_BENCH = { maxRatio: 2, exportPeakRssMb: 300 };

export interface AssessmentBenchOptions {
  cacheDir: string;
  events: number;
  exportRows: number;
  rounds: number;
  log?: (line: string) => void;
}

const LEADER: Caller = { role: 'leader' };

async function openService(file: string, town: string) {
  const replica = await Replica.open({ file, town, log: { info: () => undefined, warn: () => undefined } });
  const service = createReplicaService({ replica, clock: Date.now, assessment: { store: replica.store() }, log: { error: (m, d) => console.error(m, d) } });
  return { replica, service, close: async () => (await service.close(), await replica.close()) };
}

/**
 * export-child.ts built as the app builds its data service for Electron (electron.vite.config.ts:
 * vite, the packages left external, chinese-days bundled), into a folder of the repository so
 * that the packages resolve. Run under tsx, the same process holds tsx's loader and every
 * module's compiled TypeScript as well: about 60 MB more before anything is exported.
 */
async function buildChild(): Promise<string> {
  const outDir = path.join(ROOT, '.griddeck', 'bench-export-child');
  await build({
    configFile: false,
    root: ROOT,
    logLevel: 'warn',
    build: { ssr: path.join(ROOT, 'tests/bench/export-child.ts'), outDir, emptyOutDir: true, minify: false, rollupOptions: { output: { entryFileNames: 'export-child.mjs' } } },
    ssr: { noExternal: ['chinese-days'] },
  });
  return path.join(outDir, 'export-child.mjs');
}

/** One export in a child process (export-child.ts, under tsx or built): its own RSS is the export's, not the bench's. */
function exportInChild(file: string, town: string, role: string, out: string, built?: string): Promise<ExportChildResult> {
  return new Promise((resolve, reject) => {
    const entry = built ? [built] : ['--import', 'tsx', 'tests/bench/export-child.ts'];
    const child = spawn(process.execPath, [...entry, file, town, role, out], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      const line = stdout.trim().split('\n').at(-1) ?? '';
      if (code === 0 && line.startsWith('{')) resolve(JSON.parse(line) as ExportChildResult);
      else reject(new Error(`the export's process ended with ${code}: ${stderr.slice(-2000)}`));
    });
  });
}

/** Data rows of an xlsx file, read back with exceljs's streaming reader, and whether any cell holds a mobile number. */
async function readBack(xlsx: string): Promise<{ rows: number; phones: number }> {
  let rows = 0;
  let phones = 0;
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(xlsx, {});
  for await (const ws of reader) {
    for await (const row of ws) {
      rows++;
      // Text cells only: the streaming reader gives dates as serial numbers, whose decimals can look like a phone.
      const texts = (row.values as unknown[]).filter((v): v is string => typeof v === 'string');
      if (texts.some((t) => /(?<!\d)1[3-9]\d{9}(?!\d)/.test(t))) phones++;
    }
  }
  return { rows: rows - 1, phones };
}

/**
 * The 100,000-row ledger exported by the data service in a process of its own, as the user
 * triggers it (exports.create, status, read): its time and that process's peak RSS; the
 * file read back (every event a row); a viewer's export of the same ledger carries no phone.
 */
async function measureExport(o: AssessmentBenchOptions): Promise<{ rows: Row[]; ms: number; peakMb: number; verified: string[] }> {
  const templates = Math.min(o.exportRows, 5000);
  const data = await ensureEventsReplica(o.cacheDir, o.exportRows, templates, o.log ?? (() => undefined));
  const scratch = scratchDir('assessment-export');
  try {
    const leader = await exportInChild(data.file, data.town, 'leader', scratch.file('leader.xlsx'));
    const written = await readBack(scratch.file('leader.xlsx'));
    rmSync(scratch.file('leader.xlsx'), { force: true });
    const viewer = await exportInChild(data.file, data.town, 'viewer', scratch.file('viewer.xlsx'));
    const viewerBack = await readBack(scratch.file('viewer.xlsx'));
    const built = await exportInChild(data.file, data.town, 'leader', '/dev/null', await buildChild());
    const peakMb = Math.max(leader.maxRssMb, leader.sampledPeakMb);
    const rows: Row[] = [
      { name: `event ledger of ${fmtInt(data.events)} events to Excel (leader), its own process under tsx`, value: fmtMs(leader.ms), baseline: '—', ratio: '—', note: `${(leader.size / 2 ** 20).toFixed(1)} MB file, ${(leader.ms / leader.rows).toFixed(2)} ms a row, CPU ${fmtMs(leader.cpuMs)}` },
      { name: 'peak RSS of the exporting process (maxRSS), under tsx', value: `${leader.maxRssMb.toFixed(0)} MB`, baseline: `${leader.baseMb.toFixed(0)} MB opened`, ratio: '—', note: `${leader.writtenMaxMb.toFixed(0)} MB when written (before the download); heap ≤ ${leader.heapPeakMb.toFixed(0)} MB, external ≤ ${leader.externalPeakMb.toFixed(0)} MB; target ≤ ${ASSESSMENT_TARGETS_BENCH.exportPeakRssMb} MB` },
      { name: 'the same export, the child built as the app builds its service', value: `${built.maxRssMb.toFixed(0)} MB`, baseline: `${built.baseMb.toFixed(0)} MB opened`, ratio: '—', note: `${fmtMs(built.ms)}, CPU ${fmtMs(built.cpuMs)}; ${built.rows === data.events ? 'every row' : `${fmtInt(built.rows)} rows`}` },
      { name: 'the same ledger for a viewer (no personal columns), under tsx', value: fmtMs(viewer.ms), baseline: '—', ratio: '—', note: `maxRSS ${viewer.maxRssMb.toFixed(0)} MB` },
    ];
    const verified = [
      `${written.rows === data.events ? 'ok' : 'MISMATCH'} the ledger holds ${fmtInt(written.rows)} rows for ${fmtInt(data.events)} events`,
      `${viewerBack.rows === data.events && viewerBack.phones === 0 ? 'ok' : 'MISMATCH'} the viewer's ledger: ${fmtInt(viewerBack.rows)} rows, ${viewerBack.phones} with a phone number`,
    ];
    return { rows, ms: leader.ms, peakMb, verified };
  } finally {
    scratch.cleanup();
  }
}

/** The month's assessment through the service vs the same aggregate statements on SQLite. */
async function measureAssessment(o: AssessmentBenchOptions): Promise<{ rows: Row[]; ratio: number; verified: string }> {
  const templates = Math.min(o.events, o.events >= 1_000_000 ? 50_000 : 5_000);
  const data = await ensureEventsReplica(o.cacheDir, o.events, templates, o.log ?? (() => undefined));
  o.log?.('opening the replica (event_facts are filled once for an older file)…');
  const { replica, service, close } = await openService(data.file, data.town);
  try {
    const db = replica.store().db;
    const latest = (db.prepare('SELECT max(reported_at) AS t FROM events').get() as { t: number }).t;
    const now = Date.now();
    const month = new Date(latest + 8 * 3_600_000).toISOString().slice(0, 7);
    const params = paramsOf(resolvePeriod({ month }, now), now);
    const statements = ASSESSMENT_TARGETS.flatMap((t) => aggregateStatements(t)).map((s) => db.prepare(s.sql));
    const serviceMs: number[] = [];
    const rawMs: number[] = [];
    let reports = 0;
    let rawReports = 0;
    for (let i = 0; i < o.rounds; i++) {
      let t = performance.now();
      const r = await service.handle('assessment.run', { month }, LEADER);
      serviceMs.push(performance.now() - t);
      if (!r.ok) throw new Error(r.error.message);
      const result = r.result as AssessmentResult;
      reports = result.tables.find((x) => x.target === 'villages')!.rows.reduce((s, row) => s + (row.values.reports?.n ?? 0), 0);
      t = performance.now();
      const out = statements.map((s) => s.all(params));
      rawMs.push(performance.now() - t);
      rawReports = (out[aggregateStatements('workers').length + aggregateStatements('departments').length] as Array<{ c0: number }>).reduce((s, x) => s + x.c0, 0);
    }
    const ratio = median(serviceMs) / median(rawMs);
    return {
      ratio,
      rows: [{ name: `assessment.run for ${month} over ${fmtInt(data.events)} events, median of ${o.rounds}`, value: fmtMs(median(serviceMs)), baseline: fmtMs(median(rawMs)), ratio: fmtRatio(ratio), note: 'the same aggregate statements on SQLite' }],
      verified: `${reports === rawReports ? 'ok' : 'MISMATCH'} the villages' reports: service ${fmtInt(reports)}, SQL ${fmtInt(rawReports)}`,
    };
  } finally {
    await close();
  }
}

export async function runAssessmentBench(o: AssessmentBenchOptions): Promise<{ report: BenchReport }> {
  const ledger = await measureExport(o);
  const month = await measureAssessment(o);
  return {
    report: {
      name: 'assessment',
      title: "the month's assessment and the 100,000-row Excel ledger",
      setup: `${cpus().length} cores, load ${loadavg()[0]?.toFixed(1)}`,
      rows: [...month.rows, ...ledger.rows],
      checks: [
        { name: "the month's assessment vs raw SQL", measured: fmtRatio(month.ratio), target: `≤ ${ASSESSMENT_TARGETS_BENCH.maxRatio}×`, pass: month.ratio <= ASSESSMENT_TARGETS_BENCH.maxRatio },
        { name: 'peak RSS of the ledger export', measured: `${ledger.peakMb.toFixed(0)} MB`, target: `≤ ${ASSESSMENT_TARGETS_BENCH.exportPeakRssMb} MB`, pass: ledger.peakMb <= ASSESSMENT_TARGETS_BENCH.exportPeakRssMb },
      ],
      verified: [month.verified, ...ledger.verified],
    },
  };
}

