/**
 * Serves one virtqueue: on each kick, takes every available chain, hands it to the virtio-blk
 * handler (requests run concurrently on the export and complete in any order), writes the
 * status byte, fills the used ring, logs what it wrote while migration wants it, and signals the
 * call eventfd unless the driver suppressed interrupts. A ring the guest corrupted is marked
 * broken: it is logged once and no longer processed.
 */
import type { BlockRequestHandler } from './blockRequests.js';
import type { DirtyLog } from './guestMemory.js';
import { BlkStatus } from './protocol.js';
import { RingBroken, type Segment, type SplitRing } from './virtqueue.js';

export interface QueueWorkerHooks {
  /** The dirty log while VHOST_F_LOG_ALL is on, else null. */
  dirtyLog(): DirtyLog | null;
  /**
   * The used ring's guest physical address while its writes go to the log (SET_VRING_ADDR's
   * VHOST_VRING_F_LOG and log_guest_addr; QEMU sends them again on a started ring when a
   * migration begins or ends, hw/virtio/vhost.c vhost_dev_set_log), else null.
   */
  usedRingLogAddress(): number | null;
  /** Signals the guest (writes the call eventfd). */
  notify(): void;
  log(message: string): void;
}

export class QueueWorker {
  private inFlight = 0;
  private idleWaiters: (() => void)[] = [];
  broken = false;
  /** Cleared by stop(): chains are no longer taken (GET_VRING_BASE). */
  private running = true;
  /** process() stopped at a queue of requests under way; a completion resumes it. */
  private waitingForCompletion = false;
  /** SET_VRING_ENABLE: a disabled ring's chains wait in the avail ring (no side effects). */
  private enabled = true;
  private processScheduled = false;

  constructor(
    readonly ring: SplitRing,
    private readonly handler: BlockRequestHandler,
    private readonly hooks: QueueWorkerHooks,
  ) {}

  /**
   * Takes the chains the guest made available: at most a queue of them per call, and never more
   * than a queue under way. A driver never has more chains in use than the queue holds
   * (virtio 1.2 §2.7.13: it offers only descriptors the device gave back), so a hostile one
   * that offers heads still in use waits for completions; one that keeps raising the avail index
   * from another vCPU while this runs gets the rest served on a later turn of the event loop.
   */
  process(): void {
    for (let taken = 0; this.running && this.enabled && !this.broken; taken++) {
      if (this.inFlight >= this.ring.size) {
        this.waitingForCompletion = true;
        return;
      }
      if (taken === this.ring.size) {
        this.processLater();
        return;
      }
      let head: number | null;
      try {
        head = this.ring.nextAvailable();
        if (head === null) return;
        this.start(head);
      } catch (error) {
        this.markBroken(error);
        return;
      }
    }
  }

  private processLater(): void {
    if (this.processScheduled) return;
    this.processScheduled = true;
    setImmediate(() => {
      this.processScheduled = false;
      this.process();
    });
  }

  /**
   * Enables or disables the ring (SET_VRING_ENABLE on a started ring). While disabled no chain
   * is taken: serving one would write the disk, a side effect vhost-user.rst ("Ring states")
   * rules out for a started but disabled ring. Requests under way complete. Enabling serves
   * what waits.
   */
  setEnabled(enabled: boolean): void {
    this.enabled = enabled;
    if (enabled) this.process();
  }

  /** Stops taking chains and resolves once the requests under way have completed. */
  async stop(): Promise<void> {
    this.running = false;
    if (this.inFlight === 0) return;
    await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }

  private markBroken(error: unknown): void {
    this.broken = true;
    const reason = error instanceof Error ? error.message : String(error);
    this.hooks.log(`virtqueue broken, no longer processed: ${reason}`);
  }

  /** Parses the chain at `head` and serves it; throws RingBroken for a structural fault. */
  private start(head: number): void {
    const chain = this.ring.chain(head);
    if ('badAddress' in chain) {
      const status = chain.lastWritable;
      if (status === null || status.bytes.length === 0)
        throw new RingBroken(`chain ${head} has an address outside memory and no status byte`);
      this.handler.counts.errors++;
      this.finish(head, statusByteOf(status), BlkStatus.IOERR, 0, []);
      return;
    }
    const readable: Segment[] = [];
    const writable: Segment[] = [];
    for (const segment of chain.segments) (segment.writable ? writable : readable).push(segment);
    const last = writable.pop();
    if (last === undefined || last.bytes.length === 0)
      throw new RingBroken(`chain ${head} has no status byte`);
    const status = statusByteOf(last);
    if (last.bytes.length > 1)
      writable.push({ ...last, bytes: last.bytes.subarray(0, last.bytes.length - 1) });
    this.inFlight++;
    void this.handler.serve(readable, writable).then((outcome) => {
      this.inFlight--;
      // A failed request may have had part of its data written already (the export wrote into
      // guest memory, then failed): its writable pages are logged all the same.
      const writtenRanges =
        outcome.status === BlkStatus.OK
          ? outcome.writtenRanges
          : writable.map((segment) => ({
              guestAddress: segment.guestAddress,
              length: segment.bytes.length,
            }));
      this.finish(head, status, outcome.status, outcome.dataWritten, writtenRanges);
      if (this.inFlight === 0) for (const resolve of this.idleWaiters.splice(0)) resolve();
      if (this.waitingForCompletion) {
        this.waitingForCompletion = false;
        this.processLater();
      }
    });
  }

  private finish(
    head: number,
    status: Segment,
    value: number,
    dataWritten: number,
    writtenRanges: { guestAddress: number; length: number }[],
  ): void {
    status.bytes[0] = value;
    this.ring.complete(head, dataWritten + 1);
    const log = this.hooks.dirtyLog();
    if (log !== null) {
      for (const range of writtenRanges) log.mark(range.guestAddress, range.length);
      log.mark(status.guestAddress, 1);
      const usedRing = this.hooks.usedRingLogAddress();
      if (usedRing !== null) this.ring.logCompletion(log, usedRing);
      log.flushed();
    }
    if (this.ring.interruptWanted()) this.hooks.notify();
  }
}

function statusByteOf(segment: Segment): Segment {
  const at = segment.bytes.length - 1;
  return {
    guestAddress: segment.guestAddress + at,
    bytes: segment.bytes.subarray(at, at + 1),
    writable: true,
  };
}
