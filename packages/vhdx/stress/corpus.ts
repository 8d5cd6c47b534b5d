import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import {
  createDifferencingDisk,
  createDynamicDisk,
  memoryFileStore,
  openDisk,
  type FileHandle,
  type FileStore,
} from '@hvm/vhdx';

/** A structure of a VHDX file that mutations aim at. */
export interface Structure {
  kind: 'file identifier' | 'header' | 'region table' | 'region' | 'log' | 'payload';
  offset: number;
  length: number;
}

/** One disk to fuzz: the file the reader opens, the files beside it (its parents), its structures. */
export interface Seed {
  name: string;
  target: string;
  files: Map<string, Uint8Array>;
  structures: Structure[];
}

const KiB = 1024;
const MiB = 1024 * KiB;

/** `../shared/testdata/vhdx/` next to the repository, as the project keeps it. */
export function sharedTestdataFolder(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  let folder = here;
  while (!existsSync(join(folder, 'turbo.json')) && dirname(folder) !== folder)
    folder = dirname(folder);
  return resolve(folder, '../shared/testdata/vhdx');
}

const u32 = (b: Uint8Array, at: number): number =>
  new DataView(b.buffer, b.byteOffset, b.byteLength).getUint32(at, true);
const u64 = (b: Uint8Array, at: number): number =>
  Number(new DataView(b.buffer, b.byteOffset, b.byteLength).getBigUint64(at, true));

/** Finds the headers, region tables, regions and log of an intact file. */
export function structuresOf(file: Uint8Array): Structure[] {
  const out: Structure[] = [
    { kind: 'file identifier', offset: 0, length: 512 },
    { kind: 'header', offset: 64 * KiB, length: 4 * KiB },
    { kind: 'header', offset: 128 * KiB, length: 4 * KiB },
    { kind: 'region table', offset: 192 * KiB, length: 64 * KiB },
    { kind: 'region table', offset: 256 * KiB, length: 64 * KiB },
  ];
  if (file.length < MiB) return out;
  const header = file.subarray(64 * KiB);
  const logLength = u32(header, 68);
  const logOffset = u64(header, 72);
  if (logLength > 0 && logOffset + logLength <= file.length)
    out.push({ kind: 'log', offset: logOffset, length: logLength });
  const table = file.subarray(192 * KiB);
  const count = Math.min(u32(table, 8), 16);
  let end = 0;
  for (let i = 0; i < count; i += 1) {
    const offset = u64(table, 16 + i * 32 + 16);
    const length = u32(table, 16 + i * 32 + 24);
    if (offset + length <= file.length) out.push({ kind: 'region', offset, length });
    end = Math.max(end, offset + length);
  }
  if (end < file.length) out.push({ kind: 'payload', offset: end, length: file.length - end });
  return out;
}

function seedOf(name: string, target: string, files: Map<string, Uint8Array>): Seed {
  const bytes = files.get(target);
  if (bytes === undefined) throw new Error(`${target} missing from its seed`);
  return { name, target, files, structures: structuresOf(bytes) };
}

/** The real Hyper-V disks of the shared test data (the checkpoint child with its stand-in parent). */
export function realSeeds(folder = sharedTestdataFolder()): Seed[] | null {
  if (!existsSync(folder)) return null;
  const read = (name: string): Uint8Array => gunzipSync(readFileSync(join(folder, `${name}.gz`)));
  const parentName = 'Generation 1_49C4BAF3-4B25-4406-8C4B-D39E65C32385.avhdx';
  return [
    seedOf(
      'dynamic.vhdx (Hyper-V)',
      'dynamic.vhdx',
      new Map([['dynamic.vhdx', read('dynamic.vhdx')]]),
    ),
    seedOf('fixed.vhdx (Hyper-V)', 'fixed.vhdx', new Map([['fixed.vhdx', read('fixed.vhdx')]])),
    seedOf(
      'differencing.avhdx (Hyper-V checkpoint)',
      'differencing.avhdx',
      new Map([
        ['differencing.avhdx', read('differencing.avhdx')],
        [parentName, read(parentName)],
      ]),
    ),
  ];
}

function pattern(length: number, value: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i += 1) out[i] = (value + i * 7) & 0xff;
  return out;
}

async function snapshot(store: FileStore, paths: string[]): Promise<Map<string, Uint8Array>> {
  const files = new Map<string, Uint8Array>();
  for (const path of paths) files.set(path, await store.readFile(path));
  return files;
}

/** Stops every change after `allowed` writes, as a power cut would: what landed stays. */
function cutAfter(inner: FileStore, allowed: number): FileStore {
  let writes = 0;
  const step = (): void => {
    writes += 1;
    if (writes > allowed) throw new Error('power cut');
  };
  const wrap = (h: FileHandle): FileHandle => ({
    ...h,
    read: (b, p) => h.read(b, p),
    size: () => h.size(),
    sync: () => h.sync(),
    close: () => h.close(),
    truncate: async (length) => {
      step();
      await h.truncate(length);
    },
    write: async (buffer, position) => {
      step();
      await h.write(buffer, position);
    },
  });
  return { ...inner, open: async (path, mode) => wrap(await inner.open(path, mode)) };
}

/** Disks this library writes: dynamic with 1 MiB blocks, a differencing child, one with a log still to replay. */
export async function generatedSeeds(): Promise<Seed[]> {
  const store = memoryFileStore();
  await createDynamicDisk(store, 'base.vhdx', { virtualSize: 16 * MiB, blockSize: MiB });
  const base = await openDisk(store, 'base.vhdx', { writable: true });
  await base.write(pattern(3 * MiB, 1), 0);
  await base.write(pattern(4 * KiB, 2), 15 * MiB);
  await base.close();
  await createDifferencingDisk(store, 'child.avhdx', 'base.vhdx');
  const child = await openDisk(store, 'child.avhdx', { writable: true });
  await child.write(pattern(5 * KiB, 3), 512);
  await child.write(pattern(MiB, 4), 2 * MiB + 512);
  await child.close();
  const seeds = [
    seedOf('generated dynamic', 'base.vhdx', await snapshot(store, ['base.vhdx'])),
    seedOf(
      'generated differencing',
      'child.avhdx',
      await snapshot(store, ['child.avhdx', 'base.vhdx']),
    ),
  ];

  // A write cut off after its log entry landed but before the BAT did: the log must be replayed.
  for (let allowed = 1; allowed < 64; allowed += 1) {
    const scratch = memoryFileStore();
    await scratch.writeFileAtomic('logged.vhdx', await store.readFile('base.vhdx'));
    try {
      const disk = await openDisk(cutAfter(scratch, allowed), 'logged.vhdx', { writable: true });
      await disk.write(pattern(2 * MiB, 5), 5 * MiB);
      await disk.close();
    } catch {
      // The cut; what landed is the seed.
    }
    const bytes = await scratch.readFile('logged.vhdx');
    const logGuidSet = [64 * KiB, 128 * KiB].some((h) =>
      bytes.subarray(h + 48, h + 64).some((b) => b !== 0),
    );
    if (logGuidSet) {
      seeds.push(
        seedOf('generated, log to replay', 'logged.vhdx', new Map([['logged.vhdx', bytes]])),
      );
      break;
    }
  }
  return seeds;
}
