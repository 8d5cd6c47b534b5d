/**
 * A VM's serial console as its viewers see it, across the runs of its guest: each QEMU process the
 * VM starts (a boot, a start from saved state) feeds the same VM's feed, so a viewer that stays
 * connected while the VM is saved and started again sees the guest go on. It keeps the most
 * recent output, up to a bound, for viewers that connect later.
 */
import type { SerialConsole } from '@hvm/qemu';
import {
  SERIAL_CONSOLE_BACKLOG_BYTES,
  SERIAL_CONSOLE_MAX_VIEWERS,
  type SerialConsoleConnection,
  type SerialConsoleViewer,
} from '../serialConsoleTypes.js';

export class SerialConsoleFeed {
  private chunks: Buffer[] = [];
  private bytes = 0;
  private readonly viewers = new Set<SerialConsoleViewer>();
  private stopFollowing: (() => void) | null = null;

  constructor(
    private readonly maxBacklogBytes = SERIAL_CONSOLE_BACKLOG_BYTES,
    readonly maxViewers = SERIAL_CONSOLE_MAX_VIEWERS,
  ) {}

  /** The console of the guest that runs now; the one before (if any) no longer feeds it. */
  follow(console: SerialConsole): void {
    this.stopFollowing?.();
    this.stopFollowing = console.onOutput((chunk) => this.push(chunk));
  }

  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.bytes += chunk.length;
    while (this.bytes > this.maxBacklogBytes && this.chunks.length > 1) {
      this.bytes -= this.chunks.shift()?.length ?? 0;
    }
    for (const viewer of this.viewers) viewer.output(chunk);
  }

  /** The most recent output, at most the bound (a chunk larger than it is cut at its start). */
  backlog(): Buffer {
    return Buffer.from(Buffer.concat(this.chunks).subarray(-this.maxBacklogBytes));
  }

  get viewerCount(): number {
    return this.viewers.size;
  }

  /** Connects a viewer; the caller checks `viewerCount` against `maxViewers` first. */
  connect(viewer: SerialConsoleViewer): SerialConsoleConnection {
    // One entry per connection: the same viewer connected twice is two connections.
    const entry: SerialConsoleViewer = { output: (bytes) => viewer.output(bytes) };
    this.viewers.add(entry);
    return {
      backlog: this.backlog(),
      disconnect: () => {
        this.viewers.delete(entry);
      },
    };
  }
}

/** The VM's serial console feed (`VmRuntime.serialConsole`), made when first needed. */
export function serialConsoleFeedOf(vm: { serialConsole?: SerialConsoleFeed }): SerialConsoleFeed {
  vm.serialConsole ??= new SerialConsoleFeed();
  return vm.serialConsole;
}
