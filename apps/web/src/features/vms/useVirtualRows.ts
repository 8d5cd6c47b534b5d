import { useCallback, useLayoutEffect, useRef, useState } from 'react';

/** Rows rendered above and below the visible ones. */
const OVERSCAN = 8;
/** The viewport assumed before the list has been measured (and in tests without layout). */
const FALLBACK_VIEWPORT = 600;

/**
 * Virtual scrolling for a list of `count` rows of about `rowHeight` pixels under a sticky header
 * of about `headerHeight`: which rows to render (`first` to `last`, exclusive, plus spacers for
 * the rest), and how to scroll a row into view. The scroll container gets `scrollRef` and
 * `onScroll`. Once laid out, the real heights of a row and of the header are measured and used:
 * a row a pixel taller than assumed would otherwise put the 200th row 200 pixels below where the
 * list scrolled to.
 */
export function useVirtualRows(count: number, rowHeight: number, headerHeight: number) {
  const [scrollTop, setScrollTop] = useState(0);
  const [viewport, setViewport] = useState(FALLBACK_VIEWPORT);
  const [measured, setMeasured] = useState({ row: rowHeight, header: headerHeight });
  const scrollRef = useRef<HTMLDivElement>(null);

  useLayoutEffect(() => {
    const node = scrollRef.current;
    if (!node) return undefined;
    const measure = () => {
      if (node.clientHeight > 0) setViewport(node.clientHeight);
    };
    measure();
    if (typeof ResizeObserver === 'undefined') return undefined;
    const observer = new ResizeObserver(measure);
    observer.observe(node);
    return () => observer.disconnect();
  }, []);

  // The real heights, once rows are drawn (no layout in tests: the assumed ones stay).
  useLayoutEffect(() => {
    const node = scrollRef.current;
    const row = node?.querySelector('tbody tr:not(.spacer)')?.getBoundingClientRect().height ?? 0;
    const header = node?.querySelector('thead')?.getBoundingClientRect().height ?? 0;
    if (row > 0 && header > 0 && (row !== measured.row || header !== measured.header)) {
      setMeasured({ row, header });
    }
  }, [count, scrollTop, measured.row, measured.header]);

  const row = measured.row;
  const header = measured.header;
  const rowsInView = Math.ceil(Math.max(0, viewport - header) / row);
  const first = Math.max(0, Math.floor(scrollTop / row) - OVERSCAN);
  const last = Math.min(count, Math.floor(scrollTop / row) + rowsInView + OVERSCAN);

  /** Scrolls so that row `index` is fully visible below the header. */
  const scrollToIndex = useCallback(
    (index: number) => {
      const node = scrollRef.current;
      const current = scrollTop;
      const top = index * row;
      const bottom = top + row;
      const visible = Math.max(row, viewport - header);
      let next = current;
      if (top < current) next = top;
      else if (bottom > current + visible) next = bottom - visible;
      if (next !== current) {
        if (node) node.scrollTop = next;
        setScrollTop(next);
      }
    },
    [scrollTop, viewport, row, header],
  );

  /** Rows one Page Up / Page Down moves by: a screenful less one (0 before layout). */
  const pageRows = () =>
    Math.floor(Math.max(0, (scrollRef.current?.clientHeight ?? 0) - header) / row) - 1;

  const onScroll = (e: React.UIEvent<HTMLElement>) => setScrollTop(e.currentTarget.scrollTop);

  return { scrollRef, onScroll, first, last, scrollToIndex, pageRows, rowHeight: row };
}
