import type { FileHandle, FileStore } from '../storage/fileStore.js';
import { memoryFileStore } from '../storage/memoryFileStore.js';

/** Thrown by `faultyStore` at the simulated crash. */
export class SimulatedCrash extends Error {
  constructor() {
    super('simulated crash');
    this.name = 'SimulatedCrash';
  }
}

export interface FaultBudget {
  /** Mutating operations (write, truncate, writeFileAtomic, rename, unlink, mkdirp, create) allowed before the crash. */
  ops?: number;
  /** Bytes of `write` allowed before the crash; the write that crosses it is torn (its prefix lands). */
  bytes?: number;
}

/**
 * A store that "crashes" once a budget of mutating operations or written bytes is used: the
 * operation that exceeds it (a torn prefix for writes) and every later mutation throw. Counters
 * tell how many operations and bytes a run used.
 */
export function faultyStore(
  inner: FileStore,
  budget: FaultBudget = {},
): FileStore & { ops: number; bytes: number; crashed: boolean } {
  const state = { ops: 0, bytes: 0, crashed: false };
  const step = (): void => {
    if (state.crashed) throw new SimulatedCrash();
    if (budget.ops !== undefined && state.ops >= budget.ops) {
      state.crashed = true;
      throw new SimulatedCrash();
    }
    state.ops++;
  };
  const wrap = (h: FileHandle): FileHandle => ({
    read: (b, p) => h.read(b, p),
    size: () => h.size(),
    sync: () => h.sync(),
    close: () => h.close(),
    async truncate(length) {
      step();
      await h.truncate(length);
    },
    async write(buffer, position) {
      step();
      if (budget.bytes !== undefined && state.bytes + buffer.length > budget.bytes) {
        const n = budget.bytes - state.bytes;
        if (n > 0) await h.write(buffer.subarray(0, n), position);
        state.bytes = budget.bytes;
        state.crashed = true;
        throw new SimulatedCrash();
      }
      state.bytes += buffer.length;
      await h.write(buffer, position);
    },
  });
  const store: FileStore = {
    async open(path, mode) {
      if (mode === 'wx') step();
      return wrap(await inner.open(path, mode));
    },
    readFile: (p) => inner.readFile(p),
    async writeFileAtomic(p, d) {
      step();
      await inner.writeFileAtomic(p, d);
    },
    exists: (p) => inner.exists(p),
    stat: (p) => inner.stat(p),
    async rename(a, b) {
      step();
      await inner.rename(a, b);
    },
    async unlink(p) {
      step();
      await inner.unlink(p);
    },
    async mkdirp(p) {
      step();
      await inner.mkdirp(p);
    },
    list: (p) => inner.list(p),
    removeTree: (p) => inner.removeTree(p),
    realpath: (p) => inner.realpath(p),
  };
  return Object.defineProperties(store, {
    ops: { get: () => state.ops },
    bytes: { get: () => state.bytes },
    crashed: { get: () => state.crashed },
  }) as FileStore & { ops: number; bytes: number; crashed: boolean };
}

/** A copy of the files in the root folder of a store, to restore before each simulated crash. */
export async function snapshotStore(store: FileStore): Promise<Map<string, Uint8Array>> {
  const out = new Map<string, Uint8Array>();
  for (const name of await store.list('')) out.set(name, await store.readFile(name));
  return out;
}

export async function restoreStore(files: Map<string, Uint8Array>): Promise<FileStore> {
  const store = memoryFileStore();
  for (const [name, data] of files) await store.writeFileAtomic(name, data);
  return store;
}
