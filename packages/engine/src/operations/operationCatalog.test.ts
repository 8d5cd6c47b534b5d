import { describe, expect, it } from 'vitest';
import { buildVm, createTestHost } from '../testing/index.js';
import { OPERATIONS, type OperationName } from './operationCatalog.js';

describe('the operation catalogue', () => {
  it('gives every change of a VM a label to hold it under and an event to record it by', () => {
    // Typing into a QEMU guest's console changes the guest, not the VM: it holds nothing and each
    // keystroke is no event (the console's connections are, eventLog/auditedSerialConsole.ts).
    const changes = (Object.keys(OPERATIONS) as OperationName[]).filter(
      (name) =>
        OPERATIONS[name].scope === 'vm' &&
        OPERATIONS[name].permission.startsWith('manage') &&
        name !== 'typeIntoSerialConsole',
    );
    expect(changes.length).toBeGreaterThan(10);
    for (const name of changes) {
      expect(OPERATIONS[name].events, name).toBeDefined();
      // Power actions are held under their own labels (POWER_ACTIONS).
      if (name !== 'changeVmState') expect(OPERATIONS[name].busyLabel, name).toBeDefined();
    }
  });

  it("a second operation on a held VM names the first by the catalogue's label", async () => {
    const { host } = await createTestHost();
    const vm = await buildVm(host, { name: 'WEB' });
    const [, second] = await Promise.allSettled([
      host.createCheckpoint(vm.id, { name: 'first' }),
      host.createCheckpoint(vm.id, { name: 'second' }),
    ]);
    expect(OPERATIONS.createCheckpoint.busyLabel).toBe('Checkpoint');
    expect(second).toMatchObject({
      status: 'rejected',
      reason: {
        code: 'OPERATION_IN_PROGRESS',
        message:
          "The operation cannot be performed while 'WEB' is busy: Checkpoint is in progress.",
      },
    });
  });
});
