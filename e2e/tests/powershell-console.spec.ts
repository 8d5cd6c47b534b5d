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
      console.output.getByText(`PS Files:\\> Set-VM -Name '${vm.name}' -CheckpointType Standard`),
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

  test('the console is one session: a variable and a job one command leaves are there for the next', async ({
    manager,
    api,
    vm,
    page,
  }) => {
    await expect(manager.vmList).toBeVisible();
    const console = new PowerShellConsole(page);
    await console.open();
    await console.run(`$vm = Get-VM -Name '${vm.name}'`);
    await console.run('$vm.Name');
    await expect(console.output).toContainText(new RegExp(`\\$vm\\.Name\\s*${vm.name}`));

    await console.run(
      `$job = Checkpoint-VM -Name '${vm.name}' -SnapshotName FromJob -Passthru -AsJob`,
    );
    await console.run('Get-Job');
    await expect(console.output).toContainText(/Id\s+Name\s+PSJobTypeName\s+State/);
    await console.run('Receive-Job $job -Wait | Select-Object -ExpandProperty Name');
    await expect(console.output).toContainText(/-ExpandProperty Name\s*FromJob/);
    await expect(console.errors()).toHaveCount(0);
    expect((await api.checkpoints(vm.id)).checkpoints.map((c) => c.name)).toEqual(['FromJob']);
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

  test('Remove-VM asks Confirm in the console: N keeps the VM; Checkpoint-VM without -Name asks for it', async ({
    manager,
    api,
    vm,
    page,
  }) => {
    await expect(manager.vmList).toBeVisible();
    const console = new PowerShellConsole(page);
    await console.open();

    // ShouldProcess (behaviour spec R28): the console asks, and N answers No.
    await console.input.fill(`Remove-VM -Name '${vm.name}'`);
    await console.input.press('Enter');
    await expect(console.output).toContainText(
      `Confirm\nAre you sure you want to remove virtual machine "${vm.name}"?`,
    );
    // The choices are the prompt of the input line, as in PowerShell's console.
    await expect(console.pane).toContainText(
      '[Y] Yes  [A] Yes to All  [N] No  [L] No to All  [S] Suspend  [?] Help (default is "Y"):',
    );
    await console.input.fill('N');
    await console.input.press('Enter');
    await expect(console.output.getByLabel('Running')).toHaveCount(0);
    expect((await api.listVms()).map((v) => v.id)).toContain(vm.id);

    // A missing mandatory parameter is asked for (R27): the name, then an empty line ends the list.
    // A checkpoint takes a while on a loaded machine: its waits are longer than the default.
    const checkpointWait = { timeout: 45_000 };
    await console.input.fill('Checkpoint-VM -SnapshotName Asked');
    await console.input.press('Enter');
    await expect(console.output).toContainText(
      'Supply values for the following parameters:',
      checkpointWait,
    );
    await console.input.fill(vm.name);
    await console.input.press('Enter');
    await console.input.fill('');
    await console.input.press('Enter');
    await expect(console.output.getByLabel('Running')).toHaveCount(0, checkpointWait);
    await expect
      .poll(
        async () => (await api.checkpoints(vm.id)).checkpoints.map((c) => c.name),
        checkpointWait,
      )
      .toEqual(['Asked']);
  });
});
