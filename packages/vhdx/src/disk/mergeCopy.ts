import { Throttle } from '../util/throttle.js';
import { VhdxError } from '../errors.js';
import { MiB, PayloadState, SECTORS_PER_BITMAP_BLOCK } from '../format/constants.js';
import type { FileRange } from '../storage/fileStore.js';
import type { OpenVirtualDisk } from './virtualDisk.js';
import type { VhdxFile } from './vhdxFile.js';

/** Size of one read-then-write step of a whole-block copy. */
const PIECE = 8 * MiB;
/** Pieces in flight at once: reads of the next pieces overlap writes of the earlier ones. */
const DEPTH = 4;
/** Whole-block clones asked of the file system in one go. */
const CLONE_BATCH = 64;
/** Bytes of the child's sector bitmaps read ahead of the copy at most (see `readBitmapsAhead`). */
const BITMAPS_AHEAD = 32 * MiB;
/** Clone offsets and lengths are kept to multiples of the largest file-system block size. */
const CLONE_ALIGN = 64 * 1024;

export interface CopyOptions {
  /**
   * Shares whole blocks with the child (reflink) where the file system can, and lets the kernel
   * copy them elsewhere; false: every byte is read and written by this process.
   */
  blockCloning: boolean;
  /** Copy rate limit in bytes per second (cloned blocks cost no I/O and are not counted); 0: none. */
  bytesPerSecond: number;
  signal?: AbortSignal | undefined;
  /** Told of every piece of data that has reached the parent (written, copied or cloned), in bytes. */
  onCopied?: ((bytes: number) => void) | undefined;
}

/** What a merge moved: bytes copied by reading and writing, and bytes shared by cloning. */
export interface CopyTotals {
  copied: number;
  cloned: number;
}

/** Ranges joined where each begins, in both files, where the one before it ends; with how many each holds. */
export function contiguousRuns(
  ranges: readonly FileRange[],
): { range: FileRange; count: number }[] {
  const out: { range: FileRange; count: number }[] = [];
  for (const r of ranges) {
    const last = out[out.length - 1];
    if (
      last !== undefined &&
      last.range.from + last.range.length === r.from &&
      last.range.to + last.range.length === r.to
    ) {
      last.range = { ...last.range, length: last.range.length + r.length };
      last.count += 1;
    } else out.push({ range: { ...r }, count: 1 });
  }
  return out;
}

function isPresent(state: number): boolean {
  return state === PayloadState.FullyPresent || state === PayloadState.PartiallyPresent;
}

/**
 * Copies a child's blocks into its parent for a merge, with bounded memory (DEPTH buffers of
 * PIECE bytes). A whole child block (FULLY_PRESENT, or PARTIALLY_PRESENT with every sector
 * present) whose parent block has the same size goes to the parent as one block: cloned from the
 * child file where the file system shares blocks, else copied by the kernel where the store can,
 * else copied in large pieces with reads and writes overlapping. Other blocks go sector run by sector run through the parent's own write
 * path. Nothing is durable until `settle` and the parent's flush; BAT changes stay in memory.
 */
export class BlockCopier {
  private readonly buffers: Uint8Array[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private failure: { error: unknown } | null = null;
  private clones: { block: number; range: FileRange; length: number }[] = [];
  private readonly throttle: Throttle;
  private cloning: boolean;
  private kernelCopy: boolean;
  private readonly throttled: boolean;
  readonly totals: CopyTotals = { copied: 0, cloned: 0 };
  private readonly onCopied: (bytes: number) => void;

  constructor(
    private readonly child: VhdxFile,
    private readonly parent: OpenVirtualDisk,
    options: CopyOptions,
  ) {
    this.throttle = new Throttle(options.bytesPerSecond, options.signal);
    this.onCopied = options.onCopied ?? (() => undefined);
    this.throttled = options.bytesPerSecond > 0;
    // A kernel copy shares blocks too where the file system can (XFS, Btrfs): not when turned off.
    this.kernelCopy =
      options.blockCloning && typeof parent.file.handle.copyRangesFrom === 'function';
    this.cloning =
      options.blockCloning &&
      typeof parent.file.handle.cloneRangesFrom === 'function' &&
      child.meta.blockSize % CLONE_ALIGN === 0;
    // An empty list gets the cloning ready (the kernel binding loads) while blocks are planned.
    if (this.cloning || this.kernelCopy) this.preparing = this.cloneBatch([]).catch(() => 0);
  }

  private preparing: Promise<number> = Promise.resolve(0);

  private cloneBatch(ranges: readonly FileRange[]): Promise<number> {
    const handle = this.parent.file.handle;
    return handle.cloneRangesFrom?.(this.child.handle, ranges) ?? Promise.resolve(0);
  }

  private get sameBlocks(): boolean {
    return this.child.meta.blockSize === this.parent.file.meta.blockSize;
  }

  /**
   * Reads the child's sector bitmap of every PARTIALLY_PRESENT block ahead,
   * in one read per chunk (the span from its first such block's bits to its last's), instead of
   * the 4 KiB pages `bytesOf` and `copyBlock` would read one after another: from a cold page
   * cache each of those waited for the disk on its own (64 reads for a 1 GiB child of 32 MiB
   * blocks, written by a guest). FULLY_PRESENT and other blocks need no bitmap and add nothing.
   * Up to 32 MiB of bitmaps (the sectors of 128 GiB of 512-byte sectors) are read ahead, half of
   * what the file's page cache keeps; the chunks after that are read as the merge reaches them.
   */
  async readBitmapsAhead(): Promise<void> {
    const child = this.child;
    const { blockSize, virtualSize, logicalSectorSize: ss } = child.meta;
    const spans = new Map<number, { first: number; end: number }>();
    for (let block = 0; block < child.geometry.dataBlocks; block++) {
      if ((await child.payloadEntry(block)).state !== PayloadState.PartiallyPresent) continue;
      const firstSector = (block * blockSize) / ss;
      const sectors = Math.ceil(Math.min(blockSize, virtualSize - block * blockSize) / ss);
      const chunk = Math.floor(firstSector / SECTORS_PER_BITMAP_BLOCK);
      const bit = firstSector - chunk * SECTORS_PER_BITMAP_BLOCK;
      const span = spans.get(chunk) ?? { first: bit, end: bit + sectors };
      span.end = bit + sectors;
      spans.set(chunk, span);
    }
    const reads: Promise<void>[] = [];
    let budget = BITMAPS_AHEAD;
    for (const [chunk, { first, end }] of spans) {
      const base = await child.bitmapOffset(chunk);
      const from = base + Math.floor(first / 8);
      const length = base + Math.ceil(end / 8) - from;
      if (length > budget) break;
      budget -= length;
      reads.push(child.pages.load(from, length));
    }
    await Promise.all(reads);
  }

  /**
   * The bytes of data `copyBlock(block)` will move into the parent: a whole present block, the
   * sectors a partly present block holds, nothing for a block without data (a ZERO block is a
   * BAT change). A merge's progress is these bytes' share of the whole.
   */
  async bytesOf(block: number): Promise<number> {
    const child = this.child;
    const { blockSize, virtualSize, logicalSectorSize: ss } = child.meta;
    const start = block * blockSize;
    const length = Math.min(blockSize, virtualSize - start);
    const entry = await child.payloadEntry(block);
    if (entry.state === PayloadState.FullyPresent) return length;
    if (entry.state !== PayloadState.PartiallyPresent) return 0;
    const sectors = Math.ceil(length / ss);
    if (await child.bitmapAllSet(start / ss, sectors)) return length;
    const bits = await child.readBitmapBits(start / ss, sectors);
    let set = 0;
    for (const bit of bits) set += bit;
    return Math.min(length, set * ss);
  }

  /** Copies (or starts copying) child block `block`; returns the bytes it accounts for. */
  async copyBlock(block: number): Promise<number> {
    this.check();
    const child = this.child;
    const { blockSize, virtualSize, logicalSectorSize: ss } = child.meta;
    const start = block * blockSize;
    const length = Math.min(blockSize, virtualSize - start);
    const entry = await child.payloadEntry(block);
    switch (entry.state) {
      case PayloadState.NotPresent:
        return 0;
      case PayloadState.Zero:
      case PayloadState.Undefined:
      case PayloadState.Unmapped:
        await this.settle();
        await this.parent.writeZeros(start, length);
        return length;
      case PayloadState.FullyPresent:
      case PayloadState.PartiallyPresent:
        break;
      default:
        throw new VhdxError('BAT', `payload block ${block} has invalid state ${entry.state}`, {
          field: 'State',
        });
    }
    const from = entry.fileOffsetMB * MiB;
    let bits: Uint8Array | null = null;
    const sectors = Math.ceil(length / ss);
    if (
      entry.state === PayloadState.PartiallyPresent &&
      !(await child.bitmapAllSet(start / ss, sectors))
    ) {
      bits = await child.readBitmapBits(start / ss, sectors);
    }
    if (bits === null && this.sameBlocks) {
      await this.wholeBlock(block, from, length);
      return length;
    }
    // Sector runs (or a parent with another block size): through the parent's write path.
    await this.settle();
    const runs: [number, number][] = [];
    if (bits === null) runs.push([0, length]);
    else {
      for (let i = 0; i < bits.length;) {
        let j = i + 1;
        while (j < bits.length && bits[j] === bits[i]) j++;
        if (bits[i] === 1) runs.push([i * ss, Math.min(j * ss, length)]);
        i = j;
      }
    }
    let copied = 0;
    const buffer = this.buffer(0);
    for (const [s, e] of runs) {
      for (let at = s; at < e; at += buffer.length) {
        const piece = buffer.subarray(0, Math.min(buffer.length, e - at));
        await child.readAt(piece, from + at);
        await this.parent.write(piece, start + at);
        this.onCopied(piece.length);
        await this.throttle.spend(piece.length);
      }
      copied += e - s;
    }
    this.totals.copied += copied;
    return copied;
  }

  /** Where the parent keeps block `block`, allocating it when it has none; the entry becomes FULLY_PRESENT. */
  private async parentBlock(block: number): Promise<number> {
    const file = this.parent.file;
    await file.beginUserChange();
    const entry = await file.payloadEntry(block);
    const at = isPresent(entry.state)
      ? entry.fileOffsetMB * MiB
      : await file.allocate(file.meta.blockSize);
    await file.setPayloadEntry(block, PayloadState.FullyPresent, at / MiB);
    return at;
  }

  private async wholeBlock(block: number, from: number, length: number): Promise<void> {
    const to = await this.parentBlock(block);
    const cloneLength = Math.ceil(length / CLONE_ALIGN) * CLONE_ALIGN;
    if (this.cloning && from + cloneLength <= this.child.fileSize) {
      this.clones.push({ block, range: { from, to, length: cloneLength }, length });
      if (this.clones.length >= CLONE_BATCH) await this.flushClones();
      return;
    }
    await this.copyWhole(from, to, length);
  }

  private async copyWhole(from: number, to: number, length: number): Promise<void> {
    await this.preparing;
    let at = 0;
    if (this.kernelCopy) at = await this.copyInKernel(from, to, length);
    for (; at < length; at += PIECE) {
      const n = Math.min(PIECE, length - at);
      await this.throttle.spend(n);
      await this.startPiece(from + at, to + at, n);
    }
    this.totals.copied += length;
  }

  /** Copies through the file store's kernel copy; returns how many bytes it copied from the start. */
  private async copyInKernel(from: number, to: number, length: number): Promise<number> {
    const handle = this.parent.file.handle;
    // Unthrottled, a block is one request; throttled, pieces are paced one by one.
    const step = this.throttled ? PIECE : length;
    for (let at = 0; at < length; at += step) {
      const n = Math.min(step, length - at);
      await this.throttle.spend(n);
      const range = { from: from + at, to: to + at, length: n };
      const done = (await handle.copyRangesFrom?.(this.child.handle, [range])) ?? 0;
      this.parent.file.noteWrite();
      if (done !== 1) {
        this.kernelCopy = false;
        return at;
      }
      this.onCopied(n);
    }
    return length;
  }

  private buffer(i: number): Uint8Array {
    let b = this.buffers[i];
    if (b === undefined) {
      b = new Uint8Array(PIECE);
      this.buffers[i] = b;
    }
    return b;
  }

  private async startPiece(from: number, to: number, n: number): Promise<void> {
    while (this.inFlight.size >= DEPTH) await Promise.race(this.inFlight);
    this.check();
    const free = this.freeBuffers();
    const index = free.pop() ?? 0;
    const piece = this.buffer(index).subarray(0, n);
    this.busy.add(index);
    const job: Promise<void> = (async () => {
      await this.child.readAt(piece, from);
      await this.parent.file.writePayload(piece, to);
      this.onCopied(n);
    })()
      .catch((error: unknown) => {
        this.failure ??= { error };
      })
      .finally(() => {
        this.busy.delete(index);
        this.inFlight.delete(job);
      });
    this.inFlight.add(job);
  }

  private readonly busy = new Set<number>();

  private freeBuffers(): number[] {
    const out: number[] = [];
    for (let i = DEPTH - 1; i >= 0; i--) if (!this.busy.has(i)) out.push(i);
    return out;
  }

  private async flushClones(): Promise<void> {
    const batch = this.clones;
    this.clones = [];
    if (batch.length === 0) return;
    let done = 0;
    if (this.cloning) {
      await this.preparing;
      // Blocks that follow each other in both files go as one range: one clone request each.
      const runs = contiguousRuns(batch.map((c) => c.range));
      const runsDone = await this.cloneBatch(runs.map((r) => r.range));
      this.parent.file.noteWrite();
      done = runs.slice(0, runsDone).reduce((n, r) => n + r.count, 0);
      if (done === 0) this.cloning = false;
    }
    for (const c of batch.slice(0, done)) {
      this.totals.cloned += c.length;
      this.onCopied(c.length);
    }
    for (const c of batch.slice(done)) await this.copyWhole(c.range.from, c.range.to, c.length);
  }

  private check(): void {
    if (this.failure !== null) throw this.failure.error;
  }

  /** Waits for every clone and copy started; throws the first failure. */
  async settle(): Promise<void> {
    await this.flushClones();
    while (this.inFlight.size > 0) await Promise.race(this.inFlight);
    this.check();
  }
}
