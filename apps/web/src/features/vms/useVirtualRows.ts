import { useCallback, useLayoutEffect, useRef, useState } from 'react';

/** Rows rendered above and below the visible ones. */
const OVERSCAN = 8;
/** The viewport assumed before the list has been measured (and in tests without layout). */
const FALLBACK_VIEWPORT = 600;

/**
 * Virtual scrolling for a list of `count` rows of `rowHeight` pixels under a sticky header of
 * `headerHeight`: which rows to render (`first` to `last`, exclusive, plus spacers for the rest),
 * and how to scroll a row into view. The scroll container gets `scrollRef` and `onScroll`.
 */
export function useVirtualRows(count: number, rowHeight: number, headerHeight: number) {
  const [scrollTop, setScrollTop] = useState(0);
  const [viewport, setViewport] = useState(FALLBACK_VIEWPORT);
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

  const rowsInView = Math.ceil(Math.max(0, viewport - headerHeight) / rowHeight);
  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - OVERSCAN);
  const last = Math.min(count, Math.floor(scrollTop / rowHeight) + rowsInView + OVERSCAN);

  /** Scrolls so that row `index` is fully visible. */
  const scrollToIndex = useCallback(
    (index: number) => {
      const node = scrollRef.current;
      const top = index * rowHeight;
      const bottom = top + rowHeight;
      const visible = Math.max(rowHeight, viewport - headerHeight);
      let next = scrollTop;
      if (top < scrollTop) next = top;
      else if (bottom > scrollTop + visible) next = bottom - visible;
      if (next !== scrollTop) {
        if (node) node.scrollTop = next;
        setScrollTop(next);
      }
    },
    [scrollTop, viewport, rowHeight, headerHeight],
  );

  /** Rows one Page Up / Page Down moves by: a screenful less one (0 before layout). */
  const pageRows = () => Math.floor((scrollRef.current?.clientHeight ?? 0) / rowHeight) - 1;

  const onScroll = (e: React.UIEvent<HTMLElement>) => setScrollTop(e.currentTarget.scrollTop);

  return { scrollRef, onScroll, first, last, scrollToIndex, pageRows };
}
