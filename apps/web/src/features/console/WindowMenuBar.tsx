import { useEffect, useRef, useState, type KeyboardEvent } from 'react';

/** One entry of a drop-down menu. */
export interface WindowMenuItem {
  id: string;
  caption: string;
  enabled: boolean;
  run: () => void;
  /** The shortcut shown beside the caption, in the form of `aria-keyshortcuts` ("Control+S"). */
  shortcut?: string;
  /** A check mark item (View > Toolbar): `menuitemcheckbox` with this state. */
  checked?: boolean;
  /** Why the item is greyed out, shown as its tooltip. */
  note?: string;
  separatorBefore?: boolean;
}

export interface WindowMenu {
  caption: string;
  items: WindowMenuItem[];
}

interface WindowMenuBarProps {
  label: string;
  menus: WindowMenu[];
  /** Where the focus goes after a menu item runs (the window's screen), before the item runs. */
  onAfterChoose: () => void;
}

/** "Control+Alt+End" as a menu shows it: "Ctrl+Alt+End". */
function shortcutText(shortcut: string): string {
  return shortcut.replace(/Control/g, 'Ctrl');
}

/**
 * A window's menu bar, after the WAI-ARIA menubar pattern: one tab stop; Left/Right move along
 * the bar, Down/Enter/Space open a menu on its first item (Up on its last); in a menu Up/Down,
 * Home/End move, Enter/Space run the item, Esc closes the menu back to the bar, Left/Right go to
 * the next menu, Tab closes it. A click elsewhere closes the open menu.
 */
export function WindowMenuBar({ label, menus, onAfterChoose }: WindowMenuBarProps) {
  const [current, setCurrent] = useState(0);
  const [openIndex, setOpenIndex] = useState<number | null>(null);
  /** Which item of the open menu to focus once it has rendered: first, last or none (a click). */
  const focusOnOpen = useRef<'first' | 'last' | null>(null);
  const barRef = useRef<HTMLUListElement>(null);
  const menuRef = useRef<HTMLUListElement>(null);

  const topItems = () =>
    Array.from(
      barRef.current?.querySelectorAll<HTMLElement>(':scope > li > [role="menuitem"]') ?? [],
    );
  const menuItems = () =>
    Array.from(menuRef.current?.querySelectorAll<HTMLElement>('[role^="menuitem"]') ?? []);
  const focusInMenu = () => {
    const items = menuItems();
    const which = focusOnOpen.current;
    if (which === null || items.length === 0) return;
    focusOnOpen.current = null;
    (which === 'first' ? items[0] : items[items.length - 1])?.focus();
  };

  // After every render: a menu just opened from the keyboard gets the focus on its item.
  useEffect(focusInMenu);

  useEffect(() => {
    if (openIndex === null) return;
    const onPointerDown = (e: PointerEvent | MouseEvent) => {
      if (!barRef.current?.contains(e.target as Node)) setOpenIndex(null);
    };
    document.addEventListener('mousedown', onPointerDown);
    return () => document.removeEventListener('mousedown', onPointerDown);
  }, [openIndex]);

  const focusTop = (index: number) => {
    const count = menus.length;
    const next = (index + count) % count;
    setCurrent(next);
    topItems()[next]?.focus();
    return next;
  };

  const open = (index: number, focus: 'first' | 'last' | null) => {
    const next = focusTop(index);
    focusOnOpen.current = focus;
    if (next === openIndex) focusInMenu();
    else setOpenIndex(next);
  };

  const close = (backToBar: boolean) => {
    setOpenIndex(null);
    if (backToBar) topItems()[current]?.focus();
  };

  const choose = (item: WindowMenuItem) => {
    if (!item.enabled) return;
    setOpenIndex(null);
    // The focus leaves the menu before the item runs, so a dialog it opens gives it back there.
    onAfterChoose();
    item.run();
  };

  const onBarKeyDown = (e: KeyboardEvent<HTMLElement>, index: number) => {
    const keys: Record<string, () => void> = {
      ArrowRight: () => (openIndex === null ? focusTop(index + 1) : open(index + 1, 'first')),
      ArrowLeft: () => (openIndex === null ? focusTop(index - 1) : open(index - 1, 'first')),
      ArrowDown: () => open(index, 'first'),
      Enter: () => open(index, 'first'),
      ' ': () => open(index, 'first'),
      ArrowUp: () => open(index, 'last'),
      Home: () => focusTop(0),
      End: () => focusTop(menus.length - 1),
      Escape: () => close(true),
    };
    const action = keys[e.key];
    if (!action) return;
    e.preventDefault();
    e.stopPropagation();
    action();
  };

  const onMenuKeyDown = (e: KeyboardEvent<HTMLElement>, item: WindowMenuItem) => {
    const items = menuItems();
    const at = items.indexOf(e.currentTarget);
    const move = (to: number) => items[(to + items.length) % items.length]?.focus();
    const keys: Record<string, () => void> = {
      ArrowDown: () => move(at + 1),
      ArrowUp: () => move(at - 1),
      Home: () => move(0),
      End: () => move(items.length - 1),
      Enter: () => choose(item),
      ' ': () => choose(item),
      Escape: () => close(true),
      ArrowRight: () => open(current + 1, 'first'),
      ArrowLeft: () => open(current - 1, 'first'),
    };
    if (e.key === 'Tab') {
      setOpenIndex(null);
      return;
    }
    const action = keys[e.key];
    if (!action) return;
    e.preventDefault();
    e.stopPropagation();
    action();
  };

  return (
    <ul ref={barRef} role="menubar" aria-label={label} className="window-menubar">
      {menus.map((menu, index) => (
        <li key={menu.caption} role="none" className="window-menubar-entry">
          <button
            type="button"
            role="menuitem"
            aria-haspopup="menu"
            aria-expanded={openIndex === index}
            tabIndex={index === current ? 0 : -1}
            className="window-menubar-item"
            onClick={() => (openIndex === index ? close(false) : open(index, null))}
            onMouseEnter={() => openIndex !== null && openIndex !== index && open(index, null)}
            onKeyDown={(e) => onBarKeyDown(e, index)}
          >
            {menu.caption}
          </button>
          {openIndex === index && (
            <ul ref={menuRef} role="menu" aria-label={menu.caption} className="window-menu">
              {menu.items.map((item) => (
                <li key={item.id} role="none" className={item.separatorBefore ? 'separated' : ''}>
                  <button
                    type="button"
                    role={item.checked === undefined ? 'menuitem' : 'menuitemcheckbox'}
                    aria-checked={item.checked}
                    aria-disabled={!item.enabled}
                    aria-keyshortcuts={item.shortcut}
                    title={item.note}
                    tabIndex={-1}
                    className="window-menu-item"
                    onClick={() => choose(item)}
                    onKeyDown={(e) => onMenuKeyDown(e, item)}
                  >
                    <span className="window-menu-check" aria-hidden="true">
                      {item.checked ? '✓' : ''}
                    </span>
                    <span className="window-menu-caption">{item.caption}</span>
                    {item.shortcut && (
                      <span className="window-menu-shortcut" aria-hidden="true">
                        {shortcutText(item.shortcut)}
                      </span>
                    )}
                  </button>
                </li>
              ))}
            </ul>
          )}
        </li>
      ))}
    </ul>
  );
}
