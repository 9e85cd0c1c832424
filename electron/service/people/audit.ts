// The audit trail: an append-only, hash-chained table of the replica (audit_log,
// migration 0006). Each entry's hash is the SHA-256 of the previous entry's hash and
// the canonical JSON of its own fields; the first entry follows 64 zeros. An entry is
// appended inside a write transaction that reads the last hash, so the chain continues
// across restarts and a crash mid-write leaves either the whole entry or nothing.
// SQLite triggers abort any UPDATE or DELETE; `verifyAudit` finds what was changed
// behind their back (the file edited with the triggers dropped).
import { createHash } from 'node:crypto';
import type { ParsedArgsOf } from '../../../core/api/contract';
import type { AuditEntry, AuditKind } from '../../../core/api/people';
import { parseIso, toIso } from '../../../core/time/shanghai';
import { clip } from '../../../core/util/text';
import type { SqliteDatabase, SqlValue, Statement } from '../db/sqlite';

export const GENESIS_HASH = '0'.repeat(64);

/** What a caller records; the trail adds the number, the time and the hashes. */
export interface AuditInput {
  kind: AuditKind;
  actorId: string | null;
  actorName: string;
  role: string;
  /** `window:console`, `remote:192.168.1.20`, `… device:d-…`, `cli` (seat.ts). */
  seat: string;
  action: string;
  target?: string | null;
  detail?: string;
}

interface AuditRow {
  seq: number;
  at: string;
  kind: string;
  actor_id: string | null;
  actor_name: string;
  role: string;
  seat: string;
  action: string;
  target: string | null;
  detail: string;
  prev_hash: string;
  hash: string;
}

/** The fields an entry's hash covers, as canonical JSON (keys sorted, no whitespace). */
export function canonicalEntry(row: Omit<AuditRow, 'prev_hash' | 'hash'>): string {
  const fields: Record<string, SqlValue> = {
    action: row.action,
    actorId: row.actor_id,
    actorName: row.actor_name,
    at: row.at,
    detail: row.detail,
    kind: row.kind,
    role: row.role,
    seat: row.seat,
    seq: row.seq,
    target: row.target,
  };
  return JSON.stringify(fields, Object.keys(fields).sort());
}

export const entryHash = (prevHash: string, row: Omit<AuditRow, 'prev_hash' | 'hash'>): string =>
  createHash('sha256').update(prevHash, 'utf8').update(canonicalEntry(row), 'utf8').digest('hex');

const statements = new WeakMap<SqliteDatabase, { last: Statement<{ seq: number; hash: string }>; insert: Statement }>();

function prepared(db: SqliteDatabase) {
  let s = statements.get(db);
  if (!s) {
    s = {
      last: db.prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1'),
      insert: db.prepare(
        `INSERT INTO audit_log (seq, at, kind, actor_id, actor_name, role, seat, action, target, detail, prev_hash, hash)
         VALUES (@seq, @at, @kind, @actor_id, @actor_name, @role, @seat, @action, @target, @detail, @prev_hash, @hash)`,
      ),
    };
    statements.set(db, s);
  }
  return s;
}

/**
 * Appends one entry; must run inside a write transaction (the one of the change it
 * records, when there is one: the entry commits or rolls back with it).
 */
export function appendAuditIn(db: SqliteDatabase, input: AuditInput, atMs: number): AuditEntry {
  if (!db.inTransaction) throw new Error('an audit entry is appended inside a write transaction');
  const s = prepared(db);
  const last = s.last.get();
  const row = {
    seq: (last?.seq ?? 0) + 1,
    at: toIso(atMs),
    kind: input.kind,
    actor_id: input.actorId === null ? null : clip(input.actorId, 128),
    actor_name: clip(input.actorName, 64),
    role: clip(input.role, 32),
    seat: clip(input.seat, 200),
    action: clip(input.action, 128),
    target: input.target == null ? null : clip(input.target, 128),
    detail: clip(input.detail ?? '', 2000),
  };
  const prev_hash = last?.hash ?? GENESIS_HASH;
  const hash = entryHash(prev_hash, row);
  s.insert.run({ ...row, prev_hash, hash });
  return toEntry({ ...row, prev_hash, hash });
}

function toEntry(row: AuditRow): AuditEntry {
  return {
    seq: row.seq,
    at: row.at,
    kind: row.kind as AuditKind,
    actorId: row.actor_id,
    actorName: row.actor_name,
    role: row.role,
    seat: row.seat,
    action: row.action,
    target: row.target,
    detail: row.detail,
    hash: row.hash,
  };
}

export type AuditVerdict =
  | { ok: true; count: number }
  | { ok: false; count: number; broken: { seq: number; at: string; kind: string; reason: string } };

const VERIFY_PAGE = 1000;

/**
 * Walks the whole chain: every entry must follow the previous one's hash (none removed,
 * none inserted) and hash to what it holds (none changed). Answers the number of
 * entries, or the first one that breaks the chain (`count`: the intact ones before it).
 */
export function verifyAudit(db: SqliteDatabase): AuditVerdict {
  const page = db.prepare<AuditRow>('SELECT * FROM audit_log WHERE seq > ? ORDER BY seq LIMIT ?');
  let prev = GENESIS_HASH;
  let expectedSeq = 1;
  let count = 0;
  for (;;) {
    const rows = page.all(expectedSeq - 1, VERIFY_PAGE);
    for (const row of rows) {
      const reason =
        row.seq !== expectedSeq
          ? `序号不连续(应为 ${expectedSeq}),其前的记录被删除`
          : row.prev_hash !== prev
            ? '与前一条记录的哈希不相接,其前的记录被删除或改动'
            : entryHash(prev, row) !== row.hash
              ? '内容与其哈希不符,此条记录被改动'
              : null;
      if (reason) return { ok: false, count, broken: { seq: row.seq, at: row.at, kind: row.kind, reason } };
      prev = row.hash;
      expectedSeq++;
      count++;
    }
    if (rows.length < VERIFY_PAGE) return { ok: true, count };
  }
}

/** The trail, newest first, under the filters of audit.list; `total` ignores the paging. */
export function listAudit(db: SqliteDatabase, args: ParsedArgsOf<'audit.list'>): { entries: AuditEntry[]; total: number } {
  const where: string[] = [];
  const params: Record<string, SqlValue> = {};
  const add = (sql: string, key: string, value: SqlValue | undefined): void => {
    if (value === undefined) return;
    where.push(sql);
    params[key] = value;
  };
  add('kind = @kind', 'kind', args.kind);
  add('actor_id = @actor', 'actor', args.actorId);
  add('target = @target', 'target', args.target);
  // Entries hold Shanghai times in one format: normalised bounds compare as text.
  add('at >= @from', 'from', args.from === undefined ? undefined : toIso(parseIso(args.from)));
  add('at <= @to', 'to', args.to === undefined ? undefined : toIso(parseIso(args.to)));
  const filter = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
  const total = db.prepare<{ c: number }>(`SELECT COUNT(*) AS c FROM audit_log ${filter}`).get(params)?.c ?? 0;
  const page = [...where, ...(args.before !== undefined ? ['seq < @before'] : [])];
  const rows = db
    .prepare<AuditRow>(`SELECT * FROM audit_log ${page.length > 0 ? `WHERE ${page.join(' AND ')}` : ''} ORDER BY seq DESC LIMIT @limit`)
    .all({ ...params, ...(args.before !== undefined ? { before: args.before } : {}), limit: args.limit });
  return { entries: rows.map(toEntry), total };
}
