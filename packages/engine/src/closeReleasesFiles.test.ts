import { mkdtempSync, readdirSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nodeFileStore } from '@hvm/vhdx';
import { afterEach, describe, expect, it } from 'vitest';
import { buildVm, createTestHost } from './testing/index.js';

/** Files of `folder` this process holds open (Linux: /proc/self/fd). */
function openFilesIn(folder: string): string[] {
  const open: string[] = [];
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      const target = readlinkSync(`/proc/self/fd/${fd}`);
      if (target.startsWith(folder)) open.push(target);
    } catch {
      // The descriptor closed meanwhile.
    }
  }
  return open;
}

describe.runIf(process.platform === 'linux')('closing the host', () => {
  const folders: string[] = [];
  afterEach(() => {
    for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
  });

  it('releases every file of the data folder, the parents kept open between operations too', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'hvm-close-'));
    folders.push(folder);
    const test = await createTestHost({ store: nodeFileStore(folder) });
    const vm = await buildVm(test.host, { guestImage: null });
    const first = await test.host.createCheckpoint(vm.id);
    await test.host.createCheckpoint(vm.id);
    await test.host.applyCheckpoint(vm.id, first.id);
    await test.host.readCheckpointDisk(vm.id, first.id, 0, 4096);
    await test.host.close();
    expect(openFilesIn(folder)).toEqual([]);
  });
});
