// The documents a town office files (会商纪要, 督办单, 月度报告, …), written once as a
// structure and rendered twice: to Word (electron/service/documents/docx.ts) and to
// PDF (electron/service/documents/pdf.ts), both on A4 in the layout of GB/T 9704-2012
// 《党政机关公文格式》: the issuer's mark in red over a red rule, the document number
// (文号) under it, a centred title, the body in 仿宋 three-size (16 pt), headings
// numbered 一、 (一) 1., the issuing office and date at the end, page numbers "— N —".
//
// The model carries text only; a caller masks personal data before it builds one
// (core/privacy/mask.ts), so that neither renderer can leak what the role may not see.

/** A block of the body, in reading order. */
export type DocBlock =
  /** A numbered heading: level 1 "一、" (黑体), 2 "（一）" (楷体), 3 "1." (仿宋 bold). Pass the text without the number. */
  | { kind: 'heading'; level: 1 | 2 | 3; text: string }
  /** A paragraph of body text, first line indented by two characters. */
  | { kind: 'paragraph'; text: string }
  /** A form of label/value rows (督办单, 会商 facts): two columns, labels bold. */
  | { kind: 'fields'; rows: ReadonlyArray<readonly [label: string, value: string]> }
  /** A table with a header row; `widths` relative (any unit), one per column. */
  | { kind: 'table'; columns: readonly string[]; rows: ReadonlyArray<readonly string[]>; widths?: readonly number[] }
  /** A PNG image (a map snapshot, a chart), fitted to the text width, with an optional caption under it. */
  | { kind: 'image'; png: Uint8Array; caption?: string }
  | { kind: 'pageBreak' };

export interface OfficialDocument {
  /** 发文机关标志, e.g. "某某镇网格化服务管理中心" (printed red, above the red rule). */
  issuer: string;
  /** 发文字号, e.g. "网格会商〔2026〕12号"; see documentNumber(). */
  number?: string;
  /** 标题, e.g. "关于2026年第48周网格化工作会商的纪要". */
  title: string;
  /** 主送机关, printed under the title, ending with a full-width colon. */
  recipient?: string;
  blocks: readonly DocBlock[];
  /** 落款: the issuing office and the date ("2026年12月3日", see chineseDate()). */
  signature?: { issuer: string; date: string };
  /** 抄送, printed in the 版记 at the end. */
  cc?: string;
  /** 印发机关 and 印发日期 in the 版记. */
  printed?: { by: string; date: string };
}

/** The page: A4 and the margins of GB/T 9704 (天头 37 mm, 订口 28 mm), in millimetres. */
export const A4 = { widthMm: 210, heightMm: 297, marginMm: { top: 37, bottom: 35, left: 28, right: 26 } } as const;

/** Font sizes in points by their Chinese names (号). */
export const FONT_PT = { title: 22 /* 二号 */, body: 16 /* 三号 */, footer: 14 /* 四号 */, table: 12 /* 小四 */ } as const;

/** The body's line pitch: GB/T 9704 asks 22 lines to a page of 225 mm, about 28.9 pt. */
export const LINE_PT = 28.9;

const CHINESE_DIGITS = ['〇', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

/** 1 → 一, 12 → 十二, 20 → 二十, 35 → 三十五 (headings count to 99). */
export function chineseNumber(n: number): string {
  if (!Number.isInteger(n) || n < 1 || n > 99) throw new RangeError(`heading number out of range: ${n}`);
  if (n < 10) return CHINESE_DIGITS[n] as string;
  const tens = Math.floor(n / 10);
  const ones = n % 10;
  return `${tens === 1 ? '' : CHINESE_DIGITS[tens]}十${ones === 0 ? '' : CHINESE_DIGITS[ones]}`;
}

/** The number printed before a heading of `level`, the `n`-th at that level. */
export function headingNumber(level: 1 | 2 | 3, n: number): string {
  if (level === 1) return `${chineseNumber(n)}、`;
  if (level === 2) return `（${chineseNumber(n)}）`;
  return `${n}.`;
}

/** 文号 in the form 机关代字〔年份〕序号号, e.g. documentNumber('网格会商', 2026, 12) → "网格会商〔2026〕12号". */
export function documentNumber(prefix: string, year: number, serial: number): string {
  return `${prefix}〔${year}〕${serial}号`;
}

/** A date in Asia/Shanghai written the way a document is dated: "2026年12月3日". */
export function chineseDate(ms: number): string {
  const d = new Date(ms + 8 * 3600_000);
  return `${d.getUTCFullYear()}年${d.getUTCMonth() + 1}月${d.getUTCDate()}日`;
}

/** The headings of a document numbered in order, restarting the lower levels under each higher one. */
export function numberHeadings(blocks: readonly DocBlock[]): Map<number, string> {
  const counters = [0, 0, 0];
  const numbers = new Map<number, string>();
  blocks.forEach((block, index) => {
    if (block.kind !== 'heading') return;
    const at = block.level - 1;
    counters[at] = (counters[at] as number) + 1;
    for (let lower = at + 1; lower < counters.length; lower++) counters[lower] = 0;
    numbers.set(index, headingNumber(block.level, counters[at] as number));
  });
  return numbers;
}

/** Every text of the document in reading order (search indexes, tests, plain-text previews). */
export function documentText(doc: OfficialDocument): string {
  const numbers = numberHeadings(doc.blocks);
  const lines = [doc.issuer, doc.number ?? '', doc.title, doc.recipient ? `${doc.recipient}：` : ''];
  doc.blocks.forEach((block, index) => lines.push(...blockText(block, numbers.get(index) ?? '')));
  if (doc.signature) lines.push(doc.signature.issuer, doc.signature.date);
  if (doc.cc) lines.push(`抄送：${doc.cc}`);
  if (doc.printed) lines.push(`${doc.printed.by} ${doc.printed.date}印发`);
  return lines.filter((line) => line !== '').join('\n');
}

function blockText(block: DocBlock, number: string): string[] {
  switch (block.kind) {
    case 'heading':
      return [`${number}${block.text}`];
    case 'paragraph':
      return [block.text];
    case 'fields':
      return block.rows.map(([label, value]) => `${label}：${value}`);
    case 'table':
      return [block.columns.join('\t'), ...block.rows.map((row) => row.join('\t'))];
    case 'image':
      return block.caption ? [block.caption] : [];
    case 'pageBreak':
      return [];
  }
}

/** A PNG's width and height in pixels, from its IHDR chunk; null when the bytes are not a PNG. */
export function pngSize(png: Uint8Array): { width: number; height: number } | null {
  const signature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (png.length < 24 || signature.some((byte, i) => png[i] !== byte)) return null;
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  const width = view.getUint32(16);
  const height = view.getUint32(20);
  return width > 0 && height > 0 ? { width, height } : null;
}
