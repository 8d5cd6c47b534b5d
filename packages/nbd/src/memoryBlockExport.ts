import type { BlockExport } from './blockExport.js';

/** A block export held in memory: for tests and for a scratch disk. Trimmed ranges read as zeros. */
export function memoryBlockExport(
  sizeBytes: number,
  readOnly = false,
): BlockExport & { bytes: Uint8Array; readInto(offset: number, into: Uint8Array): Promise<void> } {
  const bytes = new Uint8Array(sizeBytes);
  return {
    bytes,
    sizeBytes,
    readOnly,
    read: (offset, length) => Promise.resolve(bytes.slice(offset, offset + length)),
    readInto: (offset, into) => {
      into.set(bytes.subarray(offset, offset + into.length));
      return Promise.resolve();
    },
    write: (offset, data) => {
      bytes.set(data, offset);
      return Promise.resolve();
    },
    flush: () => Promise.resolve(),
    trim: (offset, length) => {
      bytes.fill(0, offset, offset + length);
      return Promise.resolve();
    },
  };
}
