/** The hard disk drive changes, logged as the settings changes they are (SettingsChanged / SettingsChangeFailed). */
import type { Host } from '../host.js';
import type { VmDetail, VmId } from '../types.js';
import type { Audit, RawHost } from './auditedHost.js';
import { EventIds, vmIdSuffix } from './eventCatalog.js';

type DriveMethods = Pick<Host, 'addHardDiskDrive' | 'removeHardDiskDrive' | 'setHardDiskDrivePath'>;

export function auditedDriveMethods(raw: RawHost, audit: Audit, user: string): DriveMethods {
  const logged = (vmId: VmId, what: string, run: () => Promise<VmDetail>): Promise<VmDetail> =>
    audit.onVm(
      user,
      vmId,
      run,
      (vm) => [
        {
          level: 'Information',
          eventId: EventIds.SettingsChanged,
          vm,
          operation: 'Settings',
          outcome: 'Succeeded',
          message: `The settings of '${vm.name}' were changed (${what}). ${vmIdSuffix(vm.id)}`,
        },
      ],
      (vm, reason) => ({
        eventId: EventIds.SettingsChangeFailed,
        operation: 'Settings',
        message: `Failed to modify the settings of '${vm.name}'. ${reason}`,
      }),
    );
  return {
    addHardDiskDrive: (vmId, input) =>
      logged(vmId, `hard disk drive '${input.path}' added`, () =>
        raw.addHardDiskDrive(vmId, input),
      ),
    removeHardDiskDrive: (vmId, location) =>
      logged(vmId, `hard disk drive at ${location} removed`, () =>
        raw.removeHardDiskDrive(vmId, location),
      ),
    setHardDiskDrivePath: (vmId, location, path) =>
      logged(vmId, `hard disk drive at ${location} now uses '${path}'`, () =>
        raw.setHardDiskDrivePath(vmId, location, path),
      ),
  };
}
