// What the replica stores beside an event's JSON so that a list query over a million
// events filters and sorts on indexed columns and parses only the page it returns.
import type { GridEvent } from '../../../core/model';
import { overdueRiskBound, riskKey } from '../../../core/events/risk';
import { parseIso } from '../../../core/time/shanghai';
import type { EventScope } from '../../../core/privacy/scope';

// The risk order is core's (the console places pushed events with the same key).
export { overdueRiskBound, riskKey };

export interface EventColumns {
  code: string;
  status: string;
  category: string;
  grid: string;
  source: string;
  urgency: string;
  reported_at: number;
  risk: number;
}

export function eventColumns(event: GridEvent): EventColumns {
  return {
    code: event.code,
    status: event.status,
    category: event.category,
    grid: event.grid,
    source: event.source,
    urgency: event.urgency,
    reported_at: parseIso(event.reportedAt),
    risk: riskKey(event),
  };
}

/** The searchable text of an event, in the order of the events_fts columns. */
export function searchText(event: GridEvent): [string, string, string, string] {
  return [event.code, event.title, event.description, event.location.address];
}

// The highest code point: every string that starts with a prefix sorts (SQLite's
// BINARY collation, i.e. UTF-8 bytes) between the prefix and prefix + this.
const TOP = '\u{10FFFF}';

/** [low, high) bounds of the strings starting with `prefix`, for an index range scan. */
export function prefixRange(prefix: string): [string, string] {
  return [prefix, prefix + TOP];
}

export type TextQuery = { kind: 'match'; query: string } | { kind: 'like'; pattern: string } | null;

/**
 * The search box's text as an FTS5 query. With the trigram tokenizer a phrase of
 * three or more characters is a substring match through the index; shorter text has
 * no trigram, so it falls back to LIKE (a scan). The text is always a bound value.
 */
export function textQuery(text: string | undefined): TextQuery {
  // SQLite reads an FTS5 query and a LIKE pattern as C strings: a NUL would end the
  // quoted phrase early (an FTS5 syntax error) or cut the pattern short. No stored text
  // is searched for one, so it is dropped.
  const t = (text ?? '').split('\u0000').join('').trim();
  if (t === '') return null;
  if ([...t].length >= 3) return { kind: 'match', query: `"${t.replace(/"/g, '""')}"` };
  return { kind: 'like', pattern: `%${t.replace(/[\\%_]/g, (c) => `\\${c}`)}%` };
}

// ---------------------------------------------------------------- the queue's filters as SQL

/** The filters of events.list and events.counts (core/api/contract.ts), as the service receives them. */
export interface EventFilter {
  status?: readonly string[] | undefined;
  overdue?: boolean | undefined;
  category?: string | undefined;
  grid?: string | undefined;
  source?: string | undefined;
  urgency?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  text?: string | undefined;
  /** Only these event ids (an assessment figure's drill-down). */
  ids?: readonly string[] | undefined;
  /** A scoped caller's confinement (core/privacy/scope.ts), never from the request itself. */
  scope?: EventScope | null | undefined;
}

/**
 * The WHERE conditions (over the `events` table) and their bound values for a filter.
 * Category and grid are code prefixes (a village's code selects its grids); values are
 * always bound, never spliced into the SQL.
 */
export function eventFilterSql(filter: EventFilter, nowMs: number, options: ScopeSqlOptions = {}): { where: string[]; params: (string | number)[] } {
  const where: string[] = [];
  const params: (string | number)[] = [];
  const statuses = [...new Set(filter.status ?? [])];
  if (statuses.length > 0) {
    where.push(`status IN (${statuses.map(() => '?').join(', ')})`);
    params.push(...statuses);
  }
  if (filter.overdue === true) {
    where.push('risk < ?');
    params.push(overdueRiskBound(nowMs));
  }
  for (const column of ['category', 'grid'] as const) {
    const prefix = filter[column];
    if (prefix === undefined || prefix === '') continue;
    where.push(`${column} >= ? AND ${column} < ?`);
    params.push(...prefixRange(prefix));
  }
  if (filter.source !== undefined) {
    where.push('source = ?');
    params.push(filter.source);
  }
  if (filter.urgency !== undefined) {
    where.push('urgency = ?');
    params.push(filter.urgency);
  }
  if (filter.from !== undefined) {
    where.push('reported_at >= ?');
    params.push(parseIso(filter.from));
  }
  if (filter.to !== undefined) {
    where.push('reported_at <= ?');
    params.push(parseIso(filter.to));
  }
  const text = textQuery(filter.text);
  if (text?.kind === 'match') {
    where.push('seq IN (SELECT rowid FROM events_fts WHERE events_fts MATCH ?)');
    params.push(text.query);
  } else if (text?.kind === 'like') {
    // The unary + keeps SQLite from running one full scan per column (a multi-index OR).
    const like = ['code', 'title', 'description', 'address'].map((c) => `+${c} LIKE ? ESCAPE '\\'`).join(' OR ');
    where.push(`seq IN (SELECT rowid FROM events_fts WHERE ${like})`);
    params.push(text.pattern, text.pattern, text.pattern, text.pattern);
  }
  if (filter.ids !== undefined) {
    where.push('id IN (SELECT value FROM json_each(?))');
    params.push(JSON.stringify(filter.ids));
  }
  if (filter.scope) scopeSql(filter.scope, where, params, options);
  return { where, params };
}

export interface ScopeSqlOptions {
  /**
   * A page of a department with many events: walk the queue's own order (the risk or
   * report index) and test each row against the department's set, rather than look up
   * every event of the department and sort them (`+seq` keeps SQLite from driving the
   * query by the set). Counting never walks: it looks the department's events up.
   */
  walkDepartment?: boolean;
}

/**
 * A scope (core/privacy/scope.ts, eventInScope) as conditions over `events`: the grids
 * through the indexed grid column (`grid IN (…)`), a department through its rows of
 * `event_parties` (departmentsOf, kept by event-rows.ts): both index ranges.
 */
export function scopeSql(scope: EventScope, where: string[], params: (string | number)[], options: ScopeSqlOptions = {}): void {
  if (scope.grids !== undefined) {
    const grids = [...new Set(scope.grids)];
    where.push(grids.length === 0 ? '0' : `grid IN (${grids.map(() => '?').join(', ')})`);
    params.push(...grids);
  }
  if (scope.department !== undefined) {
    where.push(`${options.walkDepartment ? '+seq' : 'seq'} IN (SELECT seq FROM event_parties WHERE party = ?)`);
    params.push(scope.department);
  }
}
