// The registers' import through the data service (registers.import.*): the dispatcher
// imports for the town, a village into its own grids only; a bad part, an oversized or a non-Excel file get a clear
// answer; a file sent in parts is read to its last row (progress reaches the total) and
// imported all or nothing; the rejected rows come back masked, also as an Excel file;
// every import is in the audit trail; other calls are answered while one runs; the map
// layers are bounded by a box and a limit.
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Caller } from '../../../core/api/channels';
import type { MethodName, ResultOf } from '../../../core/api/contract';
import { REGISTER_IMPORT_MAX_BYTES } from '../../../core/api/registers';
import { makeIdNumber, SYNTHETIC_REGION } from '../../../core/registers/id-number';
import { People } from '../people/people';
import { createReplicaService, type ReplicaService } from '../replica-service';
import type { Replica } from '../replica/replica';
import { GRIDS, seededReplica, tempDir } from '../replica/test-fixtures';
import { ledgerHeader } from './import';

const GRID = GRIDS.find((g) => g.level === 3)!;
const dispatcher: Caller = { role: 'dispatcher', user: { id: 'u-d', name: '调度员甲' } };
const other: Caller = { role: 'dispatcher', user: { id: 'u-e', name: '调度员乙' } };
let tmp: ReturnType<typeof tempDir>;
let replica: Replica;
let service: ReplicaService;

beforeAll(async () => {
  tmp = tempDir();
  ({ replica } = await seededReplica(tmp.file('replica.sqlite'), { now: () => Date.parse('2026-12-02T10:00:00+08:00') }));
  const people = new People({ store: replica.store(), clock: () => Date.parse('2026-12-02T10:00:00+08:00') });
  service = createReplicaService({ replica, people, clock: () => Date.parse('2026-12-02T10:00:00+08:00') });
});
afterAll(async () => {
  await service.close();
  await replica.close();
  tmp.cleanup();
});

type Status = ResultOf<'registers.import.status'>;

async function call<M extends MethodName>(method: M, args: unknown, caller: Caller = dispatcher): Promise<ResultOf<M>> {
  const r = await service.handle(method, args, caller);
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.result as ResultOf<M>;
}
async function refusal(method: MethodName, args: unknown, caller: Caller = dispatcher): Promise<{ code: string; message: string }> {
  const r = await service.handle(method, args, caller);
  if (r.ok) throw new Error(`${method} was not refused`);
  return r.error;
}

async function xlsx(rows: (string | number)[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('台账');
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** Sends a file in `parts` parts and waits for the report. */
async function importFile(kind: string, fileName: string, file: Buffer, parts = 1, caller: Caller = dispatcher): Promise<Status> {
  const step = Math.ceil(file.length / parts);
  let status = await call('registers.import.start', { kind, fileName, size: file.length, data: file.subarray(0, step).toString('base64') }, caller);
  for (let at = step; at < file.length; at += step) status = await call('registers.import.upload', { id: status.id, offset: at, data: file.subarray(at, at + step).toString('base64') }, caller);
  while (status.state !== 'done' && status.state !== 'failed') {
    await new Promise((r) => setTimeout(r, 10));
    status = await call('registers.import.status', { id: status.id }, caller);
  }
  return status;
}

const audit = (): { action: string; target: string; detail: string; actor_name: string }[] =>
  replica.store().db.prepare("SELECT action, target, detail, actor_name FROM audit_log WHERE action = 'registers.import' ORDER BY seq").all() as never;
const count = (table: string): number => (replica.store().db.prepare(`SELECT COUNT(*) AS c FROM ${table}`).get() as { c: number }).c;

describe('registers.import', () => {
  it('is the dispatcher’s and the village’s: the leader, the viewer and the admin are refused', async () => {
    const args = { kind: 'houses', fileName: 'a.xlsx', size: 10 };
    for (const role of ['leader', 'viewer', 'admin', 'secretary', 'department'] as const) {
      expect((await refusal('registers.import.start', args, { role, user: { id: `u-${role}`, name: role } })).code).toBe('forbidden');
    }
    expect((await refusal('registers.import.status', { id: 'x' }, { role: 'viewer' })).code).toBe('forbidden');
  });

  it('refuses bad base64, an oversized file, parts beyond the size and a file that is not Excel, with clear messages', async () => {
    expect(await refusal('registers.import.start', { kind: 'houses', fileName: 'a.xlsx', size: 10, data: '不是base64!' })).toMatchObject({ code: 'invalid', message: expect.stringContaining('base64') });
    expect(await refusal('registers.import.start', { kind: 'houses', fileName: 'a.xlsx', size: REGISTER_IMPORT_MAX_BYTES + 1 })).toMatchObject({ code: 'invalid', message: expect.stringContaining('上限 20 MB') });
    const started = await call('registers.import.start', { kind: 'houses', fileName: 'a.xlsx', size: 3 });
    expect(await refusal('registers.import.upload', { id: started.id, offset: 0, data: Buffer.from('abcdef').toString('base64') })).toMatchObject({ message: expect.stringContaining('超过了声明的文件大小') });
    expect(await refusal('registers.import.upload', { id: started.id, offset: 2, data: 'YQ==' })).toMatchObject({ message: expect.stringContaining('应从第 0 字节继续') });
    expect((await refusal('registers.import.status', { id: started.id }, other)).code).toBe('not-found');
    // A new file from the same person replaces the upload left unfinished.
    const again = await call('registers.import.start', { kind: 'houses', fileName: 'b.xlsx', size: 3 });
    expect((await refusal('registers.import.status', { id: started.id })).code).toBe('not-found');
    expect((await call('registers.import.status', { id: again.id })).state).toBe('uploading');
    const notExcel = await importFile('houses', '旧表.xls', Buffer.from('\xd0\xcf\x11\xe0 an old xls', 'latin1'));
    expect(notExcel.report).toMatchObject({ ok: false, imported: 0, fileError: expect.stringContaining('.xlsx') });
    expect(count('reg_houses')).toBe(0);
  });

  it('imports a file sent in parts, reading to its last row, and records who, the file and the counts', async () => {
    const rows = [ledgerHeader('houses'), ...Array.from({ length: 600 }, (_, i) => [`导入路${i + 1}号`, GRID.code, 112.9 + i * 1e-5, 28.6, '住宅'])];
    const file = await xlsx(rows);
    const status = await importFile('houses', '房屋台账.xlsx', file, 3);
    expect(status).toMatchObject({ state: 'done', size: file.length, received: file.length, read: file.length, rows: 600, written: 600 });
    expect(status.report).toMatchObject({ ok: true, rows: 600, imported: 600, rejectedCount: 0, duplicates: 0, rejected: [] });
    expect(count('reg_houses')).toBe(600);
    expect(replica.store().db.prepare("SELECT COUNT(*) AS c FROM outbox WHERE name = 'register.import'").get()).toEqual({ c: 2 });
    expect(audit().at(-1)).toMatchObject({ actor_name: '调度员甲', target: 'houses:房屋台账.xlsx', detail: expect.stringMatching(/房屋台账“房屋台账.xlsx”.*读取 600 行,导入 600 行/) });
    // The map layer: the points inside a box, capped.
    const layer = await call('registers.layers', { bbox: [112.9, 28.5, 112.9051, 28.7], limit: 100 });
    expect(layer.houses).toHaveLength(100);
    expect(layer.truncated).toBe(true);
    const few = await call('registers.layers', { bbox: [112.9, 28.5, 112.90005, 28.7] });
    expect(few).toMatchObject({ truncated: false, houses: expect.any(Array) });
    expect(few.houses.length).toBeGreaterThan(0);
    expect(few.houses.length).toBeLessThan(10);
  });

  it('reports rejected rows masked (also as an Excel file), duplicates counted, and imports none of the file', async () => {
    const id = (n: number): string => makeIdNumber(SYNTHETIC_REGION, '19800101', n);
    const bad = id(3).slice(0, 17) + (id(3).endsWith('0') ? '1' : '0');
    const file = await xlsx([ledgerHeader('persons'), ['测试甲', id(1), '', '', '', '导入路1号', '', ''], ['测试乙', bad, '', '', '', '导入路2号', '', ''], ['测试丙', id(1), '', '', '', '导入路3号', '', '']]);
    const before = count('reg_persons');
    const status = await importFile('persons', '人口台账.xlsx', file);
    expect(status.report).toMatchObject({ ok: false, rows: 3, imported: 0, rejectedCount: 2, duplicates: 1 });
    expect(status.report!.rejected).toEqual([
      { row: 3, subject: `测试乙 ${bad.slice(0, 6)}********${bad.slice(14)}`, reason: '身份证号校验位错误(GB 11643)' },
      { row: 4, subject: expect.stringMatching(/^测试丙 \d{6}\*{8}/), reason: '与本文件中前面的行身份证号重复', duplicate: true },
    ]);
    expect(JSON.stringify(status)).not.toContain(bad);
    expect(count('reg_persons')).toBe(before);
    const part = await call('registers.import.rejected', { id: status.id, offset: 0 });
    expect(part.done).toBe(true);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(part.data, 'base64') as unknown as ArrayBuffer);
    const sheet = wb.worksheets[0]!;
    expect(sheet.rowCount).toBe(3);
    expect(sheet.getRow(2).getCell(3).text).toBe('身份证号校验位错误(GB 11643)');
    expect(JSON.stringify(sheet.getSheetValues())).not.toContain(bad);
    expect(audit().at(-1)).toMatchObject({ target: 'persons:人口台账.xlsx', detail: expect.stringContaining('未导入:读取 3 行,拒绝 2 行(重复 1 行)') });
  });

  it('lets a village import into its own grids only: a row placed elsewhere is reported and nothing is written', async () => {
    const mine = GRIDS.filter((g) => g.level === 3 && g.parent === GRID.parent);
    const elsewhere = GRIDS.find((g) => g.level === 3 && g.parent !== GRID.parent)!;
    const village: Caller = { role: 'village', user: { id: 'u-v', name: '村工作站甲' }, grids: [GRID.parent!] };
    const before = count('reg_houses');
    const mixed = await importFile('houses', '本村房屋.xlsx', await xlsx([ledgerHeader('houses'), ['本村路1号', GRID.code, '', '', ''], ['外村路1号', elsewhere.code, '', '', '']]), 1, village);
    expect(mixed.report).toMatchObject({ ok: false, rows: 2, imported: 0, rejectedCount: 1 });
    expect(mixed.report!.rejected).toEqual([{ row: 3, subject: expect.any(String), reason: `网格编码 ${elsewhere.code} 不在本账号管辖的网格内` }]);
    expect(count('reg_houses')).toBe(before);
    const own = await importFile('houses', '本村房屋.xlsx', await xlsx([ledgerHeader('houses'), ...mine.map((g, i) => [`本村路${i + 1}号`, g.code, '', '', ''])]), 1, village);
    expect(own.report).toMatchObject({ ok: true, imported: mine.length });
    expect(audit().at(-1)).toMatchObject({ actor_name: '村工作站甲', target: 'houses:本村房屋.xlsx' });
    // A person may live only at a house of the village's grids (the centre registered the other).
    expect((await importFile('houses', '外村房屋.xlsx', await xlsx([ledgerHeader('houses'), ['外村路1号', elsewhere.code, '', '', '']]))).report).toMatchObject({ ok: true });
    const persons = count('reg_persons');
    const id = (n: number): string => makeIdNumber(SYNTHETIC_REGION, '19850101', n);
    const people = await importFile('persons', '本村人口.xlsx', await xlsx([ledgerHeader('persons'), ['测试壬', id(7), '', '', '', '本村路1号', '', ''], ['测试癸', id(8), '', '', '', '外村路1号', '', '']]), 1, village);
    expect(people.report!.rejected).toEqual([{ row: 3, subject: expect.stringMatching(/^测试癸 /), reason: `住址“外村路*号”所在的网格 ${elsewhere.code} 不在本账号管辖的网格内` }]);
    expect(count('reg_persons')).toBe(persons);
    const kept = await importFile('persons', '本村人口.xlsx', await xlsx([ledgerHeader('persons'), ['测试壬', id(7), '', '', '', '本村路1号', '', '']]), 1, village);
    expect(kept.report).toMatchObject({ ok: true, imported: 1 });
  });

  it('answers other calls while a long file is read', async () => {
    const rows = [ledgerHeader('houses'), ...Array.from({ length: 2000 }, (_, i) => [`并行路${i + 1}号`, GRID.code, '', '', ''])];
    const file = await xlsx(rows);
    const started = await call('registers.import.start', { kind: 'houses', fileName: '并行.xlsx', size: file.length, data: file.toString('base64') });
    expect(started.state).toBe('queued');
    const info = await call('registers.grid', { grid: GRID.code });
    const during = await call('registers.import.status', { id: started.id });
    expect(info.grid).toBe(GRID.code);
    expect(during.state).not.toBe('done');
    let status = during;
    while (status.state !== 'done') {
      await new Promise((r) => setTimeout(r, 10));
      status = await call('registers.import.status', { id: started.id });
    }
    expect(status.report).toMatchObject({ ok: true, imported: 2000 });
  });
});
