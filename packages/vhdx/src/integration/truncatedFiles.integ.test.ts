import { describe, expect, it } from 'vitest';
import {
  createDynamicDisk,
  memoryFileStore,
  openDisk,
  VhdxError,
  type FileHandle,
  type FileStore,
} from '../index.js';
import { crc32c } from '../util/crc32c.js';
import { MiB, pattern } from '../test-support/patterns.js';

// Issue 17: a truncated copy, or one whose BAT region lies beyond the end of the file, opened as an
// all-zero disk; a hostile log's LastFileOffset grew the file on a writable open. MS-VHDX places
// every region inside the file (2.2.3.2, region table entry), and a log entry's LastFileOffset is
// "a size that holds every structure" (/work/shared/reference/vhdx-format.md, log entry header).
const KiB = 1024;
const LOG = MiB;
const BAT = 3 * MiB;

function fixCrc(b: Buffer, at: number, length: number): void {
  b.writeUInt32LE(0, at + 4);
  b.writeUInt32LE(crc32c(b.subarray(at, at + length)), at + 4);
}

/** Moves the BAT region's FileOffset in both region tables (checksums fixed). */
function moveBatRegion(b: Buffer, to: number): void {
  for (const table of [192 * KiB, 256 * KiB]) {
    for (let i = 0; i < 2; i++)
      if (b.readUInt32LE(table + 16 + i * 32 + 16) === BAT)
        b.writeUInt32LE(to, table + 16 + i * 32 + 16);
    fixCrc(b, table, 64 * KiB);
  }
}

function failingWritesIn(inner: FileStore, from: number, to: number): FileStore {
  return {
    ...inner,
    async open(path, mode) {
      const h = await inner.open(path, mode);
      const wrapped: FileHandle = {
        ...h,
        write: (buffer, position) =>
          position >= from && position < to
            ? Promise.reject(new Error('simulated crash'))
            : h.write(buffer, position),
      };
      return wrapped;
    },
  };
}

/** 8 MiB, 1 MiB blocks; `written`: blocks 0-1 at 4 and 5 MiB; `logged`: with an unapplied log entry. */
async function disk(kind: 'empty' | 'written' | 'logged'): Promise<Buffer> {
  const store = memoryFileStore();
  await createDynamicDisk(store, 'g.vhdx', { virtualSize: 8 * MiB, blockSize: MiB });
  if (kind !== 'empty') {
    const d = await openDisk(store, 'g.vhdx', { writable: true });
    await d.write(pattern(2 * MiB, 1), 0);
    await d.close();
  }
  if (kind === 'logged') {
    const crashing = await openDisk(failingWritesIn(store, BAT, BAT + MiB), 'g.vhdx', {
      writable: true,
    });
    await crashing.write(pattern(MiB, 2), 2 * MiB);
    await expect(crashing.flush()).rejects.toThrow(/simulated crash/);
  }
  return Buffer.from(await store.readFile('g.vhdx'));
}

async function openError(bytes: Buffer, writable: boolean): Promise<unknown> {
  const store = memoryFileStore();
  await store.writeFileAtomic('d.vhdx', bytes);
  try {
    const opened = await openDisk(store, 'd.vhdx', { writable });
    await opened.close();
    return null;
  } catch (error) {
    return error;
  }
}

const cases: { name: string; make: () => Promise<Buffer>; message: RegExp }[] = [
  {
    name: 'an empty disk cut off where its BAT begins',
    make: async () => (await disk('empty')).subarray(0, BAT),
    message: /^BAT.*beyond the end of the file/,
  },
  {
    name: 'a written disk cut off inside its BAT',
    make: async () => (await disk('written')).subarray(0, BAT + 4 * KiB),
    message: /^BAT.*beyond the end of the file/,
  },
  {
    name: 'a written disk cut off inside its data blocks',
    make: async () => (await disk('written')).subarray(0, 4 * MiB + 12 * KiB),
    message: /^BAT.*beyond the end of the file/,
  },
  {
    name: 'a BAT region that lies beyond the end of the file (valid checksums)',
    make: async () => {
      const b = await disk('written');
      moveBatRegion(b, 1024 * MiB);
      return b;
    },
    message: /^BAT.*beyond the end of the file/,
  },
];

describe('truncated files and regions beyond the end of the file', () => {
  for (const writable of [false, true]) {
    it.for(cases)(`$name is refused (${writable ? 'writable' : 'read-only'})`, async (c) => {
      const error = await openError(await c.make(), writable);
      expect(error).toBeInstanceOf(VhdxError);
      expect((error as VhdxError).message).toMatch(c.message);
    });
  }

  it('a log entry whose LastFileOffset is 8 TiB is refused and the file does not grow', async () => {
    const b = await disk('logged');
    // The first log entry's header: LastFileOffset at byte 56, the entry's length at byte 8.
    b.writeBigUInt64LE(8n * 1024n ** 4n, LOG + 56);
    fixCrc(b, LOG, b.readUInt32LE(LOG + 8));
    const store = memoryFileStore();
    await store.writeFileAtomic('d.vhdx', b);
    const before = (await store.stat('d.vhdx')).size;
    for (const writable of [false, true]) {
      const error = await openDisk(store, 'd.vhdx', { writable }).then(
        async (d) => {
          await d.close();
          return null;
        },
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(VhdxError);
      expect((error as VhdxError).message).toMatch(/^log.*LastFileOffset/);
      expect((await store.stat('d.vhdx')).size).toBe(before);
    }
  });

  it('a log entry that allocates blocks at the end still opens and reads what it wrote', async () => {
    const store = memoryFileStore();
    await store.writeFileAtomic('d.vhdx', await disk('logged'));
    const d = await openDisk(store, 'd.vhdx', { writable: true });
    const read = new Uint8Array(MiB);
    await d.read(read, 2 * MiB);
    await d.close();
    expect(Buffer.from(read).equals(Buffer.from(pattern(MiB, 2)))).toBe(true);
  });
});
