/** Get-VMHost and Set-VMHost: this Hyper-V host, as Microsoft.HyperV.PowerShell.VMHost. */
import type { Host, HostSettingsUpdate } from '@hvm/engine';
import { PsObject } from '../runtime/values.js';
import { computerNameParam } from './computerName.js';
import type { CmdletDef } from './types.js';

export const VM_HOST_TYPE = 'Microsoft.HyperV.PowerShell.VMHost';
const MB = 1024 * 1024;

/**
 * Where this host puts new virtual hard disks and VMs (Set-VMHost). Paths in this product are
 * relative to the host's data folder (only Administrators see the folder itself, in the REST
 * API's host information): by default new disks go to `Virtual Hard Disks` and the VM path is the
 * data folder itself (`.`), as Hyper-V's VirtualMachinePath holds a `Virtual Machines` folder.
 */
export const VIRTUAL_HARD_DISK_PATH = 'Virtual Hard Disks';
export const VIRTUAL_MACHINE_PATH = '.';

export function vmHostObject(host: Host): PsObject {
  const info = host.info();
  const memory = info.memoryCapacityBytes ?? 0;
  return new PsObject(VM_HOST_TYPE, {
    ComputerName: info.name,
    Name: info.name,
    // No domain: the host is named as its machine is.
    FullyQualifiedDomainName: info.name,
    LogicalProcessorCount: info.logicalProcessorCount ?? 1,
    MemoryCapacity: memory,
    VirtualHardDiskPath: info.virtualHardDiskPath ?? VIRTUAL_HARD_DISK_PATH,
    VirtualMachinePath: info.virtualMachinePath ?? VIRTUAL_MACHINE_PATH,
    // Live migration is off by default in Hyper-V (HyperVDsc#155 shows Get-VMHost's False), and this
    // host has no other host to migrate to.
    VirtualMachineMigrationEnabled: false,
    MaximumStorageMigrations: 2,
    MaximumVirtualMachineMigrations: 2,
    NumaSpanningEnabled: true,
    EnableEnhancedSessionMode: false,
    SupportedVmVersions: ['8.0', '9.0', '10.0'],
  });
}

/** Memory in MB as Get-VMHost's table shows it: a double (262074.203125 in HyperVDsc#155). */
export function memoryCapacityMB(o: PsObject): number {
  return Number(o.get('MemoryCapacity') ?? 0) / MB;
}

const getVmHost: CmdletDef = {
  name: 'Get-VMHost',
  className: 'Microsoft.HyperV.PowerShell.Commands.GetVMHost',
  // Microsoft's Get-VMHost reference: -ComputerName at position 0, from the pipeline.
  params: [{ ...computerNameParam, position: 0, pipelineByValue: true }],
  process(ctx) {
    ctx.write(vmHostObject(ctx.host));
    return Promise.resolve();
  },
};

/**
 * Set-VMHost -VirtualHardDiskPath / -VirtualMachinePath: the default folders for new VMs (their
 * `.vhdx`, and the `Snapshots` folder of their checkpoints), inside the data folder; a path
 * elsewhere gets the record every other path outside the host's storage gets. The other settings
 * of Microsoft's Set-VMHost (MAC address range, migration, NUMA spanning, ...) have nothing to act
 * on here and are not offered.
 */
const setVmHost: CmdletDef = {
  name: 'Set-VMHost',
  className: 'Microsoft.HyperV.PowerShell.Commands.SetVMHost',
  shouldProcess: true,
  params: [
    { ...computerNameParam, position: 0 },
    { name: 'VirtualHardDiskPath', type: 'string', notNullOrEmpty: true },
    { name: 'VirtualMachinePath', type: 'string', notNullOrEmpty: true },
    { name: 'Passthru', type: 'switch' },
  ],
  async process(ctx, params) {
    const update: HostSettingsUpdate = {};
    if (typeof params.VirtualHardDiskPath === 'string')
      update.virtualHardDiskPath = params.VirtualHardDiskPath;
    if (typeof params.VirtualMachinePath === 'string')
      update.virtualMachinePath = params.VirtualMachinePath;
    if (!(await ctx.shouldProcess(ctx.host.info().name))) return;
    if (Object.keys(update).length > 0) await ctx.host.updateHostSettings(update);
    if (params.Passthru === true) ctx.write(vmHostObject(ctx.host));
  },
};

export const vmHostCmdlets: CmdletDef[] = [getVmHost, setVmHost];
