// An OfficialDocument (core/documents/official.ts) as a PDF, with pdfkit: the same A4
// page, margins, faces and order as the Word rendering (docx.ts), so that the two files
// of one document read alike. pdfkit embeds only the glyphs used (subsets the font):
// a second or two of CPU per document, so this runs in the PDF worker thread
// (pdf-worker.ts, started by pdf.ts), never on the data service's own thread.
//
// Chinese needs a Chinese font, which no PDF viewer supplies: the one used is found on
// the machine (fonts.ts); without one the call fails with a clear message.
import { readFileSync } from 'node:fs';
import PDFDocument from 'pdfkit';
import { A4, FONT_PT, LINE_PT, numberHeadings, pngSize, type DocBlock, type OfficialDocument } from '../../../core/documents/official';
import type { CjkFonts } from './fonts';

type Pdf = PDFKit.PDFDocument;

const PT_PER_MM = 72 / 25.4;
const pt = (mm: number) => mm * PT_PER_MM;
const RED = '#C00000';
const MARGINS = {
  top: pt(A4.marginMm.top),
  bottom: pt(A4.marginMm.bottom),
  left: pt(A4.marginMm.left),
  right: pt(A4.marginMm.right),
};
const LINE_GAP = LINE_PT - FONT_PT.body * 1.2;
const CELL_PAD = 4;

function textWidth(pdf: Pdf): number {
  return pdf.page.width - MARGINS.left - MARGINS.right;
}

/** Starts a new page when fewer than `height` points are left on this one. */
function ensureRoom(pdf: Pdf, height: number): void {
  if (pdf.y + height > pdf.page.height - MARGINS.bottom) pdf.addPage();
}

function paragraph(pdf: Pdf, text: string, options: PDFKit.Mixins.TextOptions = {}): void {
  pdf.font('serif').fontSize(FONT_PT.body).fillColor('black');
  pdf.text(text, MARGINS.left, pdf.y, { width: textWidth(pdf), lineGap: LINE_GAP, align: 'justify', indent: FONT_PT.body * 2, ...options });
}

function front(pdf: Pdf, doc: OfficialDocument): void {
  const width = textWidth(pdf);
  pdf.font('sans').fontSize(26).fillColor(RED).text(doc.issuer, MARGINS.left, MARGINS.top, { width, align: 'center' });
  pdf.moveDown(0.6);
  if (doc.number) pdf.font('serif').fontSize(FONT_PT.body).fillColor('black').text(doc.number, { width, align: 'center' });
  const ruleY = pdf.y + 6;
  pdf.moveTo(MARGINS.left, ruleY).lineTo(MARGINS.left + width, ruleY).lineWidth(1.5).strokeColor(RED).stroke();
  pdf.y = ruleY + 24;
  pdf.font('sans').fontSize(FONT_PT.title).fillColor('black').text(doc.title, MARGINS.left, pdf.y, { width, align: 'center', lineGap: 8 });
  pdf.moveDown(1);
  if (doc.recipient) paragraph(pdf, `${doc.recipient}：`, { indent: 0 });
}

function heading(pdf: Pdf, level: 1 | 2 | 3, text: string): void {
  ensureRoom(pdf, LINE_PT * 2);
  // 一、 in 黑体; （一） and 1. in the body's face (楷体 and bold 仿宋 in Word; two faces here, see fonts.ts).
  pdf.font(level === 1 ? 'sans' : 'serif').fontSize(FONT_PT.body).fillColor('black');
  pdf.text(text, MARGINS.left, pdf.y, { width: textWidth(pdf), lineGap: LINE_GAP, indent: FONT_PT.body * 2 });
}

/** One table row: cells' text wrapped in their columns, the row kept on one page. */
function row(pdf: Pdf, cells: readonly string[], widths: readonly number[], face: 'serif' | 'sans'): void {
  pdf.font(face).fontSize(FONT_PT.table);
  const heights = cells.map((text, i) => pdf.heightOfString(text || ' ', { width: (widths[i] as number) - CELL_PAD * 2 }));
  const height = Math.max(...heights) + CELL_PAD * 2;
  ensureRoom(pdf, height);
  const top = pdf.y;
  let x = MARGINS.left;
  cells.forEach((text, i) => {
    const w = widths[i] as number;
    pdf.lineWidth(0.5).strokeColor('black').rect(x, top, w, height).stroke();
    pdf.fillColor('black').text(text, x + CELL_PAD, top + CELL_PAD, { width: w - CELL_PAD * 2 });
    x += w;
  });
  pdf.x = MARGINS.left;
  pdf.y = top + height;
}

function columnWidths(pdf: Pdf, count: number, relative?: readonly number[]): number[] {
  const weights = Array.from({ length: count }, (_, i) => relative?.[i] ?? 1);
  const total = weights.reduce((a, b) => a + b, 0);
  return weights.map((w) => (textWidth(pdf) * w) / total);
}

function table(pdf: Pdf, columns: readonly string[], rows: ReadonlyArray<readonly string[]>, relative?: readonly number[]): void {
  const widths = columnWidths(pdf, columns.length, relative);
  row(pdf, columns, widths, 'sans');
  for (const r of rows) row(pdf, columns.map((_, i) => r[i] ?? ''), widths, 'serif');
  pdf.moveDown(0.8);
}

function fields(pdf: Pdf, rows: ReadonlyArray<readonly [string, string]>): void {
  const widths = columnWidths(pdf, 2, [24, 76]);
  for (const [label, value] of rows) {
    row(pdf, [label, value], widths, 'serif');
  }
  pdf.moveDown(0.8);
}

function image(pdf: Pdf, png: Uint8Array, caption?: string): void {
  const size = pngSize(png);
  if (!size) throw new Error('文档中的图片不是有效的 PNG 图像');
  const width = textWidth(pdf);
  const maxHeight = pdf.page.height - MARGINS.top - MARGINS.bottom - LINE_PT * 2;
  const height = Math.min((width * size.height) / size.width, maxHeight);
  ensureRoom(pdf, height + (caption ? LINE_PT : 0));
  const top = pdf.y;
  pdf.image(Buffer.from(png), MARGINS.left, top, { fit: [width, height], align: 'center' });
  pdf.y = top + height + 4;
  if (caption) paragraph(pdf, caption, { indent: 0, align: 'center' });
}

function block(pdf: Pdf, b: DocBlock, number: string): void {
  switch (b.kind) {
    case 'heading':
      return heading(pdf, b.level, `${number}${b.text}`);
    case 'paragraph':
      return b.text.split('\n').forEach((line) => paragraph(pdf, line));
    case 'fields':
      return fields(pdf, b.rows);
    case 'table':
      return table(pdf, b.columns, b.rows, b.widths);
    case 'image':
      return image(pdf, b.png, b.caption);
    case 'pageBreak':
      pdf.addPage();
  }
}

function back(pdf: Pdf, doc: OfficialDocument): void {
  const width = textWidth(pdf);
  if (doc.signature) {
    ensureRoom(pdf, LINE_PT * 3);
    pdf.moveDown(1);
    paragraph(pdf, doc.signature.issuer, { indent: 0, align: 'right' });
    paragraph(pdf, doc.signature.date, { indent: 0, align: 'right' });
  }
  const notes = [doc.cc ? `抄送：${doc.cc}` : null, doc.printed ? `${doc.printed.by}\u3000\u3000${doc.printed.date}印发` : null].filter(
    (n): n is string => n !== null,
  );
  if (notes.length === 0) return;
  ensureRoom(pdf, LINE_PT * (notes.length + 1));
  pdf.moveDown(1);
  for (const note of notes) {
    const y = pdf.y;
    pdf.moveTo(MARGINS.left, y).lineTo(MARGINS.left + width, y).lineWidth(0.5).strokeColor('black').stroke();
    pdf.font('serif').fontSize(FONT_PT.footer).fillColor('black').text(note, MARGINS.left, y + 4, { width });
  }
  const end = pdf.y + 2;
  pdf.moveTo(MARGINS.left, end).lineTo(MARGINS.left + width, end).lineWidth(0.5).stroke();
}

/** "— N —" centred under the text area of every page. */
function pageNumbers(pdf: Pdf): void {
  const range = pdf.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    pdf.switchToPage(i);
    const bottom = pdf.page.margins.bottom;
    pdf.page.margins.bottom = 0;
    pdf.font('serif').fontSize(FONT_PT.footer).fillColor('black');
    pdf.text(`— ${i + 1} —`, MARGINS.left, pdf.page.height - MARGINS.bottom + 14, { width: textWidth(pdf), align: 'center', lineBreak: false });
    pdf.page.margins.bottom = bottom;
  }
}

/** Font files read once per thread (tens of megabytes each), shared by every document. */
const fontFiles = new Map<string, Buffer>();

function registerFonts(pdf: Pdf, fonts: CjkFonts): void {
  for (const [name, face] of Object.entries(fonts)) {
    let bytes = fontFiles.get(face.path);
    if (!bytes) {
      bytes = readFileSync(face.path);
      fontFiles.set(face.path, bytes);
    }
    pdf.registerFont(name, bytes, face.family);
  }
}

/** The document as a PDF file, set in `fonts` (fonts.ts findCjkFonts). Blocks its thread while it runs. */
export function renderPdf(doc: OfficialDocument, fonts: CjkFonts): Promise<Buffer> {
  const pdf = new PDFDocument({ size: 'A4', margins: MARGINS, bufferPages: true, info: { Title: doc.title, Author: doc.issuer } });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    pdf.on('data', (chunk: Buffer) => chunks.push(chunk));
    pdf.on('end', () => resolve(Buffer.concat(chunks)));
    pdf.on('error', reject);
  });
  try {
    registerFonts(pdf, fonts);
    front(pdf, doc);
    const numbers = numberHeadings(doc.blocks);
    doc.blocks.forEach((b, i) => block(pdf, b, numbers.get(i) ?? ''));
    back(pdf, doc);
    pageNumbers(pdf);
    pdf.end();
  } catch (error) {
    pdf.end();
    return done.then(() => Promise.reject(error instanceof Error ? error : new Error(String(error))));
  }
  return done;
}
