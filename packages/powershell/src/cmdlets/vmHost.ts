/** Get-VMHost: this Hyper-V host, as Microsoft.HyperV.PowerShell.VMHost. */
import type { Host } from '@hvm/engine';
import { PsObject } from '../runtime/values.js';
import { computerNameParam } from './computerName.js';
import type { CmdletDef } from './types.js';

export const VM_HOST_TYPE = 'Microsoft.HyperV.PowerShell.VMHost';
const MB = 1024 * 1024;

/**
 * Where this host keeps virtual hard disks and VM configurations. Paths in this product are
 * relative to the host's data folder (only Administrators see the folder itself, in the REST
 * API's host information): new disks go to `Virtual Hard Disks`, configurations to
 * `Virtual Machines` under the data folder itself (`.`), as Hyper-V's VirtualMachinePath holds a
 * `Virtual Machines` folder.
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
    VirtualHardDiskPath: VIRTUAL_HARD_DISK_PATH,
    VirtualMachinePath: VIRTUAL_MACHINE_PATH,
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

export const vmHostCmdlets: CmdletDef[] = [getVmHost];
