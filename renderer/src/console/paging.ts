// Windowing arithmetic of the queue: which rows are on screen at a scroll position
// (fixed row height) and which pages of events.list cover them. A queue of 100,000
// rows draws some 30 of them and holds a few pages in memory, never the whole list.

/** Rows per events.list call (the contract allows up to 500). */
export const PAGE_SIZE = 100;
/** Rows drawn above and below the visible ones, so a fast scroll does not flash blanks. */
export const OVERSCAN = 8;
/** Pages kept around the visible ones; farther pages are dropped and fetched again if needed. */
export const KEEP_PAGES = 6;

export interface RowWindow {
  /** First and last row index to draw (inclusive); last < first for an empty list. */
  first: number;
  last: number;
}

export function visibleRows(scrollTop: number, viewportHeight: number, rowHeight: number, total: number, overscan = OVERSCAN): RowWindow {
  if (total <= 0 || rowHeight <= 0) return { first: 0, last: -1 };
  const top = Math.max(0, Math.floor(scrollTop / rowHeight) - overscan);
  const bottom = Math.min(total - 1, Math.ceil((scrollTop + Math.max(0, viewportHeight)) / rowHeight) + overscan);
  return { first: Math.min(top, total - 1), last: bottom };
}

/** Page numbers covering rows first..last. */
export function pagesFor(window: RowWindow, pageSize = PAGE_SIZE): number[] {
  if (window.last < window.first) return [];
  const out: number[] = [];
  for (let p = Math.floor(window.first / pageSize); p <= Math.floor(window.last / pageSize); p++) out.push(p);
  return out;
}

/** Pages worth keeping: the needed ones and KEEP_PAGES around them. */
export function pagesToKeep(needed: readonly number[], keep = KEEP_PAGES): Set<number> {
  const out = new Set<number>();
  if (needed.length === 0) return out;
  const lo = Math.min(...needed) - keep;
  const hi = Math.max(...needed) + keep;
  for (let p = Math.max(0, lo); p <= hi; p++) out.add(p);
  return out;
}

/** The scrollTop that brings a row into view (unchanged when it is visible already). */
export function scrollToRow(index: number, scrollTop: number, viewportHeight: number, rowHeight: number): number {
  const top = index * rowHeight;
  if (top < scrollTop) return top;
  if (top + rowHeight > scrollTop + viewportHeight) return Math.max(0, top + rowHeight - viewportHeight);
  return scrollTop;
}

/**
 * Browsers cap an element's height (Chromium near 33.5 million px): 1,000,000 rows of
 * 58 px would not fit. Past this height the scroll bar stands for the whole list and
 * rows are placed relative to the scroll position, so every row stays reachable.
 */
export const MAX_SCROLL_PX = 8_000_000;

export interface ScrollGeometry {
  /** Height of the scrolled content. */
  spacer: number;
  /** Virtual scroll position per real pixel (1 when the list fits). */
  factor: number;
  /** The scroll position in the list's own (virtual) pixels. */
  virtualTop: number;
  /** Where row i is drawn inside the content. */
  top(index: number): number;
  /** The real scrollTop that puts the virtual position v at the top. */
  toReal(v: number): number;
}

export function scrollGeometry(scrollTop: number, viewportHeight: number, rowHeight: number, total: number, maxPx = MAX_SCROLL_PX): ScrollGeometry {
  const virtual = Math.max(0, total * rowHeight);
  const spacer = Math.min(virtual, maxPx);
  const view = Math.max(0, viewportHeight);
  const factor = virtual <= maxPx || spacer <= view ? 1 : (virtual - view) / (spacer - view);
  const virtualTop = scrollTop * factor;
  return {
    spacer,
    factor,
    virtualTop,
    top: (index) => scrollTop + (index * rowHeight - virtualTop),
    toReal: (v) => v / factor,
  };
}

/** The first and last page covering rows first..last (last below first counts as first's row alone). */
export function pageSpan(first: number, last: number, pageSize = PAGE_SIZE): [number, number] {
  return [Math.floor(first / pageSize), Math.floor(Math.max(first, last) / pageSize)];
}

/** Page `p` cut out of one answer that starts at page `first`: its rows, and which of them wait for the county. */
export function pageFromAnswer<T extends { id: string }>(
  items: readonly T[],
  pending: ReadonlySet<string>,
  p: number,
  first: number,
  pageSize = PAGE_SIZE,
): { items: T[]; pending: Set<string> } {
  const rows = items.slice((p - first) * pageSize, (p - first + 1) * pageSize);
  return { items: rows, pending: new Set(rows.filter((e) => pending.has(e.id)).map((e) => e.id)) };
}
