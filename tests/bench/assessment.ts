// `npm run bench -- --only assessment`
//
// Issue 11's two targets, by ratio and by bound, never timed tests:
// - the month's assessment (assessment.run: workers, departments, villages, grids, with
//   first reports, patrol days and the scheme's scores) through the data service's app API
//   over the bench's replica of 1,000,000 events, against the same aggregate statements
//   run directly on SQLite in the same run (target: within 2×);
// - the event ledger of 100,000 rows exported to Excel by the streaming writer: its time
//   and the process's peak RSS while it runs (target: ≤ 300 MB).
// The cached replicas (tests/bench/lib/replica-data.ts) are opened through Replica.open,
// which fills event_facts once for a file made before migration 0009 (minutes for a million).
import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import ExcelJS from 'exceljs';
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
import { fmtInt, fmtMs, fmtRatio, median, scratchDir } from './lib/util';

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

/** The 100,000-row ledger: its time and the peak RSS sampled while it is written. */
async function measureExport(o: AssessmentBenchOptions): Promise<{ rows: Row[]; ms: number; peakMb: number; written: number; verified: string }> {
  const templates = Math.min(o.exportRows, 5000);
  const data = await ensureEventsReplica(o.cacheDir, o.exportRows, templates, o.log ?? (() => undefined));
  const { service, close } = await openService(data.file, data.town);
  const baseMb = process.memoryUsage().rss / 2 ** 20;
  let peak = baseMb;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss / 2 ** 20)), 20);
  const t0 = performance.now();
  try {
    const call = async <T>(method: string, args: unknown): Promise<T> => {
      const r = await service.handle(method as never, args, LEADER);
      if (!r.ok) throw new Error(`${method}: ${r.error.message}`);
      return r.result as T;
    };
    let status = await call<{ id: string; state: string; rows: number; size: number; error?: string }>('exports.create', { kind: 'events', filter: {} });
    while (status.state === 'running') {
      await new Promise((r) => setTimeout(r, 25));
      status = await call('exports.status', { id: status.id });
    }
    const ms = performance.now() - t0;
    clearInterval(sampler);
    if (status.state !== 'done') throw new Error(`the export failed: ${status.error}`);
    const file = scratchDir('assessment-export');
    let written = 0;
    try {
      const parts: Buffer[] = [];
      for (let offset = 0; ; ) {
        const chunk = await call<{ data: string; done: boolean }>('exports.read', { id: status.id, offset });
        const b = Buffer.from(chunk.data, 'base64');
        parts.push(b);
        offset += b.length;
        if (chunk.done) break;
      }
      const xlsx = file.file('ledger.xlsx');
      writeFileSync(xlsx, Buffer.concat(parts));
      const reader = new ExcelJS.stream.xlsx.WorkbookReader(xlsx, {});
      for await (const ws of reader) for await (const _row of ws) written++;
    } finally {
      file.cleanup();
    }
    const rows: Row[] = [
      { name: `event ledger of ${fmtInt(data.events)} events to Excel`, value: fmtMs(ms), baseline: '—', ratio: '—', note: `${(status.size / 2 ** 20).toFixed(1)} MB file` },
      { name: 'peak RSS while exporting', value: `${peak.toFixed(0)} MB`, baseline: `${baseMb.toFixed(0)} MB before`, ratio: '—', note: `target ≤ ${ASSESSMENT_TARGETS_BENCH.exportPeakRssMb} MB` },
    ];
    const verified = `${written - 1 === data.events ? 'ok' : 'MISMATCH'} the ledger holds ${fmtInt(written - 1)} rows for ${fmtInt(data.events)} events`;
    return { rows, ms, peakMb: peak, written, verified };
  } finally {
    clearInterval(sampler);
    await close();
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
      verified: [month.verified, ledger.verified],
    },
  };
}

