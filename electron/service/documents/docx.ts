// An OfficialDocument (core/documents/official.ts) as a Word file, with the `docx`
// package: A4, GB/T 9704 margins and fonts (方正小标宋 title, 仿宋_GB2312 body, 黑体 and
// 楷体 headings, with the common Windows fonts as fallbacks where Word lacks them),
// the issuer's mark in red over a red rule, page numbers "— N —" in the footer.
import {
  AlignmentType,
  BorderStyle,
  Document,
  Footer,
  ImageRun,
  Packer,
  PageBreak,
  PageNumber,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
  type IRunOptions,
} from 'docx';
import {
  A4,
  FONT_PT,
  LINE_PT,
  numberHeadings,
  pngSize,
  type DocBlock,
  type OfficialDocument,
} from '../../../core/documents/official';

const TWIPS_PER_MM = 1440 / 25.4;
const twips = (mm: number) => Math.round(mm * TWIPS_PER_MM);
const halfPoints = (pt: number) => Math.round(pt * 2);
const RED = 'C00000';

/** The faces a filing office expects; Word substitutes where one is missing. */
const FACE = { title: '方正小标宋简体', body: '仿宋_GB2312', heading1: '黑体', heading2: '楷体_GB2312', table: '宋体' } as const;

const TEXT_WIDTH_MM = A4.widthMm - A4.marginMm.left - A4.marginMm.right;
const LINE = { line: Math.round(LINE_PT * 20), lineRule: 'exact' as const };

function run(text: string, face: string, pt: number, extra: Partial<IRunOptions> = {}): TextRun {
  return new TextRun({ text, font: { ascii: face, eastAsia: face, hAnsi: face }, size: halfPoints(pt), ...extra });
}

function body(text: string, options: { indent?: boolean; align?: (typeof AlignmentType)[keyof typeof AlignmentType]; bold?: boolean } = {}): Paragraph {
  return new Paragraph({
    alignment: options.align ?? AlignmentType.JUSTIFIED,
    spacing: LINE,
    indent: options.indent === false ? undefined : { firstLine: halfPoints(FONT_PT.body) * 20 },
    children: [run(text, FACE.body, FONT_PT.body, { bold: options.bold })],
  });
}

/** 发文机关标志 in red, 文号, the red rule, then the title and the recipient. */
function front(doc: OfficialDocument): Paragraph[] {
  const out = [
    new Paragraph({
      alignment: AlignmentType.CENTER,
      spacing: { after: 240 },
      children: [run(doc.issuer, FACE.title, 26, { color: RED })],
    }),
    new Paragraph({
      alignment: AlignmentType.CENTER,
      border: { bottom: { color: RED, style: BorderStyle.SINGLE, size: 18, space: 8 } },
      spacing: { after: 480 },
      children: [run(doc.number ?? '', FACE.body, FONT_PT.body)],
    }),
    new Paragraph({
      alignment: AlignmentType.CENTER,
      spacing: { after: 480, line: Math.round(FONT_PT.title * 1.5 * 20), lineRule: 'exact' },
      children: [run(doc.title, FACE.title, FONT_PT.title)],
    }),
  ];
  if (doc.recipient) out.push(body(`${doc.recipient}：`, { indent: false }));
  return out;
}

function heading(level: 1 | 2 | 3, text: string): Paragraph {
  const face = level === 1 ? FACE.heading1 : level === 2 ? FACE.heading2 : FACE.body;
  return new Paragraph({
    spacing: LINE,
    indent: { firstLine: halfPoints(FONT_PT.body) * 20 },
    keepNext: true,
    children: [run(text, face, FONT_PT.body, { bold: level === 3 })],
  });
}

function cell(text: string, widthPct: number, bold = false): TableCell {
  return new TableCell({
    width: { size: widthPct, type: WidthType.PERCENTAGE },
    margins: { top: 60, bottom: 60, left: 100, right: 100 },
    children: text.split('\n').map(
      (line) => new Paragraph({ children: [run(line, bold ? FACE.heading1 : FACE.table, FONT_PT.table)] }),
    ),
  });
}

function table(columns: readonly string[], rows: ReadonlyArray<readonly string[]>, widths?: readonly number[], headerBold = true): Table {
  const total = (widths ?? columns.map(() => 1)).reduce((a, b) => a + b, 0);
  const pct = columns.map((_, i) => Math.round((100 * (widths?.[i] ?? 1)) / total));
  const head = new TableRow({ tableHeader: true, children: columns.map((c, i) => cell(c, pct[i] as number, headerBold)) });
  const bodyRows = rows.map((row) => new TableRow({ cantSplit: true, children: columns.map((_, i) => cell(row[i] ?? '', pct[i] as number)) }));
  return new Table({ width: { size: 100, type: WidthType.PERCENTAGE }, rows: [head, ...bodyRows] });
}

function fields(rows: ReadonlyArray<readonly [string, string]>): Table {
  const tableRows = rows.map(
    ([label, value]) => new TableRow({ cantSplit: true, children: [cell(label, 24, true), cell(value, 76)] }),
  );
  return new Table({ width: { size: 100, type: WidthType.PERCENTAGE }, rows: tableRows });
}

function image(png: Uint8Array, caption?: string): Paragraph[] {
  const size = pngSize(png);
  if (!size) throw new Error('文档中的图片不是有效的 PNG 图像');
  const widthPx = Math.round((TEXT_WIDTH_MM / 25.4) * 96);
  const heightPx = Math.round((widthPx * size.height) / size.width);
  const picture = new Paragraph({
    alignment: AlignmentType.CENTER,
    children: [new ImageRun({ type: 'png', data: png, transformation: { width: widthPx, height: heightPx } })],
  });
  return caption ? [picture, body(caption, { indent: false, align: AlignmentType.CENTER })] : [picture];
}

function block(b: DocBlock, number: string): Array<Paragraph | Table> {
  switch (b.kind) {
    case 'heading':
      return [heading(b.level, `${number}${b.text}`)];
    case 'paragraph':
      return b.text.split('\n').map((line) => body(line));
    case 'fields':
      return [fields(b.rows), body('', { indent: false })];
    case 'table':
      return [table(b.columns, b.rows, b.widths), body('', { indent: false })];
    case 'image':
      return image(b.png, b.caption);
    case 'pageBreak':
      return [new Paragraph({ children: [new PageBreak()] })];
  }
}

/** 落款 right-aligned, then the 版记 (抄送, 印发) between rules at the end. */
function back(doc: OfficialDocument): Array<Paragraph | Table> {
  const out: Array<Paragraph | Table> = [];
  if (doc.signature) {
    out.push(body('', { indent: false }));
    out.push(body(doc.signature.issuer, { indent: false, align: AlignmentType.RIGHT }));
    out.push(body(doc.signature.date, { indent: false, align: AlignmentType.RIGHT }));
  }
  const rule = { style: BorderStyle.SINGLE, size: 8, color: '000000', space: 4 };
  if (doc.cc) out.push(new Paragraph({ border: { top: rule }, children: [run(`抄送：${doc.cc}`, FACE.body, FONT_PT.footer)] }));
  if (doc.printed) {
    out.push(
      new Paragraph({
        border: { top: rule, bottom: rule },
        children: [run(`${doc.printed.by}`, FACE.body, FONT_PT.footer), run(`\t${doc.printed.date}印发`, FACE.body, FONT_PT.footer)],
        tabStops: [{ type: 'right', position: twips(TEXT_WIDTH_MM) }],
      }),
    );
  }
  return out;
}

/** The document as a .docx file. */
export async function toDocx(doc: OfficialDocument): Promise<Buffer> {
  const numbers = numberHeadings(doc.blocks);
  const children = [...front(doc), ...doc.blocks.flatMap((b, i) => block(b, numbers.get(i) ?? '')), ...back(doc)];
  const file = new Document({
    creator: doc.issuer,
    title: doc.title,
    sections: [
      {
        properties: {
          page: {
            size: { width: twips(A4.widthMm), height: twips(A4.heightMm) },
            margin: { top: twips(A4.marginMm.top), bottom: twips(A4.marginMm.bottom), left: twips(A4.marginMm.left), right: twips(A4.marginMm.right) },
          },
        },
        footers: {
          default: new Footer({
            children: [
              new Paragraph({
                alignment: AlignmentType.CENTER,
                children: [new TextRun({ children: ['— ', PageNumber.CURRENT, ' —'], font: FACE.table, size: halfPoints(FONT_PT.footer) })],
              }),
            ],
          }),
        },
        children,
      },
    ],
  });
  return Packer.toBuffer(file);
}
