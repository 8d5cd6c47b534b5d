import { VhdxError } from '../errors.js';
import { MiB, PayloadState } from '../format/constants.js';
import type { FileStore } from '../storage/fileStore.js';
import { normalizeStorePath } from '../storage/storePath.js';
import { isAllZero } from '../util/bytes.js';
import { openChain } from './chain.js';
import { createDiskLike } from './create.js';
import { checkAborted, dropTempFile, freshTempFile } from './editTemp.js';
import { OpenVirtualDisk } from './virtualDisk.js';
import { VhdxFile } from './vhdxFile.js';

export interface CompactOptions {
  /**
   * Drop the blocks (and sectors) that read as zeros (Optimize-VHD -Mode Full: "scans for zero
   * blocks and reclaims unused blocks"); false only packs the blocks the table holds (Quick).
   * Default true.
   */
  scanForZeros?: boolean;
  /** Fraction of the work done, 0..1, rising. */
  onProgress?: (fraction: number) => void;
  signal?: AbortSignal;
}

export interface CompactResult {
  fileSizeBefore: number;
  fileSizeAfter: number;
}

/** The chunks one block is copied in. */
const CHUNK = MiB;

/**
 * Optimize-VHD (the Edit Disk wizard's Compact) on a dynamic or differencing disk: the file is
 * rewritten with only the blocks that hold data, one after another, so it shrinks ("reclaims
 * unused blocks as well as rearranges the blocks to be more efficiently packed", Microsoft's
 * Optimize-VHD reference; fixed disks are excepted there and refused here). With `scanForZeros`,
 * data that reads as zeros is dropped too, except in a differencing disk where the zeros hide
 * other bytes of the parent (those stay, or the parent would show through).
 *
 * What a reader sees does not change, so the copy keeps the disk id, the parent locator and the
 * DataWriteGuid (MS-VHDX: it changes only with user-visible data), and the disk's own children
 * stay linked. The copy is made durable under a temporary name, then renamed over the disk: after
 * a crash at any point the disk is the old file or the compacted one.
 */
export async function compactDisk(
  store: FileStore,
  path: string,
  options: CompactOptions = {},
): Promise<CompactResult> {
  const p = normalizeStorePath(path);
  const scan = options.scanForZeros ?? true;
  const disk = await openChain(store, p, false);
  const fileSizeBefore = disk.file.fileSize;
  let temp: string | null = null;
  try {
    const m = disk.file.meta;
    if (m.leaveBlockAllocated) {
      throw new VhdxError(
        'compact',
        `${p} is a fixed disk; only dynamic and differencing disks are compacted`,
        {
          code: 'UNSUPPORTED',
        },
      );
    }
    temp = await freshTempFile(store, p);
    await createDiskLike(store, temp, {
      virtualSize: m.virtualSize,
      blockSize: m.blockSize,
      logicalSectorSize: m.logicalSectorSize,
      physicalSectorSize: m.physicalSectorSize,
      virtualDiskId: m.virtualDiskId,
      parentLocator: m.parentLocator,
    });
    const outFile = await VhdxFile.open(store, temp, true);
    const out = await OpenVirtualDisk.create(outFile, null, null);
    try {
      await copyHeldData(disk, out, scan, options);
      await out.flush();
    } finally {
      await out.close();
    }
    // The same user-visible data: the same DataWriteGuid, so children's parent_linkage holds.
    const finished = await VhdxFile.open(store, temp, true, {});
    try {
      await finished.setDataWriteGuid(disk.file.header.dataWriteGuid);
    } finally {
      await finished.close();
    }
  } catch (error) {
    if (temp !== null) await dropTempFile(store, temp);
    throw error;
  } finally {
    await disk.close();
  }
  await store.rename(temp, p);
  options.onProgress?.(1);
  return { fileSizeBefore, fileSizeAfter: (await store.stat(p)).size };
}

/** True when the parent chain reads zeros over `[pos, pos + length)` (no parent: true). */
async function parentReadsZeros(
  disk: OpenVirtualDisk,
  pos: number,
  length: number,
): Promise<boolean> {
  const parent = disk.parent;
  if (parent === null) return true;
  const inParent = Math.min(length, Math.max(0, parent.info.virtualSize - pos));
  if (inParent === 0) return true;
  const buf = new Uint8Array(inParent);
  await parent.read(buf, pos);
  return isAllZero(buf);
}

/** Copies the sectors `disk`'s own file holds into `out`, block by block. */
async function copyHeldData(
  disk: OpenVirtualDisk,
  out: OpenVirtualDisk,
  scan: boolean,
  options: CompactOptions,
): Promise<void> {
  const file = disk.file;
  const { blockSize, virtualSize, logicalSectorSize } = file.meta;
  const blocks = file.geometry.dataBlocks;
  const buf = new Uint8Array(Math.min(CHUNK, blockSize));
  const keep = async (pos: number, length: number): Promise<void> => {
    const part = buf.subarray(0, length);
    await disk.read(part, pos);
    if (scan && isAllZero(part) && (await parentReadsZeros(disk, pos, length))) return;
    await out.write(part, pos);
  };
  for (let block = 0; block < blocks; block += 1) {
    checkAborted(options.signal, `compaction of ${file.path}`);
    const start = block * blockSize;
    const end = Math.min(virtualSize, start + blockSize);
    const { state } = await file.payloadEntry(block);
    if (state === PayloadState.FullyPresent) {
      for (let pos = start; pos < end; pos += buf.length)
        await keep(pos, Math.min(buf.length, end - pos));
    } else if (state === PayloadState.PartiallyPresent && file.isDifferencing) {
      for (let pos = start; pos < end; pos += buf.length) {
        const length = Math.min(buf.length, end - pos);
        const bits = await file.readBitmapBits(pos / logicalSectorSize, length / logicalSectorSize);
        for (let i = 0; i < bits.length;) {
          if (bits[i] === 0) {
            i += 1;
            continue;
          }
          let j = i;
          while (j < bits.length && bits[j] === 1) j += 1;
          const at = pos + i * logicalSectorSize;
          const run = (j - i) * logicalSectorSize;
          await keep(at, run);
          i = j;
        }
      }
    } else if (
      file.isDifferencing &&
      state !== PayloadState.NotPresent &&
      !(await parentReadsZeros(disk, start, end - start))
    ) {
      // A ZERO (or unmapped) block of a child reads zeros over the parent's data: it stays so.
      await out.writeZeros(start, end - start);
    }
    options.onProgress?.((block + 1) / Math.max(1, blocks));
  }
}
