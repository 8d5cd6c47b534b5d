import { openDisk } from '@hvm/vhdx';
import { describe, expect, it } from 'vitest';
import { buildVm, createTestHost } from '../testing/index.js';

const QEMU = { kind: 'qemu', accelerator: 'tcg' } as const;

describe('the Quick Create gallery of each hypervisor', () => {
  it('a QEMU host offers the real tiny-linux guests, with and without integration services', async () => {
    const { host } = await createTestHost({ hypervisor: QEMU });
    expect(host.listGuestImages().map((image) => [image.name, image.integrationServices])).toEqual([
      ['tiny-linux', true],
      ['tiny-linux-noagent', false],
    ]);
  });

  it('a simulated host does not offer them, and refuses them naming its own gallery', async () => {
    const { host } = await createTestHost();
    expect(host.listGuestImages().map((image) => image.name)).not.toContain('tiny-linux');
    await expect(buildVm(host, { guestImage: 'tiny-linux' })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      details: { field: 'guestImage' },
      message: expect.stringContaining('windows-server-2016-sql') as unknown,
    });
    expect(host.listVms()).toHaveLength(0);
  });

  it('a QEMU host refuses the simulated guests, naming its own gallery', async () => {
    const { host } = await createTestHost({ hypervisor: QEMU });
    await expect(buildVm(host, { guestImage: 'windows-server-2016-sql' })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringContaining('tiny-linux, tiny-linux-noagent') as unknown,
    });
  });

  it('New-VM -GuestImage tiny-linux records the image and leaves the new disk empty for the guest to format', async () => {
    const { host, store } = await createTestHost({ hypervisor: QEMU });
    const vm = await buildVm(host, { guestImage: 'tiny-linux' });
    expect(host.getVm(vm.id).guestImage).toBe('tiny-linux');
    const disk = await openDisk(store, vm.hardDrives[0]?.path ?? '');
    const firstMiB = new Uint8Array(1024 * 1024);
    await disk.read(firstMiB, 0);
    await disk.close();
    // tiny-linux formats a disk whose first MiB is all zeros, and never one with anything else.
    expect(firstMiB.every((byte) => byte === 0)).toBe(true);
  });
});
