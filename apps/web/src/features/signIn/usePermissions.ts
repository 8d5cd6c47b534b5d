/**
 * What the signed-in user may do, for greying out commands. The server decides in the end: a
 * command left enabled by mistake still gets its 403.
 */
import { useQuery } from '@tanstack/react-query';
import type { Command } from '../../shared/commands';
import { everyPermission, sessionQuery } from './sessionApi';
import type { Permission } from './sessionApi';

/** The permission each command needs; commands not listed need none beyond signing in. */
export const commandPermissions: Record<string, Permission> = {
  // A VM
  start: 'manageHost',
  turnOff: 'manageHost',
  shutDown: 'manageHost',
  save: 'manageHost',
  pause: 'manageHost',
  resume: 'manageHost',
  reset: 'manageHost',
  deleteSavedState: 'manageHost',
  checkpoint: 'manageCheckpoints',
  revert: 'manageCheckpoints',
  export: 'manageHost',
  rename: 'manageHost',
  delete: 'manageHost',
  // The host
  'new-vm': 'manageHost',
  'new-disk': 'manageHost',
  'import-vm': 'manageHost',
  'edit-disk': 'manageHost',
  'inspect-disk': 'readHost',
  'check-host': 'readHost',
  'event-log': 'readHost',
  powershell: 'runPowerShell',
};

/** Checkpoint commands whose ids mean something else for a VM. */
export const checkpointCommandPermissions: Record<string, Permission> = {
  apply: 'manageCheckpoints',
  export: 'manageHost',
  rename: 'manageCheckpoints',
  delete: 'manageCheckpoints',
  deleteSubtree: 'manageCheckpoints',
};

/** The permissions of the signed-in user (every one while the session is loading or off). */
export function usePermissions(): ReadonlySet<Permission> {
  const { data } = useQuery(sessionQuery());
  return new Set(data?.user?.permissions ?? everyPermission);
}

export function useCan(permission: Permission): boolean {
  return usePermissions().has(permission);
}

/** Greys out the commands the user's role does not allow. */
export function useAllowedCommands(
  table: Record<string, Permission> = commandPermissions,
): (commands: Command[]) => Command[] {
  const permissions = usePermissions();
  return (commands) =>
    commands.map((command) => {
      const needed = table[command.id];
      return needed === undefined || permissions.has(needed)
        ? command
        : { ...command, enabled: false };
    });
}
