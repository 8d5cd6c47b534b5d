import { VhdxError, inspectDisk, openDisk } from '@hvm/vhdx';
import type { Seed } from './corpus.js';
import { mutate } from './mutate.js';
import { FuzzFile, overlayStore, type ReadWatch } from './overlayStore.js';
import { Random } from '@hvm/stress-support';

/** Bigger single reads than this count as an unbounded allocation driven by the file's fields. */
export const MAX_READ_BYTES = 256 * 1024 * 1024;

export type CaseOutcome =
  | { kind: 'read' | 'rejected'; largestRead: number }
  | { kind: 'crash'; seedName: string; error: string };

function describe(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}\n${error.stack ?? ''}`;
  return String(error);
}

/** A rejection must be a VhdxError that names a structure (and carries an offset field, even if null). */
function isCleanRejection(error: unknown): boolean {
  return (
    error instanceof VhdxError &&
    typeof error.structure === 'string' &&
    error.structure.length > 0 &&
    (error.offset === null || Number.isFinite(error.offset))
  );
}

/**
 * One fuzz case: a seed disk picked and mutated by `caseSeed`, then opened, inspected and read
 * at a few places. Reading or a VhdxError are fine; anything else is a crash of the reader.
 */
export async function runReaderCase(seeds: Seed[], caseSeed: number): Promise<CaseOutcome> {
  const random = new Random(caseSeed);
  const seed = random.pick(seeds);
  const files = new Map<string, FuzzFile>();
  for (const [path, bytes] of seed.files) files.set(path, new FuzzFile(bytes));
  const target = files.get(seed.target);
  if (target === undefined) throw new Error(`seed ${seed.name} has no ${seed.target}`);
  // Mostly the disk itself; sometimes its parent.
  const parentPath = [...files.keys()].find((p) => p !== seed.target);
  const victim = parentPath !== undefined && random.chance(0.2) ? files.get(parentPath) : target;
  mutate(victim ?? target, seed.structures, random);

  const watch: ReadWatch = { largestRead: 0, reads: 0 };
  const store = overlayStore(files, watch);
  try {
    if (random.chance(0.25)) await inspectDisk(store, seed.target);
    const disk = await openDisk(store, seed.target);
    try {
      const size = disk.info.virtualSize;
      const places = [0, size - 512, random.int(Math.max(1, size / 512)) * 512];
      for (const at of places) {
        const length = Math.min(size - at, 512 * (1 + random.int(128)));
        if (at >= 0 && length > 0) await disk.read(new Uint8Array(length), at);
      }
    } finally {
      await disk.close();
    }
    return check(watch, 'read', seed.name);
  } catch (error) {
    if (isCleanRejection(error)) return check(watch, 'rejected', seed.name);
    return { kind: 'crash', seedName: seed.name, error: describe(error) };
  }
}

function check(watch: ReadWatch, kind: 'read' | 'rejected', seedName: string): CaseOutcome {
  if (watch.largestRead > MAX_READ_BYTES)
    return {
      kind: 'crash',
      seedName,
      error: `unbounded allocation: one read of ${watch.largestRead} bytes`,
    };
  return { kind, largestRead: watch.largestRead };
}
