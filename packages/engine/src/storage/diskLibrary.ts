import * as vhdx from '@hvm/vhdx';
import type { FileStore } from '@hvm/vhdx';

/**
 * The engine's view of the VHDX library: the few disk operations it needs. Keeping them behind
 * one interface keeps `@hvm/vhdx` in one file and states what the engine relies on.
 */
export interface DiskLibrary {
  createDynamicDisk(store: FileStore, path: string, virtualSize: number): Promise<void>;
  createDifferencingDisk(store: FileStore, childPath: string, parentPath: string): Promise<void>;
  /** Writes bytes at a virtual offset (demo data such as a partition table). */
  writeDisk(store: FileStore, path: string, offset: number, data: Uint8Array): Promise<void>;
  /** Writes several ranges in one open of the disk, in order, then flushes (a guest's I/O batch). */
  writeDiskRanges(
    store: FileStore,
    path: string,
    writes: readonly { offset: number; data: Uint8Array }[],
  ): Promise<void>;
  /** Reads `length` bytes at a virtual offset through the disk's chain. */
  readDisk(store: FileStore, path: string, offset: number, length: number): Promise<Uint8Array>;
  /** Opens the chain once for several reads (a checker's pass over a disk); close it when done. */
  openReader?(store: FileStore, path: string): Promise<DiskReaderSession>;
  /** Forgets what is kept open or parsed of these files (they were changed or removed); all files without paths. */
  forget?(store: FileStore, paths?: readonly string[]): Promise<void>;
  /** The file's parent path as its header records it (null for a base disk). */
  parentOf(store: FileStore, path: string): Promise<string | null>;
  /** Folds `childPath` into its parent, re-points `children` to the parent and unlinks the child; resumable. */
  mergeDisk(
    store: FileStore,
    childPath: string,
    options: {
      children: string[];
      onProgress: (percent: number) => void;
      signal?: AbortSignal;
      /** Copy-rate limit in bytes per second; 0 or absent: none. */
      bytesPerSecond?: number;
    },
  ): Promise<void>;
  readonly canMerge: boolean;
}

export interface DiskReaderSession {
  read(offset: number, length: number): Promise<Uint8Array>;
  close(): Promise<void>;
}

/**
 * Parents of the chains the host opens stay open and parsed between operations, so reading or
 * writing a disk costs the same however many checkpoints lie below it.
 */
const openParents = new vhdx.DiskCache();

interface MergeApi {
  mergeDisk?: (
    store: FileStore,
    childPath: string,
    options: {
      children?: string[];
      onProgress?: (progress: unknown) => void;
      signal?: AbortSignal;
      bytesPerSecond?: number;
    },
  ) => Promise<unknown>;
}

/**
 * `@hvm/vhdx` reports whole percents 0-100 (so 1 is 1 %, not 100 %); an object may carry a
 * percent or done/total. The engine shows whole percents.
 */
export function toPercent(progress: unknown): number {
  let value = 0;
  if (typeof progress === 'number') value = progress;
  else if (typeof progress === 'object' && progress !== null) {
    const p = progress as { percent?: unknown; done?: unknown; total?: unknown };
    if (typeof p.percent === 'number') value = p.percent;
    else if (typeof p.done === 'number' && typeof p.total === 'number' && p.total > 0) {
      value = (p.done / p.total) * 100;
    }
  }
  return Math.max(0, Math.min(100, Math.floor(value)));
}

const mergeApi = vhdx as unknown as MergeApi;

export const vhdxDiskLibrary: DiskLibrary = {
  async createDynamicDisk(store, path, virtualSize) {
    await vhdx.createDynamicDisk(store, path, { virtualSize });
  },
  async createDifferencingDisk(store, childPath, parentPath) {
    await vhdx.createDifferencingDisk(store, childPath, parentPath);
  },
  async writeDisk(store, path, offset, data) {
    const disk = await vhdx.openDisk(store, path, { writable: true, cache: openParents });
    try {
      await disk.write(data, offset);
      await disk.flush();
    } finally {
      await disk.close();
    }
  },
  async writeDiskRanges(store, path, writes) {
    if (writes.length === 0) return;
    const disk = await vhdx.openDisk(store, path, { writable: true, cache: openParents });
    try {
      for (const { offset, data } of writes) await disk.write(data, offset);
      await disk.flush();
    } finally {
      await disk.close();
    }
  },
  async readDisk(store, path, offset, length) {
    const disk = await vhdx.openDisk(store, path, { cache: openParents });
    try {
      const buffer = new Uint8Array(length);
      await disk.read(buffer, offset);
      return buffer;
    } finally {
      await disk.close();
    }
  },
  async openReader(store, path) {
    const disk = await vhdx.openDisk(store, path, { cache: openParents });
    return {
      async read(offset, length) {
        const buffer = new Uint8Array(length);
        await disk.read(buffer, offset);
        return buffer;
      },
      close: () => disk.close(),
    };
  },
  async forget(store, paths) {
    if (paths === undefined) await openParents.clear(store);
    else for (const path of paths) await openParents.invalidate(store, path);
  },
  async parentOf(store, path) {
    const info = await vhdx.inspectDisk(store, path, { cache: openParents });
    return info.parentPath ?? null;
  },
  async mergeDisk(store, childPath, options) {
    const merge = mergeApi.mergeDisk;
    if (merge === undefined) throw new Error('this build of @hvm/vhdx cannot merge disks yet');
    // A merge rewrites the parent and re-points the children: nothing kept open stays valid.
    await openParents.clear(store);
    try {
      await merge(store, childPath, {
        children: options.children,
        onProgress: (progress) => {
          options.onProgress(toPercent(progress));
        },
        ...(options.signal === undefined ? {} : { signal: options.signal }),
        ...(options.bytesPerSecond === undefined ? {} : { bytesPerSecond: options.bytesPerSecond }),
      });
    } finally {
      await openParents.clear(store);
    }
  },
  get canMerge() {
    return typeof mergeApi.mergeDisk === 'function';
  },
};
