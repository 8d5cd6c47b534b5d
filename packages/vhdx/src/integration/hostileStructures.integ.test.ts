import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  createDynamicDisk,
  memoryFileStore,
  openDisk,
  VhdxError,
  type FileHandle,
  type FileStore,
} from '../index.js';
import { crc32c } from '../util/crc32c.js';
import {
  gunzipTestFile,
  HAS_TESTDATA,
  makeTempDir,
  TESTDATA_MISSING,
} from '../test-support/externalTools.js';
import { MiB, pattern, sha256 } from '../test-support/patterns.js';

const KiB = 1024;
const LOG = MiB;
const META = 2 * MiB;
const BAT = 3 * MiB;
const LOCATOR = META + 0x10028; // where Hyper-V put the real child's parent locator

function fixCrc(b: Buffer, at: number, length: number): void {
  b.writeUInt32LE(0, at + 4);
  b.writeUInt32LE(crc32c(b.subarray(at, at + length)), at + 4);
}
const fixRegionTables = (b: Buffer): void => {
  fixCrc(b, 192 * KiB, 64 * KiB);
  fixCrc(b, 256 * KiB, 64 * KiB);
};
const fixHeaders = (b: Buffer): void => {
  fixCrc(b, 64 * KiB, 4 * KiB);
  fixCrc(b, 128 * KiB, 4 * KiB);
};
/** Metadata table entry i's Offset field. */
const itemAt = (b: Buffer, i: number): number => META + b.readUInt32LE(META + 32 + i * 32 + 16);

/** A store whose handles fail every write into [from, to): a crash right after the log entry was made durable. */
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

/** A generated dynamic disk (8 MiB, 1 MiB blocks, blocks 0-1 at 4 and 5 MiB) and the same with an unapplied log entry for block 2. */
async function generated(): Promise<{ plain: Buffer; logged: Buffer }> {
  const store = memoryFileStore();
  await createDynamicDisk(store, 'g.vhdx', { virtualSize: 8 * MiB, blockSize: MiB });
  const d = await openDisk(store, 'g.vhdx', { writable: true });
  await d.write(pattern(2 * MiB, 1), 0);
  await d.close();
  const plain = Buffer.from(await store.readFile('g.vhdx'));
  const crashing = await openDisk(failingWritesIn(store, BAT, BAT + MiB), 'g.vhdx', {
    writable: true,
  });
  await crashing.write(pattern(MiB, 2), 2 * MiB);
  // The crash: the log entry is durable, the BAT is not; nothing is closed.
  await expect(crashing.flush()).rejects.toThrow(/simulated crash/);
  return { plain, logged: Buffer.from(await store.readFile('g.vhdx')) };
}

interface Case {
  name: string;
  file: 'generated' | 'logged' | 'fixed' | 'differencing';
  mutate: (b: Buffer) => void;
  /** The structure the error names; null: the file must open and read `expect`. */
  structure: RegExp | null;
  content?: 'logged-old' | 'logged-new';
}

const cases: Case[] = [
  {
    name: 'two BAT entries share a block',
    file: 'generated',
    mutate: (b) => b.writeBigUInt64LE(b.readBigUInt64LE(BAT), BAT + 8),
    structure: /^BAT/,
  },
  {
    name: 'a BAT entry overlaps the next block by starting inside it',
    file: 'fixed',
    mutate: (b) => b.writeUInt32LE((5 << 20) | 6, BAT + 8), // 2 MiB blocks at 4 and 5 MiB
    structure: /^BAT/,
  },
  {
    name: 'a BAT entry points into the log',
    file: 'generated',
    mutate: (b) => b.writeUInt32LE((1 << 20) | 6, BAT),
    structure: /^BAT/,
  },
  {
    name: 'a BAT entry points at the metadata region',
    file: 'generated',
    mutate: (b) => b.writeUInt32LE((2 << 20) | 6, BAT),
    structure: /^BAT/,
  },
  {
    name: 'a BAT entry with an undefined state (5)',
    file: 'generated',
    mutate: (b) => b.writeUInt32LE(5, BAT + 16),
    structure: /^BAT/,
  },
  {
    name: 'a sector-bitmap entry pointing into the log (real Hyper-V child)',
    file: 'differencing',
    mutate: (b) => b.writeUInt32LE((1 << 20) | 6, BAT + 2048 * 8), // entry 2048: bitmap of chunk 0
    structure: /^BAT/,
  },
  {
    name: 'a sector bitmap sharing a payload block (real Hyper-V child)',
    file: 'differencing',
    mutate: (b) => b.writeBigUInt64LE(b.readBigUInt64LE(BAT), BAT + 2048 * 8),
    structure: /^BAT/,
  },
  {
    name: 'metadata EntryCount 65535',
    file: 'generated',
    mutate: (b) => b.writeUInt16LE(0xffff, META + 10),
    structure: /metadata table/,
  },
  {
    name: 'metadata item offset far outside the region',
    file: 'generated',
    mutate: (b) => b.writeUInt32LE(0xfffffff0, META + 32 + 16),
    structure: /metadata table/,
  },
  {
    name: 'metadata item length 4 GiB',
    file: 'generated',
    mutate: (b) => b.writeUInt32LE(0xffffffff, META + 32 + 20),
    structure: /metadata table/,
  },
  {
    name: 'BlockSize 0',
    file: 'generated',
    mutate: (b) => b.writeUInt32LE(0, itemAt(b, 0)),
    structure: /File Parameters/,
  },
  {
    name: 'BlockSize 3 MiB (not a power of 2)',
    file: 'generated',
    mutate: (b) => b.writeUInt32LE(3 * MiB, itemAt(b, 0)),
    structure: /File Parameters/,
  },
  {
    name: 'BlockSize 2 GiB',
    file: 'generated',
    mutate: (b) => b.writeUInt32LE(2 ** 31, itemAt(b, 0)),
    structure: /File Parameters/,
  },
  {
    name: 'VirtualDiskSize 2^62',
    file: 'generated',
    mutate: (b) => b.writeBigUInt64LE(2n ** 62n, itemAt(b, 1)),
    structure: /Virtual Disk Size/,
  },
  {
    name: 'VirtualDiskSize 0',
    file: 'generated',
    mutate: (b) => b.writeBigUInt64LE(0n, itemAt(b, 1)),
    structure: /Virtual Disk Size/,
  },
  {
    name: 'VirtualDiskSize 64 TiB (the BAT region cannot hold its entries)',
    file: 'generated',
    mutate: (b) => b.writeBigUInt64LE(2n ** 46n, itemAt(b, 1)),
    structure: /^BAT/,
  },
  {
    name: 'LogicalSectorSize 1000',
    file: 'generated',
    mutate: (b) => b.writeUInt32LE(1000, itemAt(b, 2)),
    structure: /LogicalSectorSize/,
  },
  {
    name: 'PhysicalSectorSize 0',
    file: 'generated',
    mutate: (b) => b.writeUInt32LE(0, itemAt(b, 3)),
    structure: /PhysicalSectorSize/,
  },
  {
    name: 'region table EntryCount 10^6 with valid checksums',
    file: 'generated',
    mutate: (b) => {
      b.writeUInt32LE(1_000_000, 192 * KiB + 8);
      b.writeUInt32LE(1_000_000, 256 * KiB + 8);
      fixRegionTables(b);
    },
    structure: /region table/,
  },
  {
    name: 'metadata region 4 GiB long with valid checksums',
    file: 'generated',
    mutate: (b) => {
      for (const t of [192 * KiB, 256 * KiB])
        for (let i = 0; i < 2; i++)
          if (b.readUInt32LE(t + 16 + i * 32 + 16) === META)
            b.writeUInt32LE(0xfff00000, t + 16 + i * 32 + 24);
      fixRegionTables(b);
    },
    structure: /region table|metadata region/,
  },
  {
    name: 'metadata region beyond the end of the file',
    file: 'generated',
    mutate: (b) => {
      for (const t of [192 * KiB, 256 * KiB])
        for (let i = 0; i < 2; i++)
          if (b.readUInt32LE(t + 16 + i * 32 + 16) === META)
            b.writeUInt32LE(1024 * MiB, t + 16 + i * 32 + 16);
      fixRegionTables(b);
    },
    structure: /metadata region/,
  },
  {
    name: 'LogLength 4 GiB - 1 MiB with valid header checksums',
    file: 'generated',
    mutate: (b) => {
      b.writeUInt32LE(0xfff00000, 64 * KiB + 68);
      b.writeUInt32LE(0xfff00000, 128 * KiB + 68);
      fixHeaders(b);
    },
    structure: /region table|header|log/,
  },
  {
    name: 'an unapplied log entry is replayed',
    file: 'logged',
    mutate: () => undefined,
    structure: null,
    content: 'logged-new',
  },
  {
    name: 'a log entry with a bad checksum (a torn entry) is ignored, leaving the old data',
    file: 'logged',
    mutate: (b) => b.writeUInt8(b.readUInt8(LOG + 64 + 100) ^ 0xff, LOG + 64 + 100),
    structure: null,
    content: 'logged-old',
  },
  {
    name: 'a log descriptor aimed at the headers (valid checksum)',
    file: 'logged',
    mutate: (b) => {
      b.writeBigUInt64LE(64n * 1024n, LOG + 64 + 16);
      fixCrc(b, LOG, b.readUInt32LE(LOG + 8));
    },
    structure: /^log/,
  },
  {
    name: 'a log zero descriptor of 1 TiB (valid checksum)',
    file: 'logged',
    mutate: (b) => {
      b.write('zero', LOG + 64, 'latin1');
      b.writeBigUInt64LE(2n ** 40n, LOG + 64 + 8);
      fixCrc(b, LOG, b.readUInt32LE(LOG + 8));
    },
    structure: /^log/,
  },
  {
    name: 'a non-empty log that lies beyond the end of the file',
    file: 'logged',
    mutate: (b) => {
      b.writeUInt32LE(4095 * MiB, 64 * KiB + 68);
      b.writeUInt32LE(4095 * MiB, 128 * KiB + 68);
      b.writeBigUInt64LE(BigInt(64 * MiB), 64 * KiB + 72);
      b.writeBigUInt64LE(BigInt(64 * MiB), 128 * KiB + 72);
      fixHeaders(b);
    },
    structure: /^log/,
  },
  {
    name: 'parent locator KeyValueCount 65535 (real Hyper-V child)',
    file: 'differencing',
    mutate: (b) => b.writeUInt16LE(0xffff, LOCATOR + 18),
    structure: /parent locator/,
  },
  {
    name: 'parent locator key offset outside the item (real Hyper-V child)',
    file: 'differencing',
    mutate: (b) => b.writeUInt32LE(0x7fffffff, LOCATOR + 20),
    structure: /parent locator/,
  },
  {
    name: 'parent locator value length past the item (real Hyper-V child)',
    file: 'differencing',
    mutate: (b) => b.writeUInt16LE(0xffff, LOCATOR + 20 + 12 + 10),
    structure: /parent locator/,
  },
];

const REAL_PARENT = 'Generation 1_49C4BAF3-4B25-4406-8C4B-D39E65C32385.avhdx';

describe('hostile structures', () => {
  const files = new Map<Case['file'], Buffer>();
  beforeAll(async () => {
    const { plain, logged } = await generated();
    files.set('generated', plain);
    files.set('logged', logged);
    if (HAS_TESTDATA) {
      const { dir, cleanup } = await makeTempDir();
      for (const f of ['fixed.vhdx', 'differencing.avhdx']) {
        await gunzipTestFile(`${f}.gz`, dir);
        files.set(f.split('.')[0] as Case['file'], await readFile(join(dir, f)));
      }
      await cleanup();
    }
  });

  it.for(cases)('$name', async (c, ctx) => {
    const original = files.get(c.file);
    if (!original) {
      ctx.skip(TESTDATA_MISSING);
      return;
    }
    const bytes = Buffer.from(original);
    c.mutate(bytes);
    const store = memoryFileStore();
    await store.writeFileAtomic('d.vhdx', bytes);
    const attempt = async (): Promise<string> => {
      const disk = await openDisk(store, 'd.vhdx');
      try {
        const b = new Uint8Array(Math.min(disk.info.virtualSize, 4 * MiB));
        await disk.read(b, 0);
        return sha256(b);
      } finally {
        await disk.close();
      }
    };
    if (c.structure === null) {
      const want = new Uint8Array(4 * MiB);
      want.set(pattern(2 * MiB, 1), 0);
      if (c.content === 'logged-new') want.set(pattern(MiB, 2), 2 * MiB);
      expect(await attempt()).toBe(sha256(want));
      return;
    }
    const error = await attempt().then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(VhdxError);
    const e = error as VhdxError;
    expect(e.message).toMatch(c.structure);
    expect(e.offset, e.message).not.toBeNull();
  });

  it.skipIf(!HAS_TESTDATA)(
    'a parent chain that loops through two real Hyper-V checkpoints is refused',
    async () => {
      // Two copies of the real child, each pointing at the other, linked to the other's DataWriteGuid.
      const real = files.get('differencing');
      if (!real) throw new Error(TESTDATA_MISSING);
      const utf16 = (s: string): Buffer => Buffer.from(s, 'utf16le');
      const replaceAll = (b: Buffer, from: string, to: string): number => {
        const region = b.subarray(META, META + MiB);
        const f = utf16(from);
        let n = 0;
        for (let at = region.indexOf(f); at >= 0; at = region.indexOf(f, at + 1)) {
          utf16(to).copy(region, at);
          n++;
        }
        return n;
      };
      const other = REAL_PARENT.replace('385.avhdx', '386.avhdx');
      const a = Buffer.from(real);
      const b = Buffer.from(real);
      expect(replaceAll(a, '385.avhdx', '386.avhdx')).toBe(3);
      for (const x of [a, b])
        expect(
          replaceAll(
            x,
            'ff34003b-11ed-4cf8-a166-b2be05e20b80',
            'b298d413-f67e-412a-9a72-c7c7fc9b6cb5',
          ),
        ).toBe(1);
      const store = memoryFileStore();
      await store.writeFileAtomic(REAL_PARENT, a);
      await store.writeFileAtomic(other, b);
      const error = await openDisk(store, other).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(VhdxError);
      expect((error as VhdxError).code).toBe('CHAIN_CYCLE');
      expect((error as VhdxError).message).toMatch(/parent locator/);
    },
  );
});
