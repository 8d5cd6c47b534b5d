/**
 * A window's system menu, as Alt+Space opens it in Windows: Restore, Move, Size, Minimize,
 * Maximize and Close, with their hot keys (R, M, S, N, X, C). This window can be moved, sized and
 * closed; Restore, Minimize and Maximize are greyed out, as Windows greys what does not apply.
 * Up and Down walk the items, Enter or a hot key chooses, Esc closes the menu.
 */
import { useEffect, useRef, type KeyboardEvent } from 'react';

export type SystemMenuChoice = 'move' | 'size' | 'close';

const ITEMS: readonly { caption: string; hotKey: string; choice: SystemMenuChoice | null }[] = [
  { caption: 'Restore', hotKey: 'R', choice: null },
  { caption: 'Move', hotKey: 'M', choice: 'move' },
  { caption: 'Size', hotKey: 'S', choice: 'size' },
  { caption: 'Minimize', hotKey: 'N', choice: null },
  { caption: 'Maximize', hotKey: 'X', choice: null },
  { caption: 'Close', hotKey: 'C', choice: 'close' },
];

export function WindowSystemMenu({
  onChoose,
  onDismiss,
}: {
  onChoose: (choice: SystemMenuChoice) => void;
  onDismiss: () => void;
}) {
  const menu = useRef<HTMLUListElement>(null);
  const enabled = () =>
    [...(menu.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? [])].filter(
      (item) => item.getAttribute('aria-disabled') !== 'true',
    );

  useEffect(() => {
    enabled()[0]?.focus();
  }, []);

  const onKeyDown = (e: KeyboardEvent<HTMLUListElement>) => {
    e.stopPropagation();
    const items = enabled();
    const at = items.indexOf(document.activeElement as HTMLElement);
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      const step = e.key === 'ArrowDown' ? 1 : -1;
      items[(at + step + items.length) % items.length]?.focus();
      return;
    }
    if (e.key === 'Escape') {
      e.preventDefault();
      onDismiss();
      return;
    }
    const byHotKey = ITEMS.find((item) => item.hotKey === e.key.toUpperCase() && item.choice);
    if (byHotKey?.choice) {
      e.preventDefault();
      onChoose(byHotKey.choice);
    }
  };

  return (
    <ul
      ref={menu}
      role="menu"
      aria-label="System"
      className="window-menu window-system-menu"
      onKeyDown={onKeyDown}
    >
      {ITEMS.map((item) => (
        <li key={item.caption} role="none" className={item.caption === 'Close' ? 'separated' : ''}>
          <button
            type="button"
            role="menuitem"
            aria-disabled={item.choice === null}
            aria-keyshortcuts={item.hotKey}
            tabIndex={-1}
            className="window-menu-item"
            onClick={() => item.choice && onChoose(item.choice)}
          >
            <span className="window-menu-caption">{item.caption}</span>
          </button>
        </li>
      ))}
    </ul>
  );
}
