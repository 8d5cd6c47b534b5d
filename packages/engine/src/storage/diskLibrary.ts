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
  /** The file's parent path as its header records it (null for a base disk). */
  parentOf(store: FileStore, path: string): Promise<string | null>;
  /** Folds `childPath` into its parent, re-points `children` to the parent and unlinks the child; resumable. */
  mergeDisk(
    store: FileStore,
    childPath: string,
    options: { children: string[]; onProgress: (percent: number) => void; signal?: AbortSignal },
  ): Promise<void>;
  readonly canMerge: boolean;
}

interface MergeApi {
  mergeDisk?: (
    store: FileStore,
    childPath: string,
    options: {
      children?: string[];
      onProgress?: (progress: unknown) => void;
      signal?: AbortSignal;
    },
  ) => Promise<unknown>;
}

/** Progress may come as a fraction, a percentage or an object; the engine shows whole percents. */
function toPercent(progress: unknown): number {
  let value = 0;
  if (typeof progress === 'number') value = progress <= 1 ? progress * 100 : progress;
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
    const disk = await vhdx.openDisk(store, path, { writable: true });
    try {
      await disk.write(data, offset);
      await disk.flush();
    } finally {
      await disk.close();
    }
  },
  async writeDiskRanges(store, path, writes) {
    if (writes.length === 0) return;
    const disk = await vhdx.openDisk(store, path, { writable: true });
    try {
      for (const { offset, data } of writes) await disk.write(data, offset);
      await disk.flush();
    } finally {
      await disk.close();
    }
  },
  async readDisk(store, path, offset, length) {
    const disk = await vhdx.openDisk(store, path);
    try {
      const buffer = new Uint8Array(length);
      await disk.read(buffer, offset);
      return buffer;
    } finally {
      await disk.close();
    }
  },
  async parentOf(store, path) {
    const info = await vhdx.inspectDisk(store, path);
    return info.parentPath ?? null;
  },
  async mergeDisk(store, childPath, options) {
    const merge = mergeApi.mergeDisk;
    if (merge === undefined) throw new Error('this build of @hvm/vhdx cannot merge disks yet');
    await merge(store, childPath, {
      children: options.children,
      onProgress: (progress) => {
        options.onProgress(toPercent(progress));
      },
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    });
  },
  get canMerge() {
    return typeof mergeApi.mergeDisk === 'function';
  },
};
