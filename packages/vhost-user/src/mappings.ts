/**
 * Maps what SET_MEM_TABLE and SET_LOG_BASE hand over (memfd descriptors) into this process,
 * MAP_SHARED, so the guest's memory and QEMU's dirty log are the same bytes here and there.
 * A region is mapped from offset 0 for `mmap_offset + memory_size` bytes (the offset need not
 * be page-aligned; libvhost-user's vu_set_mem_table does the same).
 */
import { fstatSync } from 'node:fs';
import { MAP_SHARED, PROT_READ, PROT_WRITE, type LibcCalls, type NativePointer } from './libc.js';
import { closeQuietly } from './controlChannel.js';
import { GuestMemory, type MemoryRegion } from './guestMemory.js';
import { MAX_MEMORY_REGIONS } from './protocol.js';

export interface Mapping {
  readonly bytes: Uint8Array;
  unmap(): void;
}

const MAP_FAILED = 0xffffffffffffffffn;

/**
 * Maps `length` bytes of `fd` from `offset`; the descriptor is closed either way. The range must
 * lie within what the descriptor holds (fstat(2)'s size): mmap(2) of a file succeeds past its
 * end, but touching a page there raises SIGBUS (mmap(2), "Errors"), which would end this whole
 * process, so a front end's size is never trusted.
 */
export function mapShared(calls: LibcCalls, fd: number, length: number, offset: number): Mapping {
  try {
    if (!Number.isSafeInteger(length) || length <= 0 || length > 2 ** 40)
      throw new Error(`a mapping of ${length} bytes`);
    const fileBytes = fstatSync(fd).size;
    if (!Number.isSafeInteger(offset) || offset < 0 || offset + length > fileBytes)
      throw new Error(
        `a mapping of ${length} bytes from ${offset} runs past the end of its descriptor (${fileBytes} bytes)`,
      );
    const pointer: NativePointer = calls.mmap(
      length,
      PROT_READ | PROT_WRITE,
      MAP_SHARED,
      fd,
      offset,
    );
    if (calls.address(pointer) === MAP_FAILED)
      throw new Error(`mmap(2) of ${length} bytes failed: errno ${calls.errno()}`);
    const bytes = new Uint8Array(calls.view(pointer, length));
    let mapped = true;
    return {
      bytes,
      unmap: () => {
        if (!mapped) return;
        mapped = false;
        calls.munmap(pointer, length);
      },
    };
  } finally {
    closeQuietly(fd);
  }
}

/**
 * The regions of a SET_MEM_TABLE payload (u32 nregions, u32 padding, then per region u64
 * guest_phys_addr, memory_size, userspace_addr, mmap_offset), one descriptor each.
 */
export function mapMemoryTable(
  calls: LibcCalls,
  payload: Uint8Array,
  fds: number[],
): { memory: GuestMemory; unmap(): void } {
  const view = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
  const count = payload.length >= 8 ? view.getUint32(0, true) : -1;
  if (
    count < 0 ||
    count > MAX_MEMORY_REGIONS ||
    payload.length < 8 + count * 32 ||
    fds.length !== count
  ) {
    for (const fd of fds) closeQuietly(fd);
    throw new Error(`a memory table of ${count} regions with ${fds.length} descriptors`);
  }
  const mappings: Mapping[] = [];
  const regions: MemoryRegion[] = [];
  try {
    for (let index = 0; index < count; index++) {
      const at = 8 + index * 32;
      const guestPhysicalAddress = Number(view.getBigUint64(at, true));
      const sizeBytes = Number(view.getBigUint64(at + 8, true));
      const userAddress = Number(view.getBigUint64(at + 16, true));
      const mmapOffset = Number(view.getBigUint64(at + 24, true));
      const fd = fds[index] ?? -1;
      fds[index] = -1;
      const mapping = mapShared(calls, fd, mmapOffset + sizeBytes, 0);
      mappings.push(mapping);
      regions.push({
        guestPhysicalAddress,
        sizeBytes,
        userAddress,
        bytes: mapping.bytes.subarray(mmapOffset, mmapOffset + sizeBytes),
      });
    }
  } catch (error) {
    for (const mapping of mappings) mapping.unmap();
    for (const fd of fds) if (fd >= 0) closeQuietly(fd);
    throw error;
  }
  return {
    memory: new GuestMemory(regions),
    unmap: () => {
      for (const mapping of mappings) mapping.unmap();
    },
  };
}
