// A merge that reports done before its child's file is deleted (`deferChildDeletion`), and the
// deletion after it (`deleteMergedChild`, or `resumeMerges` after a crash).
import { describe, expect, it } from 'vitest';
import {
  createDifferencingDisk,
  createDynamicDisk,
  deleteMergedChild,
  memoryFileStore,
  mergeDisk,
  openDisk,
  pendingChildDeletions,
  resumeMerges,
  type FileStore,
} from '../index.js';
import {
  faultyStore,
  restoreStore,
  SimulatedCrash,
  snapshotStore,
} from '../test-support/faultyStore.js';
import { powerLossStore } from '../test-support/powerLossStore.js';
import { firstDifference, MiB, pattern, readAll } from '../test-support/patterns.js';

const RECORD = 'child.avhdx.merge.json';

/** base (data in blocks 0-1) <- child (a whole block, and part of a block over parent data). */
async function buildChain(store: FileStore): Promise<Uint8Array> {
  await createDynamicDisk(store, 'base.vhdx', { virtualSize: 4 * MiB, blockSize: MiB });
  const base = await openDisk(store, 'base.vhdx', { writable: true });
  await base.write(pattern(2 * MiB, 1), 0);
  await base.close();
  await createDifferencingDisk(store, 'child.avhdx', 'base.vhdx');
  const child = await openDisk(store, 'child.avhdx', { writable: true });
  await child.write(pattern(8192, 2), 4096);
  await child.write(pattern(MiB, 3), 2 * MiB);
  await child.close();
  const view = await openDisk(store, 'child.avhdx');
  try {
    return await readAll(view);
  } finally {
    await view.close();
  }
}

async function expectContent(store: FileStore, path: string, expected: Uint8Array): Promise<void> {
  const disk = await openDisk(store, path);
  try {
    expect(firstDifference(await readAll(disk), expected), path).toBe(-1);
  } finally {
    await disk.close();
  }
}

describe('the merged child is deleted after the merge is complete', () => {
  it('mergeDisk returns with the data in the parent; the child and its record stay until deleteMergedChild', async () => {
    const store = memoryFileStore();
    const expected = await buildChain(store);
    await mergeDisk(store, 'child.avhdx', { deferChildDeletion: true });
    await expectContent(store, 'base.vhdx', expected);
    // The name stays taken by the file and its pending deletion, and nothing else is deleted.
    expect(await store.list('')).toEqual(['base.vhdx', 'child.avhdx', RECORD]);
    expect(await pendingChildDeletions(store, '')).toEqual(['child.avhdx']);
    expect(await deleteMergedChild(store, 'child.avhdx')).toBe(true);
    expect(await store.list('')).toEqual(['base.vhdx']);
    expect(await deleteMergedChild(store, 'child.avhdx')).toBe(false);
  });

  it('a host stopped before the deletion deletes the child when merges resume', async () => {
    const store = memoryFileStore();
    const expected = await buildChain(store);
    await mergeDisk(store, 'child.avhdx', { deferChildDeletion: true });
    expect(await resumeMerges(store, '')).toEqual(['child.avhdx']);
    expect(await store.list('')).toEqual(['base.vhdx']);
    await expectContent(store, 'base.vhdx', expected);
  });

  it('refuses to delete the child of a merge that is not complete', async () => {
    const store = memoryFileStore();
    const expected = await buildChain(store);
    const stop = new AbortController();
    stop.abort();
    await expect(mergeDisk(store, 'child.avhdx', { signal: stop.signal })).rejects.toThrow(
      /resume/,
    );
    expect(await store.exists(RECORD)).toBe(true);
    await expect(deleteMergedChild(store, 'child.avhdx')).rejects.toThrow(/not complete/);
    await expectContent(store, 'child.avhdx', expected);
  });

  it('keeps a disk made under the child’s name after the child was deleted', async () => {
    const store = memoryFileStore();
    await buildChain(store);
    await mergeDisk(store, 'child.avhdx', { deferChildDeletion: true });
    // A crash between the two deletions left the record; a new disk then took the free name.
    await store.unlink('child.avhdx');
    await createDifferencingDisk(store, 'child.avhdx', 'base.vhdx');
    expect(await deleteMergedChild(store, 'child.avhdx')).toBe(true);
    expect(await store.list('')).toEqual(['base.vhdx', 'child.avhdx']);
    await (await openDisk(store, 'child.avhdx')).close();
  });

  it('a crash at every file operation of the merge or the deletion leaves the data, and the child is deleted on resume', async () => {
    const store = memoryFileStore();
    const expected = await buildChain(store);
    const initial = await snapshotStore(store);
    const whole = async (s: FileStore): Promise<void> => {
      await mergeDisk(s, 'child.avhdx', { deferChildDeletion: true });
      await deleteMergedChild(s, 'child.avhdx');
    };
    const probe = faultyStore(await restoreStore(initial));
    await whole(probe);
    for (let n = 0; n < probe.ops; n++) {
      const inner = await restoreStore(initial);
      await expect(whole(faultyStore(inner, { ops: n })), `crash at op ${n}`).rejects.toThrow(
        SimulatedCrash,
      );
      if (await inner.exists('child.avhdx')) await expectContent(inner, 'child.avhdx', expected);
      if (await inner.exists(RECORD))
        expect(await resumeMerges(inner, '')).toEqual(['child.avhdx']);
      else if (await inner.exists('child.avhdx')) await whole(inner);
      expect(await inner.list(''), `after crash at op ${n}`).toEqual(['base.vhdx']);
      await expectContent(inner, 'base.vhdx', expected);
    }
  });

  it('a power loss at every file operation loses no data, and the child is deleted on resume', async () => {
    const store = memoryFileStore();
    const expected = await buildChain(store);
    const initial = await snapshotStore(store);
    const whole = async (s: FileStore): Promise<void> => {
      await mergeDisk(s, 'child.avhdx', { deferChildDeletion: true });
      await deleteMergedChild(s, 'child.avhdx');
    };
    const probe = faultyStore(await restoreStore(initial));
    await whole(probe);
    for (let n = 0; n < probe.ops; n++) {
      const inner = await restoreStore(initial);
      const power = powerLossStore(inner);
      await expect(whole(faultyStore(power, { ops: n })), `crash at op ${n}`).rejects.toThrow(
        SimulatedCrash,
      );
      await power.losePower();
      if (await inner.exists('child.avhdx')) await expectContent(inner, 'child.avhdx', expected);
      if (await inner.exists(RECORD))
        expect(await resumeMerges(inner, '')).toEqual(['child.avhdx']);
      else if (await inner.exists('child.avhdx')) await whole(inner);
      expect(await inner.list(''), `after power loss at op ${n}`).toEqual(['base.vhdx']);
      await expectContent(inner, 'base.vhdx', expected);
    }
  }, 300_000);
});
