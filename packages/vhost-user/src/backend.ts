/**
 * The vhost-user-blk back end's side of the control protocol (QEMU 7.2
 * docs/interop/vhost-user.rst; what the front end sends: hw/virtio/vhost-user.c and
 * hw/block/vhost-user-blk.c). Messages are handled one at a time, in order; GET_VRING_BASE waits
 * for the ring's requests under way before it answers.
 */
import { writeSync } from 'node:fs';
import type { BlockRequestHandler } from './blockRequests.js';
import { BLK_CONFIG_BYTES, blkConfigOf, hasFeature, offeredFeatures } from './blkConfig.js';
import { closeQuietly, type ControlChannel, type ControlMessage } from './controlChannel.js';
import { requireNonBlockingEventfd } from './eventfds.js';
import type { FdWatcher } from './fdWatcher.js';
import { DirtyLog, type GuestMemory } from './guestMemory.js';
import type { LibcCalls } from './libc.js';
import { mapMemoryTable, mapShared, type Mapping } from './mappings.js';
import {
  FLAG_NEED_REPLY,
  FLAG_REPLY,
  Feature,
  MAX_QUEUE_SIZE,
  ProtocolFeature,
  Request,
  VHOST_USER_VERSION,
  VRING_F_LOG,
  VRING_INDEX_MASK,
  VRING_NO_FD_MASK,
} from './protocol.js';
import { QueueWorker } from './queueWorker.js';
import { SplitRing } from './virtqueue.js';
import { Vring } from './vring.js';
import type { BlockExport } from '@hvm/nbd';

const bit = (n: number): bigint => 1n << BigInt(n);

/** LOG_SHMFD (migration's dirty log in shared memory), REPLY_ACK, CONFIG (QEMU requires it). */
const OFFERED_PROTOCOL_FEATURES =
  bit(ProtocolFeature.LOG_SHMFD) | bit(ProtocolFeature.REPLY_ACK) | bit(ProtocolFeature.CONFIG);

/** Requests the front end always waits a reply for (vhost-user.rst, each message's "reply"). */
const REPLIED_REQUESTS = new Set<number>([
  Request.GET_FEATURES,
  Request.GET_PROTOCOL_FEATURES,
  Request.GET_VRING_BASE,
  Request.GET_CONFIG,
  Request.SET_LOG_BASE,
  Request.GET_QUEUE_NUM,
]);

/** QEMU's VHOST_USER_MAX_CONFIG_SIZE (hw/virtio/vhost-user.c): the longest GET_CONFIG. */
const MAX_CONFIG_BYTES = 256;

/** One queue: the device is served with `num-queues=1` (no VHOST_USER_PROTOCOL_F_MQ). */
const QUEUE_COUNT = 1;

export class VhostUserBlkBackend {
  private features = 0n;
  private protocolFeatures = 0n;
  private memory: { memory: GuestMemory; unmap(): void } | null = null;
  private logMapping: Mapping | null = null;
  private dirtyLog: DirtyLog | null = null;
  private logCallFd = -1;
  private readonly vrings = Array.from({ length: QUEUE_COUNT }, () => new Vring());
  private readonly unknownLogged = new Set<number>();
  private readonly eight = new Uint8Array(8);

  constructor(
    private readonly calls: LibcCalls,
    private readonly channel: ControlChannel,
    private readonly watcher: FdWatcher,
    private readonly blockExport: BlockExport,
    private readonly handler: BlockRequestHandler,
    private readonly log: (message: string) => void,
    private readonly queueSize: number,
  ) {
    new DataView(this.eight.buffer).setBigUint64(0, 1n, true);
  }

  /**
   * Handles one message and sends its reply, if it has one. Returns false when the connection
   * must end: a request whose reply the front end waits for (a GET_*, SET_LOG_BASE) failed, and
   * no reply can say so, or a reply could not be sent (the front end does not read them).
   */
  async handle(message: ControlMessage): Promise<boolean> {
    const { request, flags } = message;
    let reply: Uint8Array | null = null;
    let ok = true;
    try {
      reply = await this.dispatch(message);
    } catch (error) {
      ok = false;
      this.log(`vhost-user request ${request} failed: ${(error as Error).message}`);
    }
    // Descriptors a handler did not take (it empties `fds` when it does) are closed here, once.
    for (const fd of message.fds.splice(0)) closeQuietly(fd);
    const replyFlags = VHOST_USER_VERSION | FLAG_REPLY;
    if (reply === null && !ok && REPLIED_REQUESTS.has(request)) return false;
    const acknowledged =
      (flags & FLAG_NEED_REPLY) !== 0 &&
      hasFeature(this.protocolFeatures, ProtocolFeature.REPLY_ACK);
    try {
      if (reply !== null) this.channel.reply(request, replyFlags, reply);
      else if (acknowledged) this.channel.reply(request, replyFlags, u64(ok ? 0n : 1n));
    } catch (error) {
      this.log(`vhost-user reply to request ${request} failed: ${(error as Error).message}`);
      return false;
    }
    return true;
  }

  private async dispatch(message: ControlMessage): Promise<Uint8Array | null> {
    const { request, payload, fds } = message;
    const view = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
    const need = (bytes: number): void => {
      if (payload.length < bytes) throw new Error(`payload of ${payload.length} bytes`);
    };
    switch (request) {
      case Request.GET_FEATURES:
        return u64(offeredFeatures(this.blockExport));
      case Request.SET_FEATURES:
        need(8);
        this.setFeatures(view.getBigUint64(0, true));
        return null;
      case Request.GET_PROTOCOL_FEATURES:
        return u64(OFFERED_PROTOCOL_FEATURES);
      case Request.SET_PROTOCOL_FEATURES:
        need(8);
        this.protocolFeatures = view.getBigUint64(0, true) & OFFERED_PROTOCOL_FEATURES;
        return null;
      case Request.SET_OWNER:
        return null;
      case Request.RESET_OWNER:
        await this.stopAll();
        this.features = 0n;
        return null;
      case Request.SET_MEM_TABLE:
        await this.setMemTable(payload, fds.splice(0));
        return null;
      case Request.SET_LOG_BASE:
        need(16);
        this.setLogBase(view.getBigUint64(0, true), view.getBigUint64(8, true), fds.splice(0));
        return u64(0n);
      case Request.SET_LOG_FD: {
        const fd = fds.shift() ?? -1;
        if (fd >= 0) checkedEventfd(fd);
        if (this.logCallFd >= 0) closeQuietly(this.logCallFd);
        this.logCallFd = fd;
        return null;
      }
      case Request.SET_VRING_NUM: {
        need(8);
        const size = view.getUint32(4, true);
        // The guest may make its queue smaller than the device's queue-size, never larger
        // (virtio 1.2 §4.1.4.3); a larger ring would also bound neither chains nor the work of a
        // kick by what seg_max says.
        if (
          size === 0 ||
          size > Math.min(MAX_QUEUE_SIZE, this.queueSize) ||
          (size & (size - 1)) !== 0
        )
          throw new Error(`a queue size of ${size} (the device's is ${this.queueSize})`);
        this.vringAt(view.getUint32(0, true)).size = size;
        return null;
      }
      case Request.SET_VRING_ADDR:
        need(40);
        // On a started ring only the log flag and address change (QEMU's vhost_dev_set_log);
        // the ring's parts stay where they were mapped when it started.
        this.vringAt(view.getUint32(0, true)).addresses = {
          flags: view.getUint32(4, true),
          descriptorUserAddress: Number(view.getBigUint64(8, true)),
          usedUserAddress: Number(view.getBigUint64(16, true)),
          availUserAddress: Number(view.getBigUint64(24, true)),
          logGuestAddress: Number(view.getBigUint64(32, true)),
        };
        return null;
      case Request.SET_VRING_BASE:
        need(8);
        this.vringAt(view.getUint32(0, true)).base = view.getUint32(4, true) & 0xffff;
        return null;
      case Request.GET_VRING_BASE: {
        need(8);
        const index = view.getUint32(0, true);
        const next = await this.stopRing(this.vringAt(index));
        const state = new Uint8Array(8);
        new DataView(state.buffer).setUint32(0, index, true);
        new DataView(state.buffer).setUint32(4, next, true);
        return state;
      }
      case Request.SET_VRING_KICK:
      case Request.SET_VRING_CALL:
      case Request.SET_VRING_ERR:
        need(8);
        this.setVringFd(request, view.getBigUint64(0, true), fds.splice(0));
        return null;
      case Request.SET_VRING_ENABLE: {
        need(8);
        const vring = this.vringAt(view.getUint32(0, true));
        vring.enabled = view.getUint32(4, true) !== 0;
        if (vring.worker !== null) vring.worker.setEnabled(vring.enabled);
        else this.startIfReady(vring);
        return null;
      }
      case Request.GET_CONFIG: {
        need(12);
        const offset = view.getUint32(0, true);
        const size = view.getUint32(4, true);
        // QEMU asks for at most VHOST_USER_MAX_CONFIG_SIZE bytes (hw/virtio/vhost-user.c); a
        // larger size would have this process build and write a reply as long as it names.
        if (offset > MAX_CONFIG_BYTES || size > MAX_CONFIG_BYTES - offset)
          throw new Error(`GET_CONFIG of ${size} bytes from ${offset}`);
        const config = blkConfigOf(this.blockExport, this.queueSize);
        const reply = new Uint8Array(12 + size);
        reply.set(payload.subarray(0, 12));
        if (offset < BLK_CONFIG_BYTES) reply.set(config.subarray(offset, offset + size), 12);
        return reply;
      }
      case Request.SET_CONFIG:
        // Nothing in the configuration is writable without VIRTIO_BLK_F_CONFIG_WCE.
        return null;
      default:
        if (!this.unknownLogged.has(request)) {
          this.unknownLogged.add(request);
          this.log(`vhost-user request ${request} is not handled by this back end`);
        }
        throw new Error(`request ${request} not handled`);
    }
  }

  private vringAt(index: number): Vring {
    const vring = this.vrings[index];
    if (vring === undefined) throw new Error(`vring ${index} does not exist`);
    return vring;
  }

  private setFeatures(features: bigint): void {
    this.features = features;
    if (!hasFeature(features, Feature.LOG_ALL)) this.dropLog();
    // Without VHOST_USER_F_PROTOCOL_FEATURES a ring is enabled from the start.
    if (!hasFeature(features, Feature.PROTOCOL_FEATURES))
      for (const vring of this.vrings) vring.enabled = true;
  }

  private setLogBase(size: bigint, offset: bigint, fds: number[]): void {
    const [fd, ...extra] = fds;
    for (const other of extra) closeQuietly(other);
    if (fd === undefined) throw new Error('SET_LOG_BASE without a descriptor');
    this.dropLog();
    this.logMapping = mapShared(this.calls, fd, Number(size), Number(offset));
    this.log(`dirty log of ${size} bytes mapped (VHOST_USER_SET_LOG_BASE)`);
    this.dirtyLog = new DirtyLog(this.logMapping.bytes, () => {
      if (this.logCallFd >= 0)
        try {
          // vhost-user.rst: the back end signals SET_LOG_FD's eventfd after logging.
          this.writeEventfd(this.logCallFd);
        } catch {
          // EAGAIN: QEMU will read the log anyway.
        }
    });
  }

  private writeEventfd(fd: number): void {
    writeSync(fd, this.eight);
  }

  private dropLog(): void {
    this.dirtyLog = null;
    this.logMapping?.unmap();
    this.logMapping = null;
  }

  private async setMemTable(payload: Uint8Array, fds: number[]): Promise<void> {
    const running = this.vrings.filter((vring) => vring.worker !== null);
    for (const vring of running) await this.stopRing(vring, false);
    const previous = this.memory;
    try {
      this.memory = mapMemoryTable(this.calls, payload, fds);
      previous?.unmap();
    } finally {
      // On a table that cannot be mapped the rings go on in the memory they had.
      for (const vring of running) this.startIfReady(vring);
    }
  }

  private setVringFd(request: number, value: bigint, fds: number[]): void {
    const index = Number(value & BigInt(VRING_INDEX_MASK));
    const vring = this.vrings[index];
    if (vring === undefined) {
      for (const fd of fds) closeQuietly(fd);
      throw new Error(`vring ${index} does not exist`);
    }
    const noFd = (value & BigInt(VRING_NO_FD_MASK)) !== 0n;
    const fd = noFd ? -1 : (fds[0] ?? -1);
    for (const extra of noFd ? fds : fds.slice(1)) closeQuietly(extra);
    if (fd >= 0 && request !== Request.SET_VRING_ERR) checkedEventfd(fd);
    if (request === Request.SET_VRING_CALL) vring.replaceFd('callFd', fd);
    else if (request === Request.SET_VRING_ERR) vring.replaceFd('errFd', fd);
    else {
      if (vring.worker !== null) {
        closeQuietly(fd);
        throw new Error(`vring ${index} kicked anew while started`);
      }
      vring.replaceFd('kickFd', fd);
      if (fd < 0) this.log(`vring ${index}: polling without a kick descriptor is not supported`);
      this.startIfReady(vring);
    }
  }

  /** Starts serving `vring` once it has a kick descriptor, addresses, memory and is enabled. */
  private startIfReady(vring: Vring): void {
    if (vring.worker !== null || !vring.enabled || vring.kickFd < 0) return;
    const addresses = vring.addresses;
    const memory = this.memory?.memory;
    if (addresses === null || memory === undefined || vring.size === 0) return;
    const parts = SplitRing.partBytes(vring.size);
    const descriptors = memory.user(addresses.descriptorUserAddress, parts.descriptors);
    const avail = memory.user(addresses.availUserAddress, parts.avail);
    const used = memory.user(addresses.usedUserAddress, parts.used);
    if (descriptors === null || avail === null || used === null) {
      this.log('vring addresses outside the guest memory: the ring is not started');
      return;
    }
    let ring: SplitRing;
    try {
      ring = new SplitRing({ size: vring.size, descriptors, avail, used }, memory, vring.base);
    } catch (error) {
      this.log(`vring not started: ${(error as Error).message}`);
      return;
    }
    const worker = new QueueWorker(ring, this.handler, {
      dirtyLog: () => (hasFeature(this.features, Feature.LOG_ALL) ? this.dirtyLog : null),
      usedRingLogAddress: () => {
        const current = vring.addresses;
        return current !== null && (current.flags & VRING_F_LOG) !== 0
          ? current.logGuestAddress
          : null;
      },
      notify: () => vring.notify(),
      log: this.log,
    });
    vring.worker = worker;
    vring.unwatchKick = this.watcher.watch(vring.kickFd, () => {
      vring.drainKick();
      worker.process();
    });
    worker.process();
  }

  /**
   * Stops `vring` (GET_VRING_BASE), waits for its requests under way, and returns the next
   * available index, which SET_VRING_BASE will give back on restart. `closeKick` false keeps
   * the kick descriptor (a new memory table restarts the ring by itself).
   */
  private async stopRing(vring: Vring, closeKick = true): Promise<number> {
    const worker = vring.worker;
    if (worker === null) return vring.base;
    vring.unwatchKick?.();
    vring.unwatchKick = null;
    await worker.stop();
    vring.worker = null;
    vring.base = worker.ring.lastAvailIndex;
    if (closeKick) vring.replaceFd('kickFd', -1);
    return vring.base;
  }

  private async stopAll(): Promise<void> {
    for (const vring of this.vrings) await this.stopRing(vring);
  }

  /** Stops every ring, unmaps the guest's memory and the log, closes every descriptor. */
  async shutdown(): Promise<void> {
    await this.stopAll();
    for (const vring of this.vrings) vring.closeFds();
    this.memory?.unmap();
    this.memory = null;
    this.dropLog();
    if (this.logCallFd >= 0) closeQuietly(this.logCallFd);
    this.logCallFd = -1;
  }
}

/** Closes `fd` and throws unless it is a non-blocking eventfd (see eventfds.ts). */
function checkedEventfd(fd: number): void {
  try {
    requireNonBlockingEventfd(fd);
  } catch (error) {
    closeQuietly(fd);
    throw error;
  }
}

function u64(value: bigint): Uint8Array {
  const bytes = new Uint8Array(8);
  new DataView(bytes.buffer).setBigUint64(0, value, true);
  return bytes;
}
