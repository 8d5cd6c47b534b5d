import { test, expect } from '../fixtures.js';
import { PowerShellConsole } from '../pages/PowerShellConsole.js';

test.describe('the PowerShell console', () => {
  test('Set-VM -CheckpointType Standard, then Checkpoint-VM through the pipeline: the checkpoint shows in the tree without a reload and in the API', async ({
    manager,
    api,
    vm,
    page,
  }) => {
    await manager.selectVm(vm.name);
    await expect(manager.checkpoint('StandardCheckpoint')).toHaveCount(0);
    const console = new PowerShellConsole(page);
    await console.open();

    // Tab completes the parameter name, as in a PowerShell console.
    await console.input.pressSequentially(`Set-VM -Name '${vm.name}' -Check`);
    await console.input.press('Tab');
    await expect(console.input).toHaveValue(`Set-VM -Name '${vm.name}' -CheckpointType`);
    await console.input.pressSequentially(' Standard');
    await console.input.press('Enter');
    await expect(
      console.output.getByText(`PS C:\\> Set-VM -Name '${vm.name}' -CheckpointType Standard`),
    ).toBeVisible();
    await expect.poll(async () => (await api.getVm(vm.id)).checkpointType).toBe('Standard');

    await console.run(`Get-VM -Name '${vm.name}' | Checkpoint-VM -SnapshotName StandardCheckpoint`);
    await expect(console.errors()).toHaveCount(0);

    await expect(manager.checkpoint('StandardCheckpoint')).toBeVisible();
    await expect(manager.nowMarker).toBeVisible();
    const tree = await api.checkpoints(vm.id);
    expect(tree.checkpoints.map((c) => [c.name, c.kind])).toEqual([
      ['StandardCheckpoint', 'Standard'],
    ]);
    expect(tree.now.parentId).toBe(tree.checkpoints[0]?.id);

    // The console shows what Get-VMSnapshot says, and Up brings the last line back.
    await console.run(`Get-VMSnapshot -VMName '${vm.name}'`);
    await expect(console.output).toContainText(/StandardCheckpoint\s+Standard/);
    await console.input.press('ArrowUp');
    await expect(console.input).toHaveValue(`Get-VMSnapshot -VMName '${vm.name}'`);
  });

  test('an unknown cmdlet shows the PowerShell error in red', async ({ manager, page }) => {
    await expect(manager.vmList).toBeVisible();
    const console = new PowerShellConsole(page);
    await console.open();
    await console.run('Get-Foo');
    await expect(console.errors()).toContainText(
      "The term 'Get-Foo' is not recognized as the name of a cmdlet",
    );
    await console.close();
  });
});
