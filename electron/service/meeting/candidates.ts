// The agenda's candidates (meeting.candidates), gathered with SQL from the replica: the
// open events that are hard cases, each with its reasons, and the hotspots (one category
// reported again and again in one grid). The reasons' rules are core/meeting/model.ts's
// list; the thresholds are its AGENDA_DEFAULTS unless the call names others.
//
// One statement reads the open events (the status index range) and, from each event's
// document (its view, else the county's base), the figures the reasons need; the flags
// are computed in SQL so that only the events with a reason come back to JavaScript.
import { OPEN_STATUSES } from '../../../core/model';
import { overdueRiskBound, RISK_GROUP } from '../../../core/events/risk';
import { AGENDA_DEFAULTS, type Candidate, type Reason } from '../../../core/meeting/model';
import { parseIso } from '../../../core/time/shanghai';
import type { SqliteDatabase } from '../db/sqlite';
import { stmt } from '../people/store';

const DOC = 'coalesce(d.view, d.base)';
const OPEN = OPEN_STATUSES.map((s) => `'${s}'`).join(', ');

/** The open events with at least one reason, most pressing first (the risk order). */
export const EVENT_CANDIDATES_SQL = `
  SELECT id, code, title, grid, category, status, overdue, returns, rework, supervision, coop, sent_back, suspended_at FROM (
    SELECT e.id, e.code, e.grid, e.category, e.status, e.risk,
      json_extract(${DOC}, '$.title') AS title,
      (e.risk < @overdueBound) AS overdue,
      (SELECT count(*) FROM json_each(${DOC}, '$.history') h WHERE json_extract(h.value, '$.action') = 'event.return') AS returns,
      coalesce(json_extract(${DOC}, '$.reworkCount'), 0) AS rework,
      coalesce(json_extract(${DOC}, '$.supervisionCount'), 0) AS supervision,
      coalesce(json_array_length(${DOC}, '$.assignee.cooperating'), 0) AS coop,
      (e.status <> 'escalated' AND EXISTS (SELECT 1 FROM json_each(${DOC}, '$.history') h WHERE json_extract(h.value, '$.action') = 'event.escalate')) AS sent_back,
      CASE WHEN e.status = 'suspended' THEN (SELECT max(json_extract(h.value, '$.at')) FROM json_each(${DOC}, '$.history') h WHERE json_extract(h.value, '$.action') = 'event.suspend') END AS suspended_at
    FROM events e JOIN event_docs d ON d.seq = e.seq
    WHERE e.status IN (${OPEN})
  )
  WHERE overdue OR returns >= @returnedMin OR rework > 0 OR supervision > 0 OR coop > 0 OR sent_back OR suspended_at IS NOT NULL
  ORDER BY risk
  LIMIT @scan`;

/** One category reported @hotspotMin times or more in one grid since @since: a hotspot, not one case. */
export const HOTSPOT_SQL = `
  SELECT grid, category, count(*) AS n FROM events
  WHERE reported_at >= @since
  GROUP BY grid, category HAVING count(*) >= @hotspotMin
  ORDER BY n DESC, grid, category
  LIMIT @limit`;

interface EventRow {
  id: string;
  code: string;
  title: string | null;
  grid: string;
  category: string;
  status: string;
  overdue: number;
  returns: number;
  rework: number;
  supervision: number;
  coop: number;
  sent_back: number;
  suspended_at: string | null;
}

export interface CandidateOptions {
  nowMs: number;
  suspendedDays?: number | undefined;
  hotspotMin?: number | undefined;
  limit: number;
  names: { grid(code: string): string; category(code: string): string };
}

/** The parameters of both statements (the benchmark runs the same SQL directly with them). */
export function candidateParams(o: Pick<CandidateOptions, 'nowMs' | 'hotspotMin' | 'limit'>) {
  const hotspotDays = AGENDA_DEFAULTS.hotspotDays;
  return {
    events: { overdueBound: Math.min(overdueRiskBound(o.nowMs), RISK_GROUP), returnedMin: AGENDA_DEFAULTS.returnedMin, scan: o.limit * 4 },
    hotspots: { since: o.nowMs - hotspotDays * 86_400_000, hotspotMin: o.hotspotMin ?? AGENDA_DEFAULTS.hotspotMin, limit: o.limit },
  };
}

/** The event and hotspot candidates (the follow-ups of decisions are added by the caller). */
export function gatherCandidates(db: SqliteDatabase, o: CandidateOptions): Candidate[] {
  const params = candidateParams(o);
  const suspendedMs = (o.suspendedDays ?? AGENDA_DEFAULTS.suspendedDays) * 86_400_000;
  const out: Candidate[] = [];
  for (const row of stmt<EventRow>(db, EVENT_CANDIDATES_SQL).all(params.events)) {
    const reasons = eventReasons(row, o.nowMs, suspendedMs);
    if (reasons.length === 0) continue;
    out.push({
      kind: 'event',
      key: row.id,
      title: row.title ?? row.code,
      eventId: row.id,
      code: row.code,
      grid: row.grid,
      category: row.category,
      status: row.status,
      reasons,
      onAgenda: false,
    });
    if (out.length >= o.limit) break;
  }
  const days = AGENDA_DEFAULTS.hotspotDays;
  for (const h of stmt<{ grid: string; category: string; n: number }>(db, HOTSPOT_SQL).all(params.hotspots)) {
    out.push({
      kind: 'hotspot',
      key: hotspotKey(h.grid, h.category),
      title: `${o.names.grid(h.grid)}${days}天内${h.n}次反映“${o.names.category(h.category)}”问题`,
      eventId: null,
      code: null,
      grid: h.grid,
      category: h.category,
      status: null,
      reasons: [{ code: 'hotspot', text: `同一网格同类问题${days}天内${h.n}次` }],
      onAgenda: false,
    });
  }
  return out;
}

export const hotspotKey = (grid: string, category: string): string => `hotspot:${grid}:${category}`;

function eventReasons(row: EventRow, nowMs: number, suspendedMs: number): Reason[] {
  const reasons: Reason[] = [];
  if (row.overdue) reasons.push({ code: 'overdue', text: '超期未办结' });
  if (row.returns >= AGENDA_DEFAULTS.returnedMin) reasons.push({ code: 'returned', text: `部门退回${row.returns}次` });
  if (row.rework > 0) reasons.push({ code: 'reworked', text: `返工${row.rework}次` });
  if (row.suspended_at !== null) {
    const days = Math.floor((nowMs - safeParse(row.suspended_at)) / 86_400_000);
    if (nowMs - safeParse(row.suspended_at) > suspendedMs) reasons.push({ code: 'suspended', text: `挂账${days}天` });
  }
  if (row.supervision > 0) reasons.push({ code: 'supervised', text: `已督办${row.supervision}次` });
  if (row.coop > 0) reasons.push({ code: 'multiDepartment', text: `需${row.coop + 1}个部门协同` });
  if (row.sent_back) reasons.push({ code: 'sentBack', text: '上报县级后被退回乡镇' });
  return reasons;
}

/** A suspension without a readable time counts from the epoch: it is old. */
function safeParse(iso: string): number {
  try {
    return parseIso(iso);
  } catch {
    return 0;
  }
}
