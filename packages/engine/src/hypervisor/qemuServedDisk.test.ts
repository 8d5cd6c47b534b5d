// The disk a QEMU guest is served, without QEMU: the same store and the same open parents as the
// host's other work on the chain (a merge, a checkpoint, the web server's reads), so that no file
// is open twice and nothing the guest reads through is stale after a merge or a checkpoint.
import { mkdtemp, rm } from 'node:fs/promises';
import { readdirSync, readlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { nodeFileStore, vhdxDiskLibrary } from '../disk/diskLibrary.js';
import { QemuServedDisk } from './qemuServedDisk.js';

const MiB = 1024 * 1024;
const library = vhdxDiskLibrary;

let dir = '';
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hvm-served-'));
});
afterEach(async () => {
  await library.forget?.(nodeFileStore(dir));
  await rm(dir, { recursive: true, force: true });
});

/** How many descriptors this process holds open on the file. */
function openCount(path: string): number {
  const target = join(dir, path);
  let n = 0;
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      if (readlinkSync(`/proc/self/fd/${fd}`) === target) n += 1;
    } catch {
      // The directory's own descriptor, closed by the time it is read.
    }
  }
  return n;
}

/** base.vhdx (its first 64 KiB 5s) ← mid.avhdx ← now.avhdx, the VM's current disk. */
async function chain(): Promise<ReturnType<typeof nodeFileStore>> {
  const store = nodeFileStore(dir);
  await library.createDynamicDisk(store, 'base.vhdx', 64 * MiB);
  await library.writeDisk(store, 'base.vhdx', 0, new Uint8Array(64 * 1024).fill(5));
  await library.createDifferencingDisk(store, 'mid.avhdx', 'base.vhdx');
  await library.createDifferencingDisk(store, 'now.avhdx', 'mid.avhdx');
  return store;
}

describe('the disk served to a QEMU guest', () => {
  it('shares one open file per parent with the host, through a live merge and the disk served again', async () => {
    const store = await chain();
    const disk = await QemuServedDisk.open(library, store, 'now.avhdx', null);
    await disk.export.write(0, new Uint8Array(4096).fill(7), false);
    // The host reads the chain meanwhile (Hyper-V Manager's disk details, a checker).
    expect(await library.parentOf(store, 'now.avhdx')).toBe('mid.avhdx');
    expect((await library.readDisk(store, 'now.avhdx', 8192, 4096))[0]).toBe(5);
    expect(openCount('base.vhdx')).toBe(1);
    expect(openCount('mid.avhdx')).toBe(1);

    // Delete Checkpoint while the guest runs: mid.avhdx folds into base.vhdx (behaviour spec
    // §4.6), the guest's disk served through the live merge, then opened again as usual.
    const live = library.openLiveMerge?.(store, 'now.avhdx') ?? null;
    await disk.serve('now.avhdx', live);
    await library.mergeDisk(store, 'mid.avhdx', {
      children: ['now.avhdx'],
      onProgress: () => undefined,
      ...(live === null ? {} : { live }),
    });
    await disk.serve('now.avhdx', null);
    expect(openCount('mid.avhdx')).toBe(0);
    expect(openCount('base.vhdx')).toBe(1);
    expect(await library.parentOf(store, 'now.avhdx')).toBe('base.vhdx');
    expect(openCount('base.vhdx')).toBe(1);
    const read = await disk.export.read(0, 8192);
    expect(read[0]).toBe(7);
    expect(read[4096]).toBe(5);
    await disk.close();
    expect(openCount('base.vhdx')).toBe(0);
    expect(openCount('now.avhdx')).toBe(0);
  });

  it("reads, after a checkpoint, what the guest wrote between the child's making and the switch", async () => {
    const store = await chain();
    const disk = await QemuServedDisk.open(library, store, 'now.avhdx', null);
    await disk.export.write(0, new Uint8Array(4096).fill(1), false);
    // Now's new child is made and opened while the guest runs (`prepareChild`), which goes on
    // writing to now.avhdx until the switch: new sectors of a block it holds in part, and a new
    // block.
    const child = await disk.prepareChild('next.avhdx');
    await disk.export.write(4096, new Uint8Array(4096).fill(2), false);
    await disk.export.write(8 * MiB, new Uint8Array(4096).fill(3), false);
    await disk.switchToChild(child).then(({ parentClosed }) => parentClosed);
    const read = await disk.export.read(0, 3 * 4096);
    expect([read[0], read[4096], read[8192]]).toEqual([1, 2, 5]);
    expect((await disk.export.read(8 * MiB, 4096))[0]).toBe(3);
    expect(openCount('now.avhdx')).toBe(1);
    await disk.close();
  });

  it("serves a guest's vectored requests from the VHDX chain itself: one pwritev, no gathered copy", async () => {
    const inner = await chain();
    const vectoredCalls: string[] = [];
    const store = {
      ...inner,
      open: async (...args: Parameters<typeof inner.open>) => {
        const handle = await inner.open(...args);
        const writev = handle.writev?.bind(handle);
        const readvNow = handle.readvNow?.bind(handle);
        return {
          ...handle,
          ...(writev && {
            writev: (b: readonly Uint8Array[], p: number) => {
              vectoredCalls.push(`writev ${args[0]}`);
              return writev(b, p);
            },
          }),
          ...(readvNow && {
            readvNow: (b: readonly Uint8Array[], p: number) => {
              vectoredCalls.push(`readvNow ${args[0]}`);
              return readvNow(b, p);
            },
          }),
        };
      },
    };
    const disk = await QemuServedDisk.open(library, store, 'now.avhdx', null);
    // The block gets allocated first (a write of the gathered bytes), then is written in place.
    await disk.export.write(0, new Uint8Array(MiB).fill(1), true);
    const pieces = Array.from({ length: 256 }, (_, i) => new Uint8Array(4096).fill(i));
    vectoredCalls.length = 0;
    await disk.export.writeSegments(0, pieces, false);
    expect(vectoredCalls).toEqual(['writev now.avhdx']);
    const back = Array.from({ length: 256 }, () => new Uint8Array(4096));
    await disk.export.readIntoSegments(0, back);
    expect(vectoredCalls).toEqual(['writev now.avhdx', 'readvNow now.avhdx']);
    expect(back.every((piece, i) => piece.every((b) => b === i))).toBe(true);
    // Across the end of what now.avhdx holds (its sector bitmap) into the parents' range.
    const across = [new Uint8Array(60 * 1024), new Uint8Array(8192), new Uint8Array(4096)];
    const plain = await disk.export.read(MiB - 8192, 72 * 1024);
    await disk.export.readIntoSegments(MiB - 8192, across);
    expect(Buffer.concat(across).equals(plain)).toBe(true);
    expect(plain[0]).toBe(254);
    await disk.close();
  });
});
