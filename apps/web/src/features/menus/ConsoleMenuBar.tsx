import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Command } from '../../shared/commands';
import { useUiStore } from '../../stores/uiStore';
import { AboutDialog } from './AboutDialog';
import { ActionMenu, actionTargetOf, type ActionTarget } from './ActionMenu';
import { AddRemoveColumnsDialog } from './AddRemoveColumnsDialog';
import { CustomizeViewDialog } from './CustomizeViewDialog';
import { MENUS, type MenuId } from './menuBarEntries';
import { MenuList } from './MenuList';
import { useMenuBarKeys } from './useMenuBarKeys';
import './menus.css';

type MenuWindow = 'columns' | 'customize' | 'about' | null;

/**
 * The console's menu bar, a WAI-ARIA menubar (APG menubar pattern) that behaves as a Windows
 * menu bar: Alt or F10 moves the focus to it and back, Left/Right move between File, Action,
 * View and Help, Down / Enter / Space open a menu, Up/Down move in it, Enter runs the entry, Esc
 * closes the menu and then leaves the bar, giving the focus back where it was.
 *
 * Entries of MMC's menus that mean nothing in a browser are left out rather than faked: File's
 * Add/Remove Snap-in..., Options... and Exit (a page cannot close its browser tab), so File shows
 * "(Empty)" greyed out as an empty Windows menu does; Help's "About Microsoft Management Console"
 * becomes "About Hyper-V Manager" since no MMC runs here.
 */
export function ConsoleMenuBar() {
  const queryClient = useQueryClient();
  const openDialog = useUiStore((s) => s.openDialog);
  const [openMenu, setOpenMenu] = useState<MenuId | null>(null);
  const [current, setCurrent] = useState(0);
  const [actionTarget, setActionTarget] = useState<ActionTarget>('host');
  const [menuWindow, setMenuWindow] = useState<MenuWindow>(null);
  const barRef = useRef<HTMLDivElement>(null);
  /** Where the focus was before the menu bar took it; it goes back there on leaving. */
  const returnFocus = useRef<HTMLElement | null>(null);
  /** Which entry of the open menu gets the focus once it is drawn. */
  const focusInMenu = useRef<'first' | 'last' | null>(null);

  const menuButtons = () =>
    Array.from(barRef.current?.querySelectorAll<HTMLElement>('.menubar-item') ?? []);
  const menuItems = () =>
    Array.from(
      barRef.current?.querySelectorAll<HTMLElement>('[role="menu"] [role="menuitem"]') ?? [],
    );

  const remember = useCallback(() => {
    const focused = document.activeElement;
    if (barRef.current?.contains(focused)) return;
    returnFocus.current =
      focused instanceof HTMLElement && focused !== document.body ? focused : null;
    setActionTarget(actionTargetOf(focused));
  }, []);

  const enter = useCallback(
    (index: number, open: boolean) => {
      remember();
      setCurrent(index);
      focusInMenu.current = open ? 'first' : null;
      setOpenMenu(open ? (MENUS[index]?.id ?? null) : null);
      menuButtons()[index]?.focus();
    },
    [remember],
  );

  const leave = useCallback(() => {
    setOpenMenu(null);
    const target = returnFocus.current;
    returnFocus.current = null;
    if (target?.isConnected) target.focus();
    else (document.activeElement as HTMLElement | null)?.blur();
  }, []);

  const isInBar = useCallback(() => barRef.current?.contains(document.activeElement) ?? false, []);
  useMenuBarKeys({ enter, leave, isInBar });

  // Draw focus into a newly opened menu.
  useEffect(() => {
    if (openMenu === null || focusInMenu.current === null) return;
    const items = menuItems();
    (focusInMenu.current === 'first' ? items[0] : items[items.length - 1])?.focus();
    focusInMenu.current = null;
  }, [openMenu, actionTarget]);

  // A click outside the bar closes the open menu.
  useEffect(() => {
    if (openMenu === null) return undefined;
    const onPointerDown = (e: MouseEvent) => {
      if (!barRef.current?.contains(e.target as Node)) {
        setOpenMenu(null);
        returnFocus.current = null;
      }
    };
    document.addEventListener('mousedown', onPointerDown);
    return () => document.removeEventListener('mousedown', onPointerDown);
  }, [openMenu]);

  const choose = (command: Command) => {
    if (!command.enabled) return;
    // Back to where the user was first, so that a dialog the command opens returns there.
    leave();
    command.run();
  };

  const openAt = (index: number, where: 'first' | 'last') => {
    setCurrent(index);
    focusInMenu.current = where;
    setOpenMenu(MENUS[index]?.id ?? null);
    menuButtons()[index]?.focus();
  };

  const step = (delta: number) => (current + delta + MENUS.length) % MENUS.length;

  const onBarKeyDown = (e: React.KeyboardEvent<HTMLDivElement>) => {
    const inMenu = (e.target as HTMLElement).closest('[role="menu"]') !== null;
    const handled = () => {
      e.preventDefault();
      e.stopPropagation();
    };
    if (inMenu) {
      const items = menuItems();
      const index = items.indexOf(document.activeElement as HTMLElement);
      switch (e.key) {
        case 'ArrowDown':
          handled();
          items[(index + 1) % items.length]?.focus();
          return;
        case 'ArrowUp':
          handled();
          items[(index - 1 + items.length) % items.length]?.focus();
          return;
        case 'Home':
          handled();
          items[0]?.focus();
          return;
        case 'End':
          handled();
          items[items.length - 1]?.focus();
          return;
        case 'ArrowRight':
          handled();
          openAt(step(1), 'first');
          return;
        case 'ArrowLeft':
          handled();
          openAt(step(-1), 'first');
          return;
        case 'Escape':
          handled();
          setOpenMenu(null);
          menuButtons()[current]?.focus();
          return;
        case 'Tab':
          handled();
          leave();
          return;
      }
      return;
    }
    switch (e.key) {
      case 'ArrowRight':
        handled();
        setCurrent(step(1));
        menuButtons()[step(1)]?.focus();
        return;
      case 'ArrowLeft':
        handled();
        setCurrent(step(-1));
        menuButtons()[step(-1)]?.focus();
        return;
      case 'ArrowDown':
      case 'Enter':
      case ' ':
        handled();
        openAt(current, 'first');
        return;
      case 'ArrowUp':
        handled();
        openAt(current, 'last');
        return;
      case 'Home':
        handled();
        setCurrent(0);
        menuButtons()[0]?.focus();
        return;
      case 'End':
        handled();
        setCurrent(MENUS.length - 1);
        menuButtons()[MENUS.length - 1]?.focus();
        return;
      case 'Escape':
        handled();
        leave();
        return;
    }
  };

  const refresh: Command = {
    id: 'refresh',
    caption: 'Refresh',
    enabled: true,
    separatorBefore: true,
    run: () => void queryClient.invalidateQueries(),
  };
  const staticMenus: Record<Exclude<MenuId, 'action'>, Command[]> = {
    file: [{ id: 'empty', caption: '(Empty)', enabled: false, run: () => undefined }],
    view: [
      {
        id: 'add-remove-columns',
        caption: 'Add/Remove Columns...',
        enabled: true,
        run: () => setMenuWindow('columns'),
      },
      {
        id: 'customize',
        caption: 'Customize...',
        enabled: true,
        run: () => setMenuWindow('customize'),
      },
      refresh,
    ],
    help: [
      {
        id: 'help-topics',
        caption: 'Help Topics',
        enabled: true,
        run: () => openDialog({ kind: 'help' }),
      },
      {
        id: 'about',
        caption: 'About Hyper-V Manager...',
        enabled: true,
        separatorBefore: true,
        run: () => setMenuWindow('about'),
      },
    ],
  };

  return (
    <>
      <div
        ref={barRef}
        role="menubar"
        aria-label="Menu bar"
        className="menubar"
        onKeyDown={onBarKeyDown}
      >
        {MENUS.map((menu, index) => (
          <div key={menu.id} role="none" className="menubar-entry">
            <button
              type="button"
              role="menuitem"
              aria-haspopup="menu"
              aria-expanded={openMenu === menu.id}
              aria-keyshortcuts={`Alt+${menu.accessKey.toUpperCase()}`}
              tabIndex={index === current ? 0 : -1}
              className="menubar-item"
              onMouseDown={remember}
              onClick={() => {
                setCurrent(index);
                if (openMenu === menu.id) setOpenMenu(null);
                else openAt(index, 'first');
              }}
              onMouseEnter={() => {
                if (openMenu !== null && openMenu !== menu.id) openAt(index, 'first');
              }}
            >
              {menu.caption}
            </button>
            {openMenu === menu.id &&
              (menu.id === 'action' ? (
                <ActionMenu target={actionTarget} onChoose={choose} />
              ) : (
                <MenuList label={menu.caption} commands={staticMenus[menu.id]} onChoose={choose} />
              ))}
          </div>
        ))}
      </div>
      {menuWindow === 'columns' && <AddRemoveColumnsDialog onClose={() => setMenuWindow(null)} />}
      {menuWindow === 'customize' && <CustomizeViewDialog onClose={() => setMenuWindow(null)} />}
      {menuWindow === 'about' && <AboutDialog onClose={() => setMenuWindow(null)} />}
    </>
  );
}
