/**
 * Every VM cmdlet given a VM name that finds none writes Hyper-V's "unable to find" record: Get-VM
 * its InvalidArgument one (R30), the others ObjectNotFound (objects.ts, vmNotFoundError, with its
 * sources), and goes on: the record is non-terminating.
 */
import { buildVm, createTestHost } from '@hvm/engine/testing';
import { expect, test } from 'vitest';
import { runPowerShell } from '../index.js';

const commands: [string, string][] = [
  ['Start-VM', 'StartVM'],
  ['Stop-VM', 'StopVM'],
  ['Save-VM', 'SaveVM'],
  ['Suspend-VM', 'SuspendVM'],
  ['Resume-VM', 'ResumeVM'],
  ['Restart-VM', 'RestartVM'],
  ['Remove-VM', 'RemoveVM'],
  ['Set-VM', 'SetVM'],
  ['Checkpoint-VM', 'CheckpointVM'],
  ['Wait-VM', 'WaitVM'],
  ['Get-VMSnapshot -VMName', 'GetVMSnapshot'],
  ['Get-VMMemory -VMName', 'GetVMMemory'],
  ['Set-VMMemory -VMName', 'SetVMMemory'],
  ['Get-VMProcessor -VMName', 'GetVMProcessor'],
  ['Get-VMNetworkAdapter -VMName', 'GetVMNetworkAdapter'],
  ['Get-VMHardDiskDrive -VMName', 'GetVMHardDiskDrive'],
  ['Get-VMIntegrationService -VMName', 'GetVMIntegrationService'],
];

test.each(commands)(
  '%s with a name that finds no VM writes the ObjectNotFound record and goes on',
  async (command, className) => {
    const { host } = await createTestHost();
    await buildVm(host, { name: 'Web-01' });
    const line = command.includes(' -') ? `${command} NoSuch` : `${command} -Name NoSuch`;
    const r = await runPowerShell(host, `${line}\n'after'`);
    const cmdlet = command.split(' ')[0] ?? '';
    expect(r.errors.map((e) => e.message)).toEqual([
      'Hyper-V was unable to find a virtual machine with name "NoSuch".',
    ]);
    expect(r.errors[0]?.categoryInfo).toBe(
      `ObjectNotFound: (:) [${cmdlet}], VirtualizationException`,
    );
    expect(r.errors[0]?.fullyQualifiedErrorId).toBe(
      `ObjectNotFound,Microsoft.HyperV.PowerShell.Commands.${className}`,
    );
    expect(r.objects).toEqual(['after']);
  },
);

test('Get-VM writes its own InvalidArgument record for the name (R30)', async () => {
  const { host } = await createTestHost();
  const r = await runPowerShell(host, 'Get-VM -Name NoSuch');
  expect(r.errors[0]?.categoryInfo).toBe(
    'InvalidArgument: (NoSuch:String) [Get-VM], VirtualizationException',
  );
  expect(r.errors[0]?.fullyQualifiedErrorId).toBe(
    'InvalidParameter,Microsoft.HyperV.PowerShell.Commands.GetVM',
  );
});
