import { createHash } from 'node:crypto';
import type { VirtualDisk } from '../types.js';

export const MiB = 1024 * 1024;

/** Deterministic bytes that differ per offset and seed, so misplaced data is detected. */
export function pattern(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length);
  let x = (seed * 2654435761) >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

/** A plain in-memory model of a disk's bytes to compare a disk against. */
export class ReferenceDisk {
  readonly bytes: Uint8Array;
  constructor(size: number) {
    this.bytes = new Uint8Array(size);
  }
  write(data: Uint8Array, offset: number): void {
    this.bytes.set(data, offset);
  }
}

export async function readAll(disk: VirtualDisk): Promise<Uint8Array> {
  const out = new Uint8Array(disk.info.virtualSize);
  for (let off = 0; off < out.length; off += MiB) {
    await disk.read(out.subarray(off, Math.min(out.length, off + MiB)), off);
  }
  return out;
}

/** SHA-256 of the whole virtual disk, read in 1 MiB pieces. */
export async function sha256OfDisk(disk: VirtualDisk): Promise<string> {
  const hash = createHash('sha256');
  const buf = new Uint8Array(MiB);
  for (let off = 0; off < disk.info.virtualSize; off += MiB) {
    const piece = buf.subarray(0, Math.min(MiB, disk.info.virtualSize - off));
    await disk.read(piece, off);
    hash.update(piece);
  }
  return hash.digest('hex');
}

export function sha256(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Index of the first differing byte, or -1 (fast; `toEqual` on large byte arrays is very slow). */
export function firstDifference(a: Uint8Array, b: Uint8Array): number {
  if (a.length !== b.length) return Math.min(a.length, b.length);
  if (
    Buffer.from(a.buffer, a.byteOffset, a.length).equals(
      Buffer.from(b.buffer, b.byteOffset, b.length),
    )
  )
    return -1;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return i;
  return -1;
}
