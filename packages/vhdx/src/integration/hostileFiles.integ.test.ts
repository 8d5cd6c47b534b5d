import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { memoryFileStore, openDisk, VhdxError } from '../index.js';
import {
  gunzipTestFile,
  HAS_TESTDATA,
  makeTempDir,
  TESTDATA_MISSING,
} from '../test-support/externalTools.js';
import { sha256OfDisk } from '../test-support/patterns.js';

const KiB = 1024;

function flip(b: Buffer, at: number, mask: number): void {
  b.writeUInt8(b.readUInt8(at) ^ mask, at);
}
const MiB = 1024 * KiB;

/** Each mutation of the real dynamic.vhdx and the structure the error must name (null: must still read). */
const cases: { name: string; mutate: (b: Buffer) => void; structure: RegExp | null }[] = [
  {
    name: 'bad file signature',
    mutate: (b) => b.write('vhdxfilX', 0, 'latin1'),
    structure: /file type identifier/,
  },
  {
    name: 'header 1 checksum broken (header 2 still valid)',
    mutate: (b) => flip(b, 64 * KiB + 4, 0xff),
    structure: null,
  },
  {
    name: 'both header checksums broken',
    mutate: (b) => {
      flip(b, 64 * KiB + 4, 0xff);
      flip(b, 128 * KiB + 4, 0xff);
    },
    structure: /header/,
  },
  {
    name: 'both region tables broken',
    mutate: (b) => {
      flip(b, 192 * KiB + 20, 1);
      flip(b, 256 * KiB + 20, 1);
    },
    structure: /region table/,
  },
  {
    name: 'metadata signature broken',
    mutate: (b) => b.write('xetadata', 2 * MiB, 'latin1'),
    structure: /metadata/,
  },
  {
    name: 'BAT entry into the header area',
    mutate: (b) => b.writeUInt32LE(6, 3 * MiB),
    structure: /BAT/,
  },
  {
    name: 'BAT entry beyond end of file',
    mutate: (b) => {
      b.writeUInt32LE(6, 3 * MiB);
      b.writeUInt32LE(0x100, 3 * MiB + 4);
    },
    structure: /BAT/,
  },
  {
    name: 'PARTIALLY_PRESENT in a dynamic disk',
    mutate: (b) => b.writeUInt8(b.readUInt8(3 * MiB) | 7, 3 * MiB),
    structure: /BAT/,
  },
];

describe.skipIf(!HAS_TESTDATA)(
  `hostile files${HAS_TESTDATA ? '' : ` (skipped: ${TESTDATA_MISSING})`}`,
  () => {
    let original: Buffer;
    beforeAll(async () => {
      const { dir, cleanup } = await makeTempDir();
      await gunzipTestFile('dynamic.vhdx.gz', dir);
      original = await readFile(join(dir, 'dynamic.vhdx'));
      await cleanup();
    });

    it.each(cases)('$name', async ({ mutate, structure }) => {
      const bytes = Buffer.from(original);
      mutate(bytes);
      const store = memoryFileStore();
      await store.writeFileAtomic('d.vhdx', bytes);
      const attempt = async (): Promise<string> => {
        const disk = await openDisk(store, 'd.vhdx');
        try {
          return await sha256OfDisk(disk);
        } finally {
          await disk.close();
        }
      };
      if (structure === null) {
        expect(await attempt()).toBe(
          '8e2b5e9265d694b42b81819e3bff29770eff4ed0f4f9f311693ff3dbdc93efac',
        );
        return;
      }
      const error = await attempt().then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(VhdxError);
      expect((error as VhdxError).message).toMatch(structure);
    });
  },
);
