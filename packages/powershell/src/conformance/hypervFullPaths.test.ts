/**
 * Hyper-V shows folders and disks by their full paths: Get-VM's Path, ConfigurationLocation and
 * SnapshotFileLocation, Get-VMHardDiskDrive's Path, Get-VHD's Path and ParentPath (the references
 * show `C:\ProgramData\Microsoft\Windows\Hyper-V\...`). On this host they are full paths on this
 * machine, under the data folder; a relative path is still accepted as input.
 */
import { buildVm, createTestHost } from '@hvm/engine/testing';
import { describe, expect, it } from 'vitest';
import { runPowerShell } from '../index.js';

const DATA = '/srv/hyperv';

async function hostWithFolder() {
  const { host } = await createTestHost({ dataLocation: DATA });
  const vm = await buildVm(host, { name: 'Web-01' });
  await host.createCheckpoint(vm.id, { name: 'Before' });
  return host;
}

describe('full paths in Get-VM, Get-VMHardDiskDrive and Get-VHD', () => {
  it('Get-VM: Path, ConfigurationLocation and SnapshotFileLocation are full paths', async () => {
    const result = await runPowerShell(
      await hostWithFolder(),
      '$vm = Get-VM Web-01\n$vm.Path\n$vm.ConfigurationLocation\n$vm.SnapshotFileLocation',
    );
    expect(result.output).toBe(
      `${DATA}/Virtual Machines\n${DATA}/Virtual Machines\n${DATA}/Snapshots\n`,
    );
  });

  it('Get-VMHardDiskDrive | Get-VHD: the drive and its parent by full path; a relative path finds the same disk', async () => {
    const result = await runPowerShell(
      await hostWithFolder(),
      `$vhd = Get-VMHardDiskDrive -VMName Web-01 | Get-VHD
$vhd.Path.StartsWith('${DATA}/Virtual Hard Disks/Web-01_')
$vhd.ParentPath
(Get-VHD -Path 'Virtual Hard Disks/Web-01.vhdx').Path`,
    );
    expect(result.errors).toEqual([]);
    expect(result.output).toBe(
      `True\n${DATA}/Virtual Hard Disks/Web-01.vhdx\n${DATA}/Virtual Hard Disks/Web-01.vhdx\n`,
    );
  });
});
