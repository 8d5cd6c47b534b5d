/**
 * The NBD export a running guest keeps for its whole life while the file behind it changes: a
 * checkpoint pauses the guest, flushes the current `.avhdx` and switches the export to the new
 * child, and the guest's open NBD connection never notices. Requests pass through as they come,
 * several at once (the NBD server sends them so, the disk below orders what must be ordered);
 * a switch waits for every request that came before it and holds back those that come after it
 * until the new disk is served, so that each request goes to exactly one disk and none is lost.
 */
import type { BlockExport } from '@hvm/nbd';

export class SwitchableDisk implements BlockExport {
  readonly readOnly = false;
  /** Requests passed to the current disk and not yet done. */
  private underWay = 0;
  private drainedWaiters: (() => void)[] = [];
  /** The switch under way (settled, never rejecting), if any: later requests wait for it. */
  private switching: Promise<void> | null = null;

  constructor(private current: BlockExport) {}

  get sizeBytes(): number {
    return this.current.sizeBytes;
  }

  get description(): string {
    return this.current.description ?? '';
  }

  /** Runs `work` on the disk served now, or, while a switch is under way, on the disk after it. */
  private async through<T>(work: (disk: BlockExport) => Promise<T>): Promise<T> {
    while (this.switching !== null) await this.switching;
    const disk = this.current;
    this.underWay += 1;
    try {
      return await work(disk);
    } finally {
      this.underWay -= 1;
      if (this.underWay === 0) for (const wake of this.drainedWaiters.splice(0)) wake();
    }
  }

  private drained(): Promise<void> {
    if (this.underWay === 0) return Promise.resolve();
    return new Promise((resolve) => this.drainedWaiters.push(resolve));
  }

  read(offset: number, length: number): Promise<Uint8Array> {
    return this.through((disk) => disk.read(offset, length));
  }

  readInto(offset: number, into: Uint8Array): Promise<void> {
    return this.through(async (disk) => {
      if (disk.readInto !== undefined) await disk.readInto(offset, into);
      else into.set(await disk.read(offset, into.length));
    });
  }

  /**
   * The disk's own vectored read where it has one; else one read of the whole range, spread over
   * the segments, so that the request stays one read of the disk (a guest's 1 MiB may come in
   * 254 pieces) as the write below stays one write.
   */
  readIntoSegments(offset: number, segments: Uint8Array[]): Promise<void> {
    return this.through(async (disk) => {
      if (disk.readIntoSegments !== undefined) return disk.readIntoSegments(offset, segments);
      const length = segments.reduce((sum, segment) => sum + segment.length, 0);
      let whole: Uint8Array;
      if (disk.readInto !== undefined)
        await disk.readInto(offset, (whole = new Uint8Array(length)));
      else whole = await disk.read(offset, length);
      let at = 0;
      for (const segment of segments) {
        segment.set(whole.subarray(at, at + segment.length));
        at += segment.length;
      }
    });
  }

  write(offset: number, data: Uint8Array, forceUnitAccess: boolean): Promise<void> {
    return this.through((disk) => disk.write(offset, data, forceUnitAccess));
  }

  /**
   * The disk's own vectored write where it has one; else one `write` of the gathered segments,
   * so that the request stays one write (one flush with `forceUnitAccess`, one turn of the disk's
   * ordering) as the guest sent it.
   */
  writeSegments(offset: number, segments: Uint8Array[], forceUnitAccess: boolean): Promise<void> {
    return this.through((disk) => {
      if (disk.writeSegments !== undefined)
        return disk.writeSegments(offset, segments, forceUnitAccess);
      return disk.write(offset, Buffer.concat(segments), forceUnitAccess);
    });
  }

  flush(): Promise<void> {
    return this.through((disk) => disk.flush());
  }

  trim(offset: number, length: number): Promise<void> {
    return this.through(async (disk) => {
      await disk.trim?.(offset, length);
    });
  }

  /**
   * Waits for the requests under way, flushes the current disk and serves `next` from now on;
   * resolves with the previous disk (the caller closes it). The sizes must match: the guest's
   * view of its disk does not change. Requests that come meanwhile go to `next` (or, if the
   * switch fails, to the disk served before).
   */
  switchTo(next: BlockExport): Promise<BlockExport> {
    const before = this.switching;
    const run = (async () => {
      if (before !== null) await before;
      await this.drained();
      if (next.sizeBytes !== this.current.sizeBytes)
        throw new Error(
          `the new disk has ${next.sizeBytes} bytes, the guest's has ${this.current.sizeBytes}`,
        );
      await this.current.flush();
      const previous = this.current;
      this.current = next;
      return previous;
    })();
    const settled = run.then(
      () => undefined,
      () => undefined,
    );
    this.switching = settled;
    void settled.then(() => {
      if (this.switching === settled) this.switching = null;
    });
    return run;
  }
}
