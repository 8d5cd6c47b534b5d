/**
 * The operation catalogue's rows for virtual switches and a VM's network adapter
 * (`network/virtualSwitches.ts`), spread into `OPERATIONS`. Everyone sees the switches;
 * Administrators change them. A switch's events name no VM; Hyper-V records switches in its
 * VmSwitch logs, whose texts are not known, so these messages are worded as the catalogue's
 * others. Adding, removing, renaming or moving an adapter, and adding or removing a SCSI
 * controller, is a change of the VM's settings, recorded as such.
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

const adapterSettings = <A extends unknown[]>(what: (result: VmDetail, args: A) => string) => ({
  operation: 'Settings',
  succeeded: EventIds.SettingsChanged,
  failed: EventIds.SettingsChangeFailed,
  success: ({ vm, result, args }: { vm: Vm; result: VmDetail; args: A }) =>
    `The settings of '${vm.name}' were changed (${what(result, args)}). ${vmIdSuffix(vm.id)}`,
  failure: ({ vm, reason }: { vm: Vm; reason: string }) =>
    `Failed to modify the settings of '${vm.name}'. ${reason}`,
});

/** The adapter an operation named, as it is now ('' when it is gone). */
const adapterName = (result: VmDetail, adapterId: string | undefined): string =>
  result.networkAdapters?.find((a) => a.id === adapterId?.toLowerCase())?.name ?? '';

/** What a change of every adapter of the VM names. */
const everyAdapter = (result: VmDetail): string =>
  (result.networkAdapters?.length ?? 1) === 1 ? 'network adapter' : 'network adapters';

const vmSettings = { permission: ManageHost, scope: 'vm' as const, busyLabel: 'Settings' };

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
    ...vmSettings,
    events: adapterSettings<[string, string, (string | undefined)?]>(
      (result, [, switchId, adapterId]) => {
        const switchName = result.networkAdapters?.find((a) => a.switchId === switchId)?.switchName;
        const which =
          adapterId === undefined
            ? everyAdapter(result)
            : `network adapter '${adapterName(result, adapterId)}'`;
        return `${which} connected to '${switchName ?? switchId}'`;
      },
    ),
  },
  disconnectNetworkAdapter: {
    ...vmSettings,
    events: adapterSettings<[string, (string | undefined)?]>((result, [, adapterId]) =>
      adapterId === undefined
        ? `${everyAdapter(result)} disconnected`
        : `network adapter '${adapterName(result, adapterId)}' disconnected`,
    ),
  },
  addNetworkAdapter: {
    ...vmSettings,
    events: adapterSettings<[string, { isLegacy?: boolean | undefined }]>(
      (result, [, input]) =>
        `${input.isLegacy === true ? 'legacy network adapter' : 'network adapter'} '${result.networkAdapters?.at(-1)?.name ?? ''}' added`,
    ),
  },
  removeNetworkAdapter: {
    ...vmSettings,
    events: adapterSettings<[string, string]>(() => 'network adapter removed'),
  },
  renameNetworkAdapter: {
    ...vmSettings,
    events: adapterSettings<[string, string, string]>(
      (result, [, adapterId]) => `network adapter renamed to '${adapterName(result, adapterId)}'`,
    ),
  },
  addScsiController: {
    ...vmSettings,
    events: adapterSettings<[string]>(
      (result) => `SCSI controller ${(result.scsiControllers?.length ?? 1) - 1} added`,
    ),
  },
  removeScsiController: {
    ...vmSettings,
    events: adapterSettings<[string, number]>(
      (_result, [, controllerNumber]) => `SCSI controller ${controllerNumber} removed`,
    ),
  },
};
