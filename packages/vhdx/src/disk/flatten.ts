import { VhdxError } from '../errors.js';
import { MiB, PayloadState } from '../format/constants.js';
import type { FileStore } from '../storage/fileStore.js';
import { normalizeStorePath } from '../storage/storePath.js';
import { openChain } from './chain.js';
import { createDynamicDisk } from './create.js';
import type { OpenVirtualDisk } from './virtualDisk.js';
import { isAllZero } from '../util/bytes.js';

/** Bytes read and written at a time: the copy's memory stays bounded whatever the disk's size. */
export const FLATTEN_CHUNK_BYTES = MiB;

export interface FlattenOptions {
  /** Fraction of the work done, 0..1, rising. */
  onProgress?: (fraction: number) => void;
  /** Checked between chunks; once aborted the copy stops with a VhdxError of code ABORTED. */
  signal?: AbortSignal;
}

function holdsData(state: number): boolean {
  return state === PayloadState.FullyPresent || state === PayloadState.PartiallyPresent;
}

/** The blocks (of `blockSize`) of the chain's top disk where some file of the chain holds data. */
export async function allocatedBlocks(top: OpenVirtualDisk, blockSize: number): Promise<number[]> {
  const size = top.info.virtualSize;
  const blocks = new Set<number>();
  for (let layer: OpenVirtualDisk | null = top; layer !== null; layer = layer.parent) {
    const layerBlock = layer.info.blockSize;
    const layerCount = Math.ceil(size / layerBlock);
    for (let b = 0; b < layerCount; b += 1) {
      const { state } = await layer.file.payloadEntry(b);
      if (!holdsData(state)) continue;
      const first = Math.floor((b * layerBlock) / blockSize);
      const last = Math.floor((Math.min(size, (b + 1) * layerBlock) - 1) / blockSize);
      for (let o = first; o <= last; o += 1) blocks.add(o);
    }
  }
  return [...blocks].sort((a, b) => a - b);
}

/**
 * Writes a new standalone dynamic VHDX at `target` with the full content `source` shows through
 * its chain: same virtual size, sector sizes and block size (what Hyper-V's export does to a
 * checkpoint's differencing chain). Only blocks some file of the chain holds are read, and chunks
 * of zeros are not written, so the new file stays sparse.
 */
export async function flattenDisk(
  store: FileStore,
  source: string,
  target: string,
  options: FlattenOptions = {},
): Promise<void> {
  const from = await openChain(store, normalizeStorePath(source), false);
  try {
    const info = from.info;
    await createDynamicDisk(store, target, {
      virtualSize: info.virtualSize,
      blockSize: info.blockSize,
      logicalSectorSize: info.logicalSectorSize === 4096 ? 4096 : 512,
      physicalSectorSize: info.physicalSectorSize === 512 ? 512 : 4096,
    });
    const blocks = await allocatedBlocks(from, info.blockSize);
    const to = await openChain(store, normalizeStorePath(target), true);
    try {
      const chunk = new Uint8Array(Math.min(FLATTEN_CHUNK_BYTES, info.blockSize));
      let done = 0;
      for (const block of blocks) {
        const start = block * info.blockSize;
        const end = Math.min(info.virtualSize, start + info.blockSize);
        for (let offset = start; offset < end; offset += chunk.length) {
          if (options.signal?.aborted === true) {
            throw new VhdxError('flatten', `copy of ${source} to ${target} stopped`, {
              code: 'ABORTED',
            });
          }
          const part = chunk.subarray(0, Math.min(chunk.length, end - offset));
          await from.read(part, offset);
          if (!isAllZero(part)) await to.write(part, offset);
        }
        done += 1;
        options.onProgress?.(done / blocks.length);
      }
      await to.flush();
    } finally {
      await to.close();
    }
  } finally {
    await from.close();
  }
  options.onProgress?.(1);
}
