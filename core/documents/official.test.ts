import { describe, expect, it } from 'vitest';
import { chineseDate, chineseNumber, documentNumber, documentText, numberHeadings, pngSize, type DocBlock } from './official';

describe('official documents', () => {
  it('numbers headings the way a 公文 does, restarting lower levels', () => {
    expect([1, 9, 10, 12, 20, 35, 99].map(chineseNumber)).toEqual(['一', '九', '十', '十二', '二十', '三十五', '九十九']);
    expect(() => chineseNumber(0)).toThrow(RangeError);
    const blocks: DocBlock[] = [
      { kind: 'heading', level: 1, text: 'a' },
      { kind: 'heading', level: 2, text: 'b' },
      { kind: 'heading', level: 2, text: 'c' },
      { kind: 'heading', level: 3, text: 'd' },
      { kind: 'heading', level: 1, text: 'e' },
      { kind: 'heading', level: 2, text: 'f' },
    ];
    expect([...numberHeadings(blocks).values()]).toEqual(['一、', '（一）', '（二）', '1.', '二、', '（一）']);
  });

  it('writes 文号 and dates in Shanghai', () => {
    expect(documentNumber('网格会商', 2026, 12)).toBe('网格会商〔2026〕12号');
    // 2026-12-31 17:00 UTC is already 1 January in Shanghai.
    expect(chineseDate(Date.UTC(2026, 11, 31, 17))).toBe('2027年1月1日');
  });

  it('reads a PNG header and refuses what is not one', () => {
    const png = Buffer.from('89504e470d0a1a0a0000000d4948445200000280000001e00806000000', 'hex');
    expect(pngSize(png)).toEqual({ width: 640, height: 480 });
    expect(pngSize(Buffer.from('GIF89a not a png at all....'))).toBeNull();
  });

  it('lists every text in reading order', () => {
    const text = documentText({
      issuer: '某镇网格化服务管理中心',
      number: '网格督办〔2026〕3号',
      title: '督办单',
      blocks: [{ kind: 'fields', rows: [['承办单位', '镇城管办']] }, { kind: 'table', columns: ['序号', '事项'], rows: [['1', '占道经营']] }],
      signature: { issuer: '某镇网格化服务管理中心', date: '2026年12月3日' },
    });
    expect(text.split('\n')).toEqual(['某镇网格化服务管理中心', '网格督办〔2026〕3号', '督办单', '承办单位：镇城管办', '序号\t事项', '1\t占道经营', '某镇网格化服务管理中心', '2026年12月3日']);
  });
});
