import { describe, expect, test } from 'vitest';
import { buildVm, createTestHost } from '../testing/index.js';

describe('processor and memory settings', () => {
  test('a new VM has one processor and static memory, with Hyper-V defaults for Dynamic Memory', async () => {
    const { host } = await createTestHost();
    const vm = await buildVm(host);
    expect(vm.hardware).toEqual({
      processorCount: 1,
      dynamicMemoryEnabled: false,
      memoryMinimumMB: 512,
      memoryMaximumMB: 1_048_576,
      memoryBufferPercent: 20,
      memoryWeight: 50,
    });
    expect(vm.notes).toBe('');
  });

  test('processor count, Dynamic Memory and notes change while Off, survive a restart', async () => {
    const testHost = await createTestHost();
    const vm = await buildVm(testHost.host, { memoryStartupMB: 2048 });
    await testHost.host.updateVmSettings(vm.id, {
      processorCount: 4,
      dynamicMemoryEnabled: true,
      memoryMinimumMB: 1024,
      memoryMaximumMB: 4096,
      memoryBufferPercent: 30,
      memoryWeight: 80,
      notes: 'web tier',
    });
    const host = await testHost.restart();
    const after = host.getVm(vm.id);
    expect(after.hardware).toEqual({
      processorCount: 4,
      dynamicMemoryEnabled: true,
      memoryMinimumMB: 1024,
      memoryMaximumMB: 4096,
      memoryBufferPercent: 30,
      memoryWeight: 80,
    });
    expect(after.notes).toBe('web tier');
  });

  test('no more processors than the host has; not while the VM runs', async () => {
    const { host } = await createTestHost({ logicalProcessorCount: 2 });
    const vm = await buildVm(host);
    await expect(host.updateVmSettings(vm.id, { processorCount: 3 })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
    await host.changeVmState(vm.id, 'start');
    await expect(host.updateVmSettings(vm.id, { processorCount: 2 })).rejects.toMatchObject({
      code: 'INVALID_STATE',
    });
    await expect(
      host.updateVmSettings(vm.id, { dynamicMemoryEnabled: true }),
    ).rejects.toMatchObject({ code: 'INVALID_STATE' });
    expect(host.getVm(vm.id).hardware?.processorCount).toBe(1);
  });

  test('memory values are even numbers of MB, and minimum <= startup <= maximum with Dynamic Memory', async () => {
    const { host } = await createTestHost();
    const vm = await buildVm(host, { memoryStartupMB: 1024 });
    await expect(host.updateVmSettings(vm.id, { memoryStartupMB: 1025 })).rejects.toThrow(
      `Invalid memory value assigned for '${vm.name}'. Memory values must be properly aligned.`,
    );
    await expect(
      host.updateVmSettings(vm.id, { dynamicMemoryEnabled: true, memoryMinimumMB: 2048 }),
    ).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(
      host.updateVmSettings(vm.id, { dynamicMemoryEnabled: true, memoryMaximumMB: 512 }),
    ).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(host.updateVmSettings(vm.id, { memoryBufferPercent: 4 })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
    expect(host.getVm(vm.id).hardware?.dynamicMemoryEnabled).toBe(false);
  });

  test('HostInfo reports the machine', async () => {
    const { host } = await createTestHost({ logicalProcessorCount: 6, memoryCapacityBytes: 1024 });
    expect(host.info()).toMatchObject({ logicalProcessorCount: 6, memoryCapacityBytes: 1024 });
  });
});
