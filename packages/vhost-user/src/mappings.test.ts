/**
 * The descriptors SET_MEM_TABLE and SET_LOG_BASE hand over, mapped here: memfds made by this
 * test (memfd_create(2)) stand for QEMU's guest RAM.
 */
import { createRequire } from 'node:module';
import { closeSync, fstatSync, readSync, writeSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { libcCalls } from './libc.js';
import { mapMemoryTable, mapShared } from './mappings.js';

const koffi = createRequire(import.meta.url)('koffi') as {
  load(name: string): { func(signature: string): (...args: unknown[]) => number };
};
const libc = koffi.load('libc.so.6');
const memfdCreate = libc.func('int memfd_create(const char *name, unsigned int flags)');
const ftruncate = libc.func('int ftruncate(int fd, int64_t length)');

function memfd(bytes: number): number {
  const fd = memfdCreate('hvm-vhost-test', 1 /* MFD_CLOEXEC */);
  expect(fd).toBeGreaterThanOrEqual(0);
  expect(ftruncate(fd, bytes)).toBe(0);
  return fd;
}

function isOpen(fd: number): boolean {
  try {
    fstatSync(fd);
    return true;
  } catch {
    return false;
  }
}

function table(regions: [number, number, number, number][]): Uint8Array {
  const payload = new Uint8Array(8 + regions.length * 32);
  const view = new DataView(payload.buffer);
  view.setUint32(0, regions.length, true);
  regions.forEach((region, index) =>
    region.forEach((value, field) =>
      view.setBigUint64(8 + index * 32 + field * 8, BigInt(value), true),
    ),
  );
  return payload;
}

describe('mapping what the front end hands over', () => {
  const calls = libcCalls();

  it('maps each region shared, from its mmap_offset, and closes the descriptors', () => {
    if (calls === null) throw new Error('no C library calls on this host');
    const first = memfd(0x20000);
    const second = memfd(0x10000);
    writeSync(first, new Uint8Array([0xaa]), 0, 1, 0x1000 + 5);
    const mapped = mapMemoryTable(
      calls,
      table([
        [0x0, 0x10000, 0x7f0000000000, 0x1000],
        [0x100000, 0x10000, 0x7f0000100000, 0],
      ]),
      [first, second],
    );
    const memory = mapped.memory;
    expect(isOpen(first)).toBe(false);
    expect(isOpen(second)).toBe(false);
    expect(memory.guest(5, 1)?.[0]).toBe(0xaa);
    expect(memory.user(0x7f0000000005, 1)?.[0]).toBe(0xaa);
    expect(memory.guest(0x10000 - 1, 2)).toBeNull();
    const bytes = memory.guest(0x100010, 4);
    bytes?.set([1, 2, 3, 4]);
    expect(memory.user(0x7f0000100010, 4)).toEqual(new Uint8Array([1, 2, 3, 4]));
    mapped.unmap();
  });

  it('refuses a table whose descriptors do not match its regions, closing them', () => {
    if (calls === null) throw new Error('no C library calls on this host');
    const only = memfd(0x1000);
    expect(() =>
      mapMemoryTable(
        calls,
        table([
          [0, 0x1000, 0, 0],
          [0x1000, 0x1000, 0x1000, 0],
        ]),
        [only],
      ),
    ).toThrow(/2 regions with 1 descriptors/);
    expect(isOpen(only)).toBe(false);
    const big = memfd(0x1000);
    expect(() => mapShared(calls, big, 0, 0)).toThrow(/a mapping of 0 bytes/);
    expect(isOpen(big)).toBe(false);
  });

  it('refuses a region or log that runs past the end of its descriptor (SIGBUS on access)', () => {
    if (calls === null) throw new Error('no C library calls on this host');
    // mmap(2) of a file succeeds past its end; touching a page there raises SIGBUS, which
    // would kill this whole process. The front end's sizes must fit what the descriptor holds.
    const small = memfd(0x1000);
    expect(() => mapMemoryTable(calls, table([[0, 0x100000, 0, 0]]), [small])).toThrow(
      /past the end of its descriptor/,
    );
    expect(isOpen(small)).toBe(false);
    const shifted = memfd(0x2000);
    expect(() => mapMemoryTable(calls, table([[0, 0x2000, 0, 0x1000]]), [shifted])).toThrow(
      /past the end of its descriptor/,
    );
    const log = memfd(0x1000);
    expect(() => mapShared(calls, log, 0x1000, 0x1000)).toThrow(/past the end of its descriptor/);
    expect(isOpen(log)).toBe(false);
    const exact = memfd(0x3000);
    mapShared(calls, exact, 0x2000, 0x1000).unmap();
  });

  it('shares the mapping: what this process writes, the descriptor reads', () => {
    if (calls === null) throw new Error('no C library calls on this host');
    const fd = memfd(0x2000);
    const reader = libc.func('int dup(int fd)')(fd);
    const mapping = mapShared(calls, fd, 0x2000, 0);
    mapping.bytes[0x1234] = 0x5c;
    const read = new Uint8Array(1);
    readSync(reader, read, 0, 1, 0x1234);
    expect(read[0]).toBe(0x5c);
    mapping.unmap();
    closeSync(reader);
  });
});
