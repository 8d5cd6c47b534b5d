/**
 * The default table views of the Hyper-V module's device and host objects. Columns and labels are
 * the module's format views as public transcripts show them; where no transcript was found, the
 * view is marked [B] (our reading of the module's views, not verified).
 */
import type { PsObject } from '../runtime/values.js';
import { toPsString } from '../runtime/values.js';

export interface HyperVViewColumn {
  label: string;
  property: string;
  value?: (o: PsObject) => unknown;
  /** Views align left unless they say so. */
  align?: 'left' | 'right';
}

/**
 * Views grouped by a property print a header before each group's table: Get-WinEvent's records
 * are grouped by provider (`   ProviderName: <name>` after a blank line, as Windows PowerShell's
 * Event view prints it).
 */
export const groupHeaders: Record<string, (o: PsObject) => string> = {
  'System.Diagnostics.Eventing.Reader.EventLogRecord': (o) =>
    `\n   ProviderName: ${toPsString(o.get('ProviderName'))}\n`,
};

const MB = 1024 * 1024;
const inMB = (property: string) => (o: PsObject) => Math.floor(Number(o.get(property) ?? 0) / MB);

export const hyperVTableViews: Record<string, HyperVViewColumn[]> = {
  // dsccommunity/HyperVDsc#155: "Name LogicalProcessorCount MemoryCapacity(M)
  // VirtualMachineMigrationEnabled", memory as a double ("262074,203125" in a German console).
  'Microsoft.HyperV.PowerShell.VMHost': [
    { label: 'Name', property: 'Name' },
    { label: 'LogicalProcessorCount', property: 'LogicalProcessorCount' },
    {
      label: 'MemoryCapacity(M)',
      property: 'MemoryCapacity',
      value: (o) => Number(o.get('MemoryCapacity') ?? 0) / MB,
    },
    { label: 'VirtualMachineMigrationEnabled', property: 'VirtualMachineMigrationEnabled' },
  ],
  // [B] Get-VMMemory's view.
  'Microsoft.HyperV.PowerShell.VMMemory': [
    { label: 'VMName', property: 'VMName' },
    { label: 'DynamicMemoryEnabled', property: 'DynamicMemoryEnabled' },
    { label: 'Minimum(M)', property: 'Minimum', value: inMB('Minimum') },
    { label: 'Startup(M)', property: 'Startup', value: inMB('Startup') },
    { label: 'Maximum(M)', property: 'Maximum', value: inMB('Maximum') },
  ],
  // [B] Get-VMProcessor's view.
  'Microsoft.HyperV.PowerShell.VMProcessor': [
    { label: 'VMName', property: 'VMName' },
    { label: 'Count', property: 'Count' },
    { label: 'CompatibilityForMigrationEnabled', property: 'CompatibilityForMigrationEnabled' },
    {
      label: 'CompatibilityForOlderOperatingSystemsEnabled',
      property: 'CompatibilityForOlderOperatingSystemsEnabled',
    },
  ],
  // [B] Get-VMNetworkAdapter's view.
  'Microsoft.HyperV.PowerShell.VMNetworkAdapter': [
    { label: 'Name', property: 'Name' },
    { label: 'IsManagementOs', property: 'IsManagementOs' },
    { label: 'VMName', property: 'VMName' },
    { label: 'SwitchName', property: 'SwitchName' },
    { label: 'MacAddress', property: 'MacAddress' },
    { label: 'Status', property: 'Status' },
    { label: 'IPAddresses', property: 'IPAddresses' },
  ],
  // [B] Get-VMScsiController's view: our reading, the module's format view not re-read.
  'Microsoft.HyperV.PowerShell.VMScsiController': [
    { label: 'VMName', property: 'VMName' },
    { label: 'ControllerNumber', property: 'ControllerNumber' },
    { label: 'Drives', property: 'Drives' },
  ],
  // [B] Get-VMIdeController's view: the same columns as Get-VMScsiController's, our reading.
  'Microsoft.HyperV.PowerShell.VMIdeController': [
    { label: 'VMName', property: 'VMName' },
    { label: 'ControllerNumber', property: 'ControllerNumber' },
    { label: 'Drives', property: 'Drives' },
  ],
  // [B] Get-VMSwitch's view.
  'Microsoft.HyperV.PowerShell.VMSwitch': [
    { label: 'Name', property: 'Name' },
    { label: 'SwitchType', property: 'SwitchType' },
    { label: 'NetAdapterInterfaceDescription', property: 'NetAdapterInterfaceDescription' },
  ],
  // [B] Get-VMDvdDrive's view.
  'Microsoft.HyperV.PowerShell.DvdDrive': [
    { label: 'VMName', property: 'VMName' },
    { label: 'ControllerType', property: 'ControllerType' },
    { label: 'ControllerNumber', property: 'ControllerNumber' },
    { label: 'ControllerLocation', property: 'ControllerLocation' },
    { label: 'DvdMediaType', property: 'DvdMediaType' },
    { label: 'Path', property: 'Path' },
  ],
  // [B] Get-VMFirmware's view.
  'Microsoft.HyperV.PowerShell.VMFirmware': [
    { label: 'VMName', property: 'VMName' },
    { label: 'SecureBoot', property: 'SecureBoot' },
    { label: 'PreferredNetworkBootProtocol', property: 'PreferredNetworkBootProtocol' },
    { label: 'BootOrder', property: 'BootOrder' },
  ],
  // Windows PowerShell's Event view (Event.Format.ps1xml): the Id right-aligned.
  'System.Diagnostics.Eventing.Reader.EventLogRecord': [
    { label: 'TimeCreated', property: 'TimeCreated' },
    { label: 'Id', property: 'Id', align: 'right' },
    { label: 'LevelDisplayName', property: 'LevelDisplayName' },
    { label: 'Message', property: 'Message' },
  ],
};
