import { PowerShellConsole } from './PowerShellConsole';
import { usePowerShellStore } from './powerShellStore';

/** The console pane at the bottom of the window, when opened from the Actions pane. */
export function PowerShellPane() {
  const open = usePowerShellStore((s) => s.open);
  return open ? <PowerShellConsole /> : null;
}
