import { describe, expect, it } from 'vitest';
import { FakeClock, buildVm, createTestHost } from '../testing/index.js';
import { recoveryCheckpointName } from './checkpointName.js';

describe("checkpoint failures in Hyper-V's multi-line form, with the VM ID", () => {
  it('Disabled: the four lines of Checkpoint-VM on a VM whose checkpoints are disabled (behaviour spec R31)', async () => {
    const { host } = await createTestHost();
    const vm = await buildVm(host, { name: 'WEB-01' });
    await host.updateVmSettings(vm.id, { checkpointType: 'Disabled' });
    const id = vm.id.toUpperCase();
    await expect(host.createCheckpoint(vm.id)).rejects.toMatchObject({
      code: 'CHECKPOINTS_DISABLED',
      message: [
        'Checkpoint operation failed.',
        'Checkpoints have been disabled.',
        `Checkpoint operation for 'WEB-01' failed. (Virtual machine ID ${id})`,
        `Checkpoints have been disabled for 'WEB-01'. (Virtual machine ID ${id}).`,
      ].join('\n'),
    });
  });

  it('ProductionOnly: the same four-line form, naming why no production checkpoint could be made', async () => {
    const { host } = await createTestHost();
    const vm = await buildVm(host, { name: 'DB-01', state: 'Saved' });
    await host.updateVmSettings(vm.id, { checkpointType: 'ProductionOnly' });
    const id = vm.id.toUpperCase();
    await expect(host.createCheckpoint(vm.id)).rejects.toMatchObject({
      code: 'PRODUCTION_CHECKPOINT_FAILED',
      message: [
        'Checkpoint operation failed.',
        'Production checkpoints cannot be created.',
        `Checkpoint operation for 'DB-01' failed. (Virtual machine ID ${id})`,
        `Could not create a production checkpoint for 'DB-01': the virtual machine is saved, so no guest can prepare its disks. (Virtual machine ID ${id})`,
      ].join('\n'),
    });
  });
});

describe('recovery checkpoint names', () => {
  it("'<VM> - Backup - (M/D/YYYY - h:mm:ss AM)', in the form of the other default names", () => {
    expect(recoveryCheckpointName('SQL-01', new Date(2024, 2, 5, 14, 7, 9))).toBe(
      'SQL-01 - Backup - (3/5/2024 - 2:07:09 PM)',
    );
    expect(recoveryCheckpointName('SQL-01', new Date(2024, 11, 25, 0, 0, 9))).toBe(
      'SQL-01 - Backup - (12/25/2024 - 12:00:09 AM)',
    );
  });

  it('a backup names its recovery checkpoint so', async () => {
    const clock = new FakeClock(new Date(2024, 2, 5, 9, 7, 5));
    const { host } = await createTestHost({ clock });
    const vm = await buildVm(host, { name: 'SQL-01', state: 'Running' });
    const recovery = await host.createRecoveryCheckpoint(vm.id);
    expect(recovery.name).toBe('SQL-01 - Backup - (3/5/2024 - 9:07:05 AM)');
  });
});
