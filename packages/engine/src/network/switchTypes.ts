/**
 * Virtual switches (Virtual Switch Manager, Get-VMSwitch) and a VM's network adapter: the types the
 * `Host` interface names. The use cases live in `virtualSwitches.ts`.
 */

/**
 * Microsoft's VMSwitchType: Private (VMs on the switch reach each other only), Internal (and the
 * host), External (and the physical network through one of the host's network adapters).
 * Sources: New-VMSwitch and Get-VMSwitch references (learn.microsoft.com, module hyper-v).
 */
export type VirtualSwitchType = 'Private' | 'Internal' | 'External';
export const VIRTUAL_SWITCH_TYPES: readonly VirtualSwitchType[] = [
  'Private',
  'Internal',
  'External',
];

export interface VirtualSwitch {
  /** A GUID, lower case, as Get-VMSwitch's Id. */
  id: string;
  name: string;
  switchType: VirtualSwitchType;
  /** Set-VMSwitch -Notes; '' when none. */
  notes: string;
  /** Windows' own "Default Switch": it cannot be removed, renamed or changed. */
  isDefaultSwitch: boolean;
  /** How many VMs' network adapters are connected to it now. */
  connectedAdapterCount: number;
}

/** New-VMSwitch -Name -SwitchType (Internal or Private; External needs a physical adapter). */
export interface NewVirtualSwitchInput {
  name: string;
  switchType: VirtualSwitchType;
  notes?: string | undefined;
}

/** Rename-VMSwitch -NewName, Set-VMSwitch -Notes / -SwitchType; a field left out keeps its value. */
export interface VirtualSwitchUpdate {
  name?: string | undefined;
  notes?: string | undefined;
  switchType?: VirtualSwitchType | undefined;
}

/** What Remove-VMSwitch did: the switch as it was, and the VMs whose adapters it disconnected. */
export interface RemovedVirtualSwitch {
  virtualSwitch: VirtualSwitch;
  disconnectedVmIds: string[];
}

/**
 * A VM's network adapter (Get-VMNetworkAdapter): a synthetic "Network Adapter" or, on generation 1,
 * a "Legacy Network Adapter" (an emulated one the BIOS can boot from), connected to a switch or
 * to none ("Not connected").
 */
export interface NetworkAdapter {
  /** A GUID, lower case: the adapter's part of Get-VMNetworkAdapter's Id. */
  id: string;
  /** Default "Network Adapter" (Add-VMNetworkAdapter -Name); several adapters may share it. */
  name: string;
  /** Add-VMNetworkAdapter -IsLegacy: an emulated adapter (generation 1 only). */
  isLegacy: boolean;
  switchId: string | null;
  switchName: string | null;
  /** Twelve hexadecimal digits, upper case, no separators (Get-VMNetworkAdapter's MacAddress). */
  macAddress: string;
  /** False when the adapter has a static MAC address (-StaticMacAddress). */
  dynamicMacAddressEnabled: boolean;
}

/** Add-VMNetworkAdapter [-Name] [-SwitchName] [-IsLegacy] [-StaticMacAddress]. */
export interface AddNetworkAdapterInput {
  /** Default "Network Adapter" (or "Legacy Network Adapter" with `isLegacy`). */
  name?: string | undefined;
  /** The switch to connect it to; absent or null: Not connected. */
  switchId?: string | null | undefined;
  isLegacy?: boolean | undefined;
  /** Twelve hexadecimal digits (separators '-' or ':' allowed); absent: a dynamic address. */
  staticMacAddress?: string | undefined;
}

/** Get-VMScsiController: a SCSI controller, by its number (0-3). */
export interface ScsiController {
  controllerNumber: number;
}
