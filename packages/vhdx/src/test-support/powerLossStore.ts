import type { FileHandle, FileStore } from '../storage/fileStore.js';

/**
 * A store that can lose power: `losePower()` turns every file back to what its last flush made
 * durable, dropping every write and size change made to it since (the worst a crash can do to
 * writes the file system had not flushed; torn writes are `faultyStore`'s). A file created and
 * never flushed comes back empty. Whole-file atomic writes, renames and deletes count as durable
 * (the node store flushes them itself).
 */
export function powerLossStore(inner: FileStore): FileStore & { losePower(): Promise<void> } {
  /** For each file written since its last flush: its bytes at that flush. */
  const durable = new Map<string, Uint8Array>();
  const touch = async (path: string): Promise<void> => {
    if (!durable.has(path)) durable.set(path, (await inner.readFile(path)).slice());
  };
  const wrap = (h: FileHandle, path: string): FileHandle => ({
    read: (b, p) => h.read(b, p),
    size: () => h.size(),
    close: () => h.close(),
    async sync() {
      await h.sync();
      durable.delete(path);
    },
    async truncate(length) {
      await touch(path);
      await h.truncate(length);
    },
    async write(buffer, position) {
      await touch(path);
      await h.write(buffer, position);
    },
  });
  return {
    async open(path, mode) {
      if (mode === 'wx') durable.set(path, new Uint8Array(0));
      return wrap(await inner.open(path, mode), path);
    },
    readFile: (p) => inner.readFile(p),
    async writeFileAtomic(p, d) {
      await inner.writeFileAtomic(p, d);
      durable.delete(p);
    },
    exists: (p) => inner.exists(p),
    stat: (p) => inner.stat(p),
    async rename(a, b) {
      await inner.rename(a, b);
      durable.delete(a);
      durable.delete(b);
    },
    async unlink(p) {
      await inner.unlink(p);
      durable.delete(p);
    },
    mkdirp: (p) => inner.mkdirp(p),
    list: (p) => inner.list(p),
    removeTree: (p) => inner.removeTree(p),
    realpath: (p) => inner.realpath(p),
    async losePower() {
      for (const [path, bytes] of durable) await inner.writeFileAtomic(path, bytes);
      durable.clear();
    },
  };
}
