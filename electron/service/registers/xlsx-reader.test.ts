// The ledger reader keeps every Chinese character whole, where exceljs's own streaming
// reader garbles the ones split between two inflated chunks (xlsx-reader.ts).
import { PassThrough, Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { LEDGER_READ, workbookReader } from './xlsx-reader';

const ROWS = 2000;
const text = (i: number): string => `湖南省岳阳市古培镇测试村第${i % 9}网格幸福路${i}号`;

/** A sheet of Chinese text, inline strings (the streamed writer) or shared strings (the whole-workbook writer). */
async function build(shared: boolean): Promise<Buffer> {
  if (shared) {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('台账');
    for (let i = 0; i < ROWS; i++) ws.addRow([text(i), '居民']);
    return Buffer.from(await wb.xlsx.writeBuffer());
  }
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: false, useStyles: false });
  const ws = wb.addWorksheet('台账');
  for (let i = 0; i < ROWS; i++) ws.addRow([text(i), '居民']).commit();
  ws.commit();
  await wb.commit();
  return Buffer.concat(chunks);
}

const built = new Map<boolean, Promise<Buffer>>();
/** Each workbook built once for the tests that read it. */
const workbook = (shared: boolean): Promise<Buffer> => built.get(shared) ?? built.set(shared, build(shared)).get(shared)!;

async function firstColumn(reader: ExcelJS.stream.xlsx.WorkbookReader): Promise<string[]> {
  const out: string[] = [];
  for await (const sheet of reader) {
    for await (const row of sheet) out.push(String((row.values as unknown[])[1]));
    break;
  }
  return out;
}

describe('the ledger reader', () => {
  for (const shared of [false, true]) {
    it(`reads ${ROWS} rows of Chinese text whole (${shared ? 'shared' : 'inline'} strings)`, async () => {
      const file = await workbook(shared);
      const read = await firstColumn(workbookReader(Readable.from([file])));
      expect(read).toHaveLength(ROWS);
      expect(read.filter((v, i) => v !== text(i))).toEqual([]);
    });
  }

  it('is needed: exceljs 4.4 alone garbles characters split between chunks (drop xlsx-reader.ts when this fails)', async () => {
    for (const shared of [false, true]) {
      const read = await firstColumn(new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([await workbook(shared)]), LEDGER_READ));
      expect(read.some((v) => v.includes('\uFFFD'))).toBe(true);
    }
  });
});
