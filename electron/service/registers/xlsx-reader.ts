// exceljs's streaming reader with its text decoded as UTF-8 streams. exceljs 4.4 decodes
// each inflated chunk of a sheet (16 kB, zlib's) on its own, so a Chinese character split
// across two chunks comes out as two U+FFFD: one row in a few thousand of a town's ledger
// would be imported with a garbled name or address, or rejected for an address that is
// right (exceljs issues #2063, #2084, #2316; the fixes #1665, #2081, #2213 are not
// merged). This subclass hands the sheet and the shared strings to exceljs as text
// decoded with the bytes carried over between chunks; exceljs's decode leaves text as it is.
import ExcelJS from 'exceljs';
import type { Readable } from 'node:stream';

/** What the subclass overrides (not in exceljs's types). */
interface ReaderInternals {
  _parseWorksheet(iterator: AsyncIterable<Buffer | string>, sheetNo: string): Generator<unknown>;
  _parseSharedStrings(entry: Readable): AsyncGenerator<unknown>;
}

type ReaderOptions = ConstructorParameters<typeof ExcelJS.stream.xlsx.WorkbookReader>[1];
type ReaderClass = new (input: Readable | string, options: ReaderOptions) => ExcelJS.stream.xlsx.WorkbookReader & ReaderInternals;

/** Chunks of UTF-8 as text, a character split between two chunks kept whole. */
export async function* utf8Text(chunks: AsyncIterable<Buffer | string>): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8');
  for await (const chunk of chunks) yield typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
  const rest = decoder.decode();
  if (rest !== '') yield rest;
}

class Utf8WorkbookReader extends (ExcelJS.stream.xlsx.WorkbookReader as unknown as ReaderClass) {
  override _parseWorksheet(iterator: AsyncIterable<Buffer | string>, sheetNo: string): Generator<unknown> {
    return super._parseWorksheet(utf8Text(iterator), sheetNo);
  }

  override _parseSharedStrings(entry: Readable): AsyncGenerator<unknown> {
    entry.setEncoding('utf8');
    return super._parseSharedStrings(entry);
  }
}

/** The options the registers' import reads a ledger with: values only, the sheets as they come. */
export const LEDGER_READ: ReaderOptions = { sharedStrings: 'cache', hyperlinks: 'ignore', styles: 'ignore', worksheets: 'emit', entries: 'ignore' };

/** A streaming workbook reader whose text is decoded whole (see above). */
export function workbookReader(input: Readable | string, options: ReaderOptions = LEDGER_READ): ExcelJS.stream.xlsx.WorkbookReader {
  return new Utf8WorkbookReader(input, options);
}
