// Importing the town's Excel ledgers: wrong columns, bad ID check characters, duplicate
// persons, a broken file and a long file each get a clear report; nothing is
// written unless every row is good (all or nothing), and then the rows are queued as the
// town's commands with the town's own rows beside them.
import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateTown } from '../../../county/demo/town';
import { makeIdNumber, SYNTHETIC_REGION } from '../../../core/registers/id-number';
import { Replica } from '../replica/replica';
import { tempDir } from '../replica/test-fixtures';
import { importLedger, ledgerHeader, type ImportDeps } from './import';
import { houseLedger } from './test-fixtures';

const town = generateTown({ seed: 7 });
const GRID = town.grids.find((g) => g.kind === 'basic')!;
const ACTOR = { id: 'u-d', role: 'dispatcher' as const, name: '调度员甲' };
let tmp: ReturnType<typeof tempDir>;
let replica: Replica;

beforeAll(async () => {
  tmp = tempDir();
  replica = await Replica.open({ file: tmp.file('replica.sqlite'), town: town.town.code });
});
afterAll(async () => {
  await replica.close();
  tmp.cleanup();
});

function deps(): ImportDeps {
  return { db: replica.store().db, queueCommands: replica.queueCommands.bind(replica), grids: [town.town, ...town.villages, ...town.grids], actor: ACTOR, clock: () => Date.parse('2026-12-02T10:00:00+08:00') };
}

async function xlsx(rows: (string | number)[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('台账');
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const stream = (b: Buffer): PassThrough => {
  const s = new PassThrough();
  s.end(b);
  return s;
};
const count = (table: string): number => (replica.store().db.prepare(`SELECT COUNT(*) AS c FROM ${table}`).get() as { c: number }).c;
const id = (n: number): string => makeIdNumber(SYNTHETIC_REGION, '19800101', n);

describe('importing ledgers', () => {
  it('refuses wrong columns and a broken file, writing nothing', async () => {
    const wrong = await importLedger('persons', stream(await xlsx([['名字', '身份证', '备注']])), deps());
    expect(wrong.ok).toBe(false);
    expect(wrong.headerProblems).toEqual(expect.arrayContaining(['缺少必需的列“姓名”', '缺少必需的列“身份证号”', '无法识别的列“名字”']));
    const broken = await importLedger('houses', stream(Buffer.from('PK\u0003\u0004 this is not a workbook')), deps());
    expect(broken.ok).toBe(false);
    expect(broken.fileError).toMatch(/无法读取 Excel 文件/);
    expect(count('reg_houses') + count('outbox')).toBe(0);
  });

  it('imports houses (grid by code or by point-in-grid) and their people, all queued for the county', async () => {
    const [lon, lat] = (GRID.geometry.type === 'Polygon' ? GRID.geometry.coordinates[0]! : GRID.geometry.coordinates[0]![0]!).reduce(
      (acc, p, _i, ring) => [acc[0]! + p[0]! / ring.length, acc[1]! + p[1]! / ring.length],
      [0, 0],
    );
    const houses = await importLedger('houses', stream(await xlsx([ledgerHeader('houses'), ['幸福路1号', GRID.code, '', '', '住宅'], ['幸福路2号', '', lon!, lat!, '']])), deps());
    expect(houses).toMatchObject({ ok: true, rows: 2, imported: 2, rejected: [] });
    const people = await importLedger(
      'persons',
      stream(await xlsx([ledgerHeader('persons'), ['测试甲', id(1), '19900001111', '男', '户籍', '幸福路1号', '困难家庭', '党员'], ['测试乙', id(2), '', '女', '流动', '幸福路2号', '', '']])),
      deps(),
    );
    expect(people).toMatchObject({ ok: true, imported: 2 });
    const rows = replica.store().db.prepare('SELECT grid, tags, pools, pending_n FROM reg_persons ORDER BY id_number').all();
    expect(rows).toEqual([
      { grid: GRID.code, tags: 'hardship', pools: 'partyMember', pending_n: expect.any(Number) },
      { grid: expect.stringMatching(/^\d{15}$/), tags: '', pools: '', pending_n: expect.any(Number) },
    ]);
    expect(replica.store().db.prepare("SELECT COUNT(*) AS c FROM outbox WHERE name = 'register.import'").get()).toEqual({ c: 2 });
  });

  it('reports every bad row (check character, duplicates, unknown address) and imports none of the file', async () => {
    const bad = id(3).slice(0, 17) + (id(3).endsWith('0') ? '1' : '0');
    const before = count('reg_persons');
    const report = await importLedger(
      'persons',
      stream(await xlsx([ledgerHeader('persons'), ['测试丙', id(3), '', '', '', '幸福路1号', '', ''], ['测试丁', bad, '', '', '', '幸福路1号', '', ''], ['测试戊', id(3), '', '', '', '幸福路1号', '', ''], ['测试己', id(1), '', '', '', '幸福路1号', '', ''], ['测试庚', id(4), '', '', '', '无此路9号', '', ''], ['测试辛', id(5), '', '', '', '幸福路1号', '空巢', '']])),
      deps(),
    );
    expect(report.ok).toBe(false);
    expect(report.rejected).toEqual([
      { row: 3, subject: expect.stringMatching(/^测试丁 \d{6}\*{8}\d{3}[\dX]$/), reason: '身份证号校验位错误(GB 11643)' },
      { row: 4, subject: expect.stringMatching(/^测试戊 /), reason: '与本文件中前面的行身份证号重复', duplicate: true },
      { row: 5, subject: expect.stringMatching(/^测试己 /), reason: '登记中已有此身份证号的人员', duplicate: true },
      { row: 6, subject: expect.stringMatching(/^测试庚 /), reason: '住址“无此路*号”与登记中的房屋都不相符' },
      { row: 7, subject: expect.stringMatching(/^测试辛 /), reason: '无法识别的特殊人群“空巢”' },
    ]);
    expect(count('reg_persons')).toBe(before);
  });

  it('drops the staged rows when the final write fails: nothing half imported', async () => {
    const before = count('reg_houses');
    let staged = -1;
    const failing: ImportDeps = {
      ...deps(),
      queueCommands: () => {
        staged = (replica.store().db.prepare('SELECT COUNT(*) AS c FROM reg_houses WHERE pending_n < 0').get() as { c: number }).c;
        throw new Error('disk full');
      },
    };
    const rows = [ledgerHeader('houses'), ...Array.from({ length: 700 }, (_, i) => [`暂存路${i}号`, GRID.code, '', '', ''])];
    await expect(importLedger('houses', stream(await xlsx(rows)), failing)).rejects.toThrow('disk full');
    expect(staged).toBe(700);
    expect(count('reg_houses')).toBe(before);
  });

  // The 100,000 rows: one rejected row near the end is reported and nothing of the
  // file is written. The same size imported whole, and the time each takes, are in
  // `npm run bench -- --only registers` (tests/bench/registers.ts).
  it('reads 100,000 rows, reports the one bad row among them and writes nothing', async () => {
    const rows = 100_000;
    const before = { houses: count('reg_houses'), outbox: count('outbox') };
    let progress = 0;
    const report = await importLedger('houses', stream(await houseLedger(rows, 77_777, GRID.code)), { ...deps(), onProgress: (n) => (progress = n) });
    expect(report).toMatchObject({ ok: false, rows, imported: 0, rejected: [{ row: 77_778, reason: '网格编码 430624103999999 不是本镇的网格' }] });
    expect(report.rejected).toHaveLength(1);
    expect(progress).toBe(rows);
    expect({ houses: count('reg_houses'), outbox: count('outbox') }).toEqual(before);
  });
});
