import { chmod, mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { nodeFileStore } from '../index.js';
import { makeTempDir } from '../test-support/externalTools.js';

const temps: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of temps) await cleanup();
});

async function tempDir(): Promise<string> {
  const { dir, cleanup } = await makeTempDir();
  temps.push(cleanup);
  return dir;
}

const modeOf = async (path: string): Promise<number> => (await stat(path)).mode & 0o777;

describe('nodeFileStore: the data folder is readable by its owner only', () => {
  let umaskBefore = 0;
  // The most permissive umask: whatever the store creates gets its mode from the store, not from it.
  beforeEach(() => {
    umaskBefore = process.umask(0);
  });
  afterEach(() => {
    process.umask(umaskBefore);
  });

  it('creates every folder 0700, nested ones included', async () => {
    const root = await tempDir();
    const store = nodeFileStore(root);
    await store.mkdirp('Virtual Hard Disks');
    await store.mkdirp('Exports/WEB-01/Virtual Machines');
    for (const folder of [
      'Virtual Hard Disks',
      'Exports',
      'Exports/WEB-01',
      'Exports/WEB-01/Virtual Machines',
    ])
      expect(await modeOf(join(root, folder))).toBe(0o700);
  });

  it('creates disk files and atomically written files 0600', async () => {
    const root = await tempDir();
    const store = nodeFileStore(root);
    await store.mkdirp('Virtual Hard Disks');
    const handle = await store.open('Virtual Hard Disks/web01.vhdx', 'wx');
    await handle.write(new Uint8Array([1, 2, 3]), 0);
    await handle.close();
    await store.writeFileAtomic('Virtual Machines.json', new TextEncoder().encode('{}'));
    await store.writeFileAtomic('Virtual Machines.json', new TextEncoder().encode('{"a":1}'));
    expect(await modeOf(join(root, 'Virtual Hard Disks/web01.vhdx'))).toBe(0o600);
    expect(await modeOf(join(root, 'Virtual Machines.json'))).toBe(0o600);
  });

  it('tightens an existing data folder to 0700 when it opens it', async () => {
    const root = join(await tempDir(), 'hyperv-data');
    await mkdir(root);
    await chmod(root, 0o755);
    nodeFileStore(root);
    expect(await modeOf(root)).toBe(0o700);
  });

  it('leaves a shared sticky folder (such as /tmp) as it is', async () => {
    const shared = join(await tempDir(), 'shared');
    await mkdir(shared);
    await chmod(shared, 0o1777);
    nodeFileStore(shared);
    expect((await stat(shared)).mode & 0o7777).toBe(0o1777);
  });

  it('creates a missing data folder 0700 with its first folder', async () => {
    const root = join(await tempDir(), 'new-data');
    const store = nodeFileStore(root);
    await store.mkdirp('Virtual Machines');
    expect(await modeOf(root)).toBe(0o700);
    expect(await modeOf(join(root, 'Virtual Machines'))).toBe(0o700);
  });
});
