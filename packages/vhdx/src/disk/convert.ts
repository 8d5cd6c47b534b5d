import { VhdxError } from '../errors.js';
import { MiB } from '../format/constants.js';
import type { FileStore } from '../storage/fileStore.js';
import { normalizeStorePath } from '../storage/storePath.js';
import type { DiskInfo } from '../types.js';
import { isAllZero } from '../util/bytes.js';
import { describeFile, openChain } from './chain.js';
import { createDynamicDisk, createFixedDisk } from './create.js';
import { checkAborted, dropTempFile, freshTempFile } from './editTemp.js';
import { allocatedBlocks } from './flatten.js';

export interface ConvertOptions {
  /** The new file's type (Convert-VHD -VHDType): Dynamic or Fixed. */
  type: 'Dynamic' | 'Fixed';
  /** Fraction of the work done, 0..1, rising. */
  onProgress?: (fraction: number) => void;
  /** Checked between chunks; once aborted the copy stops with a VhdxError of code ABORTED. */
  signal?: AbortSignal;
}

/**
 * Convert-VHD: copies what `source` shows (through its chain, for a differencing disk) into a new
 * dynamic or fixed disk at `target`, with the source's size, sector sizes and block size; the
 * source is not changed ("converts a virtual hard disk file by copying the data from a source
 * virtual hard disk file to a new virtual hard disk file", Microsoft's Convert-VHD reference).
 * Only blocks some file of the chain holds are read, and chunks of zeros are not written (a fixed
 * disk's blocks already read as zeros). The copy is written to a temporary file, made durable,
 * then renamed to `target`: after a crash at any point `target` is absent or complete.
 */
export async function convertDisk(
  store: FileStore,
  source: string,
  target: string,
  options: ConvertOptions,
): Promise<DiskInfo> {
  const from = normalizeStorePath(source);
  const to = normalizeStorePath(target);
  if (from === to || (await store.exists(to))) {
    throw new VhdxError('convert', `${to} exists; a conversion writes a new file`, {
      code: 'INVALID_ARGUMENT',
    });
  }
  const temp = await freshTempFile(store, to);
  const chain = await openChain(store, from, false);
  try {
    const info = chain.info;
    const shape = {
      virtualSize: info.virtualSize,
      blockSize: info.blockSize,
      logicalSectorSize: info.logicalSectorSize === 4096 ? 4096 : 512,
      physicalSectorSize: info.physicalSectorSize === 512 ? 512 : 4096,
    } as const;
    // [B] Whether Hyper-V gives the converted disk a new disk identifier is not documented: a new
    // one here, so that the source and its copy can both be attached.
    if (options.type === 'Fixed') await createFixedDisk(store, temp, shape);
    else await createDynamicDisk(store, temp, shape);
    const out = await openChain(store, temp, true);
    try {
      const blocks = await allocatedBlocks(chain, info.blockSize);
      const chunk = new Uint8Array(Math.min(MiB, info.blockSize));
      let done = 0;
      for (const block of blocks) {
        const start = block * info.blockSize;
        const end = Math.min(info.virtualSize, start + info.blockSize);
        for (let offset = start; offset < end; offset += chunk.length) {
          checkAborted(options.signal, `conversion of ${from}`);
          const part = chunk.subarray(0, Math.min(chunk.length, end - offset));
          await chain.read(part, offset);
          if (!isAllZero(part)) await out.write(part, offset);
        }
        done += 1;
        options.onProgress?.(done / Math.max(1, blocks.length));
      }
      await out.flush();
    } finally {
      await out.close();
    }
  } catch (error) {
    await dropTempFile(store, temp);
    throw error;
  } finally {
    await chain.close();
  }
  await store.rename(temp, to);
  options.onProgress?.(1);
  return describeFile(store, to, null);
}
