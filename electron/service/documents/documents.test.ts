// The two renderings of one official document, read back the way a test of a filed
// document would: the .docx unzipped and its text checked, the PDF's text extracted and
// its page size read with poppler (installed by the test command with Chromium); the PDF
// rendered in a worker thread, so the service's thread keeps answering meanwhile.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import type { OfficialDocument } from '../../../core/documents/official';
import { toDocx } from './docx';
import { findCjkFonts } from './fonts';
import { toPdf } from './pdf';
import { renderPdf } from './pdf-render';

// A 2×2 red PNG.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklEQVR4nGP8z8DAwMDAxMDAwMDAAAANHQEDasKb6QAAAABJRU5ErkJggg==',
  'base64',
);

const DOC: OfficialDocument = {
  issuer: '青石镇网格化服务管理中心',
  number: '网格会商〔2026〕48号',
  title: '关于第48周网格化工作会商的纪要',
  recipient: '镇网格化工作领导小组各成员单位',
  blocks: [
    { kind: 'heading', level: 1, text: '会议概况' },
    { kind: 'fields', rows: [['时间', '2026年12月3日 09:00'], ['地点', '镇指挥中心会商室']] },
    { kind: 'heading', level: 1, text: '议定事项' },
    { kind: 'heading', level: 2, text: '占道经营反复投诉' },
    { kind: 'paragraph', text: '由镇城管办牵头，市场监管所配合，于12月10日前完成整治。' },
    { kind: 'table', columns: ['序号', '事项', '牵头单位', '时限'], rows: [['1', '占道经营', '镇城管办', '12月10日']], widths: [1, 4, 2, 2] },
    { kind: 'image', png: PNG, caption: '图1 事件位置' },
  ],
  signature: { issuer: '青石镇网格化服务管理中心', date: '2026年12月3日' },
  cc: '县网格化服务管理中心',
  printed: { by: '青石镇网格化服务管理中心', date: '2026年12月3日' },
};

const TEXTS = ['青石镇网格化服务管理中心', '网格会商〔2026〕48号', '关于第48周网格化工作会商的纪要', '一、会议概况', '（一）占道经营反复投诉', '镇城管办', '12月10日前完成整治', '抄送：县网格化服务管理中心'];

describe('official documents as files', () => {
  it('writes a Word file holding every text, on A4', async () => {
    const zip = await JSZip.loadAsync(await toDocx(DOC));
    const xml = (await zip.file('word/document.xml')?.async('string')) ?? '';
    const text = xml.replace(/<[^>]+>/g, '');
    for (const t of TEXTS) expect(text).toContain(t);
    expect(xml).toContain('w:w="11906"');
    expect(zip.file(/^word\/media\//).length).toBe(1);
  });

  it('writes a PDF in Chinese on A4 that poppler reads back', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gd-doc-'));
    const file = join(dir, 'doc.pdf');
    writeFileSync(file, await toPdf(DOC));
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
    for (const t of TEXTS) expect(text).toContain(t.replace(/\s+/g, ''));
    expect(text).toContain('—1—');
    expect(execFileSync('pdfinfo', [file], { encoding: 'utf8' })).toMatch(/Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)/);
  });

  it('refuses an image that is not a PNG with a message, in both renderings', async () => {
    const bad: OfficialDocument = { ...DOC, blocks: [{ kind: 'image', png: Buffer.from('not an image') }] };
    await expect(toDocx(bad)).rejects.toThrow('不是有效的 PNG');
    await expect(toPdf(bad)).rejects.toThrow('不是有效的 PNG');
  });

  it('renders a PDF off the calling thread: its timers keep firing meanwhile (and stand still for a render on it)', async () => {
    await toPdf(DOC); // the worker started and its fonts read (the test above may have done it)
    const ticksDuring = async (render: () => Promise<Buffer>): Promise<{ ticks: number; pdf: Buffer }> => {
      let ticks = 0;
      const timer = setInterval(() => ticks++, 1);
      try {
        const pdf = await render();
        return { ticks, pdf };
      } finally {
        clearInterval(timer);
      }
    };
    const off = await ticksDuring(() => toPdf(DOC));
    expect(off.pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(off.ticks).toBeGreaterThanOrEqual(3);
    // The same render on this thread blocks it: the count shows the difference.
    const on = await ticksDuring(() => renderPdf(DOC, findCjkFonts()));
    expect(on.ticks).toBeLessThan(off.ticks);
  });

  it('says which font is missing instead of printing boxes', () => {
    expect(() => findCjkFonts({ GRIDDECK_CJK_FONT: '/nonexistent/font.ttf' })).toThrow('字体文件不存在');
    expect(findCjkFonts({}).serif.path).toMatch(/\.(ttc|ttf|otf)$/);
  });
});
