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
