import { describe, expect, it } from 'vitest';
import { pageFromAnswer, pageSpan, pagesFor, pagesToKeep, scrollGeometry, scrollToRow, visibleRows } from './paging';

describe('queue windowing', () => {
  it('draws only the rows on screen and a few around them, even in 100,000 rows', () => {
    const w = visibleRows(36 * 50_000, 720, 36, 100_000, 5);
    expect(w).toEqual({ first: 49_995, last: 50_025 });
    expect(w.last - w.first + 1).toBeLessThan(40);
    expect(visibleRows(0, 720, 36, 3, 5)).toEqual({ first: 0, last: 2 });
    expect(visibleRows(0, 720, 36, 0)).toEqual({ first: 0, last: -1 });
    // scrolled past the end (the list shrank): the last rows
    expect(visibleRows(36 * 1000, 720, 36, 10, 2)).toEqual({ first: 9, last: 9 });
  });

  it('fetches the pages covering the window and keeps some around', () => {
    expect(pagesFor({ first: 95, last: 130 }, 100)).toEqual([0, 1]);
    expect(pagesFor({ first: 0, last: -1 }, 100)).toEqual([]);
    expect([...pagesToKeep([10, 11], 2)]).toEqual([8, 9, 10, 11, 12, 13]);
    expect([...pagesToKeep([0], 2)]).toEqual([0, 1, 2]);
    expect(pagesToKeep([]).size).toBe(0);
  });

  it('scrolls a row into view only when it is outside', () => {
    expect(scrollToRow(10, 0, 360, 36)).toBe(36);
    expect(scrollToRow(5, 0, 360, 36)).toBe(0);
    expect(scrollToRow(2, 200, 360, 36)).toBe(72);
  });
});

describe('a million rows', () => {
  it('fit under the browser height cap and every row stays reachable', () => {
    const total = 1_000_000;
    const rows = 58;
    const view = 700;
    const top = scrollGeometry(0, view, rows, total, 8_000_000);
    expect(top.spacer).toBe(8_000_000);
    expect(top.top(0)).toBe(0);
    // scrolled to the very end: the last row sits at the bottom of the viewport
    const endScroll = 8_000_000 - view;
    const end = scrollGeometry(endScroll, view, rows, total, 8_000_000);
    expect(end.top(total - 1) + rows).toBeCloseTo(endScroll + view, 6);
    expect(visibleRows(end.virtualTop, view, rows, total, 0).last).toBe(total - 1);
    // half way down shows the middle rows, and toReal inverts the mapping
    const mid = scrollGeometry(endScroll / 2, view, rows, total, 8_000_000);
    const midRow = visibleRows(mid.virtualTop, view, rows, total, 0).first;
    expect(Math.abs(midRow - total / 2)).toBeLessThan(20);
    expect(mid.toReal(mid.virtualTop)).toBeCloseTo(endScroll / 2, 6);
  });

  it('is the plain layout when the list fits', () => {
    const g = scrollGeometry(360, 700, 58, 1000);
    expect(g).toMatchObject({ spacer: 58_000, factor: 1, virtualTop: 360 });
    expect(g.top(10)).toBe(580);
  });
});

describe('pages of one answer', () => {
  it('spans the pages of rows first..last, a reversed range being the first row alone', () => {
    expect(pageSpan(0, 30)).toEqual([0, 0]);
    expect(pageSpan(95, 230)).toEqual([0, 2]);
    expect(pageSpan(250, 10)).toEqual([2, 2]);
  });

  it('cuts a page out of an answer for several pages, with its pending rows', () => {
    const items = Array.from({ length: 25 }, (_, i) => ({ id: `e${i}` }));
    const page = pageFromAnswer(items, new Set(['e3', 'e12', 'e30']), 3, 2, 10);
    expect(page.items.map((e) => e.id)).toEqual(['e10', 'e11', 'e12', 'e13', 'e14', 'e15', 'e16', 'e17', 'e18', 'e19']);
    expect([...page.pending]).toEqual(['e12']);
    expect(pageFromAnswer(items, new Set(), 4, 2, 10).items.map((e) => e.id)).toEqual(['e20', 'e21', 'e22', 'e23', 'e24']);
  });
});
