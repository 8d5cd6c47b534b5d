/**
 * $WhatIfPreference (about_Preference_Variables, Microsoft docs): "$true (1): WhatIf is
 * automatically enabled on any command that supports it. Users can use the WhatIf parameter with a
 * value of False to disable it manually, such as -WhatIf:$false." An administrator who sets it to
 * dry-run a script must not see the script change anything, -Force or -Confirm:$false included.
 */
import type { Host } from '@hvm/engine';
import { buildVm, createTestHost } from '@hvm/engine/testing';
import { describe, expect, test } from 'vitest';
import { runPowerShell } from '../index.js';

async function hostWithRunningVm() {
  const { host } = await createTestHost();
  const vm = await buildVm(host, { name: 'Web-01', state: 'Running' });
  await host.createCheckpoint(vm.id, { name: 'Web-01 A' });
  await host.whenIdle();
  return host;
}

function checkpointNames(host: Host): string[] {
  const [vm] = host.findVmsByName('Web-01');
  if (vm === undefined) throw new Error('Web-01 is missing');
  return host.listCheckpoints(vm.id).checkpoints.map((c) => c.name);
}

describe('$WhatIfPreference', () => {
  test('$true makes every ShouldProcess cmdlet say what it would do and do nothing', async () => {
    const host = await hostWithRunningVm();
    const r = await runPowerShell(
      host,
      [
        '$WhatIfPreference = $true',
        'Checkpoint-VM Web-01 -SnapshotName Dry',
        'Restore-VMSnapshot -VMName Web-01 -Name "Web-01 A" -Confirm:$false',
        'Stop-VM Web-01 -TurnOff -Force',
        'Remove-VM Web-01 -Force',
      ].join('\n'),
    );
    expect(r.errors).toEqual([]);
    expect(r.output).toContain('What if: Restore-VMSnapshot will restore checkpoint "Web-01 A".');
    expect(r.output).toContain('What if: Remove-VM will remove virtual machine "Web-01".');
    expect(r.output.match(/^What if: /gm)).toHaveLength(4);
    expect(host.findVmsByName('Web-01')[0]?.state).toBe('Running');
    expect(checkpointNames(host)).toEqual(['Web-01 A']);
  });

  test('-WhatIf:$false acts in spite of it; $false and 0 leave cmdlets acting', async () => {
    const host = await hostWithRunningVm();
    const r = await runPowerShell(
      host,
      '$WhatIfPreference = $true\nCheckpoint-VM Web-01 -SnapshotName Real -WhatIf:$false\n$WhatIfPreference = 0\nCheckpoint-VM Web-01 -SnapshotName Also',
    );
    expect(r.errors).toEqual([]);
    expect(checkpointNames(host)).toEqual(['Web-01 A', 'Real', 'Also']);
  });
});
