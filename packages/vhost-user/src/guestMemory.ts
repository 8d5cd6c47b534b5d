/**
 * The guest's memory as the front end describes it in VHOST_USER_SET_MEM_TABLE (QEMU
 * docs/interop/vhost-user.rst, "Memory regions description"): regions, each with its guest
 * physical address, size, the front end's own virtual address (`userspace_addr`, which
 * SET_VRING_ADDR uses) and the bytes mapped here. Every translation checks that the whole range
 * lies inside one region: a hostile guest's address never reaches memory outside the mappings.
 */
import { DIRTY_PAGE_BYTES } from './protocol.js';

export interface MemoryRegion {
  readonly guestPhysicalAddress: number;
  readonly sizeBytes: number;
  readonly userAddress: number;
  /** The region's bytes, `sizeBytes` long. */
  readonly bytes: Uint8Array;
}

export class GuestMemory {
  constructor(readonly regions: readonly MemoryRegion[]) {}

  /** The bytes at guest physical `address`, `length` long, or null when not inside one region. */
  guest(address: number, length: number): Uint8Array | null {
    return this.find(address, length, 'guestPhysicalAddress');
  }

  /** The bytes at the front end's virtual `address` (ring addresses), or null. */
  user(address: number, length: number): Uint8Array | null {
    return this.find(address, length, 'userAddress');
  }

  private find(
    address: number,
    length: number,
    base: 'guestPhysicalAddress' | 'userAddress',
  ): Uint8Array | null {
    if (!Number.isSafeInteger(address) || !Number.isSafeInteger(length) || length < 0) return null;
    for (const region of this.regions) {
      const start = address - region[base];
      if (start >= 0 && start <= region.sizeBytes && length <= region.sizeBytes - start)
        return region.bytes.subarray(start, start + length);
    }
    return null;
  }
}

/**
 * The dirty log of VHOST_USER_SET_LOG_BASE: one bit per 4 KiB page of guest physical address,
 * bit `page % 8` of byte `page / 8`, set with an atomic OR (QEMU hw/virtio/vhost.c reads and
 * clears it while the guest runs; libvhost-user's vu_log_page does the same).
 */
export class DirtyLog {
  constructor(
    private readonly bitmap: Uint8Array,
    private readonly onLogged: () => void = () => undefined,
  ) {}

  /** Marks every page `[address, address + length)` touches; pages past the log are ignored. */
  mark(address: number, length: number): void {
    if (length <= 0) return;
    const first = Math.floor(address / DIRTY_PAGE_BYTES);
    const last = Math.floor((address + length - 1) / DIRTY_PAGE_BYTES);
    for (let page = first; page <= last; page++) {
      const byte = Math.floor(page / 8);
      if (byte >= this.bitmap.length) break;
      Atomics.or(this.bitmap, byte, 1 << (page % 8));
    }
  }

  /** Tells the front end (SET_LOG_FD's eventfd) that the log changed, once per batch. */
  flushed(): void {
    this.onLogged();
  }
}
