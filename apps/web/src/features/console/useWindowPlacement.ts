import { useRef, useState, type PointerEvent } from 'react';

export interface WindowPlacement {
  left: number;
  top: number;
}

/** How far each new window sits below and to the right of the one opened before it. */
const CASCADE_STEP = 28;
/** Pixels of the title bar that stay on screen however far the window is dragged. */
const KEEP_VISIBLE = 48;

/** Where the window opened `index`-th goes first: cascaded, as Windows places new windows. */
export function cascadePlacement(index: number): WindowPlacement {
  const step = index % 8;
  return { left: 80 + step * CASCADE_STEP, top: 60 + step * CASCADE_STEP };
}

function clamp(value: number, min: number, max: number): number {
  return Math.max(min, Math.min(max, value));
}

/**
 * Moving a window by its title bar (pointer capture, so a fast drag does not lose it). The title
 * bar always stays reachable: the window cannot be dragged above the page or off its sides.
 */
export function useWindowPlacement(initial: WindowPlacement) {
  const [placement, setPlacement] = useState(initial);
  const drag = useRef<{ x: number; y: number; from: WindowPlacement } | null>(null);

  const onPointerDown = (e: PointerEvent<HTMLElement>) => {
    if (e.button !== 0 || (e.target as HTMLElement).closest('button')) return;
    drag.current = { x: e.clientX, y: e.clientY, from: placement };
    e.currentTarget.setPointerCapture?.(e.pointerId);
  };
  const onPointerMove = (e: PointerEvent<HTMLElement>) => {
    const start = drag.current;
    if (!start) return;
    setPlacement({
      left: clamp(
        start.from.left + e.clientX - start.x,
        KEEP_VISIBLE - e.currentTarget.offsetWidth,
        window.innerWidth - KEEP_VISIBLE,
      ),
      top: clamp(start.from.top + e.clientY - start.y, 0, window.innerHeight - KEEP_VISIBLE),
    });
  };
  const onPointerUp = (e: PointerEvent<HTMLElement>) => {
    drag.current = null;
    e.currentTarget.releasePointerCapture?.(e.pointerId);
  };

  return { placement, dragHandlers: { onPointerDown, onPointerMove, onPointerUp } };
}
