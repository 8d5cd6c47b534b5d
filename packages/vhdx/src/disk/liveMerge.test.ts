import { describe, expect, it } from 'vitest';
import {
  createDifferencingDisk,
  createDynamicDisk,
  LiveMergeWrites,
  memoryFileStore,
  mergeDisk,
  openDisk,
  type FileStore,
} from '../index.js';
import {
  faultyStore,
  restoreStore,
  SimulatedCrash,
  snapshotStore,
} from '../test-support/faultyStore.js';
import { firstDifference, MiB, pattern, readAll, ReferenceDisk } from '../test-support/patterns.js';

const SIZE = 16 * MiB;
const SECTOR = 512;

/** base (1 MiB blocks, data in blocks 0-3) <- child.avhdx, the running guest's disk, with data in blocks 2-9. */
async function buildChain(store: FileStore): Promise<ReferenceDisk> {
  const ref = new ReferenceDisk(SIZE);
  await createDynamicDisk(store, 'base.vhdx', { virtualSize: SIZE, blockSize: MiB });
  const base = await openDisk(store, 'base.vhdx', { writable: true });
  const b = pattern(4 * MiB, 1);
  await base.write(b, 0);
  ref.write(b, 0);
  await base.close();
  await createDifferencingDisk(store, 'child.avhdx', 'base.vhdx');
  const child = await openDisk(store, 'child.avhdx', { writable: true });
  const c = pattern(8 * MiB, 2);
  await child.write(c, 2 * MiB);
  ref.write(c, 2 * MiB);
  await child.close();
  return ref;
}

/**
 * The guest's workload during the merge: at every progress report a write of 3 sectors to a
 * block of its own choosing, spread over blocks already copied, the block being copied and blocks
 * still to come (and blocks the child never had). Each write gets a range of its own, so what
 * every acknowledged write left can be checked on its own.
 */
function workload(live: LiveMergeWrites) {
  const acked: { offset: number; data: Uint8Array }[] = [];
  const issued: { offset: number; data: Uint8Array }[] = [];
  const pending: Promise<void>[] = [];
  let n = 0;
  const writeOne = (): void => {
    const block = (n * 7) % 16;
    const offset = block * MiB + (n % 200) * 3 * SECTOR + SECTOR;
    const data = pattern(3 * SECTOR, 100 + n);
    n += 1;
    const write = { offset, data };
    issued.push(write);
    pending.push(
      live.write([write]).then(
        () => void acked.push(write),
        () => undefined,
      ),
    );
  };
  return { acked, issued, writeOne, settled: () => Promise.all(pending) };
}

async function content(store: FileStore, path: string): Promise<Uint8Array> {
  const disk = await openDisk(store, path);
  try {
    return await readAll(disk);
  } finally {
    await disk.close();
  }
}

describe('live merge: the guest writes its disk while it merges into its parent', () => {
  it('every write made during the merge reads back from the parent afterwards', async () => {
    const store = memoryFileStore();
    const ref = await buildChain(store);
    const live = new LiveMergeWrites(store, 'child.avhdx');
    const guest = workload(live);
    guest.writeOne();
    await mergeDisk(store, 'child.avhdx', {
      live,
      checkpointBytes: 2 * MiB,
      onProgress: () => {
        guest.writeOne();
        guest.writeOne();
      },
    });
    guest.writeOne(); // after the merge: it lands in the parent
    await guest.settled();
    expect(guest.acked.length).toBeGreaterThan(10);
    for (const w of guest.acked) ref.write(w.data, w.offset);
    expect(await store.exists('child.avhdx')).toBe(false);
    expect(firstDifference(await content(store, 'base.vhdx'), ref.bytes)).toBe(-1);
  });

  it('reads during the merge return what the guest last wrote, never what a file held before', async () => {
    const store = memoryFileStore();
    const ref = await buildChain(store);
    await createDifferencingDisk(store, 'now.avhdx', 'child.avhdx');
    for (const [disk, children] of [
      ['child.avhdx', ['now.avhdx']],
      ['now.avhdx', []],
    ] as const) {
      const live = new LiveMergeWrites(store, 'now.avhdx');
      expect(await live.virtualSize()).toBe(SIZE);
      const checks: Promise<void>[] = [];
      let n = 0;
      const writeThenRead = (): void => {
        const offset = ((n * 5) % 16) * MiB + (1 + (n % 100) * 4) * SECTOR;
        const data = pattern(4 * SECTOR, 300 + n);
        n += 1;
        ref.write(data, offset);
        const expected = ref.bytes.slice(offset - SECTOR, offset + 5 * SECTOR);
        checks.push(
          live
            .write([{ offset, data }])
            .then(() => live.read(offset - SECTOR, 6 * SECTOR))
            .then((back) => expect(firstDifference(back, expected), `read at ${offset}`).toBe(-1)),
        );
      };
      writeThenRead();
      await mergeDisk(store, disk, {
        live,
        children: [...children],
        checkpointBytes: 2 * MiB,
        onProgress: writeThenRead,
      });
      writeThenRead();
      await Promise.all(checks);
      expect(n).toBeGreaterThan(5);
      expect(firstDifference(await live.read(0, SIZE), ref.bytes)).toBe(-1);
    }
    // Both merges done: the base holds it all.
    expect(firstDifference(await content(store, 'base.vhdx'), ref.bytes)).toBe(-1);
  });

  it('a write that comes as the merge opens the guest’s disk lands through the merge’s own view of it', async () => {
    const inner = memoryFileStore();
    const ref = await buildChain(inner);
    const guest: { live?: LiveMergeWrites } = {};
    const queued: Promise<void>[] = [];
    let opens = 0;
    // The guest writes a block the child never had just as the merge opens the child to copy it.
    const store: FileStore = {
      ...inner,
      async open(path, mode) {
        const handle = await inner.open(path, mode);
        const live = guest.live;
        if (path === 'child.avhdx' && mode !== 'r' && live !== undefined && opens++ === 1) {
          const data = pattern(4 * SECTOR, 77);
          ref.write(data, 12 * MiB);
          queued.push(live.write([{ offset: 12 * MiB, data }]));
        }
        return handle;
      },
    };
    const live = new LiveMergeWrites(store, 'child.avhdx');
    guest.live = live;
    await mergeDisk(store, 'child.avhdx', { live });
    await Promise.all(queued);
    expect(queued.length).toBe(1);
    expect(firstDifference(await content(inner, 'base.vhdx'), ref.bytes)).toBe(-1);
  });

  it('when another disk of its chain merges, the guest’s writes to its own disk land between the merge’s steps', async () => {
    const store = memoryFileStore();
    const ref = await buildChain(store);
    await createDifferencingDisk(store, 'now.avhdx', 'child.avhdx');
    const live = new LiveMergeWrites(store, 'now.avhdx');
    const guest = workload(live);
    guest.writeOne();
    await mergeDisk(store, 'child.avhdx', {
      live,
      children: ['now.avhdx'],
      onProgress: () => guest.writeOne(),
    });
    guest.writeOne();
    await guest.settled();
    expect(guest.acked.length).toBe(guest.issued.length);
    for (const w of guest.acked) ref.write(w.data, w.offset);
    expect(firstDifference(await content(store, 'now.avhdx'), ref.bytes)).toBe(-1);
    const nowDisk = await openDisk(store, 'now.avhdx');
    expect(nowDisk.info.parentPath).toBe('base.vhdx');
    await nowDisk.close();
  });

  it('after a kill at any file operation, the resumed merge keeps every acknowledged write', async () => {
    const initial = memoryFileStore();
    const ref = await buildChain(initial);
    const start = await snapshotStore(initial);
    const run = async (store: FileStore) => {
      const live = new LiveMergeWrites(store, 'child.avhdx');
      const guest = workload(live);
      const merge = mergeDisk(store, 'child.avhdx', {
        live,
        checkpointBytes: 2 * MiB,
        onProgress: () => guest.writeOne(),
      });
      const outcome = await merge.then(
        () => null,
        (e: unknown) => e,
      );
      await guest.settled();
      return { outcome, acked: guest.acked, issued: guest.issued };
    };
    const probe = faultyStore(await restoreStore(start));
    expect((await run(probe)).outcome).toBeNull();
    const total = probe.ops;
    for (let n = 0; n < total; n += 3) {
      const inner = await restoreStore(start);
      const { outcome, acked, issued } = await run(faultyStore(inner, { ops: n }));
      // The kill may fall on a guest write after the merge's last operation.
      if (outcome !== null) expect(outcome, `crash at op ${n}`).toBeInstanceOf(SimulatedCrash);
      if (await inner.exists('child.avhdx')) await mergeDisk(inner, 'child.avhdx');
      const merged = await content(inner, 'base.vhdx');
      const expected = ref.bytes.slice();
      for (const w of acked) expected.set(w.data, w.offset);
      for (const w of acked) {
        const at = merged.subarray(w.offset, w.offset + w.data.length);
        expect(firstDifference(at, w.data), `write at ${w.offset}, crash at op ${n}`).toBe(-1);
      }
      // A write the kill cut off may have landed or not; everything else is as expected.
      for (const w of issued)
        if (!acked.includes(w))
          expected.set(merged.subarray(w.offset, w.offset + w.data.length), w.offset);
      expect(firstDifference(merged, expected), `crash at op ${n}`).toBe(-1);
    }
  });
});
