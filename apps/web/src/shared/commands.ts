/** An entry of a context menu or of the Actions pane. */
export interface Command {
  id: string;
  caption: string;
  enabled: boolean;
  run: () => void;
  /** Draw a separator line above this entry in menus. */
  separatorBefore?: boolean;
  /** A heading shown above this entry in menus (e.g. "New" above "Virtual Machine..."). */
  groupBefore?: string;
}

/**
 * Runs the command `id` when the list holds it enabled, as a click on its menu entry would: a
 * keyboard shortcut goes through the same check as the menu. Returns whether it ran.
 */
export function runIfEnabled(commands: readonly Command[], id: string): boolean {
  const command = commands.find((c) => c.id === id);
  if (!command?.enabled) return false;
  command.run();
  return true;
}
