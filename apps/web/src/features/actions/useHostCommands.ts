import { useQueryClient } from '@tanstack/react-query';
import { LOCAL_HOST_ID } from '@hvm/contracts';
import { hostsKey, removeServer } from '../../api/hosts';
import type { Command } from '../../shared/commands';
import { useSelectedHost } from '../../stores/selectedHostStore';
import { useSelectHost } from '../host/useSelectHost';
import { useUiStore } from '../../stores/uiStore';
import { usePowerShellStore } from '../powershell/powerShellStore';
import { useAllowedCommands } from '../signIn/usePermissions';

/**
 * The host's commands, as its section of the Actions pane and its context menu show them
 * (New > Virtual Machine..., Import Virtual Machine..., Edit Disk..., Inspect Disk..., Check Host..., Event Log..., PowerShell), greyed
 * out as the user's role requires. MMC's Action menu "contains the same commands as" the Actions
 * pane and the context menus ("Definitions of MMC Terms", Actions Pane, MMC 3.0 documentation).
 */
export function useHostCommands(): Command[] {
  const openDialog = useUiStore((s) => s.openDialog);
  const showPowerShell = usePowerShellStore((s) => s.show);
  const allowed = useAllowedCommands();
  const hostId = useSelectedHost((s) => s.hostId);
  const selectHost = useSelectHost();
  const queryClient = useQueryClient();
  const showNotice = useUiStore((s) => s.showNotice);
  return allowed([
    {
      id: 'new-vm',
      caption: 'Virtual Machine...',
      groupBefore: 'New',
      enabled: true,
      run: () => openDialog({ kind: 'new-vm' }),
    },
    {
      // New ▸ Hard Disk..., after Virtual Machine... (behaviour spec §7.1).
      id: 'new-disk',
      caption: 'Hard Disk...',
      enabled: true,
      run: () => openDialog({ kind: 'new-disk' }),
    },
    {
      // After New, as in Hyper-V Manager's host actions (behaviour spec §7).
      id: 'import-vm',
      caption: 'Import Virtual Machine...',
      enabled: true,
      run: () => openDialog({ kind: 'import-vm' }),
    },
    {
      // Hyper-V Manager's host actions: Hyper-V Settings..., then Virtual Switch Manager...
      // (behaviour spec §7). Everyone may look; only an Administrator may change (in the dialogs).
      id: 'hyperv-settings',
      caption: 'Hyper-V Settings...',
      enabled: true,
      run: () => openDialog({ kind: 'hyperv-settings' }),
    },
    {
      id: 'virtual-switch-manager',
      caption: 'Virtual Switch Manager...',
      enabled: true,
      run: () => openDialog({ kind: 'virtual-switch-manager' }),
    },
    {
      // Before Inspect Disk..., as in Hyper-V Manager's host actions (behaviour spec §7.1).
      id: 'edit-disk',
      caption: 'Edit Disk...',
      separatorBefore: true,
      enabled: true,
      run: () => openDialog({ kind: 'edit-disk', path: null }),
    },
    {
      id: 'inspect-disk',
      caption: 'Inspect Disk...',
      enabled: true,
      run: () => openDialog({ kind: 'inspect-disk', path: null }),
    },
    {
      id: 'check-host',
      caption: 'Check Host...',
      enabled: true,
      run: () => openDialog({ kind: 'check-host' }),
    },
    {
      id: 'event-log',
      caption: 'Event Log...',
      enabled: true,
      run: () => openDialog({ kind: 'event-log' }),
    },
    {
      id: 'powershell',
      caption: 'PowerShell',
      enabled: true,
      run: showPowerShell,
    },
    {
      // Hyper-V Manager's server actions end with Stop Service and Remove Server, before Refresh
      // (behaviour spec §7); this console's own server cannot be removed.
      id: 'remove-server',
      caption: 'Remove Server',
      separatorBefore: true,
      enabled: hostId !== LOCAL_HOST_ID,
      run: () => {
        const removed = hostId;
        selectHost(LOCAL_HOST_ID);
        removeServer(removed).then(
          () => queryClient.invalidateQueries({ queryKey: hostsKey }),
          (error: unknown) => showNotice(error instanceof Error ? error.message : String(error)),
        );
      },
    },
  ]);
}

/** The root node's ("Hyper-V Manager") commands: Connect to Server... (behaviour spec §7). */
export function useManagerCommands(): Command[] {
  const openDialog = useUiStore((s) => s.openDialog);
  return [
    {
      id: 'connect-to-server',
      caption: 'Connect to Server...',
      enabled: true,
      run: () => openDialog({ kind: 'connect-to-server' }),
    },
  ];
}
