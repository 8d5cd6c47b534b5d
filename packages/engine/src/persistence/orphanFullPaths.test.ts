import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nodeFileStore } from '@hvm/vhdx';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildVm, createTestHost } from '../testing/index.js';

let folder: string;
beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'hvm-orphans-'));
});
afterEach(async () => {
  await rm(folder, { recursive: true, force: true });
});

describe('Check Host on a host with a data folder on this machine', () => {
  it('reports orphaned files by their full paths, and Remove takes the path as it was shown', async () => {
    const { host } = await createTestHost({ store: nodeFileStore(folder), dataLocation: folder });
    await buildVm(host, { name: 'KEEP' });
    const guid = '7d2a5a3e-1111-4222-8333-444455556666';
    await mkdir(join(folder, 'Snapshots'), { recursive: true });
    await writeFile(join(folder, 'Snapshots', `${guid}.json`), '{}');
    const shown = (await host.checkHost()).orphanedFiles.map((o) => o.path);
    expect(shown).toEqual([join(folder, 'Snapshots', `${guid}.json`)]);
    await host.removeOrphanedFile(shown[0] ?? '');
    expect((await host.checkHost()).orphanedFiles).toEqual([]);
    await host.close();
  });
});
