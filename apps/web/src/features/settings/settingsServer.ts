import { createContext, useContext } from 'react';

/**
 * The server of the VM whose Settings dialog is open, as a path (api/client.ts): a Virtual Machine
 * Connection window's own server when the dialog was opened from its File > Settings..., whichever
 * server the main window has selected since: VMConnect's File > Settings (Ctrl+O, source S24 of
 * the behaviour spec, useVmConnectionCommands.ts) opens the settings of the VM it is connected to.
 * Undefined: the selected server. The dialog's pages read, change and read again there only.
 */
export const SettingsServerContext = createContext<string | undefined>(undefined);

export function useSettingsServer(): string | undefined {
  return useContext(SettingsServerContext);
}
