import { forwardRef } from 'react';
import type { Command } from '../../shared/commands';
import { MenuEntries } from '../../shared/MenuEntries';
import '../../shared/contextMenu.css';
import './menus.css';

interface MenuListProps {
  /** The menu's accessible name: the caption of its menu bar entry ("Action"). */
  label: string;
  commands: readonly Command[];
  /** Runs a command chosen with the mouse or Enter / Space; greyed-out entries do nothing. */
  onChoose: (command: Command) => void;
}

/**
 * A drop-down menu of the menu bar (WAI-ARIA `menu`): the same entries, separators and group
 * headings as the context menus (shared/ContextMenu.tsx), drawn below its menu bar entry. The
 * keys are the menu bar's (ConsoleMenuBar), which moves the focus between its items.
 */
export const MenuList = forwardRef<HTMLDivElement, MenuListProps>(function MenuList(
  { label, commands, onChoose },
  ref,
) {
  return (
    <div ref={ref} role="menu" aria-label={label} className="context-menu menubar-menu">
      <MenuEntries commands={commands} onChoose={onChoose} />
    </div>
  );
});
