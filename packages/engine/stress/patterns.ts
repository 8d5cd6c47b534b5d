import { openDisk, type FileStore } from '@hvm/vhdx';

const KiB = 1024;
const MiB = 1024 * KiB;

/** Where the model writes: the first sector, inside the first block, in the second 32 MiB block, near the end. */
export const PROBES = [0, MiB + 512, 33 * MiB + 4 * KiB, 63 * MiB] as const;
export const PROBE_LENGTH = 4 * KiB;

/** What a disk holds: the tag last written at each probe (0: never written, reads as zeros). */
export type DiskContent = readonly number[];

export const BLANK: DiskContent = PROBES.map(() => 0);

export function patternOf(tag: number, probe: number): Uint8Array {
  const out = new Uint8Array(PROBE_LENGTH);
  if (tag === 0) return out;
  for (let i = 0; i < out.length; i += 1) out[i] = (tag * 31 + probe * 7 + (i >> 3) + 1) & 0xff;
  return out;
}

/** Writes tag `tags[i]` at probe i (a null leaves that probe as it is), through the VHDX library. */
export async function writeTags(
  store: FileStore,
  path: string,
  before: DiskContent,
  tags: readonly (number | null)[],
): Promise<DiskContent> {
  const disk = await openDisk(store, path, { writable: true });
  try {
    for (const [i, tag] of tags.entries()) {
      const offset = PROBES[i];
      if (tag !== null && offset !== undefined) await disk.write(patternOf(tag, i), offset);
    }
    await disk.flush();
  } finally {
    await disk.close();
  }
  return before.map((old, i) => tags[i] ?? old);
}

/** Reads every probe and names the tag it holds; -1 where the bytes match no tag. */
export async function readTags(
  store: FileStore,
  path: string,
  candidates: Iterable<number>,
): Promise<number[]> {
  const disk = await openDisk(store, path);
  try {
    const found: number[] = [];
    for (const [i, offset] of PROBES.entries()) {
      const bytes = new Uint8Array(PROBE_LENGTH);
      await disk.read(bytes, offset);
      let tag = -1;
      for (const candidate of [0, ...candidates]) {
        if (Buffer.compare(bytes, patternOf(candidate, i)) === 0) {
          tag = candidate;
          break;
        }
      }
      found.push(tag);
    }
    return found;
  } finally {
    await disk.close();
  }
}
