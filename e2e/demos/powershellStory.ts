import { expect } from '@playwright/test';
import { PowerShellConsole } from '../pages/PowerShellConsole.js';
import type { Demo } from './demoContext.js';

const VM = 'SQL-PROD-01';
const FALLBACK_VM = 'WEB-UBUNTU-01';

/** Demo 6: the same story typed as the article's cmdlets in the PowerShell console pane. */
export const powershellStory: Demo = {
  name: 'powershell',
  title: 'The same story in PowerShell',
  summary:
    "The article's cmdlets typed into the PowerShell console pane: checkpoint types, Standard and Production checkpoints, the fallback, Restore-VMSnapshot, Rename and Remove.",
  async run(demo) {
    const { manager, page } = demo;
    await manager.selectVm(VM);
    const ps = new PowerShellConsole(page);
    await ps.open();
    const vm = await demo.vm(VM);

    await ps.run('Get-VM');
    await demo.step(
      'Get-VM',
      "Actions → PowerShell opens the console pane under the window. Get-VM lists the demo host's VMs, as on a Hyper-V host.",
    );

    await ps.run(`Set-VM -Name ${VM} -CheckpointType Standard`);
    await ps.run(`Get-VM -Name ${VM} | Checkpoint-VM -SnapshotName StandardCheckpoint`);
    await expect(manager.checkpoint('StandardCheckpoint')).toBeVisible();
    await expect(ps.errors()).toHaveCount(0);
    await demo.step(
      'Standard: Checkpoint-VM',
      'Set-VM -CheckpointType Standard, then Checkpoint-VM through the pipeline: "StandardCheckpoint" appears in the Checkpoints tree at once, without a reload.',
    );

    await ps.run(`Set-VM -Name ${VM} -CheckpointType ProductionOnly`);
    await ps.run(`Get-VM -Name ${VM} | Checkpoint-VM -SnapshotName ProductionCheckpoint`);
    await expect(manager.checkpoint('ProductionCheckpoint')).toBeVisible();
    await ps.run(`Get-VMSnapshot -VMName ${VM}`);
    await expect(ps.output).toContainText(/ProductionCheckpoint\s+Standard/);
    await demo.step(
      'ProductionOnly: Checkpoint-VM, Get-VMSnapshot',
      'Set-VM -CheckpointType ProductionOnly and Checkpoint-VM take "ProductionCheckpoint". Get-VMSnapshot lists both: PowerShell\'s SnapshotType is Standard for both kinds (Recovery is the other value); the tree\'s badges tell Production from Standard.',
    );

    await ps.run(
      `Disable-VMIntegrationService -VMName ${FALLBACK_VM} -Name VSS; Set-VM -Name ${FALLBACK_VM} -CheckpointType Production; Checkpoint-VM -Name ${FALLBACK_VM} -SnapshotName Fallback`,
    );
    await expect(ps.output).toContainText('A standard checkpoint was created instead');
    await ps.run(
      `Set-VM -Name ${FALLBACK_VM} -CheckpointType ProductionOnly; Checkpoint-VM -Name ${FALLBACK_VM} -SnapshotName NoFallback`,
    );
    await expect(ps.errors().last()).toContainText('Checkpoint operation failed');
    await demo.step(
      'Without VSS: fallback, then failure',
      `On ${FALLBACK_VM}: Disable-VMIntegrationService -Name VSS. With Production, Checkpoint-VM warns and creates a standard checkpoint instead; with ProductionOnly it fails with "Checkpoint operation failed" and creates nothing.`,
    );

    await ps.run(`Restore-VMSnapshot -VMName ${VM} -Name StandardCheckpoint -Confirm:$false`);
    await expect(ps.errors()).toHaveCount(1);
    await demo.waitForState(VM, 'Saved');
    await ps.run(`Get-VM -Name ${VM}`);
    await demo.step(
      'Restore-VMSnapshot',
      'Restore-VMSnapshot applies StandardCheckpoint: Get-VM and the VM list show the VM Saved, ready to resume with the memory of that instant.',
    );

    await ps.run(
      `Rename-VMSnapshot -VMName ${VM} -Name ProductionCheckpoint -NewName 'Production (kept)'`,
    );
    await expect(manager.checkpoint('Production (kept)')).toBeVisible();
    await ps.run(`Remove-VMSnapshot -VMName ${VM} -Name StandardCheckpoint -Confirm:$false`);
    await expect(manager.checkpoint('StandardCheckpoint')).toHaveCount(0);
    await demo.waitUntilIdle(VM);
    await ps.run(`Get-VMSnapshot -VMName ${VM} | Select-Object Name, SnapshotType, CreationTime`);
    await expect(ps.errors()).toHaveCount(1);
    const tree = await demo.api.checkpoints(vm.id);
    expect(tree.checkpoints.map((c) => c.name)).not.toContain('StandardCheckpoint');
    await demo.step(
      'Rename-VMSnapshot, Remove-VMSnapshot',
      'Rename-VMSnapshot and Remove-VMSnapshot change the tree just as Rename... and Delete Checkpoint... do; Get-VMSnapshot shows what is left.',
    );
  },
};
