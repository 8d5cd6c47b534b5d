import { test, expect } from '../fixtures.js';

/**
 * Settings → Simulation → Guest (simulation): the simulator's own page (not Hyper-V's) that turns
 * the simulated guest's faults on, so Hyper-V's fallback path can be shown.
 */
test.describe('Settings → Guest (simulation)', () => {
  test.use({ vmSetup: { guestImage: 'windows-server-2016-sql', running: true } });

  test('a failing VSS writer turned on there makes the next Production checkpoint a Standard one', async ({
    manager,
    settings,
    api,
    vm,
  }) => {
    await manager.chooseFromVmContextMenu(vm.name, 'Settings...');
    await expect(settings.dialog).toBeVisible();
    await settings.dialog.getByRole('tab', { name: 'Guest (simulation)' }).click();
    const panel = settings.dialog.getByRole('tabpanel', { name: 'Guest (simulation)' });
    await expect(panel.getByText(/part of the simulation, not of Hyper-V/)).toBeVisible();
    await expect(panel.getByText((await api.getVm(vm.id)).vmGenerationId ?? '?')).toBeVisible();

    const writerFails = panel.getByRole('checkbox', {
      name: 'The VSS writer of the application fails',
    });
    await writerFails.check();
    await expect
      .poll(async () => (await api.getVm(vm.id)).guestSimulation?.vssWriterFails)
      .toBe(true);
    await settings.cancel();

    const checkpoint = await api.createCheckpoint(vm.id, 'With a failing writer');
    expect(checkpoint).toMatchObject({ kind: 'Standard', fallbackReason: 'vss-writer-failed' });
  });
});
