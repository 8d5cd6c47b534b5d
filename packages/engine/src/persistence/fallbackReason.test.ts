import { describe, expect, it } from 'vitest';
import { buildVm, createTestHost } from '../testing/index.js';
import { checkpointConfigPath } from './layout.js';

describe('a checkpoint records why it fell back to Standard', () => {
  it('as a typed reason next to its note: a Saved VM of type Production', async () => {
    const { host } = await createTestHost();
    const vm = await buildVm(host, { name: 'WEB', state: 'Saved' });
    await host.updateVmSettings(vm.id, { checkpointType: 'Production' });
    const checkpoint = await host.createCheckpoint(vm.id);
    expect(checkpoint).toMatchObject({ kind: 'Standard', fallbackReason: 'vm-saved' });
    expect(checkpoint.note).toBe(
      'fell back to Standard: the virtual machine is saved, so no guest can prepare its disks',
    );
  });

  it('null when it did not fall back (Standard type, or a production checkpoint)', async () => {
    const { host } = await createTestHost();
    const vm = await buildVm(host, { name: 'SQL', state: 'Running' });
    await host.updateVmSettings(vm.id, { checkpointType: 'Production' });
    expect((await host.createCheckpoint(vm.id)).fallbackReason).toBeNull();
    await host.updateVmSettings(vm.id, { checkpointType: 'Standard' });
    expect((await host.createCheckpoint(vm.id)).fallbackReason).toBeNull();
  });

  it('a checkpoint written before the field existed loads with the reason its note gives', async () => {
    const testHost = await createTestHost();
    const { host, store } = testHost;
    const vm = await buildVm(host, { name: 'WEB', guestImage: null, state: 'Running' });
    await host.updateVmSettings(vm.id, { checkpointType: 'Production' });
    const fallback = await host.createCheckpoint(vm.id);
    await host.updateVmSettings(vm.id, { checkpointType: 'Standard' });
    const plain = await host.createCheckpoint(vm.id);
    // The older format: the same record without `fallbackReason`.
    for (const id of [fallback.id, plain.id]) {
      const path = checkpointConfigPath('Snapshots', id);
      const record = JSON.parse(new TextDecoder().decode(await store.readFile(path))) as Record<
        string,
        unknown
      >;
      delete record.fallbackReason;
      await store.writeFileAtomic(path, new TextEncoder().encode(JSON.stringify(record)));
    }
    const reopened = await testHost.restart();
    const loaded = reopened.listCheckpoints(vm.id).checkpoints;
    expect(loaded.find((c) => c.id === fallback.id)).toMatchObject({
      fallbackReason: 'no-operating-system',
      note: 'fell back to Standard: no operating system is running in the guest',
    });
    expect(loaded.find((c) => c.id === plain.id)?.fallbackReason).toBeNull();
  });
});
