import { buildVm, createTestHost } from '@hvm/engine/testing';
import { describe, expect, test } from 'vitest';
import { runPowerShell } from '../index.js';

describe('Remove-VMSavedState', () => {
  test('deletes the saved state of a Saved VM, named or piped: it is then Off', async () => {
    const { host } = await createTestHost();
    await buildVm(host, { name: 'SQL-01', state: 'Saved' });
    await buildVm(host, { name: 'SQL-02', state: 'Saved' });
    const named = await runPowerShell(host, 'Remove-VMSavedState SQL-01; (Get-VM SQL-01).State');
    expect(named.errors).toEqual([]);
    expect(named.output).toBe('Off\n');
    const piped = await runPowerShell(
      host,
      'Get-VM SQL-02 | Remove-VMSavedState; (Get-VM SQL-02).State',
    );
    expect(piped.output).toBe('Off\n');
  });

  test('-WhatIf says what it would do and changes nothing', async () => {
    const { host } = await createTestHost();
    const vm = await buildVm(host, { name: 'SQL-01', state: 'Saved' });
    const run = await runPowerShell(host, 'Remove-VMSavedState -VMName SQL-01 -WhatIf');
    expect(run.output).toContain('What if: Performing the operation "Remove-VMSavedState"');
    expect(host.getVm(vm.id).state).toBe('Saved');
  });

  test('writes an error record for a VM that is not Saved and leaves it as it was', async () => {
    const { host } = await createTestHost();
    const vm = await buildVm(host, { name: 'WEB-01', state: 'Running' });
    const run = await runPowerShell(host, 'Remove-VMSavedState WEB-01');
    expect(run.errors).toHaveLength(1);
    expect(host.getVm(vm.id).state).toBe('Running');
  });
});
