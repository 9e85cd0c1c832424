// The audit trail: a hash chain that continues across restarts, keeps an entry with the
// change it records (or neither), answers the admin's filters, and is found broken when
// a row is changed or removed behind the triggers' back.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openReplica, tempDir, T0, MINUTE } from '../replica/test-fixtures';
import type { Replica } from '../replica/replica';
import { GENESIS_HASH, appendAuditIn, entryHash, listAudit, verifyAudit, type AuditInput } from './audit';
import type { SqliteDatabase } from '../db/sqlite';

let tmp: ReturnType<typeof tempDir>;
let replica: Replica;
let clock: { now: number };
beforeEach(async () => {
  tmp = tempDir();
  ({ replica, clock } = await openReplica(tmp.file('replica.sqlite')));
});
afterEach(async () => {
  await replica.close();
  tmp.cleanup();
});

const entry = (n: number, extra: Partial<AuditInput> = {}): AuditInput => ({
  kind: 'login',
  actorId: `a-${n % 3}`,
  actorName: `用户${n % 3}`,
  role: 'dispatcher',
  seat: 'window:console',
  action: 'auth.login',
  detail: `第 ${n} 条`,
  ...extra,
});

function append(r: Replica, count: number, from = 1): void {
  const { db, write } = r.store();
  for (let n = from; n < from + count; n++) {
    write(() => appendAuditIn(db, entry(n), clock.now));
    clock.now += MINUTE;
  }
}

const rows = (db: SqliteDatabase) => db.prepare<{ seq: number; prev_hash: string; hash: string }>('SELECT seq, prev_hash, hash FROM audit_log ORDER BY seq').all();

describe('the audit chain', () => {
  it('links every entry to the previous hash, from 64 zeros, and verifies', () => {
    append(replica, 5);
    const { db } = replica.store();
    const chain = rows(db);
    expect(chain.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(chain[0]?.prev_hash).toBe(GENESIS_HASH);
    for (let i = 1; i < chain.length; i++) expect(chain[i]?.prev_hash).toBe(chain[i - 1]?.hash);
    expect(verifyAudit(db)).toEqual({ ok: true, count: 5 });
    // The hash is over the previous hash and the canonical entry: recomputed from the row.
    const first = db.prepare<Record<string, string | number | null>>('SELECT * FROM audit_log WHERE seq = 1').get() as never;
    expect(entryHash(GENESIS_HASH, first)).toBe(chain[0]?.hash);
  });

  it('refuses an append outside a write transaction', () => {
    expect(() => appendAuditIn(replica.store().db, entry(1), T0)).toThrow(/inside a write transaction/);
  });

  it('continues the chain after a restart', async () => {
    append(replica, 3);
    await replica.close();
    ({ replica } = await openReplica(tmp.file('replica.sqlite')));
    append(replica, 2, 4);
    expect(verifyAudit(replica.store().db)).toEqual({ ok: true, count: 5 });
    expect(rows(replica.store().db)[3]?.prev_hash).toBe(rows(replica.store().db)[2]?.hash);
  });

  it('keeps nothing of a write that fails after its entry (a crash mid-write): the chain stays whole', () => {
    append(replica, 2);
    const { db, write } = replica.store();
    expect(() =>
      write(() => {
        appendAuditIn(db, entry(3), clock.now);
        throw new Error('power cut');
      }),
    ).toThrow('power cut');
    append(replica, 1, 3);
    expect(rows(db).map((r) => r.seq)).toEqual([1, 2, 3]);
    expect(verifyAudit(db)).toEqual({ ok: true, count: 3 });
  });

  it('finds a changed row, a re-hashed row and a removed row (the triggers dropped by hand)', () => {
    append(replica, 6);
    const { db } = replica.store();
    db.exec('DROP TRIGGER audit_log_no_update');
    db.exec('DROP TRIGGER audit_log_no_delete');

    db.prepare("UPDATE audit_log SET detail = '无事发生' WHERE seq = 3").run();
    expect(verifyAudit(db)).toMatchObject({ ok: false, count: 2, broken: { seq: 3, kind: 'login', reason: expect.stringContaining('被改动') as unknown } });

    // The forger recomputes the changed row's hash: the next row no longer follows it.
    const row3 = db.prepare<Record<string, string | number | null>>('SELECT * FROM audit_log WHERE seq = 3').get() as never;
    db.prepare('UPDATE audit_log SET hash = ? WHERE seq = 3').run(entryHash(rows(db)[1]?.hash ?? '', row3));
    expect(verifyAudit(db)).toMatchObject({ ok: false, count: 3, broken: { seq: 4 } });

    // A removed row, on a clean chain.
    db.prepare('DELETE FROM audit_log').run();
    append(replica, 4);
    db.prepare('DELETE FROM audit_log WHERE seq = 2').run();
    expect(verifyAudit(db)).toMatchObject({ ok: false, count: 1, broken: { seq: 3, reason: expect.stringContaining('删除') as unknown } });
  });

  it('verifies a long chain in pages', () => {
    const { db, write } = replica.store();
    write(() => {
      for (let n = 1; n <= 2500; n++) appendAuditIn(db, entry(n), T0 + n * 1000);
    });
    expect(verifyAudit(db)).toEqual({ ok: true, count: 2500 });
  });
});

describe('audit.list', () => {
  it('filters by kind, person, target and time, newest first, and pages backwards', () => {
    const { db, write } = replica.store();
    write(() => {
      for (let n = 1; n <= 30; n++) {
        appendAuditIn(db, entry(n, n % 5 === 0 ? { kind: 'command', action: 'event.accept', target: `ev-${n}` } : {}), T0 + n * MINUTE);
      }
    });
    const all = listAudit(db, { limit: 10 });
    expect(all.total).toBe(30);
    expect(all.entries.map((e) => e.seq)).toEqual([30, 29, 28, 27, 26, 25, 24, 23, 22, 21]);
    expect(listAudit(db, { limit: 10, before: 21 }).entries[0]?.seq).toBe(20);
    const commands = listAudit(db, { kind: 'command', limit: 100 });
    expect(commands.total).toBe(6);
    expect(commands.entries.every((e) => e.kind === 'command' && e.action === 'event.accept')).toBe(true);
    expect(listAudit(db, { target: 'ev-10', limit: 100 }).entries.map((e) => e.seq)).toEqual([10]);
    expect(listAudit(db, { actorId: 'a-1', limit: 100 }).total).toBe(10);
    // Times in any offset: 09:05 Shanghai is 01:05Z.
    const window = listAudit(db, { from: '2026-11-30T01:05:00Z', to: '2026-11-30T09:07:00+08:00', limit: 100 });
    expect(window.entries.map((e) => e.seq)).toEqual([7, 6, 5]);
  });
});
