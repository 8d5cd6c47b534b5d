export type MenuId = 'file' | 'action' | 'view' | 'help';

/** The menu bar of MMC: File, Action, View, Help; Alt + the underlined letter opens each. */
export const MENUS: readonly { id: MenuId; caption: string; accessKey: string }[] = [
  { id: 'file', caption: 'File', accessKey: 'f' },
  { id: 'action', caption: 'Action', accessKey: 'a' },
  { id: 'view', caption: 'View', accessKey: 'v' },
  { id: 'help', caption: 'Help', accessKey: 'h' },
];
