/**
 * A store wrapper that counts the calls each file's handle gets, by kind, so that tests can show
 * how many system calls a request costs (one `readv` per contiguous range of a file, say).
 */
import type { FileHandle, FileStore, OpenMode, OpenOptions } from '../storage/fileStore.js';

export type CallKind = 'read' | 'readNow' | 'readv' | 'readvNow' | 'write' | 'writev';

export interface CallCounts {
  /** Calls per file path and kind, since the last `reset`. */
  readonly calls: Map<string, Record<CallKind, number>>;
  /** The calls of every file of the kind, summed. */
  total(kind: CallKind): number;
  reset(): void;
}

function none(): Record<CallKind, number> {
  return { read: 0, readNow: 0, readv: 0, readvNow: 0, write: 0, writev: 0 };
}

/** `inner` with every handle's reads and writes counted. */
export function countingStore(inner: FileStore): { store: FileStore; counts: CallCounts } {
  const calls = new Map<string, Record<CallKind, number>>();
  const count = (path: string, kind: CallKind): void => {
    const row = calls.get(path) ?? none();
    row[kind] += 1;
    calls.set(path, row);
  };
  const wrap = (path: string, h: FileHandle): FileHandle => {
    const readNow = h.readNow?.bind(h);
    const readv = h.readv?.bind(h);
    const readvNow = h.readvNow?.bind(h);
    const writev = h.writev?.bind(h);
    return {
      ...h,
      read: (buffer, position) => (count(path, 'read'), h.read(buffer, position)),
      write: (buffer, position) => (count(path, 'write'), h.write(buffer, position)),
      ...(readNow && { readNow: (b, p) => (count(path, 'readNow'), readNow(b, p)) }),
      ...(readv && { readv: (b, p) => (count(path, 'readv'), readv(b, p)) }),
      ...(readvNow && { readvNow: (b, p) => (count(path, 'readvNow'), readvNow(b, p)) }),
      ...(writev && { writev: (b, p) => (count(path, 'writev'), writev(b, p)) }),
    };
  };
  const store: FileStore = {
    ...inner,
    open: async (path: string, mode: OpenMode, options?: OpenOptions) =>
      wrap(path, await inner.open(path, mode, options)),
  };
  return {
    store,
    counts: {
      calls,
      total: (kind) => [...calls.values()].reduce((sum, row) => sum + row[kind], 0),
      reset: () => calls.clear(),
    },
  };
}
