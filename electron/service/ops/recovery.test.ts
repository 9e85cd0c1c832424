// Backups (backup.ts, maintenance.ts) and the recovery of a damaged replica (recovery.ts)
// on real SQLite files: the backup set is checked and bounded; a file damaged on purpose
// is moved aside, the newest good backup restored, and the unsent commands salvaged.
import { closeSync, existsSync, openSync, readdirSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqlite } from '../../../node-common/sqlite';
import { Replica } from '../replica/replica';
import { DISPATCHER, T0, createArgs, seededReplica, tempDir } from '../replica/test-fixtures';
import { backupClosed, checkFile, listBackups, msUntilHour, stamp } from './backup';
import { Maintenance, prepareReplicaFile } from './maintenance';
import { damageOf, recoverIfDamaged, restoreBackup } from './recovery';

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => {
  tmp = tempDir();
});
afterEach(() => tmp.cleanup());

const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** A replica with `n` commands in its outbox (unsent: no county here). */
async function withCommands(file: string, n: number, from = 1): Promise<Replica> {
  const { replica } = await seededReplica(file);
  for (let i = from; i < from + n; i++) {
    const out = replica.command('event.create', createArgs({ id: `e${i}`, title: `路灯损坏 ${i}` }), DISPATCHER, T0 + i * 1000);
    expect(out.ok).toBe(true);
  }
  return replica;
}

/** Writes garbage over the pages of one index: integrity_check fails, the outbox stays readable. */
function damageIndex(file: string, index: string): void {
  const db = openSqlite<{ prepare(s: string): { get(): unknown }; pragma(s: string, o: { simple: true }): unknown; close(): void }>(file, { readonly: true });
  const root = (db.prepare(`SELECT rootpage FROM sqlite_master WHERE name = '${index}'`).get() as { rootpage: number }).rootpage;
  const pageSize = Number(db.pragma('page_size', { simple: true }));
  db.close();
  const fd = openSync(file, 'r+');
  writeSync(fd, Buffer.alloc(pageSize, 0xa5), 0, pageSize, (root - 1) * pageSize);
  closeSync(fd);
}

function garbage(file: string): void {
  const fd = openSync(file, 'r+');
  writeSync(fd, Buffer.from('this is not a database any more '.repeat(200)), 0, 6_400, 0);
  closeSync(fd);
}

describe('backups', () => {
  it('writes checked online backups while the replica is open and keeps the newest N', async () => {
    const replica = await withCommands(tmp.file('r.db'), 2);
    const dir = tmp.file('backups');
    const maintenance = new Maintenance({ db: replica.store().db, backupDir: dir, keep: 3, log: quiet, now: (() => { let t = T0; return () => (t += 1_000); })() });
    for (let i = 0; i < 5; i++) expect(await maintenance.backupNow()).not.toBeNull();
    const kept = listBackups(dir);
    expect(kept).toHaveLength(3);
    expect(kept.map((b) => checkFile(b.file))).toEqual(['ok', 'ok', 'ok']);
    expect(readdirSync(dir).some((n) => n.endsWith('.partial'))).toBe(false);
    // A backup is a replica: the same id, the same unsent commands.
    const copy = await Replica.open({ file: kept[2]!.file, town: replica.town });
    expect([copy.replicaId, copy.unsentCount()]).toEqual([replica.replicaId, 2]);
    await copy.close();
    expect(maintenance.checkNow()).toBe('ok');
    await replica.close();
  });

  it('backs a closed file up with VACUUM INTO, and names backups in Shanghai time', async () => {
    const replica = await withCommands(tmp.file('r.db'), 1);
    await replica.close();
    const info = backupClosed(tmp.file('r.db'), tmp.file('b'), { now: Date.parse('2026-12-03T19:30:05Z'), kind: 'premigration' });
    expect(info.file).toMatch(/replica-20261204-033005-premigration\.sqlite$/);
    expect(checkFile(info.file)).toBe('ok');
    expect(stamp(Date.parse('2026-12-31T16:00:00Z'))).toBe('20270101-000000');
    expect(msUntilHour(Date.parse('2026-12-03T18:59:00Z'), 3)).toBe(60_000);
    expect(msUntilHour(Date.parse('2026-12-03T19:00:00Z'), 3)).toBe(86_400_000);
  });
});

describe('a damaged replica at start', () => {
  it('is moved aside, the backup restored, and the unsent commands salvaged from the damaged file', async () => {
    const file = tmp.file('r.db');
    const backups = tmp.file('backups');
    const replica = await withCommands(file, 2);
    const id = replica.replicaId;
    await new Maintenance({ db: replica.store().db, backupDir: backups, log: quiet }).backupNow();
    // Two more commands after the backup: they exist only in the file that gets damaged.
    for (const i of [3, 4]) replica.command('event.create', createArgs({ id: `e${i}`, title: `井盖缺失 ${i}` }), DISPATCHER, T0 + i * 1000);
    await replica.close();
    damageIndex(file, 'events_risk');
    expect(damageOf(file)).toMatch(/完整性检查未通过/);

    const report = await prepareReplicaFile(file, { backupDir: backups, log: quiet, now: () => T0 });
    expect(report).toMatchObject({ salvagedUnsent: 4, restoredFrom: listBackups(backups)[0]!.file });
    expect(report?.message).toMatch(/本地数据库已损坏.*已移至.*已从备份.*抢救出 4 条未发送的指令/);
    expect(existsSync(report!.movedTo)).toBe(true);
    expect(damageOf(file)).toBeNull();

    const back = await Replica.open({ file, town: replica.town });
    expect(back.replicaId).toBe(id);
    expect(back.unsentCount()).toBe(4);
    expect(back.state()).toMatchObject({ cursor: null, nextN: 5 });
    expect(back.nextOutbound()).toMatchObject({ n: 1, id: `${id}:1` });
    expect(back.integrityCheck()).toBe('ok');
    await back.close();
  });

  it('says so when nothing can be read, and takes the backup\'s commands; without a backup, a fresh replica', async () => {
    const file = tmp.file('r.db');
    const backups = tmp.file('backups');
    const replica = await withCommands(file, 2);
    await new Maintenance({ db: replica.store().db, backupDir: backups, log: quiet }).backupNow();
    await replica.close();
    garbage(file);
    const report = await recoverIfDamaged(file, { backupDir: backups, now: () => T0 });
    expect(report?.reason).toMatch(/不是 SQLite 数据库文件/);
    expect(report?.message).toMatch(/损坏文件中的指令无法读取,备份中 2 条未发送的指令/);
    const back = await Replica.open({ file, town: replica.town });
    expect([back.replicaId, back.unsentCount()]).toEqual([replica.replicaId, 2]);
    await back.close();

    // Without any backup, a file that is not SQLite may be something else given by mistake: refused, untouched.
    garbage(file);
    await expect(recoverIfDamaged(file, { backupDir: tmp.file('none'), now: () => T0 + 1_000 })).rejects.toThrow(/不是 SQLite 数据库文件.*文件未作任何改动/);
    expect(readdirSync(tmp.dir).filter((n) => n.startsWith('r.db.damaged-'))).toHaveLength(1);
  });

  it('without a backup, salvages a replica whose pages are damaged into a fresh one', async () => {
    const file = tmp.file('r.db');
    const replica = await withCommands(file, 3);
    await replica.close();
    damageIndex(file, 'events_risk');
    const report = await recoverIfDamaged(file, { backupDir: tmp.file('none'), now: () => T0 });
    expect(report).toMatchObject({ restoredFrom: null, salvagedUnsent: 3 });
    expect(report?.message).toMatch(/没有可用的备份,已新建本地副本;抢救出 3 条/);
    const back = await Replica.open({ file, town: replica.town });
    expect([back.replicaId, back.unsentCount(), back.state().nextN]).toEqual([replica.replicaId, 3, 4]);
    await back.close();
  });

  it('leaves a sound file, and another program\'s file, alone', async () => {
    const file = tmp.file('r.db');
    await (await withCommands(file, 1)).close();
    expect(await recoverIfDamaged(file)).toBeNull();
    const foreign = tmp.file('foreign.db');
    const db = openSqlite<{ exec(s: string): void; close(): void }>(foreign);
    db.exec('CREATE TABLE invoices (id INTEGER)');
    db.close();
    await expect(recoverIfDamaged(foreign)).rejects.toThrow(/不是 GridDeck 的本地副本/);
    expect(existsSync(join(tmp.dir, 'foreign.db'))).toBe(true);
  });
});

describe('the restore command', () => {
  it('puts a checked backup in place, moves the current file aside and keeps the commands given since', async () => {
    const file = tmp.file('r.db');
    const replica = await withCommands(file, 2);
    const backup = await new Maintenance({ db: replica.store().db, backupDir: tmp.file('backups'), log: quiet }).backupNow();
    replica.command('event.create', createArgs({ id: 'e9', title: '路灯损坏 9' }), DISPATCHER, T0 + 9_000);
    await replica.close();
    const report = await restoreBackup(file, backup!.file, { now: () => T0 });
    expect(report).toMatchObject({ restoredFrom: backup!.file, unsent: 3 });
    expect(existsSync(report.movedTo!)).toBe(true);
    const back = await Replica.open({ file, town: replica.town });
    expect([back.replicaId, back.unsentCount(), back.state().cursor]).toEqual([replica.replicaId, 3, null]);
    await back.close();
    garbage(backup!.file);
    await expect(restoreBackup(file, backup!.file)).rejects.toThrow(/未通过完整性检查/);
  });
});
