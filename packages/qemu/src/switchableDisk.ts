/**
 * The NBD export a running guest keeps for its whole life while the file behind it changes: a
 * checkpoint pauses the guest, flushes the current `.avhdx` and switches the export to the new
 * child, and the guest's open NBD connection never notices. Requests run in arrival order; a
 * switch waits for the ones before it.
 */
import type { BlockExport } from '@hvm/nbd';

export class SwitchableDisk implements BlockExport {
  readonly readOnly = false;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private current: BlockExport) {}

  get sizeBytes(): number {
    return this.current.sizeBytes;
  }

  get description(): string {
    return this.current.description ?? '';
  }

  private inTurn<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work);
    this.queue = next.catch(() => undefined);
    return next;
  }

  read(offset: number, length: number): Promise<Uint8Array> {
    return this.inTurn(() => this.current.read(offset, length));
  }

  write(offset: number, data: Uint8Array, forceUnitAccess: boolean): Promise<void> {
    return this.inTurn(() => this.current.write(offset, data, forceUnitAccess));
  }

  flush(): Promise<void> {
    return this.inTurn(() => this.current.flush());
  }

  trim(offset: number, length: number): Promise<void> {
    return this.inTurn(async () => {
      await this.current.trim?.(offset, length);
    });
  }

  /**
   * Flushes the current disk and serves `next` from now on; resolves with the previous disk (the
   * caller closes it). The sizes must match: the guest's view of its disk does not change.
   */
  switchTo(next: BlockExport): Promise<BlockExport> {
    return this.inTurn(async () => {
      if (next.sizeBytes !== this.current.sizeBytes)
        throw new Error(
          `the new disk has ${next.sizeBytes} bytes, the guest's has ${this.current.sizeBytes}`,
        );
      await this.current.flush();
      const previous = this.current;
      this.current = next;
      return previous;
    });
  }
}
