import type { FileHandle } from './fileStore.js';

/** Data written between two starts of its writeback. */
const STRETCH = 16 * 1024 * 1024;

/**
 * The data written to a file since its writeback was last started: every 16 MiB, the store is
 * asked to start writing the range it spans to the disk (`FileHandle.startWriteback`), so that
 * the disk works while more data comes and the next flush waits only for the rest.
 */
export class WritebackStretch {
  private bytes = 0;
  private from = Infinity;
  private to = 0;

  constructor(private readonly handle: FileHandle) {}

  wrote(offset: number, length: number): void {
    this.bytes += length;
    this.from = Math.min(this.from, offset);
    this.to = Math.max(this.to, offset + length);
    if (this.bytes < STRETCH) return;
    this.handle.startWriteback?.(this.from, this.to - this.from);
    this.bytes = 0;
    this.from = Infinity;
    this.to = 0;
  }
}
