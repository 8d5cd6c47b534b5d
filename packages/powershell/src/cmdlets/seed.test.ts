import { buildVm, createTestHost } from '@hvm/engine/testing';
import { describe, expect, test } from 'vitest';
import { runPowerShell } from '../index.js';

/** Every PowerShell line of the "Deep-Dive: Hyper-V 2016 Production Checkpoints" article, as written. */
async function setup() {
  const { host } = await createTestHost();
  const vm = await buildVm(host, { name: 'VM_Name', state: 'Running' });
  return { host, vm };
}

describe('the production checkpoints article, line by line', () => {
  test.each(['Disabled', 'Production', 'ProductionOnly', 'Standard'])(
    'Set-VM -Name VM_Name -CheckpointType %s sets the checkpoint type',
    async (type) => {
      const { host, vm } = await setup();
      const result = await runPowerShell(host, `Set-VM -Name VM_Name -CheckpointType ${type}`);
      expect(result.errors).toEqual([]);
      expect(result.output).toBe('');
      expect(host.getVm(vm.id).checkpointType).toBe(type);
    },
  );

  test('Standard, then Checkpoint-VM through the pipeline creates "StandardCheckpoint", a standard checkpoint', async () => {
    const { host, vm } = await setup();
    const result = await runPowerShell(
      host,
      'Set-VM -Name VM_Name -CheckpointType Standard\nGet-VM -Name VM_Name | Checkpoint-VM -SnapshotName StandardCheckpoint',
    );
    expect(result.errors).toEqual([]);
    const [checkpoint] = host.listCheckpoints(vm.id).checkpoints;
    expect(checkpoint).toMatchObject({
      name: 'StandardCheckpoint',
      kind: 'Standard',
      hasSavedState: true,
    });
  });

  test('ProductionOnly, then Checkpoint-VM creates "ProductionCheckpoint", a production checkpoint, on a running VM with VSS', async () => {
    const { host, vm } = await setup();
    const result = await runPowerShell(
      host,
      'Set-VM -Name VM_Name -CheckpointType ProductionOnly\nGet-VM -Name VM_Name | Checkpoint-VM -SnapshotName ProductionCheckpoint',
    );
    expect(result.errors).toEqual([]);
    const [checkpoint] = host.listCheckpoints(vm.id).checkpoints;
    expect(checkpoint).toMatchObject({
      name: 'ProductionCheckpoint',
      kind: 'Production',
      hasSavedState: false,
    });
    const listed = await runPowerShell(host, 'Get-VMSnapshot -VMName VM_Name');
    expect(listed.objects).toMatchObject([
      { Name: 'ProductionCheckpoint', SnapshotType: 'Standard', CheckpointKind: 'Production' },
    ]);
  });

  test('ProductionOnly with the VSS service disabled fails and takes no checkpoint', async () => {
    const { host, vm } = await setup();
    const result = await runPowerShell(
      host,
      'Disable-VMIntegrationService -VMName VM_Name -Name VSS\nSet-VM -Name VM_Name -CheckpointType ProductionOnly\nGet-VM -Name VM_Name | Checkpoint-VM -SnapshotName ProductionCheckpoint',
    );
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]?.text).toMatch(/^Checkpoint-VM : Checkpoint operation failed\./);
    expect(result.errors[0]?.fullyQualifiedErrorId).toBe(
      'OperationFailed,Microsoft.HyperV.PowerShell.Commands.CheckpointVM',
    );
    expect(host.listCheckpoints(vm.id).checkpoints).toEqual([]);
  });

  test("Disabled blocks Checkpoint-VM with Hyper-V's message", async () => {
    const { host } = await setup();
    const result = await runPowerShell(
      host,
      'Set-VM -Name VM_Name -CheckpointType Disabled; Checkpoint-VM -Name VM_Name',
    );
    expect(result.errors[0]?.message).toContain("Checkpoints have been disabled for 'VM_Name'");
  });
});

describe('fallback and variables', () => {
  test('Production on a VM without VSS falls back to a standard checkpoint with a warning', async () => {
    const { host, vm } = await setup();
    const result = await runPowerShell(
      host,
      'Disable-VMIntegrationService -VMName VM_Name -Name VSS\nSet-VM -Name VM_Name -CheckpointType Production\n$vm = Get-VM -Name VM_Name\n$vm | Checkpoint-VM -SnapshotName Fallback\n(Get-VMSnapshot -VMName VM_Name -Name Fallback).CheckpointKind',
    );
    expect(result.errors).toEqual([]);
    expect(result.output).toBe(
      "WARNING: Production checkpoints cannot be created for 'VM_Name'. A standard checkpoint was created instead.\nStandard\n",
    );
    expect(host.listCheckpoints(vm.id).checkpoints).toMatchObject([
      { name: 'Fallback', kind: 'Standard' },
    ]);
  });
});

describe('the fallback warning comes from the checkpoint itself', () => {
  test('Production on a Saved VM falls back to a standard checkpoint with the same warning as a running one', async () => {
    const { host, vm } = await setup();
    await host.changeVmState(vm.id, 'save');
    const result = await runPowerShell(
      host,
      'Set-VM -Name VM_Name -CheckpointType Production\nCheckpoint-VM -Name VM_Name -SnapshotName Saved',
    );
    expect(result.errors).toEqual([]);
    expect(result.output).toBe(
      "WARNING: Production checkpoints cannot be created for 'VM_Name'. A standard checkpoint was created instead.\n",
    );
    expect(host.listCheckpoints(vm.id).checkpoints).toMatchObject([
      { name: 'Saved', kind: 'Standard', fallbackReason: 'vm-saved' },
    ]);
  });

  test('Production on an Off VM takes its disk-only checkpoint without a warning', async () => {
    const { host, vm } = await setup();
    await host.changeVmState(vm.id, 'turn-off');
    const result = await runPowerShell(
      host,
      'Set-VM -Name VM_Name -CheckpointType Production\nCheckpoint-VM -Name VM_Name -SnapshotName Off',
    );
    expect(result.errors).toEqual([]);
    expect(result.output).toBe('');
  });
});
