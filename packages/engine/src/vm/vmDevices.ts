/**
 * A VM's devices besides its drives: its network adapters and SCSI controllers, as the
 * configuration holds them and as Get-VMNetworkAdapter, Get-VMScsiController and the Settings
 * dialog show them. The use cases live in `networkAdapters.ts` and `scsiControllers.ts`.
 *
 * Limits. Microsoft's "Plan for Hyper-V scalability in Windows Server 2012 and 2012 R2" gives a VM
 * 12 network adapters: 8 "Hyper-V specific" (synthetic) and 4 legacy; its "Plan for Hyper-V
 * scalability in Windows Server" (2016 and later) keeps the 4 legacy ones and, as remembered but not
 * re-read here, raises the synthetic ones; this host keeps the 8. Both pages give 4 virtual SCSI
 * controllers with 64 disks each ("Virtual SCSI disks: 256") and, on generation 1, 2 IDE controllers
 * with 2 devices each. Legacy adapters exist on generation 1 only: Microsoft's "Should I create a
 * generation 1 or 2 virtual machine in Hyper-V?" lists the legacy network adapter among the
 * generation 1 devices that generation 2 replaces with the synthetic one.
 *
 * Older configuration files have neither list: they load with one "Network Adapter" on the
 * switch `networkSwitchId` names (the Default Switch when absent) and as many SCSI controllers as
 * their drives use, and at least the one every new VM has (`NEW_VM_SCSI_CONTROLLERS`).
 */
import type { NetworkAdapterRecord, VmConfiguration, VmFile } from '../persistence/records.js';
import type { ScsiController } from '../network/switchTypes.js';

/** Synthetic adapters per VM (both generations). */
export const MAX_NETWORK_ADAPTERS = 8;
/** Legacy (emulated) adapters per generation 1 VM. */
export const MAX_LEGACY_NETWORK_ADAPTERS = 4;
/** SCSI controllers per VM, and locations per controller. */
export const MAX_SCSI_CONTROLLERS = 4;
export const SCSI_LOCATIONS = 64;
/**
 * A new VM of either generation has one SCSI controller. Generation 2 boots from it; on generation 1
 * it is there, empty, beside the two IDE controllers: "the wizard creates a virtual storage subsystem
 * that consists of two Integrated Drive Electronics (IDE) controllers and one Small Computer Systems
 * Interface (SCSI) controller ... The SCSI controller in the default Generation 1 VM configuration is
 * unpopulated" (Microsoft Press, Exam Ref 70-410, objective 3.2, as quoted by techveze.com), and
 * Petri's "Hyper-V Virtual Machine Storage Controllers Explained" ("Since Windows Server 2012, a
 * generation 1 virtual machine has had two IDE controllers and one SCSI controller"). The behaviour
 * spec (section 7.2) lists SCSI Controller among the Settings items of both generations.
 */
const NEW_VM_SCSI_CONTROLLERS = 1;

/** The names Hyper-V gives a new adapter (Get-VMNetworkAdapter's Name, Hyper-V Manager's item). */
export const NETWORK_ADAPTER_NAME = 'Network Adapter';
export const LEGACY_NETWORK_ADAPTER_NAME = 'Legacy Network Adapter';

/** The Default Switch's ID (`network/switchRegistry.ts`), where every VM of an older file was. */
const DEFAULT_SWITCH_ID = 'c08cb7b8-9b3c-408e-8e30-5e16a3aeb444';

/**
 * The adapters the configuration holds. An older file's one adapter takes the VM's ID as its own,
 * so that its ID and dynamic MAC address stay the same from load to load.
 */
export function adapterRecordsOf(
  configuration: VmConfiguration,
  vmId: string,
): NetworkAdapterRecord[] {
  if (configuration.networkAdapters !== undefined) return configuration.networkAdapters;
  const saved = configuration.networkSwitchId;
  return [
    {
      id: vmId.toLowerCase(),
      name: NETWORK_ADAPTER_NAME,
      isLegacy: false,
      switchId: saved === undefined ? DEFAULT_SWITCH_ID : saved,
      staticMacAddress: null,
    },
  ];
}

/** Makes the adapter list explicit before it changes (an older file's `networkSwitchId` goes). */
export function explicitAdapters(file: VmFile): NetworkAdapterRecord[] {
  const records = adapterRecordsOf(file.configuration, file.id).map((r) => ({ ...r }));
  file.configuration.networkAdapters = records;
  delete file.configuration.networkSwitchId;
  return records;
}

/** The SCSI controller numbers the drives use ("SCSI 2:5" uses controller 2). */
function scsiNumbersInUse(drives: readonly { controllerLocation: string }[]): number[] {
  const numbers: number[] = [];
  for (const drive of drives) {
    const match = /^SCSI (\d+):\d+$/i.exec(drive.controllerLocation);
    if (match !== null) numbers.push(Number(match[1]));
  }
  return numbers;
}

/** How many SCSI controllers the VM has (never fewer than its drives use). */
export function scsiControllerCountOf(
  configuration: VmConfiguration,
  drives: readonly { controllerLocation: string }[],
): number {
  const needed = Math.max(0, ...scsiNumbersInUse(drives).map((n) => n + 1));
  const base = configuration.scsiControllerCount ?? NEW_VM_SCSI_CONTROLLERS;
  return Math.min(MAX_SCSI_CONTROLLERS, Math.max(base, needed));
}

export function scsiControllersOf(
  configuration: VmConfiguration,
  drives: readonly { controllerLocation: string }[],
): ScsiController[] {
  const count = scsiControllerCountOf(configuration, drives);
  return Array.from({ length: count }, (_, controllerNumber) => ({ controllerNumber }));
}

/** A stable FNV-1a hash of a text, for simulated MAC addresses. */
function hashOf(text: string): number {
  let hash = 2166136261;
  for (const char of text) hash = Math.imul(hash ^ char.charCodeAt(0), 16777619) >>> 0;
  return hash;
}

/**
 * The adapter's MAC address: its static one, or a dynamic one from Hyper-V's pool, which starts
 * with Microsoft's prefix 00-15-5D (Hyper-V Manager's Virtual Switch Manager → MAC Address Range),
 * fixed per adapter. Printed without separators, as Get-VMNetworkAdapter does.
 */
export function macAddressOf(record: NetworkAdapterRecord): string {
  if (record.staticMacAddress !== null) return record.staticMacAddress;
  const low = (hashOf(record.id) & 0xffffff).toString(16).toUpperCase().padStart(6, '0');
  return `00155D${low}`;
}
