import { vhdxDiskLibrary } from './disk/diskLibrary.js';
import { describe, expect, it } from 'vitest';
import { buildVm, createTestHost } from './testing/index.js';
import type { HostEvent } from './types.js';

/** Merges run on the disk library's mergeDisk, or on a slow copying merge until it exists. */
const disks = vhdxDiskLibrary;
const withMerge = it;

describe('host', () => {
  it('reports its name, data location, VM count and the 50-checkpoint limit', async () => {
    const { host } = await createTestHost({ disks });
    await buildVm(host);
    expect(host.info()).toEqual({
      name: 'TEST-HOST',
      dataLocation: ':memory:',
      vmCount: 1,
      maxCheckpointsPerVm: 50,
      logicalProcessorCount: 8,
      memoryCapacityBytes: 17_179_869_184,
      virtualHardDiskPath: 'Virtual Hard Disks',
      virtualMachinePath: '.',
    });
  });

  it('finds VMs by exact, case-insensitive name and answers NOT_FOUND in Hyper-V’s words', async () => {
    const { host } = await createTestHost({ disks });
    const vm = await buildVm(host, { name: 'Web-01' });
    expect(host.findVmsByName('web-01').map((v) => v.id)).toEqual([vm.id]);
    expect(host.findVmsByName('web')).toEqual([]);
    expect(() => host.getVm('missing' as never)).toThrow(
      /Hyper-V was unable to find a virtual machine/,
    );
  });

  it('operations on one VM serialise: a second checkpoint while one is being created is OPERATION_IN_PROGRESS', async () => {
    const { host } = await createTestHost({ disks });
    const vm = await buildVm(host);
    const [first, second] = await Promise.allSettled([
      host.createCheckpoint(vm.id),
      host.createCheckpoint(vm.id),
    ]);
    expect(first.status).toBe('fulfilled');
    expect(second).toMatchObject({ status: 'rejected', reason: { code: 'OPERATION_IN_PROGRESS' } });
    expect(host.listCheckpoints(vm.id).checkpoints).toHaveLength(1);
  });

  it('emits vm-changed, checkpoints-changed and vm-removed', async () => {
    const { host } = await createTestHost({ disks });
    const events: HostEvent[] = [];
    const unsubscribe = host.subscribe((e) => events.push(e));
    const vm = await buildVm(host);
    await host.createCheckpoint(vm.id);
    await host.deleteVm(vm.id);
    await host.whenIdle();
    unsubscribe();
    const types = events.map((e) => e.type).filter((type) => type !== 'event-logged');
    expect(types).toContain('vm-changed');
    expect(types).toContain('checkpoints-changed');
    // After vm-removed only the merge of its checkpoints into its disk goes on (a task), unannounced as a VM.
    const removed = types.indexOf('vm-removed');
    expect(removed).toBeGreaterThan(0);
    expect(types.slice(removed + 1).filter((type) => type !== 'task-changed')).toEqual([]);
  });

  it('the Status column shows "Applying checkpoint (n%)" while Apply runs', async () => {
    const { host, clock } = await createTestHost({ disks, timing: { apply: 200 } });
    const vm = await buildVm(host);
    const a = await host.createCheckpoint(vm.id);
    const statuses: string[] = [];
    host.subscribe((e) => {
      if (e.type === 'vm-changed') statuses.push(e.vm.status);
    });
    const applying = host.applyCheckpoint(vm.id, a.id);
    await clock.advance(300);
    await applying;
    expect(statuses).toEqual(
      expect.arrayContaining(['Applying checkpoint (0%)', 'Applying checkpoint (50%)']),
    );
    expect(host.getVm(vm.id).status).toBe('Operating normally');
  });

  it('startup memory changes only while Off; the checkpoint type changes any time', async () => {
    const { host } = await createTestHost({ disks });
    const vm = await buildVm(host, { state: 'Running' });
    await expect(host.updateVmSettings(vm.id, { memoryStartupMB: 2048 })).rejects.toMatchObject({
      code: 'INVALID_STATE',
    });
    expect(await host.updateVmSettings(vm.id, { checkpointType: 'Standard' })).toMatchObject({
      checkpointType: 'Standard',
    });
    await expect(
      host.updateVmSettings(vm.id, { checkpointType: 'Snapshot' as never }),
    ).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
  });

  withMerge(
    'a merge is a task: listed, readable, reported through task-changed, and the VM status shows it',
    async () => {
      const { host } = await createTestHost({ disks });
      const vm = await buildVm(host, { state: 'Running' });
      const a = await host.createCheckpoint(vm.id);
      const statuses = new Set<string>();
      host.subscribe((e) => {
        if (e.type === 'vm-changed') statuses.add(e.vm.status.replace(/\d+%/, 'n%'));
      });
      const { task } = await host.deleteCheckpoint(vm.id, a.id);
      if (task === null) throw new Error('expected a merge task');
      await host.whenIdle();
      expect(host.getTask(task.id)).toMatchObject({
        name: 'Merging disks',
        status: 'Completed',
        percentComplete: 100,
        vmId: vm.id,
      });
      expect(host.listTasks().map((t) => t.id)).toContain(task.id);
      expect(statuses).toContain('Merging disks (n%)');
    },
  );

  withMerge(
    'during a merge, more deletes join the same task and checkpoint creation is OPERATION_IN_PROGRESS',
    async () => {
      const { host } = await createTestHost({ disks });
      const vm = await buildVm(host, { state: 'Running' });
      const a = await host.createCheckpoint(vm.id, { name: 'A' });
      const b = await host.createCheckpoint(vm.id, { name: 'B' });
      const first = await host.deleteCheckpoint(vm.id, b.id);
      expect(first.task?.status).toBe('Running');
      await expect(host.createCheckpoint(vm.id)).rejects.toMatchObject({
        code: 'OPERATION_IN_PROGRESS',
        details: { operation: 'Merging disks' },
      });
      expect(await host.renameCheckpoint(vm.id, a.id, 'A renamed')).toMatchObject({
        name: 'A renamed',
      });
      expect(await host.changeVmState(vm.id, 'pause')).toMatchObject({ state: 'Paused' });
      const second = await host.deleteCheckpoint(vm.id, a.id);
      expect(second.task?.id).toBe(first.task?.id);
      await host.whenIdle();
      expect(host.getTask(first.task?.id ?? ('' as never))).toMatchObject({ status: 'Completed' });
      expect(host.getVm(vm.id).hardDrives[0]?.chain).toHaveLength(1);
      expect(host.listCheckpoints(vm.id).checkpoints).toEqual([]);
    },
  );

  withMerge('an interrupted merge is resumed when the host loads', async () => {
    const test = await createTestHost({ disks });
    const vm = await buildVm(test.host, { name: 'RESUME' });
    const a = await test.host.createCheckpoint(vm.id, { name: 'A' });
    const nowDisk = test.host.getVm(vm.id).hardDrives[0]?.path ?? '';
    const frozen = a.hardDrives[0] ?? '';
    await test.host.close();
    // The state a crash leaves right after Delete committed and the merge was recorded.
    const path = `Virtual Machines/${vm.id}.json`;
    const file = JSON.parse(new TextDecoder().decode(await test.store.readFile(path))) as {
      checkpoints: unknown[];
      parentCheckpointId: string | null;
      merge: unknown;
    };
    file.checkpoints = [];
    file.parentCheckpointId = null;
    file.merge = { child: nowDisk, parent: frozen };
    await test.store.writeFileAtomic(path, new TextEncoder().encode(JSON.stringify(file)));
    const again = await test.restart({ close: false });
    await again.whenIdle();
    expect(again.getVm(vm.id).hardDrives[0]).toMatchObject({ path: frozen, chain: [frozen] });
    expect(await test.store.exists(nowDisk)).toBe(false);
  });
});

describe('host errors', () => {
  it('an unknown VM rejects (never throws synchronously) from every asynchronous method', async () => {
    const { host } = await createTestHost({ disks });
    const missing = 'missing' as never;
    const calls = [
      () => host.deleteVm(missing),
      () => host.changeVmState(missing, 'start'),
      () => host.createCheckpoint(missing),
      () => host.revertVm(missing),
    ];
    for (const call of calls) {
      let promise: Promise<unknown> | undefined;
      expect(() => {
        promise = call();
      }).not.toThrow();
      await expect(promise).rejects.toMatchObject({ code: 'NOT_FOUND' });
    }
  });
});

describe('a QEMU host started on an empty data folder', () => {
  it('opens without the demo VMs, whose simulated guests its gallery refuses', async () => {
    const { host } = await createTestHost({
      hypervisor: { kind: 'qemu', accelerator: 'tcg' },
      seedDemo: true,
    });
    expect(host.listVms()).toEqual([]);
  });
});
