import { describe, expect, it } from 'vitest';
import {
  createDifferencingDisk,
  createDynamicDisk,
  inspectDisk,
  memoryFileStore,
  mergeDisk,
  openDisk,
  resumeMerges,
  VhdxError,
  type FileStore,
} from '../index.js';
import { PayloadState } from '../format/constants.js';
import {
  faultyStore,
  restoreStore,
  SimulatedCrash,
  snapshotStore,
} from '../test-support/faultyStore.js';
import { powerLossStore } from '../test-support/powerLossStore.js';
import { firstDifference, MiB, pattern, readAll, ReferenceDisk } from '../test-support/patterns.js';
import { openChain } from './chain.js';
import { ZERO_GUID } from '../util/guid.js';
import { VhdxFile } from './vhdxFile.js';

const SIZE = 4 * MiB;

interface Views {
  base: Uint8Array;
  child: Uint8Array;
  grandchild: Uint8Array;
}

async function writeAll(
  store: FileStore,
  path: string,
  ref: ReferenceDisk,
  writes: readonly (readonly [number, number, number])[],
): Promise<void> {
  const d = await openDisk(store, path, { writable: true });
  for (const [off, len, seed] of writes) {
    const p = pattern(len, seed);
    await d.write(p, off);
    ref.write(p, off);
  }
  await d.close();
}

/**
 * base (dynamic, 1 MiB blocks) <- child <- grandchild. The child has a FULLY_PRESENT block, two
 * PARTIALLY_PRESENT blocks and a ZERO block over parent data; `grandchild` is optional.
 */
async function buildChain(store: FileStore, withGrandchild: boolean, size = SIZE): Promise<Views> {
  const ref = new ReferenceDisk(size);
  await createDynamicDisk(store, 'base.vhdx', { virtualSize: size, blockSize: MiB });
  await writeAll(store, 'base.vhdx', ref, [
    [0, 2 * MiB, 1],
    [3 * MiB, MiB, 2],
  ]);
  const base = ref.bytes.slice();
  await createDifferencingDisk(store, 'child.avhdx', 'base.vhdx');
  await writeAll(store, 'child.avhdx', ref, [
    [MiB, MiB, 3], // whole block: FULLY_PRESENT
    [1000, 3000, 4], // PARTIALLY_PRESENT over parent data
    [2 * MiB + 512 * 7, 512 * 3, 5], // PARTIALLY_PRESENT over a NOT_PRESENT parent block
  ]);
  const chain = await openChain(store, 'child.avhdx', true);
  await chain.writeZeros(3 * MiB, MiB); // ZERO block hiding parent data
  await chain.close();
  ref.bytes.fill(0, 3 * MiB, 4 * MiB);
  const child = ref.bytes.slice();
  if (withGrandchild) {
    await createDifferencingDisk(store, 'grandchild.avhdx', 'child.avhdx');
    await writeAll(store, 'grandchild.avhdx', ref, [
      [512, 512, 6],
      [3 * MiB + 4096, 8192, 7],
    ]);
  }
  return { base, child, grandchild: ref.bytes.slice() };
}

async function contentOf(store: FileStore, path: string): Promise<Uint8Array> {
  const d = await openDisk(store, path);
  try {
    return await readAll(d);
  } finally {
    await d.close();
  }
}

async function logGuidOf(store: FileStore, path: string): Promise<string> {
  const file = await VhdxFile.open(store, path, false, { metadataOnly: true });
  try {
    return file.header.logGuid;
  } finally {
    await file.close();
  }
}

async function expectContent(store: FileStore, path: string, want: Uint8Array): Promise<void> {
  expect(firstDifference(await contentOf(store, path), want), path).toBe(-1);
}

describe('mergeDisk', () => {
  it('folds FULLY/PARTIALLY_PRESENT and ZERO blocks of a child into its parent, byte for byte', async () => {
    const store = memoryFileStore();
    const views = await buildChain(store, false);
    const child = await openChain(store, 'child.avhdx', false);
    const states = [];
    for (let b = 0; b < 4; b++) states.push((await child.file.payloadEntry(b)).state);
    await child.close();
    expect(states).toEqual([
      PayloadState.PartiallyPresent,
      PayloadState.FullyPresent,
      PayloadState.PartiallyPresent,
      PayloadState.Zero,
    ]);
    const before = (await inspectDisk(store, 'base.vhdx')).dataWriteGuid;
    const progress: number[] = [];
    await mergeDisk(store, 'child.avhdx', { onProgress: (p) => progress.push(p) });
    await expectContent(store, 'base.vhdx', views.child);
    expect(await store.exists('child.avhdx')).toBe(false);
    expect(await store.list('')).toEqual(['base.vhdx']);
    expect((await inspectDisk(store, 'base.vhdx')).dataWriteGuid).not.toBe(before);
    expect(progress[progress.length - 1]).toBe(100);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(new Set(progress).size).toBe(progress.length);
    expect(progress.every((p) => Number.isInteger(p) && p >= 0 && p <= 100)).toBe(true);
  });

  it('merges the middle of a 3-deep chain and re-points the grandchild at the base', async () => {
    const store = memoryFileStore();
    const views = await buildChain(store, true);
    await mergeDisk(store, 'child.avhdx', { children: ['grandchild.avhdx'] });
    await expectContent(store, 'base.vhdx', views.child);
    await expectContent(store, 'grandchild.avhdx', views.grandchild);
    const info = await inspectDisk(store, 'grandchild.avhdx');
    const base = await inspectDisk(store, 'base.vhdx');
    expect(info.parentPath).toBe('base.vhdx');
    expect(info.parentLinkage).toBe(`{${base.dataWriteGuid}}`);
    const g = await openChain(store, 'grandchild.avhdx', false);
    const loc = g.file.meta.parentLocator?.entries ?? [];
    await g.close();
    expect(loc.map(([k]) => k)).toEqual([
      'parent_linkage',
      'absolute_win32_path',
      'relative_path',
      'parent_linkage2',
    ]);
    expect(Object.fromEntries(loc)).toMatchObject({
      relative_path: '.\\base.vhdx',
      absolute_win32_path: 'base.vhdx',
      parent_linkage2: '{00000000-0000-0000-0000-000000000000}',
    });
    expect(await store.list('')).toEqual(['base.vhdx', 'grandchild.avhdx']);
  });

  it('merges into a parent that is itself a child, keeping the parent block size apart', async () => {
    const store = memoryFileStore();
    const views = await buildChain(store, true);
    await mergeDisk(store, 'grandchild.avhdx');
    await expectContent(store, 'child.avhdx', views.grandchild);
    await expectContent(store, 'base.vhdx', views.base);
    await mergeDisk(store, 'child.avhdx');
    await expectContent(store, 'base.vhdx', views.grandchild);
  });

  it('refuses a base disk and a child that is not the disk’s child, changing nothing', async () => {
    const store = memoryFileStore();
    await buildChain(store, true);
    const before = await snapshotStore(store);
    await expect(mergeDisk(store, 'base.vhdx')).rejects.toThrow(/not a differencing disk/);
    await expect(mergeDisk(store, 'child.avhdx', { children: ['base.vhdx'] })).rejects.toThrow(
      VhdxError,
    );
    const after = await snapshotStore(store);
    expect([...after.keys()]).toEqual([...before.keys()]);
    for (const [k, v] of before)
      expect(firstDifference(after.get(k) ?? new Uint8Array(), v)).toBe(-1);
  });

  it('rejects a damaged sidecar naming it, without touching the disks', async () => {
    const store = memoryFileStore();
    await buildChain(store, false);
    await store.writeFileAtomic('child.avhdx.merge.json', new TextEncoder().encode('{"version":1'));
    await expect(mergeDisk(store, 'child.avhdx')).rejects.toThrow(/merge sidecar/);
    await store.writeFileAtomic(
      'child.avhdx.merge.json',
      new TextEncoder().encode(JSON.stringify({ version: 1, child: 'child.avhdx', phase: 'x' })),
    );
    await expect(resumeMerges(store, '')).rejects.toThrow(/merge sidecar/);
  });

  it('stops on abort between blocks, leaving a state that resumes to the same result', async () => {
    const store = memoryFileStore();
    const views = await buildChain(store, true, 16 * MiB);
    const abort = new AbortController();
    const seen: number[] = [];
    const run = mergeDisk(store, 'child.avhdx', {
      children: ['grandchild.avhdx'],
      checkpointBytes: 1,
      signal: abort.signal,
      onProgress: (p) => {
        seen.push(p);
        if (p >= 25) abort.abort();
      },
    });
    await expect(run).rejects.toMatchObject({ code: 'ABORTED' });
    const record = JSON.parse(
      new TextDecoder().decode(await store.readFile('child.avhdx.merge.json')),
    ) as { phase: string; nextBlock: number; totalBlocks: number };
    expect(record.phase).toBe('copy');
    expect(record.nextBlock).toBeGreaterThan(0);
    expect(record.nextBlock).toBeLessThan(record.totalBlocks);
    await expectContent(store, 'child.avhdx', views.child);
    await expectContent(store, 'grandchild.avhdx', views.grandchild);
    expect(await resumeMerges(store, '')).toEqual(['child.avhdx']);
    await expectContent(store, 'base.vhdx', views.child);
    await expectContent(store, 'grandchild.avhdx', views.grandchild);
    expect(Math.max(...seen)).toBeLessThan(100);
  });

  it('a throttled merge can be stopped while it waits, and resumes unthrottled to the same result', async () => {
    const store = memoryFileStore();
    const views = await buildChain(store, true, 16 * MiB);
    const abort = new AbortController();
    setTimeout(() => abort.abort(), 50);
    const run = mergeDisk(store, 'child.avhdx', {
      children: ['grandchild.avhdx'],
      bytesPerSecond: 1,
      signal: abort.signal,
    });
    await expect(run).rejects.toMatchObject({ code: 'ABORTED' });
    await expectContent(store, 'child.avhdx', views.child);
    await mergeDisk(store, 'child.avhdx');
    await expectContent(store, 'base.vhdx', views.child);
    await expectContent(store, 'grandchild.avhdx', views.grandchild);
  });

  it('refuses a bytes-per-second limit that is not a number of bytes', async () => {
    const store = memoryFileStore();
    await buildChain(store, false);
    for (const bytesPerSecond of [-1, Number.NaN, Infinity]) {
      await expect(mergeDisk(store, 'child.avhdx', { bytesPerSecond })).rejects.toMatchObject({
        code: 'INVALID_ARGUMENT',
      });
    }
    expect(await store.exists('child.avhdx.merge.json')).toBe(false);
  });

  it('resumes after a crash at every file operation of a merge; every disk opens at every point', async () => {
    const store = memoryFileStore();
    const views = await buildChain(store, true);
    const initial = await snapshotStore(store);
    const options = { children: ['grandchild.avhdx'], checkpointBytes: 1 };
    const probe = faultyStore(await restoreStore(initial));
    await mergeDisk(probe, 'child.avhdx', options);
    const total = probe.ops;
    expect(total).toBeGreaterThan(20);
    for (let n = 0; n < total; n++) {
      const inner = await restoreStore(initial);
      const crashing = faultyStore(inner, { ops: n });
      await expect(mergeDisk(crashing, 'child.avhdx', options), `crash at op ${n}`).rejects.toThrow(
        SimulatedCrash,
      );
      // Everything still opens, and the child and grandchild still read as before.
      if (await inner.exists('child.avhdx')) await expectContent(inner, 'child.avhdx', views.child);
      await expectContent(inner, 'grandchild.avhdx', views.grandchild);
      await (await openDisk(inner, 'base.vhdx')).close();
      // A crash during the resume too, then the final resume.
      if (n % 7 === 3) {
        const again = faultyStore(inner, { ops: Math.floor(n / 2) });
        await mergeDisk(again, 'child.avhdx', options).catch((e: unknown) => {
          if (!(e instanceof SimulatedCrash)) throw e;
        });
      }
      if (await inner.exists('child.avhdx.merge.json')) {
        expect(await resumeMerges(inner, '')).toEqual(['child.avhdx']);
      } else if (await inner.exists('child.avhdx')) {
        await mergeDisk(inner, 'child.avhdx', options);
      }
      expect(await inner.list(''), `after crash at op ${n}`).toEqual([
        'base.vhdx',
        'grandchild.avhdx',
      ]);
      await expectContent(inner, 'base.vhdx', views.child);
      await expectContent(inner, 'grandchild.avhdx', views.grandchild);
    }
  });
  it('without children to re-point: resumes after a crash at every file operation, and writes fewer records', async () => {
    const store = memoryFileStore();
    const views = await buildChain(store, false);
    const initial = await snapshotStore(store);
    // No record ends the link step, none is written at the copy's last block, none for an empty
    // re-point step.
    const phases: string[] = [];
    const blocks: number[] = [];
    const inner0 = await restoreStore(initial);
    let target = inner0;
    const recording = async (path: string, data: Uint8Array): Promise<void> => {
      const r = JSON.parse(Buffer.from(data).toString('utf8')) as {
        phase: string;
        nextBlock: number;
      };
      phases.push(r.phase);
      blocks.push(r.phase === 'unlink' ? 0 : r.nextBlock);
      await target.writeFileAtomic(path, data);
    };
    await mergeDisk({ ...inner0, writeFileAtomic: recording }, 'child.avhdx');
    expect(phases).toEqual(['link', 'unlink']);
    // A record after every block (checkpointBytes 1) up to the last block with data (block 2;
    // block 3 is a ZERO block), none after it.
    phases.length = 0;
    blocks.length = 0;
    target = await restoreStore(initial);
    await mergeDisk({ ...target, writeFileAtomic: recording }, 'child.avhdx', {
      checkpointBytes: 1,
    });
    expect(blocks).toEqual([0, 1, 2, 0]);
    const probe = faultyStore(await restoreStore(initial));
    await mergeDisk(probe, 'child.avhdx');
    for (let n = 0; n < probe.ops; n++) {
      const inner = await restoreStore(initial);
      await expect(
        mergeDisk(faultyStore(inner, { ops: n }), 'child.avhdx'),
        `crash at op ${n}`,
      ).rejects.toThrow(SimulatedCrash);
      if (await inner.exists('child.avhdx')) await expectContent(inner, 'child.avhdx', views.child);
      if (await inner.exists('child.avhdx.merge.json')) {
        expect(await resumeMerges(inner, '')).toEqual(['child.avhdx']);
      } else if (await inner.exists('child.avhdx')) {
        await mergeDisk(inner, 'child.avhdx');
      }
      expect(await inner.list(''), `after crash at op ${n}`).toEqual(['base.vhdx']);
      await expectContent(inner, 'base.vhdx', views.child);
      expect(await logGuidOf(inner, 'base.vhdx'), `after crash at op ${n}`).toBe(ZERO_GUID);
    }
  });

  it('loses no data to a power loss at any file operation of a merge, with every write not yet flushed lost', async () => {
    const store = memoryFileStore();
    const views = await buildChain(store, false);
    const initial = await snapshotStore(store);
    const probe = faultyStore(await restoreStore(initial));
    await mergeDisk(probe, 'child.avhdx');
    for (let n = 0; n < probe.ops; n++) {
      const inner = await restoreStore(initial);
      const power = powerLossStore(inner);
      await expect(
        mergeDisk(faultyStore(power, { ops: n }), 'child.avhdx'),
        `crash at op ${n}`,
      ).rejects.toThrow(SimulatedCrash);
      await power.losePower();
      // What the flushes made durable is a chain that opens and reads as before the merge.
      if (await inner.exists('child.avhdx')) await expectContent(inner, 'child.avhdx', views.child);
      await (await openDisk(inner, 'base.vhdx')).close();
      if (await inner.exists('child.avhdx.merge.json')) {
        expect(await resumeMerges(inner, '')).toEqual(['child.avhdx']);
      } else if (await inner.exists('child.avhdx')) {
        await mergeDisk(inner, 'child.avhdx');
      }
      expect(await inner.list(''), `after power loss at op ${n}`).toEqual(['base.vhdx']);
      await expectContent(inner, 'base.vhdx', views.child);
      // At rest: the parent's log is closed, whichever step the power loss cut (7-Zip refuses
      // a file whose LogGuid is not zero; vhdx-format.md 1.8).
      expect(await logGuidOf(inner, 'base.vhdx'), `after power loss at op ${n}`).toBe(ZERO_GUID);
    }
  }, 300_000);
});
