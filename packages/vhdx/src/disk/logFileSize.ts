import { VhdxError } from '../errors.js';
import { MAX_BLOCK_SIZE, MiB, PayloadState } from '../format/constants.js';
import type { RegionEntry } from '../format/regionTable.js';

/**
 * The largest size a log replay may give the file: the current size, the end of every write the
 * log makes, and the end of every block a BAT entry written by the log allocates (its block size
 * is not known before the metadata is read, so the largest VHDX block size counts). A replay
 * grows the file to at least the entry's LastFileOffset, "a size that holds every structure"
 * (MS-VHDX, log entry header; /work/shared/reference/vhdx-format.md, Log, replay step 5); a
 * LastFileOffset beyond this bound holds no structure of the disk and would only grow the file
 * (issue 17: a hostile log grew a file to 8 TiB sparse), so it is refused.
 */
export function replayedSizeBound(
  fileSize: number,
  writes: readonly { offset: number; data: Uint8Array }[],
  bat: RegionEntry,
): number {
  let bound = fileSize;
  const batEnd = bat.fileOffset + bat.length;
  for (const { offset, data } of writes) {
    bound = Math.max(bound, offset + data.length);
    const from = Math.max(offset, bat.fileOffset);
    const to = Math.min(offset + data.length, batEnd);
    for (let at = from + ((8 - ((from - bat.fileOffset) % 8)) % 8); at + 8 <= to; at += 8) {
      const i = at - offset;
      const low = (data[i] ?? 0) | ((data[i + 1] ?? 0) << 8) | ((data[i + 2] ?? 0) << 16);
      const lowWord = (low | ((data[i + 3] ?? 0) << 24)) >>> 0;
      const highWord =
        ((data[i + 4] ?? 0) |
          ((data[i + 5] ?? 0) << 8) |
          ((data[i + 6] ?? 0) << 16) |
          ((data[i + 7] ?? 0) << 24)) >>>
        0;
      // Payload FullyPresent (6) / PartiallyPresent (7); a present sector bitmap is 6 as well.
      const state = lowWord & 7;
      if (state !== PayloadState.FullyPresent && state !== PayloadState.PartiallyPresent) continue;
      const offsetMiB = (lowWord >>> 20) + highWord * 4096;
      bound = Math.max(bound, offsetMiB * MiB + MAX_BLOCK_SIZE);
    }
  }
  return bound;
}

export function refuseLastFileOffset(
  lastFileOffset: number,
  bound: number,
  headerOffset: number,
): void {
  if (lastFileOffset <= bound) return;
  throw new VhdxError(
    'log',
    `LastFileOffset ${lastFileOffset} lies beyond anything the log writes or allocates (${bound} bytes); replaying it would grow the file to that size`,
    { offset: headerOffset + 56, field: 'LastFileOffset' },
  );
}
