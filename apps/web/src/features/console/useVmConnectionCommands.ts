import type { VmBody } from '../../api/bodies';
import type { Command } from '../../shared/commands';
import { useVmCommands } from '../actions/useVmCommands';
import type { WindowMenuItem } from './WindowMenuBar';

/**
 * Keyboard shortcuts of Virtual Machine Connection, as Microsoft documents them ("Hyper-V Virtual
 * Machine Connection", Keyboard shortcuts; behaviour spec S24, §8.2): Ctrl+Alt+End sends
 * Ctrl+Alt+Delete, Ctrl+S starts, Ctrl+N takes a checkpoint, Ctrl+E reverts, Ctrl+O opens the
 * settings (File > Settings), Ctrl+Alt+Break leaves full-screen mode, Ctrl+C does a screen
 * capture (Clipboard > Capture Screen). Turn Off, Shut Down, Save,
 * Pause and Reset have no documented shortcut (a reader reports an undocumented one for Save,
 * MicrosoftDocs/windowsserverdocs issue 3297, without naming it), so they get none here.
 * Values are `aria-keyshortcuts` strings.
 */
export const VM_CONNECTION_SHORTCUTS = {
  ctrlAltDelete: 'Control+Alt+End',
  start: 'Control+S',
  checkpoint: 'Control+N',
  revert: 'Control+E',
  settings: 'Control+O',
  leaveFullScreen: 'Control+Alt+Pause',
  capture: 'Control+C',
} as const;

/** The Action menu's entries, in VMConnect's order (the toolbar shows the same, S57). */
const ACTION_ORDER = [
  'start',
  'turnOff',
  'shutDown',
  'save',
  'pause',
  'resume',
  'reset',
  'checkpoint',
  'revert',
] as const;

/**
 * Ctrl+Alt+Delete goes to the guest's keyboard; the simulated guests take no keyboard input, so
 * the entry is there (VMConnect has it, S24) but greyed out with this reason (this product's own
 * words).
 */
export const CTRL_ALT_DELETE_NOTE = 'The simulated guests take no keyboard input.';

export interface VmConnectionCommands {
  /** The Action menu: Ctrl+Alt+Delete, then the VM's power and checkpoint commands. */
  action: WindowMenuItem[];
  /** The VM's commands by id (start, settings, ...), the same the main window runs. */
  byId: (id: string) => Command | undefined;
}

/**
 * The commands of a Virtual Machine Connection window: the very commands of the VM's context
 * menu and Actions pane (useVmCommands), so they are enabled by the same rules (state, role, a
 * request of this page still running) and ask the same questions (Turn Off..., Revert...), on the
 * window's own server `hostPath`. Pause and Resume share one place: the one the VM's state allows
 * is shown.
 */
export function useVmConnectionCommands(
  vm: VmBody | undefined,
  hostPath: string,
): VmConnectionCommands {
  const commands = useVmCommands(vm, hostPath);
  const byId = (id: string) => commands.find((c) => c.id === id);
  const paused = vm?.state === 'Paused';
  const action: WindowMenuItem[] = [
    {
      id: 'ctrlAltDelete',
      caption: 'Ctrl+Alt+Delete',
      enabled: false,
      run: () => undefined,
      shortcut: VM_CONNECTION_SHORTCUTS.ctrlAltDelete,
      note: CTRL_ALT_DELETE_NOTE,
    },
  ];
  for (const id of ACTION_ORDER) {
    if (id === (paused ? 'pause' : 'resume')) continue;
    const command = byId(id);
    if (!command) continue;
    const shortcut = (VM_CONNECTION_SHORTCUTS as Record<string, string>)[id];
    action.push({
      id,
      caption: command.caption,
      enabled: command.enabled,
      run: command.run,
      ...(shortcut === undefined ? {} : { shortcut }),
      separatorBefore: id === 'start' || id === 'checkpoint',
    });
  }
  return { action, byId };
}

/** Whether a key event is the `aria-keyshortcuts` combination `shortcut` ("Control+S"). */
export function isShortcut(e: React.KeyboardEvent | KeyboardEvent, shortcut: string): boolean {
  const parts = shortcut.split('+');
  const key = parts[parts.length - 1] ?? '';
  const wantsAlt = parts.includes('Alt');
  if (!e.ctrlKey || e.altKey !== wantsAlt || e.shiftKey || e.metaKey) return false;
  // Ctrl+Break reads as "Cancel" on Windows keyboards and "Pause" elsewhere.
  if (key === 'Pause') return e.key === 'Pause' || e.key === 'Cancel';
  return e.key.length === 1 ? e.key.toUpperCase() === key : e.key === key;
}
