import { useEffect, useRef } from 'react';
import { MENUS } from './menuBarEntries';

interface MenuBarKeyActions {
  /** Moves the focus to the menu bar's entry `index`, opening its menu when `open`. */
  enter: (index: number, open: boolean) => void;
  /** Closes any menu and gives the focus back to where it was. */
  leave: () => void;
  isInBar: () => boolean;
}

/** A modal dialog is open: as in Windows, the main window's menu bar does not answer. */
const modalOpen = () => document.querySelector('[role="dialog"][aria-modal="true"]') !== null;

/**
 * The window-wide keys of a Windows menu bar: F10, or Alt pressed and released alone, moves the
 * focus to the menu bar (and back, pressed again); Alt + a menu's letter opens that menu.
 * (Windows' keyboard interface: "Press F10 or Alt to activate the menu bar"; Shift+F10 stays the
 * context menu key of the lists and trees.) A key a component already handled is left alone.
 */
export function useMenuBarKeys({ enter, leave, isInBar }: MenuBarKeyActions): void {
  const latest = useRef({ enter, leave, isInBar });
  useEffect(() => {
    latest.current = { enter, leave, isInBar };
  });

  useEffect(() => {
    let altAlone = false;
    const toggle = () => {
      if (latest.current.isInBar()) latest.current.leave();
      else latest.current.enter(0, false);
    };
    const onKeyDown = (e: KeyboardEvent) => {
      if (e.key === 'Alt') {
        altAlone = !e.repeat;
        return;
      }
      altAlone = false;
      if (e.defaultPrevented || modalOpen()) return;
      if (e.key === 'F10' && !e.shiftKey && !e.ctrlKey && !e.altKey && !e.metaKey) {
        e.preventDefault();
        toggle();
        return;
      }
      if (e.altKey && !e.ctrlKey && !e.metaKey && !e.shiftKey) {
        const index = MENUS.findIndex((m) => m.accessKey === e.key.toLowerCase());
        if (index >= 0) {
          e.preventDefault();
          latest.current.enter(index, true);
        }
      }
    };
    const onKeyUp = (e: KeyboardEvent) => {
      if (e.key !== 'Alt') return;
      const alone = altAlone;
      altAlone = false;
      if (!alone || e.defaultPrevented || modalOpen()) return;
      e.preventDefault();
      toggle();
    };
    // A click, or leaving the window (Alt+Tab), is not "Alt alone".
    const forget = () => {
      altAlone = false;
    };
    document.addEventListener('keydown', onKeyDown);
    document.addEventListener('keyup', onKeyUp);
    document.addEventListener('mousedown', forget);
    window.addEventListener('blur', forget);
    return () => {
      document.removeEventListener('keydown', onKeyDown);
      document.removeEventListener('keyup', onKeyUp);
      document.removeEventListener('mousedown', forget);
      window.removeEventListener('blur', forget);
    };
  }, []);
}
