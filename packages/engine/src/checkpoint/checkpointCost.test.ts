import { memoryFileStore, type FileHandle, type FileStore } from '@hvm/vhdx';
import { describe, expect, it } from 'vitest';
import { buildVm, createTestHost } from '../testing/index.js';

/** A store that counts opens, reads and bytes read (through handles and `readFile`). */
function countingStore(inner: FileStore): {
  store: FileStore;
  counts: { opens: number; reads: number; bytes: number };
} {
  const counts = { opens: 0, reads: 0, bytes: 0 };
  const wrap = (h: FileHandle): FileHandle => ({
    read: async (buffer, position) => {
      counts.reads += 1;
      const n = await h.read(buffer, position);
      counts.bytes += n;
      return n;
    },
    write: (buffer, position) => h.write(buffer, position),
    size: () => h.size(),
    truncate: (length) => h.truncate(length),
    sync: () => h.sync(),
    close: () => h.close(),
  });
  const store: FileStore = {
    open: async (path, mode) => {
      counts.opens += 1;
      return wrap(await inner.open(path, mode));
    },
    readFile: async (path) => {
      counts.reads += 1;
      const data = await inner.readFile(path);
      counts.bytes += data.length;
      return data;
    },
    writeFileAtomic: (path, data) => inner.writeFileAtomic(path, data),
    exists: (path) => inner.exists(path),
    stat: (path) => inner.stat(path),
    rename: (from, to) => inner.rename(from, to),
    unlink: (path) => inner.unlink(path),
    mkdirp: (path) => inner.mkdirp(path),
    list: (path) => inner.list(path),
    removeTree: (path) => inner.removeTree(path),
    realpath: (path) => inner.realpath(path),
  };
  return { store, counts };
}

describe('Checkpoint creation cost does not grow with the depth of the chain', () => {
  it('creating the 50th checkpoint opens and reads no more than about twice what the 2nd does', async () => {
    const { store, counts } = countingStore(memoryFileStore());
    const { host } = await createTestHost({ store });
    const vm = await buildVm(host);
    const costs: { opens: number; reads: number; bytes: number }[] = [];
    for (let i = 0; i < 50; i += 1) {
      const before = { ...counts };
      await host.createCheckpoint(vm.id, { name: `c${i}` });
      costs.push({
        opens: counts.opens - before.opens,
        reads: counts.reads - before.reads,
        bytes: counts.bytes - before.bytes,
      });
    }
    const second = costs[1];
    const last = costs[49];
    if (second === undefined || last === undefined) throw new Error('missing costs');
    expect(last.opens).toBeLessThanOrEqual(2 * second.opens);
    expect(last.reads).toBeLessThanOrEqual(2 * second.reads);
    expect(last.bytes).toBeLessThanOrEqual(2 * second.bytes);
    expect(host.getVm(vm.id).checkpointCount).toBe(50);
  });

  it('a running VM: the 20th checkpoint costs no more than about twice the 2nd', async () => {
    const { store, counts } = countingStore(memoryFileStore());
    const { host } = await createTestHost({ store });
    const vm = await buildVm(host, { state: 'Running' });
    const costs: { opens: number; reads: number }[] = [];
    for (let i = 0; i < 20; i += 1) {
      const before = { ...counts };
      await host.createCheckpoint(vm.id, { name: `c${i}` });
      costs.push({ opens: counts.opens - before.opens, reads: counts.reads - before.reads });
    }
    const second = costs[1];
    const last = costs[19];
    if (second === undefined || last === undefined) throw new Error('missing costs');
    expect(last.opens).toBeLessThanOrEqual(2 * second.opens);
    expect(last.reads).toBeLessThanOrEqual(2 * second.reads);
  });
});
