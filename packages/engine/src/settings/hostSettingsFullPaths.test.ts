import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nodeFileStore } from '@hvm/vhdx';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestHost } from '../testing/index.js';

let folder: string;
beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'hvm-host-settings-'));
});
afterEach(async () => {
  await rm(folder, { recursive: true, force: true });
});

describe('Hyper-V Settings on a host with a data folder on this machine', () => {
  it('takes back the folders as the host shows them, the data folder itself included (OK sends both)', async () => {
    const { host } = await createTestHost({ store: nodeFileStore(folder), dataLocation: folder });
    const shown = host.info();
    expect(shown.virtualMachinePath).toBe(folder);
    const info = await host.updateHostSettings({
      virtualHardDiskPath: 'Switch Test Disks',
      virtualMachinePath: String(shown.virtualMachinePath),
    });
    expect(info).toMatchObject({
      virtualHardDiskPath: `${folder}/Switch Test Disks`,
      virtualMachinePath: folder,
    });
    await expect(
      host.updateHostSettings({ virtualMachinePath: `${folder}/` }),
    ).resolves.toMatchObject({ virtualMachinePath: folder });
    await host.close();
  });
});
