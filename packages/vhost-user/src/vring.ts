/**
 * What the front end told us of one vring (SET_VRING_NUM/ADDR/BASE/KICK/CALL/ERR/ENABLE), and
 * the worker serving it while it is started (vhost-user.rst, "Ring states": started once a kick
 * descriptor came, stopped by GET_VRING_BASE; enabled by SET_VRING_ENABLE when
 * VHOST_USER_F_PROTOCOL_FEATURES was negotiated, else enabled from the start).
 */
import { readSync, writeSync } from 'node:fs';
import { closeQuietly } from './controlChannel.js';
import type { QueueWorker } from './queueWorker.js';

export interface VringAddresses {
  flags: number;
  descriptorUserAddress: number;
  usedUserAddress: number;
  availUserAddress: number;
  logGuestAddress: number;
}

export class Vring {
  size = 0;
  base = 0;
  addresses: VringAddresses | null = null;
  kickFd = -1;
  callFd = -1;
  errFd = -1;
  enabled = false;
  worker: QueueWorker | null = null;
  unwatchKick: (() => void) | null = null;
  private readonly eight = new Uint8Array(8);

  constructor() {
    new DataView(this.eight.buffer).setBigUint64(0, 1n, true);
  }

  /** Writes 1 to the call eventfd (an eventfd counter adds it, eventfd(2)). */
  notify(): void {
    if (this.callFd < 0) return;
    try {
      writeSync(this.callFd, this.eight);
    } catch {
      // EAGAIN: the counter is at its maximum, the guest will be woken anyway.
    }
  }

  /** Empties the kick eventfd; QEMU makes it non-blocking, so nothing pending is EAGAIN. */
  drainKick(): void {
    const counter = new Uint8Array(8);
    try {
      readSync(this.kickFd, counter);
    } catch {
      // EAGAIN: nothing pending.
    }
  }

  replaceFd(which: 'kickFd' | 'callFd' | 'errFd', fd: number): void {
    if (this[which] >= 0) closeQuietly(this[which]);
    this[which] = fd;
  }

  closeFds(): void {
    this.replaceFd('kickFd', -1);
    this.replaceFd('callFd', -1);
    this.replaceFd('errFd', -1);
  }
}
