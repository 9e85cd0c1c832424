// The register tables of the replica (migration 0013): the county's person, house,
// organisation, visit and mediation entities under the revision rule, and the rows the
// town writes itself before the county answers (pending_n: the outbox command). The
// replica's batch (replica/sync.ts) hands every register item here, inside its own
// transaction, so a batch and its cursor stay one write.
import { ChangeItemSchema } from '../../../core/sync/protocol';
import { idSuffix } from '../../../core/registers/id-number';
import { parseIso } from '../../../core/time/shanghai';
import { isRegisterType, parseRegisterEntity, type RegisterEntity, type RegisterType } from '../../../core/registers/types';
import type { SqliteDatabase, SqlValue, Statement } from '../db/sqlite';

export const REGISTER_TABLES: Readonly<Record<RegisterType, string>> = {
  person: 'reg_persons',
  house: 'reg_houses',
  organisation: 'reg_organisations',
  visit: 'reg_visits',
  mediation: 'reg_mediations',
};

/**
 * A row's SQL fragment: kept unless the town's command that wrote it was rejected by the
 * county. A negative pending_n is an import's row not yet committed (stagedMark: hidden).
 */
export const LIVE = (alias: string): string =>
  `(${alias}.pending_n IS NULL OR (${alias}.pending_n > 0 AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.n = ${alias}.pending_n AND o.state = 'rejected')))`;

/**
 * The pending_n of an import's rows written but not yet committed (import.ts): chunk k of
 * the file is staged as -(k + 1), hidden from every read (LIVE); the commit turns it into
 * its command's n in one pass (commitStaged).
 */
export const stagedMark = (chunk: number): number => -(chunk + 1);

/** The tables an import writes. */
export const IMPORT_TABLES = ['reg_persons', 'reg_houses', 'reg_organisations'] as const;

/** The text a register search matches: lower-cased name, address and the ID number's last four. */
export function searchText(...parts: readonly string[]): string {
  return parts.filter((p) => p !== '').join(' ').toLowerCase();
}

/** Column values of one entity, in the order of its table's insert. */
function columns(e: RegisterEntity): SqlValue[] {
  switch (e.type) {
    case 'person': {
      const p = e.value;
      const search = searchText(p.name, p.address, idSuffix(p.idNumber), p.phone.slice(-4));
      return [p.grid, p.house, p.name, p.idNumber, p.organisation, p.tags.join(','), p.pools.join(','), search];
    }
    case 'house': {
      const h = e.value;
      return [h.grid, h.address, h.location?.lon ?? null, h.location?.lat ?? null, searchText(h.address)];
    }
    case 'organisation': {
      const o = e.value;
      return [o.grid, o.name, o.address, o.location?.lon ?? null, o.location?.lat ?? null, searchText(o.name, o.address)];
    }
    case 'visit':
      return [e.value.house, e.value.grid, e.value.worker, parseIso(e.value.at)];
    case 'mediation':
      return [e.value.grid, parseIso(e.value.openedAt), e.value.status];
  }
}

const COLUMN_NAMES: Readonly<Record<RegisterType, string>> = {
  person: 'grid, house, name, id_number, organisation, tags, pools, search',
  house: 'grid, address, lon, lat, search',
  organisation: 'grid, name, address, lon, lat, search',
  visit: 'house, grid, worker, at_ms',
  mediation: 'grid, opened_ms, status',
};

interface TypeStatements {
  rev: Statement<{ rev: number; pending_n: number | null }>;
  put: Statement;
  del: Statement;
}

function prepare(db: SqliteDatabase): Record<RegisterType, TypeStatements> {
  const out = {} as Record<RegisterType, TypeStatements>;
  for (const type of Object.keys(REGISTER_TABLES) as RegisterType[]) {
    const table = REGISTER_TABLES[type];
    const cols = COLUMN_NAMES[type];
    const marks = cols.split(',').map(() => '?').join(', ');
    const updates = cols.split(',').map((c) => `${c.trim()} = excluded.${c.trim()}`).join(', ');
    out[type] = {
      rev: db.prepare(`SELECT rev, pending_n FROM ${table} WHERE id = ?`),
      put: db.prepare(
        `INSERT INTO ${table} (id, rev, data, pending_n, ${cols}) VALUES (?, ?, ?, ?, ${marks})
         ON CONFLICT (id) DO UPDATE SET rev = excluded.rev, data = excluded.data, pending_n = excluded.pending_n, ${updates}`,
      ),
      del: db.prepare(`DELETE FROM ${table} WHERE id = ?`),
    };
  }
  return out;
}

export type RegisterItemResult = { ok: true; changed: boolean } | { ok: false; reason: string };

export class RegisterTables {
  private readonly s: Record<RegisterType, TypeStatements>;
  private readonly tombstone: Statement<{ rev: number }>;
  private readonly putTombstone: Statement;
  private readonly dropTombstone: Statement;
  private readonly unsettled: Statement<{ n: number }>;
  private readonly setRev: Record<RegisterType, Statement>;

  constructor(readonly db: SqliteDatabase) {
    this.s = prepare(db);
    this.tombstone = db.prepare('SELECT rev FROM tombstones WHERE type = ? AND id = ?');
    this.putTombstone = db.prepare('INSERT INTO tombstones (type, id, rev) VALUES (?, ?, ?) ON CONFLICT (type, id) DO UPDATE SET rev = excluded.rev');
    this.dropTombstone = db.prepare('DELETE FROM tombstones WHERE type = ? AND id = ?');
    this.unsettled = db.prepare("SELECT n FROM outbox WHERE n = ? AND state <> 'rejected'");
    this.setRev = Object.fromEntries((Object.keys(REGISTER_TABLES) as RegisterType[]).map((t) => [t, db.prepare(`UPDATE ${REGISTER_TABLES[t]} SET rev = ? WHERE id = ?`)])) as Record<RegisterType, Statement>;
  }

  /** Is this raw change item one of the registers' (by its type)? */
  static handles(raw: unknown): boolean {
    return typeof raw === 'object' && raw !== null && isRegisterType((raw as { type?: unknown }).type);
  }

  /**
   * One change item of a register type, inside the batch's transaction, under the revision
   * rule. `lastN`: the town's last command the county has settled (the batch's). A row the
   * town wrote with a command the county has not settled yet (a later edit of the same
   * entry) stays as the town wrote it; the county's revision is noted, its version comes
   * again with that command's.
   */
  applyItem(raw: unknown, lastN: number | null = null): RegisterItemResult {
    const item = ChangeItemSchema.safeParse(raw);
    if (!item.success || !isRegisterType(item.data.type)) return { ok: false, reason: 'invalid register change item' };
    const { type, op, id, rev, data } = item.data;
    const st = this.s[type];
    const row = st.rev.get(id);
    if (op === 'put' && row && row.pending_n !== null && row.pending_n > 0 && (lastN === null || lastN < row.pending_n) && this.unsettled.get(row.pending_n)) {
      this.setRev[type].run(Math.max(rev, row.rev), id);
      return { ok: true, changed: false };
    }
    // A row the town wrote itself (pending_n) has the county's version replace it whatever its rev.
    const held = row && row.pending_n === null ? row.rev : (this.tombstone.get(type, id)?.rev ?? 0);
    if (rev <= held) return { ok: true, changed: false };
    if (op === 'del') {
      this.putTombstone.run(type, id, rev);
      if (!row) return { ok: true, changed: false };
      st.del.run(id);
      return { ok: true, changed: true };
    }
    const parsed = parseRegisterEntity(type, id, data);
    if (!parsed.ok) return { ok: false, reason: `invalid ${type} ${JSON.stringify(id.slice(0, 64))}: ${parsed.reason}` };
    if (held > 0 && !row) this.dropTombstone.run(type, id);
    this.write(parsed.entity, rev, null);
    return { ok: true, changed: true };
  }

  /** Writes one entity's row (the county's, or the town's own with its outbox command's n). */
  write(e: RegisterEntity, rev: number, pendingN: number | null): void {
    const { id: _id, ...data } = e.value as { id: string };
    this.s[e.type].put.run(e.id, rev, JSON.stringify(data), pendingN, ...columns(e));
  }

  /** The current rev of a row (0 when absent): a town's edit keeps it until the county's version arrives. */
  revOf(type: RegisterType, id: string): number {
    return this.s[type].rev.get(id)?.rev ?? 0;
  }

  /**
   * An import's staged rows committed: chunk k (pending_n -(k + 1)) becomes command
   * firstN + k (the outbox numbers one transaction's commands consecutively). One pass
   * over each table, whatever the number of chunks.
   */
  commitStaged(type: RegisterType, firstN: number): number {
    return this.db.prepare(`UPDATE ${REGISTER_TABLES[type]} SET pending_n = ? - 1 - pending_n WHERE pending_n < 0`).run(firstN).changes;
  }

  /** Drops every staged row: an import that failed or a service that stopped mid-import. */
  dropStaged(): number {
    let dropped = 0;
    for (const table of IMPORT_TABLES) dropped += this.db.prepare(`DELETE FROM ${table} WHERE pending_n < 0`).run().changes;
    return dropped;
  }

  /** A reset (a full snapshot follows): the county's rows go, the town's unsettled ones stay. */
  reset(): void {
    for (const table of Object.values(REGISTER_TABLES)) this.db.exec(`DELETE FROM ${table} WHERE pending_n IS NULL`);
  }
}
