// `npm run bench -- --only agenda`
//
// The consultation meeting's agenda (meeting.candidates, issue 10) over the bench suite's
// replica of 1,000,000 events: the candidates with their reasons through the data
// service's app API (role gate, validation, the SQL, the reasons, the answer's schema)
// against the same SQL (electron/service/meeting/candidates.ts) run directly on SQLite
// in the same run, rounds alternating. Target: the service within 2× the SQL.
import type { ApiResponse, ResultOf } from '../../core/api/contract';
import type { Caller } from '../../core/api/channels';
import { createReplicaService } from '../../electron/service/replica-service';
import { Replica } from '../../electron/service/replica/replica';
import { EVENT_CANDIDATES_SQL, HOTSPOT_SQL, candidateParams } from '../../electron/service/meeting/candidates';
import { AGENDA_DEFAULTS } from '../../core/meeting/model';
import { openRaw } from './lib/raw';
import { ensureEventsReplica } from './lib/replica-data';
import type { BenchReport } from './lib/report';
import { fmtInt, fmtMs, fmtRatio, median } from './lib/util';

export const AGENDA_TARGETS = { maxRatio: 2 };

export interface AgendaOptions {
  cacheDir: string;
  events: number;
  rounds: number;
  log?: (line: string) => void;
}

const SECRETARY: Caller = { role: 'secretary' };

export async function runAgenda(o: AgendaOptions): Promise<{ report: BenchReport; candidates: number; rawRows: number }> {
  const templates = Math.min(o.events, o.events >= 1_000_000 ? 50_000 : 5_000);
  const data = await ensureEventsReplica(o.cacheDir, o.events, templates, o.log ?? (() => undefined));
  // Opening the replica runs migration 0008 on a cached file made before it.
  const replica = await Replica.open({ file: data.file, town: data.town, log: { info: () => undefined, warn: () => undefined } });
  const service = createReplicaService({ replica, meetingDb: replica.store(), clock: Date.now, log: { error: (m, d) => console.error(m, d) } });
  const raw = openRaw(data.file, true);
  try {
    const events = raw.prepare(EVENT_CANDIDATES_SQL);
    const hotspots = raw.prepare(HOTSPOT_SQL);
    const serviceMs: number[] = [];
    const rawMs: number[] = [];
    let candidates = 0;
    let rawRows = 0;
    for (let round = 0; round < o.rounds; round++) {
      const params = candidateParams({ nowMs: Date.now(), limit: AGENDA_DEFAULTS.limit });
      let t0 = performance.now();
      rawRows = events.all(params.events).length + hotspots.all(params.hotspots).length;
      rawMs.push(performance.now() - t0);
      t0 = performance.now();
      const answer = (await service.handle('meeting.candidates', {}, SECRETARY)) as ApiResponse<ResultOf<'meeting.candidates'>>;
      serviceMs.push(performance.now() - t0);
      if (!answer.ok) throw new Error(`meeting.candidates: ${answer.error.message}`);
      candidates = answer.result.length;
    }
    const s = median(serviceMs);
    const r = median(rawMs);
    const ratio = s / r;
    return {
      candidates,
      rawRows,
      report: {
        name: 'agenda',
        title: `the meeting's agenda candidates over ${fmtInt(data.events)} events`,
        setup: `${o.rounds} rounds, each the same SQL directly, then meeting.candidates through the service`,
        rows: [{ name: 'agenda candidates (reasons, hotspots), median', value: fmtMs(s), baseline: fmtMs(r), ratio: fmtRatio(ratio), note: `${candidates} candidates from ${rawRows} rows` }],
        checks: [{ name: 'agenda through the service vs the same SQL', measured: fmtRatio(ratio), target: `≤ ${AGENDA_TARGETS.maxRatio}×`, pass: ratio <= AGENDA_TARGETS.maxRatio }],
        verified: [candidates <= rawRows ? 'ok the candidates come from the rows the SQL reads' : `WRONG ${candidates} candidates from ${rawRows} rows`],
      },
    };
  } finally {
    raw.close();
    await service.close();
    await replica.close();
  }
}
