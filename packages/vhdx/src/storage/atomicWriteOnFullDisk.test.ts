import { spawnSync } from 'node:child_process';
import { mkdir, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nodeFileStore } from '../index.js';
import { makeTempDir } from '../test-support/externalTools.js';

const asRoot = process.getuid?.() === 0;

describe('an atomic write on a full disk (a 64 KiB tmpfs, as root)', () => {
  it.skipIf(!asRoot)(
    'fails with ENOSPC, keeps the old file and leaves no temporary copy behind',
    async () => {
      const { dir, cleanup } = await makeTempDir();
      const mount = join(dir, 'small');
      await mkdir(mount);
      const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', mount]);
      if (mounted.status !== 0) {
        await cleanup();
        throw new Error(`mount -t tmpfs failed: ${String(mounted.stderr)}`);
      }
      try {
        const store = nodeFileStore(mount);
        await store.writeFileAtomic('config.json', new Uint8Array([1, 2, 3]));
        await expect(
          store.writeFileAtomic('config.json', new Uint8Array(1024 * 1024)),
        ).rejects.toMatchObject({ code: 'ENOSPC' });
        expect(await readdir(mount)).toEqual(['config.json']);
        expect([...(await readFile(join(mount, 'config.json')))]).toEqual([1, 2, 3]);
      } finally {
        spawnSync('umount', [mount]);
        await cleanup();
      }
    },
  );
});
