/**
 * The operation catalogue's rows for virtual switches and a VM's network adapter
 * (`network/virtualSwitches.ts`), spread into `OPERATIONS`. Everyone sees the switches;
 * Administrators change them. A switch's events name no VM; Hyper-V records switches in its
 * VmSwitch logs, whose texts are not known, so these messages are worded as the catalogue's
 * others. Moving an adapter is a change of the VM's settings, recorded as such.
 */
import { EventIds, vmIdSuffix, type EventId } from '../eventLog/eventCatalog.js';
import type {
  NewVirtualSwitchInput,
  RemovedVirtualSwitch,
  VirtualSwitch,
} from '../network/switchTypes.js';
import type { VmDetail } from '../types.js';
import { RequiredPermission } from './requiredPermission.js';

const { Read, ManageHost } = RequiredPermission;

interface Vm {
  id: string;
  name: string;
}
interface SwitchNames {
  switchName(switchId: string): string;
}

const aboutSwitch = (operation: string, succeeded: EventId) => ({
  operation,
  succeeded,
  failed: EventIds.VirtualSwitchFailed,
  aboutNoVm: true as const,
});

const bySwitchName = (names: SwitchNames, switchId: string): string => names.switchName(switchId);

const adapterSettings = (what: (result: VmDetail) => string) => ({
  operation: 'Settings',
  succeeded: EventIds.SettingsChanged,
  failed: EventIds.SettingsChangeFailed,
  success: ({ vm, result }: { vm: Vm; result: VmDetail }) =>
    `The settings of '${vm.name}' were changed (${what(result)}). ${vmIdSuffix(vm.id)}`,
  failure: ({ vm, reason }: { vm: Vm; reason: string }) =>
    `Failed to modify the settings of '${vm.name}'. ${reason}`,
});

export const SWITCH_OPERATIONS = {
  listVirtualSwitches: { permission: Read, scope: 'host' as const },
  createVirtualSwitch: {
    permission: ManageHost,
    scope: 'host' as const,
    events: {
      ...aboutSwitch('New virtual switch', EventIds.VirtualSwitchCreated),
      success: ({ result }: { result: VirtualSwitch }) =>
        `A new virtual switch '${result.name}' (${result.switchType}) was created.`,
      failure: ({ args: [input], reason }: { args: [NewVirtualSwitchInput]; reason: string }) =>
        `Failed to create virtual switch '${String(input.name)}'. ${reason}`,
    },
  },
  updateVirtualSwitch: {
    permission: ManageHost,
    scope: 'host' as const,
    events: {
      ...aboutSwitch('Virtual switch settings', EventIds.VirtualSwitchChanged),
      subject: bySwitchName,
      success: ({ subject, result }: { subject: string; result: VirtualSwitch }) =>
        subject === result.name
          ? `The settings of virtual switch '${result.name}' were changed.`
          : `The virtual switch '${subject}' was renamed to '${result.name}'.`,
      failure: ({ subject, reason }: { subject: string; reason: string }) =>
        `Failed to modify the settings of virtual switch '${subject}'. ${reason}`,
    },
  },
  removeVirtualSwitch: {
    permission: ManageHost,
    scope: 'host' as const,
    events: {
      ...aboutSwitch('Remove virtual switch', EventIds.VirtualSwitchRemoved),
      subject: bySwitchName,
      success: ({ result }: { result: RemovedVirtualSwitch }) =>
        `The virtual switch '${result.virtualSwitch.name}' was removed` +
        (result.disconnectedVmIds.length === 0
          ? '.'
          : `; the network adapters of ${result.disconnectedVmIds.length} virtual machine(s) are now not connected.`),
      failure: ({ subject, reason }: { subject: string; reason: string }) =>
        `Failed to remove virtual switch '${subject}'. ${reason}`,
    },
  },
  connectNetworkAdapter: {
    permission: ManageHost,
    scope: 'vm' as const,
    busyLabel: 'Settings',
    events: adapterSettings(
      (result) => `network adapter connected to '${result.networkAdapters?.[0]?.switchName ?? ''}'`,
    ),
  },
  disconnectNetworkAdapter: {
    permission: ManageHost,
    scope: 'vm' as const,
    busyLabel: 'Settings',
    events: adapterSettings(() => 'network adapter disconnected'),
  },
};
