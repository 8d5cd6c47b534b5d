import { buildVm, createTestHost } from '@hvm/engine/testing';
import { describe, expect, test } from 'vitest';
import { runPowerShell } from '../index.js';

const OUTSIDE = /^The path '.*' is outside the storage locations of this host\.$/;

async function testVm() {
  const { host } = await createTestHost();
  const vm = await buildVm(host, { name: 'TestVM' });
  return { host, vm };
}

describe('paths given to cmdlets stay inside the host storage', () => {
  test('Set-VM -SnapshotFileLocation refuses .., absolute paths and UNC shares', async () => {
    const { host, vm } = await testVm();
    for (const path of ['..\\..\\Windows', '/etc', 'C:\\Windows', '\\\\server\\share']) {
      const r = await runPowerShell(host, `Set-VM -Name TestVM -SnapshotFileLocation '${path}'`);
      expect(r.errors[0]?.message, path).toMatch(OUTSIDE);
    }
    expect(host.getVm(vm.id).snapshotFileLocation).toBe('Snapshots');
    const ok = await runPowerShell(
      host,
      "Set-VM -Name TestVM -CheckpointFileLocation 'Lab\\Checkpoints'",
    );
    expect(ok.errors).toEqual([]);
    expect(host.getVm(vm.id).snapshotFileLocation).toBe('Lab/Checkpoints');
  });

  test('Export-VMSnapshot -Path refuses a path that leaves the data folder and writes nothing', async () => {
    const { host, vm } = await testVm();
    await host.createCheckpoint(vm.id, { name: 'A' });
    const r = await runPowerShell(
      host,
      "Export-VMSnapshot -VMName TestVM -Name A -Path '..\\Exports'",
    );
    expect(r.errors[0]?.message).toMatch(OUTSIDE);
    expect(host.listTasks()).toEqual([]);
  });

  test('Get-VHD -Path only describes disks of the host: a traversal is refused as outside the storage', async () => {
    const { host } = await testVm();
    const r = await runPowerShell(host, "Get-VHD -Path '..\\..\\etc\\passwd'");
    expect(r.output).not.toContain('VhdType');
    expect(r.errors[0]?.message).toMatch(OUTSIDE);
  });

  test('New-VHD and Merge-VHD refuse paths that leave the data folder and write nothing', async () => {
    const { host, store } = await createTestHost();
    for (const script of [
      "New-VHD -Path '..\\escape.vhdx' -SizeBytes 8MB",
      "New-VHD -Path 'inside.vhdx' -ParentPath '/etc/base.vhdx' -Differencing",
      "Merge-VHD -Path '..\\..\\child.vhdx'",
    ]) {
      const r = await runPowerShell(host, script);
      expect(r.errors[0]?.message, script).toMatch(OUTSIDE);
    }
    expect(await store.exists('inside.vhdx')).toBe(false);
  });
});
