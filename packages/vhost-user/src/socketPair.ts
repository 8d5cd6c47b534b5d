/**
 * vhost-user-blk over a connected pair of Unix sockets this process makes (`socketpair(2)`):
 * our end is served here, the other is handed to QEMU as an inherited descriptor
 * (`-chardev socket,id=…,fd=N`; QEMU 7.2 chardev/char-socket.c takes `fd=` for a connected
 * socket). No socket file exists for anyone else to reach.
 */
import { closeSync } from 'node:fs';
import { connectedSocketPair, type BlockExport } from '@hvm/nbd';
import { VhostUserBlkBackend } from './backend.js';
import { DEFAULT_QUEUE_SIZE, MAX_DEVICE_QUEUE_SIZE } from './blkConfig.js';
import { BlockRequestHandler } from './blockRequests.js';
import { ControlChannel, closeQuietly, type ControlMessage } from './controlChannel.js';
import { fdWatcher } from './fdWatcher.js';
import { libcCalls } from './libc.js';

export interface VhostUserBlkOptions {
  /** What the guest's disk is; its sizeBytes is the capacity. */
  export: BlockExport;
  log?: (message: string) => void;
  /** The serial GET_ID answers with (up to 20 bytes); default "hvm-vhost-blk". */
  serial?: string;
  /**
   * The queue size the QEMU device is given (`vhost-user-blk-pci,queue-size=N`, default 128, at
   * most 1024, a power of 2): `seg_max` is N − 2, so a larger queue lets a 1 MiB request of
   * 4 KiB pages travel as one request. A guest whose queue is smaller may send chains too long
   * for it: they break the queue.
   */
  queueSize?: number;
}

export interface VhostUserBlkServing {
  /** QEMU's end of the control socket pair, close-on-exec: hand it to QEMU as an inherited fd. */
  readonly clientDescriptor: number;
  /** Closes this process's copy of QEMU's end once QEMU holds its own; once. */
  releaseClientDescriptor(): void;
  /** Requests served so far, for tests and the bench: reads, writes, flushes, discards, errors. */
  readonly counts: {
    reads: number;
    writes: number;
    flushes: number;
    discards: number;
    errors: number;
  };
  /** Resolves when the front end hung up (or close() was called). */
  readonly disconnected: Promise<void>;
  /** Stops serving: waits for requests under way, unmaps guest memory, closes every descriptor. */
  close(): Promise<void>;
}

/** Whether this host can serve (Linux, koffi, and the C library's calls). */
export function canServeVhostUserBlk(): boolean {
  return libcCalls() !== null;
}

/** Messages read from the socket at once: the most descriptors held before handling is this × 253. */
const MAX_MESSAGES_PER_READ = 16;

/** Makes the pair and serves its first end; throws where `canServeVhostUserBlk` is false. */
export function serveVhostUserBlkOnSocketPair(options: VhostUserBlkOptions): VhostUserBlkServing {
  const calls = libcCalls();
  if (calls === null) throw new Error('the C library cannot be called on this host');
  const queueSize = options.queueSize ?? DEFAULT_QUEUE_SIZE;
  if (
    !Number.isInteger(queueSize) ||
    queueSize < 2 ||
    queueSize > MAX_DEVICE_QUEUE_SIZE ||
    (queueSize & (queueSize - 1)) !== 0
  )
    throw new Error(`a queue size of ${queueSize}`);
  const [ours, theirs] = connectedSocketPair();
  // Our end only: a reply the front end does not read must never block this process.
  if (calls.setNonBlocking(ours) < 0) {
    const errno = calls.errno();
    closeSync(ours);
    closeSync(theirs);
    throw new Error(`fcntl(2) O_NONBLOCK failed: errno ${errno}`);
  }
  const log = options.log ?? (() => undefined);
  const counts = { reads: 0, writes: 0, flushes: 0, discards: 0, errors: 0 };
  const serial = new TextEncoder().encode(options.serial ?? 'hvm-vhost-blk');
  const handler = new BlockRequestHandler(options.export, counts, serial);
  const channel = new ControlChannel(calls, ours);
  const watcher = fdWatcher();
  const backend = new VhostUserBlkBackend(
    calls,
    channel,
    watcher,
    options.export,
    handler,
    log,
    queueSize,
  );

  const queue: ControlMessage[] = [];
  let handling: Promise<void> | null = null;
  let stopped = false;
  let onDisconnected: () => void = () => undefined;
  const disconnected = new Promise<void>((resolve) => (onDisconnected = resolve));
  let shutdown: Promise<void> | null = null;
  let unwatch: (() => void) | null = null;

  // While messages are queued the socket is not read: each message read may carry descriptors,
  // which stay open here until it is handled, and a message's handling may wait long
  // (GET_VRING_BASE waits for the disk). Reading goes on once the queue is empty.
  const pauseReading = (): void => {
    unwatch?.();
    unwatch = null;
  };
  const resumeReading = (): void => {
    if (stopped || unwatch !== null) return;
    unwatch = watcher.watch(ours, onReadable);
  };
  const handleQueued = (): void => {
    if (handling !== null) return;
    handling = (async () => {
      for (let message = queue.shift(); message !== undefined; message = queue.shift())
        if (stopped) for (const fd of message.fds) closeQuietly(fd);
        else if (!(await backend.handle(message))) {
          log('vhost-user connection ended: a request that needs a reply failed');
          void stop();
        }
    })().finally(() => {
      handling = null;
      resumeReading();
    });
  };
  const stop = (): Promise<void> => {
    shutdown ??= (async () => {
      stopped = true;
      pauseReading();
      if (handling !== null) await handling;
      for (const message of queue.splice(0)) for (const fd of message.fds) closeQuietly(fd);
      await backend.shutdown();
      channel.dispose();
      closeQuietly(ours);
      onDisconnected();
    })();
    return shutdown;
  };
  const onReadable = (): void => {
    if (stopped) return;
    const received = channel.receive(MAX_MESSAGES_PER_READ);
    if (!Array.isArray(received)) {
      log(`vhost-user connection ended: ${received.ended}`);
      void stop();
      return;
    }
    if (received.length === 0) return;
    queue.push(...received);
    pauseReading();
    handleQueued();
  };
  resumeReading();

  let theirsOpen = true;
  const releaseClientDescriptor = (): void => {
    if (!theirsOpen) return;
    theirsOpen = false;
    closeSync(theirs);
  };
  return {
    clientDescriptor: theirs,
    releaseClientDescriptor,
    counts,
    disconnected,
    close: async () => {
      releaseClientDescriptor();
      await stop();
    },
  };
}
