import { pattern } from './patterns.js';

/** One write: `length` bytes of `pattern(length, seed)` at `offset`. */
export type PatternWrite = readonly [offset: number, length: number, seed: number];

/**
 * What a disk too large to hold in memory (tens of GiB) should read as: zeros, then the writes in
 * order. `expected` builds the bytes of one range; `regions` lists the ranges worth comparing.
 */
export class SparseReference {
  private readonly writes: PatternWrite[] = [];

  constructor(readonly virtualSize: number) {}

  add(writes: readonly PatternWrite[]): void {
    this.writes.push(...writes);
  }

  copy(): SparseReference {
    const out = new SparseReference(this.virtualSize);
    out.add(this.writes);
    return out;
  }

  expected(offset: number, length: number): Uint8Array {
    const out = new Uint8Array(length);
    for (const [at, len, seed] of this.writes) {
      const from = Math.max(at, offset);
      const to = Math.min(at + len, offset + length);
      if (from >= to) continue;
      out.set(pattern(len, seed).subarray(from - at, to - at), from - offset);
    }
    return out;
  }

  /** Each write's range widened by `margin` bytes on both sides (within the disk). */
  regions(margin: number): [offset: number, length: number][] {
    return this.writes.map(([at, len]) => {
      const from = Math.max(0, at - margin);
      const to = Math.min(this.virtualSize, at + len + margin);
      return [from, to - from];
    });
  }
}
