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
 * Moving a window by its title bar (pointer capture, so a fast drag does not lose it), and moving
 * or sizing it by keyboard after Move or Size of its window menu (Alt+Space), as in Windows. The
 * title bar always stays reachable: the window cannot be moved above the page or off its sides.
 */
export function useWindowPlacement(initial: WindowPlacement) {
  const [placement, setPlacement] = useState(initial);
  /** Set once the window was sized by keyboard; the mouse sizes it by its corner (CSS resize). */
  const [size, setSize] = useState<{ width: number; height: number } | null>(null);
  const drag = useRef<{ x: number; y: number; from: WindowPlacement } | null>(null);
  const [keyboard, setKeyboard] = useState<{
    mode: KeyboardPlacementMode;
    from: WindowBox;
    /** The size before, to put back on Esc (null: the window's own CSS size). */
    fromSize: { width: number; height: number } | null;
    box: WindowBox;
  } | null>(null);

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

  /** Move or Size chosen: the arrows act on `element` (the window) until Enter or Esc. */
  const beginKeyboard = (mode: KeyboardPlacementMode, element: HTMLElement | null) => {
    const box = {
      ...placement,
      width: size?.width ?? Math.max(MIN_WINDOW.width, element?.offsetWidth ?? 0),
      height: size?.height ?? Math.max(MIN_WINDOW.height, element?.offsetHeight ?? 0),
    };
    setKeyboard({ mode, from: box, fromSize: size, box });
  };

  /**
   * A key while moving or sizing: arrows step, Enter keeps the new place, Esc puts the window
   * back where it was. True when the key was taken.
   */
  const keyboardKey = (key: string): boolean => {
    if (keyboard === null) return false;
    if (key === 'Enter' || key === 'Escape') {
      if (key === 'Escape') {
        setPlacement({ left: keyboard.from.left, top: keyboard.from.top });
        setSize(keyboard.fromSize);
      }
      setKeyboard(null);
      return true;
    }
    const next = stepWindowBox(keyboard.mode, key, keyboard.box, {
      width: window.innerWidth,
      height: window.innerHeight,
    });
    if (next === null) return true;
    setKeyboard({ ...keyboard, box: next });
    setPlacement({ left: next.left, top: next.top });
    if (keyboard.mode === 'size') setSize({ width: next.width, height: next.height });
    return true;
  };

  return {
    placement,
    size,
    keyboardMode: keyboard?.mode ?? null,
    beginKeyboard,
    keyboardKey,
    dragHandlers: { onPointerDown, onPointerMove, onPointerUp },
  };
}

/** A window's place and size, in pixels. */
export interface WindowBox extends WindowPlacement {
  width: number;
  height: number;
}

/** Move or Size from the window menu (Alt+Space), as Windows offers them. */
export type KeyboardPlacementMode = 'move' | 'size';

/** Pixels one arrow key moves or sizes the window by. */
export const KEYBOARD_STEP = 10;
/** The smallest window (console.css min-width / min-height). */
export const MIN_WINDOW = { width: 360, height: 240 };

const ARROWS: Record<string, [number, number]> = {
  ArrowLeft: [-1, 0],
  ArrowRight: [1, 0],
  ArrowUp: [0, -1],
  ArrowDown: [0, 1],
};

/**
 * One arrow key while moving or sizing by keyboard, as Windows does after Move or Size: Move
 * shifts the window (its title bar stays reachable, as with the mouse); Size moves the right edge
 * with Left/Right and the bottom edge with Up/Down, within the smallest window and the page.
 * Null for any key but an arrow.
 */
export function stepWindowBox(
  mode: KeyboardPlacementMode,
  key: string,
  box: WindowBox,
  viewport: { width: number; height: number },
): WindowBox | null {
  const arrow = ARROWS[key];
  if (arrow === undefined) return null;
  const [dx, dy] = arrow;
  if (mode === 'move') {
    return {
      ...box,
      left: clamp(
        box.left + dx * KEYBOARD_STEP,
        KEEP_VISIBLE - box.width,
        viewport.width - KEEP_VISIBLE,
      ),
      top: clamp(box.top + dy * KEYBOARD_STEP, 0, viewport.height - KEEP_VISIBLE),
    };
  }
  return {
    ...box,
    width: clamp(box.width + dx * KEYBOARD_STEP, MIN_WINDOW.width, viewport.width),
    height: clamp(box.height + dy * KEYBOARD_STEP, MIN_WINDOW.height, viewport.height),
  };
}
