import { createTestHost } from '@hvm/engine/testing';
import { describe, expect, test } from 'vitest';
import { runPowerShell } from '../index.js';

/** Every item a utility cmdlet handles is a step of the run's budget. */
describe('the utility cmdlets count their items as steps', () => {
  const cmdlets = [
    'Sort-Object',
    'Select-Object -Unique',
    'Group-Object',
    'Measure-Object -Sum',
    'Get-Member',
    'Tee-Object -Variable t',
    'Format-Table',
    'ConvertTo-Csv',
  ];
  for (const cmdlet of cmdlets) {
    test(cmdlet, async () => {
      const { host } = await createTestHost();
      const building = await runPowerShell(host, '$a = 1..3000; $a.Count', {
        limits: { maxSteps: 2000 },
      });
      expect(building.output).toBe('3000\n');
      const passing = await runPowerShell(host, '$a = 1..3000; $a | Out-Null', {
        limits: { maxSteps: 2000 },
      });
      expect(passing.errors).toEqual([]);
      const r = await runPowerShell(host, `$a = 1..3000; $a | ${cmdlet} | Out-Null`, {
        limits: { maxSteps: 2000 },
      });
      expect(r.errors[0]?.message).toBe(
        'The script took more than 2000 steps. (a limit of this server, not a PowerShell error)',
      );
    });
  }
});
