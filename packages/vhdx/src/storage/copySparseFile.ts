import { MiB } from '../format/constants.js';
import { isAllZero } from '../util/bytes.js';
import type { FileStore } from './fileStore.js';

/**
 * Copies a (sparse) file through the store in bounded chunks (1 MiB), leaving runs of zeros
 * unwritten, so the copy stays sparse; `target` must not exist yet.
 */
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
      const chunk = new Uint8Array(MiB);
      for (let offset = 0; offset < size; offset += chunk.length) {
        const part = chunk.subarray(0, Math.min(chunk.length, size - offset));
        const read = await input.read(part, offset);
        const data = part.subarray(0, read);
        if (!isAllZero(data)) await output.write(data, offset);
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
