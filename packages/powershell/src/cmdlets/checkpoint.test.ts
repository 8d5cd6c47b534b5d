import { buildVm, createTestHost } from '@hvm/engine/testing';
import { describe, expect, test } from 'vitest';
import { runPowerShell } from '../index.js';

async function vmWithCheckpoints(names: string[]) {
  const { host } = await createTestHost();
  const vm = await buildVm(host, { name: 'TestVM' });
  for (const name of names) await host.createCheckpoint(vm.id, { name });
  return { host, vm };
}

describe('checkpoint cmdlets', () => {
  test('Get-VMSnapshot | Remove-VMSnapshot removes every checkpoint', async () => {
    const { host, vm } = await vmWithCheckpoints(['A', 'B', 'C']);
    const r = await runPowerShell(
      host,
      'Get-VMSnapshot -VMName TestVM | Remove-VMSnapshot -Confirm:$false',
    );
    await host.whenIdle();
    expect(r.errors).toEqual([]);
    expect(host.listCheckpoints(vm.id).checkpoints).toEqual([]);
  });

  test('objects with VMName and Name bind to Remove-VMSnapshot by property name', async () => {
    const { host, vm } = await vmWithCheckpoints(['Experiment1', 'Keep', 'Experiment2']);
    const r = await runPowerShell(
      host,
      "Get-VMSnapshot -VMName TestVM | Where-Object Name -like 'Experiment*' | Select-Object VMName, Name | Remove-VMSnapshot -Confirm:$false",
    );
    await host.whenIdle();
    expect(r.errors).toEqual([]);
    expect(host.listCheckpoints(vm.id).checkpoints.map((c) => c.name)).toEqual(['Keep']);
  });

  test('Get-VM X | Remove-VMSnapshot -Name Experiment* removes by wildcard; -IncludeAllChildCheckpoints takes the subtree', async () => {
    const { host, vm } = await vmWithCheckpoints(['Base', 'Experiment1', 'Child']);
    await runPowerShell(
      host,
      'Get-VM TestVM | Remove-VMSnapshot -Name Experiment* -IncludeAllChildCheckpoints -Confirm:$false',
    );
    await host.whenIdle();
    expect(host.listCheckpoints(vm.id).checkpoints.map((c) => c.name)).toEqual(['Base']);
  });

  test('Get-VM X | Get-VMSnapshot, -ParentOf, -ChildOf and -Id', async () => {
    const { host } = await vmWithCheckpoints(['A', 'B']);
    const r = await runPowerShell(
      host,
      'Get-VM TestVM | Get-VMSnapshot | Select-Object -ExpandProperty Name\n(Get-VMSnapshot -ParentOf (Get-VM TestVM)).Name\n(Get-VMSnapshot -ChildOf (Get-VMSnapshot TestVM A)).Name\n$id = (Get-VMSnapshot TestVM A).Id; (Get-VMSnapshot -Id $id).Name',
    );
    expect(r.errors).toEqual([]);
    expect(r.objects).toEqual(['A', 'B', 'B', 'B', 'A']);
  });

  test('-WhatIf prints what would happen and changes nothing', async () => {
    const { host, vm } = await vmWithCheckpoints(['A']);
    const r = await runPowerShell(
      host,
      'Remove-VMSnapshot -VMName TestVM -Name A -WhatIf\nCheckpoint-VM -Name TestVM -WhatIf\nSet-VM TestVM -CheckpointType Disabled -WhatIf\nStart-VM TestVM -WhatIf',
    );
    expect(r.output).toBe(
      [
        'What if: Remove-VMSnapshot will remove checkpoint "A".',
        'What if: Performing the operation "Checkpoint-VM" on target "TestVM".',
        'What if: Performing the operation "Set-VM" on target "TestVM".',
        'What if: Performing the operation "Start-VM" on target "TestVM".',
        '',
      ].join('\n'),
    );
    expect(host.listCheckpoints(vm.id).checkpoints.map((c) => c.name)).toEqual(['A']);
    expect(host.getVm(vm.id)).toMatchObject({ checkpointType: 'Production', state: 'Off' });
  });

  test('Restore-VMSnapshot proceeds with -Confirm:$false; a run without a user changes nothing', async () => {
    const { host, vm } = await vmWithCheckpoints(['A', 'B']);
    const refused = await runPowerShell(host, 'Restore-VMSnapshot -Name A -VMName TestVM');
    expect(refused.output).toContain(
      'Restore-VMSnapshot : PowerShell is in NonInteractive mode. Read and Prompt functionality is not available.',
    );
    expect(host.getVm(vm.id).parentCheckpointName).toBe('B');
    await runPowerShell(host, 'Restore-VMSnapshot -Name A -VMName TestVM -Confirm:$false');
    expect(host.getVm(vm.id).parentCheckpointName).toBe('A');
    await runPowerShell(host, 'Get-VMSnapshot TestVM B | Restore-VMCheckpoint -Confirm:$false');
    expect(host.getVm(vm.id).parentCheckpointName).toBe('B');
  });

  test('Rename-VMSnapshot positional, and Export-VMSnapshot exports through the host and waits', async () => {
    const { host, vm } = await vmWithCheckpoints(['A']);
    await runPowerShell(host, 'Rename-VMSnapshot A TestVM Renamed');
    expect(host.listCheckpoints(vm.id).checkpoints[0]?.name).toBe('Renamed');
    const r = await runPowerShell(
      host,
      'Export-VMSnapshot -VMName TestVM -Name Renamed -Path Exports',
    );
    expect(r.errors).toEqual([]);
    expect(host.listTasks()).toEqual([
      expect.objectContaining({ name: 'Exporting virtual machine', status: 'Completed' }),
    ]);
    const listed = await host.listDisks();
    expect(listed.map((d) => d.path)).toContain('Exports/TestVM/Virtual Hard Disks/TestVM.vhdx');
    const again = await runPowerShell(
      host,
      'Get-VMSnapshot TestVM | Export-VMCheckpoint -Path Exports',
    );
    expect(again.errors[0]?.message).toMatch(/already exists/);
    const absolute = await runPowerShell(
      host,
      'Export-VMSnapshot -VMName TestVM -Name Renamed -Path C:\\Export',
    );
    expect(absolute.errors[0]?.message).toMatch(/outside the storage locations of this host/);
  });

  test('an unknown checkpoint name is Hyper-V\'s "Unable to find a snapshot" error', async () => {
    const { host } = await vmWithCheckpoints(['A']);
    const r = await runPowerShell(host, 'Get-VMSnapshot -VMName TestVM -Name Nope');
    expect(r.errors[0]?.text).toBe(
      [
        'Get-VMSnapshot : Unable to find a snapshot matching the given criteria.',
        'At line:1 char:1',
        '+ Get-VMSnapshot -VMName TestVM -Name Nope',
        '+ ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~',
        '    + CategoryInfo          : ObjectNotFound: (:) [Get-VMSnapshot], VirtualizationException',
        '    + FullyQualifiedErrorId : ObjectNotFound,Microsoft.HyperV.PowerShell.Commands.GetVMSnapshot',
        '',
      ].join('\n'),
    );
  });
});

describe('pipelines of checkpoint cmdlets', () => {
  test('Get-VMSnapshot | Remove-VMSnapshot -IncludeAllChildSnapshots removes the tree without errors', async () => {
    const { host, vm } = await vmWithCheckpoints(['A', 'B', 'C']);
    const r = await runPowerShell(
      host,
      'Get-VMSnapshot -VMName TestVM | Remove-VMSnapshot -IncludeAllChildSnapshots -Confirm:$false',
    );
    await host.whenIdle();
    expect(r.errors).toEqual([]);
    expect(host.listCheckpoints(vm.id).checkpoints).toEqual([]);
  });

  test('the newest checkpoint, sorted by CreationTime, restored with -Confirm:$false', async () => {
    const { host, vm } = await vmWithCheckpoints(['A']);
    await host.createCheckpoint(vm.id, { name: 'B' });
    await runPowerShell(host, 'Restore-VMSnapshot -VMName TestVM -Name A -Confirm:$false');
    const r = await runPowerShell(
      host,
      'Get-VMSnapshot -VMName TestVM | Sort-Object Name -Descending | Select-Object -First 1 | Restore-VMSnapshot -Confirm:$false -Passthru | Select-Object -ExpandProperty Name',
    );
    expect(r.errors).toEqual([]);
    expect(r.objects).toEqual(['B']);
    expect(host.getVm(vm.id).parentCheckpointName).toBe('B');
  });

  test('Remove-VM asks first: refused without a user, done with -Force', async () => {
    const { host, vm } = await vmWithCheckpoints([]);
    const refused = await runPowerShell(host, 'Remove-VM -Name TestVM');
    expect(refused.errors[0]?.fullyQualifiedErrorId).toBe(
      'InvalidOperation,Microsoft.HyperV.PowerShell.Commands.RemoveVM',
    );
    expect(host.listVms()).toHaveLength(1);
    await runPowerShell(host, 'Remove-VM -Name TestVM -Force');
    expect(host.listVms().some((v) => v.id === vm.id)).toBe(false);
  });
});
