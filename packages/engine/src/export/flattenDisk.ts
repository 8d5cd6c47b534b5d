import * as vhdx from '@hvm/vhdx';
import type { FileStore, VirtualDisk } from '@hvm/vhdx';

/** Bytes read and written at a time: the copy's memory stays bounded whatever the disk's size. */
export const COPY_CHUNK_BYTES = 1024 * 1024;

/** Payload block states that hold data in a file (full or sector by sector). */
const STATE_FULLY_PRESENT = 6;
const STATE_PARTIALLY_PRESENT = 7;

interface BlockTable {
  payloadEntry(block: number): Promise<{ state: number }>;
}

/** The block table of one file of an opened chain, when the library exposes it. */
function blockTableOf(disk: VirtualDisk): BlockTable | null {
  const file = (disk as unknown as { file?: unknown }).file;
  if (typeof file !== 'object' || file === null) return null;
  const table = file as Partial<BlockTable>;
  return typeof table.payloadEntry === 'function' ? (file as BlockTable) : null;
}

/**
 * The blocks (of `blockSize`) of the chain's top disk where some file of the chain holds data.
 * Without access to a block table every block is a candidate (zero chunks are still skipped).
 */
async function allocatedBlocks(top: VirtualDisk, blockSize: number): Promise<number[]> {
  const size = top.info.virtualSize;
  const count = Math.ceil(size / blockSize);
  const blocks = new Set<number>();
  for (let layer: VirtualDisk | null = top; layer !== null; layer = layer.parent) {
    const table = blockTableOf(layer);
    if (table === null) return Array.from({ length: count }, (_, i) => i);
    const layerBlock = layer.info.blockSize;
    const layerCount = Math.ceil(size / layerBlock);
    for (let b = 0; b < layerCount; b += 1) {
      const { state } = await table.payloadEntry(b);
      if (state !== STATE_FULLY_PRESENT && state !== STATE_PARTIALLY_PRESENT) continue;
      const first = Math.floor((b * layerBlock) / blockSize);
      const last = Math.floor((Math.min(size, (b + 1) * layerBlock) - 1) / blockSize);
      for (let o = first; o <= last; o += 1) blocks.add(o);
    }
  }
  return [...blocks].sort((a, b) => a - b);
}

function isZero(buffer: Uint8Array): boolean {
  const words =
    buffer.byteOffset % 4 === 0 && buffer.length % 4 === 0
      ? new Uint32Array(buffer.buffer, buffer.byteOffset, buffer.length / 4)
      : buffer;
  for (const word of words) if (word !== 0) return false;
  return true;
}

export interface FlattenOptions {
  /** Fraction of the work done, 0..1. */
  onProgress?: (fraction: number) => void;
  /** Checked between chunks; when it returns true the copy stops with `stopError()`. */
  shouldStop?: () => boolean;
  stopError?: () => Error;
}

/**
 * Writes a new standalone dynamic VHDX at `target` with the full content `source` shows through
 * its chain: same virtual size, sector sizes and block size. Only ranges some file of the chain
 * holds are read, and chunks of zeros are not written, so the new file stays sparse.
 */
export async function flattenDisk(
  store: FileStore,
  source: string,
  target: string,
  options: FlattenOptions = {},
): Promise<void> {
  const from = await vhdx.openDisk(store, source);
  try {
    const info = from.info;
    const logical = info.logicalSectorSize === 4096 ? 4096 : 512;
    const physical = info.physicalSectorSize === 512 ? 512 : 4096;
    await vhdx.createDynamicDisk(store, target, {
      virtualSize: info.virtualSize,
      blockSize: info.blockSize,
      logicalSectorSize: logical,
      physicalSectorSize: physical,
    });
    const blocks = await allocatedBlocks(from, info.blockSize);
    const to = await vhdx.openDisk(store, target, { writable: true });
    try {
      const chunk = new Uint8Array(Math.min(COPY_CHUNK_BYTES, info.blockSize));
      let done = 0;
      for (const block of blocks) {
        const start = block * info.blockSize;
        const end = Math.min(info.virtualSize, start + info.blockSize);
        for (let offset = start; offset < end; offset += chunk.length) {
          if (options.shouldStop?.() === true)
            throw options.stopError?.() ?? new Error('The copy was stopped.');
          const part = chunk.subarray(0, Math.min(chunk.length, end - offset));
          await from.read(part, offset);
          if (!isZero(part)) await to.write(part, offset);
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

/** Copies a (sparse) file through the store in bounded chunks, leaving runs of zeros unwritten. */
export async function copySparseFile(
  store: FileStore,
  source: string,
  target: string,
): Promise<void> {
  const input = await store.open(source, 'r');
  try {
    const output = await store.open(target, 'wx');
    try {
      const size = await input.size();
      const chunk = new Uint8Array(COPY_CHUNK_BYTES);
      for (let offset = 0; offset < size; offset += chunk.length) {
        const part = chunk.subarray(0, Math.min(chunk.length, size - offset));
        const read = await input.read(part, offset);
        const data = part.subarray(0, read);
        if (!isZero(data)) await output.write(data, offset);
      }
      await output.truncate(size);
      await output.sync();
    } finally {
      await output.close();
    }
  } finally {
    await input.close();
  }
}
