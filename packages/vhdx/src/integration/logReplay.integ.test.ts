import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  createDynamicDisk,
  nodeFileStore,
  openDisk,
  type FileHandle,
  type FileStore,
} from '../index.js';
import { makeTempDir, requireTools, run } from '../test-support/externalTools.js';

const MiB = 1024 * 1024;

/** A store whose handles fail every write into [from, to): a crash right after the log entry was made durable. */
function failingWritesIn(inner: FileStore, from: number, to: number): FileStore {
  return {
    ...inner,
    async open(path, mode) {
      const h = await inner.open(path, mode);
      const wrapped: FileHandle = {
        ...h,
        write: (buffer, position) =>
          position >= from && position < to
            ? Promise.reject(new Error('simulated crash'))
            : h.write(buffer, position),
      };
      return wrapped;
    },
  };
}

describe('metadata log', () => {
  it('a BAT update interrupted after its log entry is replayed by qemu and by our reader', async (ctx) => {
    requireTools(ctx, 'qemu-img', 'qemu-io');
    const { dir, cleanup } = await makeTempDir();
    try {
      const store = nodeFileStore(dir);
      await createDynamicDisk(store, 'a.vhdx', { virtualSize: 64 * MiB, blockSize: 2 * MiB });
      const crashing = failingWritesIn(store, 3 * MiB, 4 * MiB);
      const disk = await openDisk(crashing, 'a.vhdx', { writable: true });
      await disk.write(new Uint8Array(MiB).fill(0xab), 4 * MiB);
      await expect(disk.flush()).rejects.toThrow('simulated crash');

      const ro = await openDisk(store, 'a.vhdx');
      const back = new Uint8Array(MiB);
      await ro.read(back, 4 * MiB);
      expect(back.every((b) => b === 0xab)).toBe(true);
      await ro.close();

      const file = join(dir, 'a.vhdx');
      expect(
        run('qemu-io', ['-r', '-f', 'vhdx', '-c', 'read -P 0xab 4M 1M', file]).status,
      ).not.toBe(0);
      expect(run('qemu-img', ['check', '-r', 'all', '-f', 'vhdx', file]).status).toBe(0);
      const r = run('qemu-io', ['-r', '-f', 'vhdx', '-c', 'read -P 0xab 4M 1M', file]);
      expect(r.status, r.stdout.toString() + r.stderr).toBe(0);
      expect(r.stdout.toString()).not.toMatch(/fail/i);
    } finally {
      await cleanup();
    }
  });
});
