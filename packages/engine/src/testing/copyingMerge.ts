import { openDisk } from '@hvm/vhdx';
import { vhdxDiskLibrary, type DiskLibrary } from '../storage/diskLibrary.js';

const CHUNK = 1024 * 1024;

/**
 * For tests while `@hvm/vhdx` has no `mergeDisk`: a slow but real merge through the public disk
 * API. It copies every range where the child's view differs from the parent into the parent,
 * then unlinks the child. It cannot re-point grandchildren (no reparent yet), so it refuses them.
 */
export function withCopyingMerge(base: DiskLibrary = vhdxDiskLibrary): DiskLibrary {
  if (base.canMerge) return base;
  return {
    ...base,
    canMerge: true,
    async mergeDisk(store, childPath, options) {
      if (options.children.length > 0)
        throw new Error('the copying merge cannot re-point grandchildren');
      const child = await openDisk(store, childPath);
      const parentPath = child.info.parentPath;
      if (parentPath === null) throw new Error(`${childPath} has no parent`);
      const parent = await openDisk(store, parentPath, { writable: true });
      try {
        const size = child.info.virtualSize;
        const mine = new Uint8Array(CHUNK);
        const theirs = new Uint8Array(CHUNK);
        for (let offset = 0; offset < size; offset += CHUNK) {
          const length = Math.min(CHUNK, size - offset);
          await child.read(mine.subarray(0, length), offset);
          await parent.read(theirs.subarray(0, length), offset);
          if (!mine.subarray(0, length).every((byte, i) => byte === theirs[i])) {
            await parent.write(mine.subarray(0, length), offset);
          }
          options.onProgress(Math.floor(((offset + length) / size) * 100));
        }
        await parent.flush();
      } finally {
        await parent.close();
        await child.close();
      }
      await store.unlink(childPath);
    },
  };
}
