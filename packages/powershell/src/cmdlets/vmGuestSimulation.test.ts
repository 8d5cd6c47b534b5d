import { buildVm, createTestHost } from '@hvm/engine/testing';
import { describe, expect, test } from 'vitest';
import { runPowerShell } from '../index.js';

describe('Set-VMGuestSimulation and Get-VMGuestSimulation (a simulation extension, not Hyper-V)', () => {
  test('turns a fault on; Checkpoint-VM then falls back to Standard', async () => {
    const { host } = await createTestHost();
    const vm = await buildVm(host, {
      name: 'SQL-01',
      guestImage: 'windows-server-2016-sql',
      state: 'Running',
    });
    const run = await runPowerShell(
      host,
      'Set-VMGuestSimulation SQL-01 -VssWriterFails $true -Passthru | Select-Object -ExpandProperty VssWriterFails',
    );
    expect(run.errors).toEqual([]);
    expect(run.output).toBe('True\n');
    expect(host.getVm(vm.id).guestSimulation?.vssWriterFails).toBe(true);
    const checkpoint = await runPowerShell(
      host,
      'Checkpoint-VM SQL-01 -SnapshotName Before; (Get-VMSnapshot SQL-01).SnapshotType',
    );
    expect(checkpoint.output).toContain('Standard');
    const got = await runPowerShell(host, 'Get-VM SQL-01 | Get-VMGuestSimulation | Format-List');
    expect(got.output).toMatch(/VssWriterFails\s+: True/);
    expect(got.output).toMatch(/IgnoresShutdown\s+: False/);
  });

  test('with IgnoresShutdown, Stop-VM fails with "Failed to stop." as NotSpecified / OperationFailed', async () => {
    const { host } = await createTestHost();
    const vm = await buildVm(host, {
      name: 'SQL-01',
      guestImage: 'windows-server-2016-sql',
      state: 'Running',
    });
    await runPowerShell(host, 'Set-VMGuestSimulation -VMName SQL-01 -IgnoresShutdown $true');
    const run = await runPowerShell(host, 'Stop-VM SQL-01 -Force');
    expect(run.errors).toHaveLength(1);
    expect(run.errors[0]).toMatchObject({
      message: expect.stringMatching(/^Failed to stop\./) as unknown,
      categoryInfo: expect.stringMatching(
        /^NotSpecified: .*\[Stop-VM\], VirtualizationException/,
      ) as unknown,
      fullyQualifiedErrorId: 'OperationFailed,Microsoft.HyperV.PowerShell.Commands.StopVM',
    });
    expect(host.getVm(vm.id).state).toBe('Running');
  });

  test('-WhatIf changes nothing', async () => {
    const { host } = await createTestHost();
    const vm = await buildVm(host, { name: 'SQL-01', guestImage: 'windows-server-2016-sql' });
    const run = await runPowerShell(
      host,
      'Set-VMGuestSimulation SQL-01 -IgnoresShutdown $true -WhatIf',
    );
    expect(run.output).toContain('What if: Performing the operation "Set-VMGuestSimulation"');
    expect(host.getVm(vm.id).guestSimulation?.ignoresShutdown).toBe(false);
  });
});
