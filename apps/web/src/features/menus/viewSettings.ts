/**
 * What View > Add/Remove Columns... and View > Customize... chose, kept in localStorage so that
 * the next visit shows the same view. MMC keeps a snap-in's column set and the Customize View
 * choices per console as well ("Column Persistence", IHeaderCtrl2, MMC SDK; the ViewOptions
 * enumeration names the Customize View dialog's Console Tree check box).
 */
import { useMemo } from 'react';
import { create } from 'zustand';
import { createJSONStorage, persist } from 'zustand/middleware';
import { VM_COLUMNS, type VmColumn, type VmColumnId } from '../vms/vmColumns';

export const VIEW_SETTINGS_STORAGE_KEY = 'hvm.view';

/** The Name column labels the row (and holds the rename box): it cannot be removed. */
export const FIXED_COLUMN: VmColumnId = 'name';

interface ViewSettingsState {
  /** Columns of the Virtual Machines list the user removed. */
  hiddenColumns: VmColumnId[];
  /** Customize View: the console tree on the left. */
  consoleTree: boolean;
  /** Customize View: the Actions pane on the right. */
  actionsPane: boolean;
  /** Customize View: the status bar at the bottom. */
  statusBar: boolean;
  setHiddenColumns: (hidden: readonly VmColumnId[]) => void;
  customize: (
    choice: Partial<Pick<ViewSettingsState, 'consoleTree' | 'actionsPane' | 'statusBar'>>,
  ) => void;
}

const known = new Set<string>(VM_COLUMNS.map((c) => c.id));

export const useViewSettings = create<ViewSettingsState>()(
  persist(
    (set) => ({
      hiddenColumns: [],
      consoleTree: true,
      actionsPane: true,
      statusBar: true,
      setHiddenColumns: (hidden) =>
        set({ hiddenColumns: hidden.filter((id) => id !== FIXED_COLUMN && known.has(id)) }),
      customize: (choice) => set(choice),
    }),
    {
      name: VIEW_SETTINGS_STORAGE_KEY,
      storage: createJSONStorage(() => localStorage),
      partialize: ({ hiddenColumns, consoleTree, actionsPane, statusBar }) => ({
        hiddenColumns,
        consoleTree,
        actionsPane,
        statusBar,
      }),
      // A stored value from another version (or edited by hand) cannot hide Name or add columns.
      merge: (stored, current) => {
        const s = (stored ?? {}) as Partial<ViewSettingsState>;
        return {
          ...current,
          hiddenColumns: Array.isArray(s.hiddenColumns)
            ? s.hiddenColumns.filter((id) => id !== FIXED_COLUMN && known.has(id))
            : current.hiddenColumns,
          consoleTree: typeof s.consoleTree === 'boolean' ? s.consoleTree : current.consoleTree,
          actionsPane: typeof s.actionsPane === 'boolean' ? s.actionsPane : current.actionsPane,
          statusBar: typeof s.statusBar === 'boolean' ? s.statusBar : current.statusBar,
        };
      },
    },
  ),
);

/** The columns the Virtual Machines list shows, in their order; one array per choice (memoised). */
export function useDisplayedColumns(): readonly VmColumn[] {
  const hidden = useViewSettings((s) => s.hiddenColumns);
  return useMemo(() => VM_COLUMNS.filter((c) => !hidden.includes(c.id)), [hidden]);
}

/** Puts the view back to its first state (tests). */
export function resetViewSettings(): void {
  useViewSettings.setState({
    hiddenColumns: [],
    consoleTree: true,
    actionsPane: true,
    statusBar: true,
  });
}
