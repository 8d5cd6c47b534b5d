import * as vhdx from '@hvm/vhdx';
import type { DiskInfo, FileStore } from '@hvm/vhdx';

/*
 * The engine's one door to `@hvm/vhdx`: only this folder (packages/engine/src/disk) imports its
 * values (an ESLint rule enforces it); the rest of the engine uses what is exported here.
 */

/** The file stores the engine runs on (real folders, or memory for tests and demos), and more. */
export { nodeFileStore, memoryFileStore, Throttle, MERGE_SIDECAR_SUFFIX } from '@hvm/vhdx';

/**
 * Export's copies: `flattenDisk` writes a standalone dynamic VHDX with what a disk shows through
 * its chain (stopping with a VhdxError ABORTED once its signal is aborted); `copySparseFile`
 * copies a file (a saved state) leaving runs of zeros unwritten.
 */
export { flattenDisk, copySparseFile } from '@hvm/vhdx';

/**
 * Export and import of a chain as it is: points a copied differencing disk at its copied parent
 * (relative and absolute paths, linkage; the caller vouches that the parent holds the same data).
 */
export { reparentDisk } from '@hvm/vhdx';

/**
 * The engine's view of the VHDX library: the few disk operations it needs. Keeping them behind
 * one interface states what the engine relies on, and lets tests and benchmarks replace it.
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
  /**
   * Opens the chain once for a guest's reads and writes (the writes land in `path`); close it when
   * done. The disk is served to a running guest (@hvm/vhdx `servedToGuest`): its requests of up
   * to 1 MiB are made on the spot, through the parents it shares with every other user of the
   * store (one open file each), whose own requests keep the thread pool.
   */
  openReaderWriter?(store: FileStore, path: string): Promise<DiskReaderWriterSession>;
  /** Forgets what is kept open or parsed of these files (they were changed or removed); all files without paths. */
  forget?(store: FileStore, paths?: readonly string[]): Promise<void>;
  /** The file's parent path as its header records it (null for a base disk). */
  parentOf(store: FileStore, path: string): Promise<string | null>;
  /** Folds `childPath` into its parent (progress in whole percents, rising), re-points `children` to the parent and unlinks the child; resumable. */
  mergeDisk(
    store: FileStore,
    childPath: string,
    options: {
      children: string[];
      onProgress: (percent: number) => void;
      signal?: AbortSignal;
      /** Copy-rate limit in bytes per second; 0 or absent: none. */
      bytesPerSecond?: number;
      /** The running guest's writes during the merge (see `LiveDiskWrites`). */
      live?: LiveDiskWrites;
      /** Returns once the merge is complete, leaving the child's file to `deleteMergedChild`. */
      deferChildDeletion?: boolean;
    },
  ): Promise<void>;
  /**
   * Deletes the child of a complete merge made with `deferChildDeletion` (its file, then its
   * merge record, which names it until then).
   */
  deleteMergedChild?(store: FileStore, childPath: string): Promise<void>;
  /** The writes of a guest whose disk is `drivePath`, for the merges that run while it runs. */
  openLiveMerge?(store: FileStore, drivePath: string): LiveDiskWrites;
}

/**
 * A running guest's writes (and reads) of its disk while a merge of its chain runs (a live merge): what
 * `openLiveMerge` gives and `mergeDisk` takes as `live`. The rule they land by is
 * @hvm/vhdx's `LiveMergeWrites`: in the child, and in the parent too for blocks already copied.
 */
export interface LiveDiskWrites {
  /** The guest's disk it was opened for. */
  readonly path: string;
  /** Lands the batch in order; resolves once it is durable. */
  write(writes: readonly { offset: number; data: Uint8Array }[]): Promise<void>;
  /** Reads the guest's disk as it is now (never what a block held before an acknowledged write). */
  read(offset: number, length: number): Promise<Uint8Array>;
  /** The guest's disk's size in bytes. */
  virtualSize(): Promise<number>;
}

export interface DiskReaderSession {
  read(offset: number, length: number): Promise<Uint8Array>;
  close(): Promise<void>;
}

export interface DiskReaderWriterSession extends DiskReaderSession {
  /** The disk's virtual size in bytes. */
  readonly virtualSize: number;
  write(offset: number, data: Uint8Array): Promise<void>;
  /**
   * True when a write of this range changes data alone (sectors the file already holds): it may
   * run beside reads, other such writes and a flush; every other write changes the block table.
   */
  writesInPlace(offset: number, length: number): boolean;
  /** Written data and the block table are durable when this resolves. */
  flush(): Promise<void>;
  /** Fills `into` from the virtual offset `offset` (a buffer the caller reuses). */
  readInto(offset: number, into: Uint8Array): Promise<void>;
  /**
   * Fills `segments` in order from `offset`, straight from the files (one vectored call per
   * contiguous range of a file: @hvm/vhdx `readSegments`); optional.
   */
  readIntoSegments?(offset: number, segments: readonly Uint8Array[]): Promise<void>;
  /** Writes `segments` in order from `offset`, as `write` their gathered bytes; optional. */
  writeSegments?(offset: number, segments: readonly Uint8Array[]): Promise<void>;
  /**
   * The parents this session reads through, nearest first: the library keeps them open after the
   * session closes, until `forget` is called with one of them.
   */
  readonly parents: readonly string[];
  /**
   * Gives the disk this session's new identity for its data now (VHDX: its DataWriteGuid), unless
   * a write did already: a child made of it from then on stays linked whatever is still written.
   */
  beginChange(): Promise<void>;
}

/**
 * Parents of the chains the host opens stay open and parsed between operations, so reading or
 * writing a disk costs the same however many checkpoints lie below it.
 */
const openParents = new vhdx.DiskCache();

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
  async openReaderWriter(store, path) {
    const disk = await vhdx.openDisk(store, path, {
      writable: true,
      cache: openParents,
      servedToGuest: true,
    });
    const parents: string[] = [];
    for (let parent = disk.parent; parent !== null; parent = parent.parent)
      parents.push(parent.info.path);
    return {
      virtualSize: disk.info.virtualSize,
      parents,
      async read(offset, length) {
        // Not zeroed first: every path of `read` fills the whole buffer (data, the parent's
        // bytes, or zeros where the disk holds none), and a guest's 1 MiB reads are many.
        const buffer = Buffer.allocUnsafe(length);
        await disk.read(buffer, offset);
        return buffer;
      },
      readInto: (offset, into) => disk.read(into, offset),
      readIntoSegments: (offset, segments) => disk.readSegments(segments, offset),
      write: (offset, data) => disk.write(data, offset),
      writeSegments: (offset, segments) => disk.writeSegments(segments, offset),
      writesInPlace: (offset, length) => disk.writesInPlace(offset, length),
      flush: () => disk.flush(),
      beginChange: () => disk.beginChange(),
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
  openLiveMerge(store, drivePath) {
    return new vhdx.LiveMergeWrites(store, drivePath);
  },
  async mergeDisk(store, childPath, options) {
    // A merge rewrites the parent and re-points the children: nothing kept open stays valid.
    await openParents.clear(store);
    try {
      await vhdx.mergeDisk(store, childPath, {
        children: options.children,
        onProgress: options.onProgress,
        ...(options.signal === undefined ? {} : { signal: options.signal }),
        ...(options.bytesPerSecond === undefined ? {} : { bytesPerSecond: options.bytesPerSecond }),
        ...(options.live instanceof vhdx.LiveMergeWrites ? { live: options.live } : {}),
        deferChildDeletion: options.deferChildDeletion === true,
      });
    } finally {
      await openParents.clear(store);
    }
  },
  async deleteMergedChild(store, childPath) {
    await vhdx.deleteMergedChild(store, childPath);
    await openParents.invalidate(store, childPath);
  },
};

/** A disk file's header, metadata and whole parent chain (read-only; nothing kept open). */
export function readDiskChain(
  store: FileStore,
  path: string,
): Promise<DiskInfo & { chain: DiskInfo[] }> {
  return vhdx.inspectDisk(store, path);
}

/**
 * Finishes merges a host stop cut short after the child was unlinked: all of a folder's
 * sidecars (`resumeMerges`) or only the named children's.
 */
/**
 * The merged children of `folder` whose file is still to be deleted: the host stopped after the
 * merge was complete and before the deletion that follows it.
 */
export function pendingChildDeletions(store: FileStore, folder: string): Promise<string[]> {
  return vhdx.pendingChildDeletions(store, folder);
}

export async function finishMerges(
  store: FileStore,
  folder: string,
  children: readonly string[] | 'all',
): Promise<void> {
  if (children === 'all') await vhdx.resumeMerges(store, folder);
  else for (const child of children) await vhdx.mergeDisk(store, child);
}

/**
 * New-VHD -Fixed: a base disk with every block allocated at creation and written with zeros
 * ("the VHD is zeroed out during creation", Microsoft's New-VHD reference), reporting the share
 * of the blocks zeroed.
 */
export async function createFixedDisk(
  store: FileStore,
  path: string,
  virtualSize: number,
  onProgress?: (fraction: number) => void,
): Promise<void> {
  await vhdx.createFixedDisk(store, path, {
    virtualSize,
    zeroFill: true,
    ...(onProgress === undefined ? {} : { onProgress }),
  });
}

/**
 * Resize-VHD on a dynamic or differencing disk (crash-safe through the file's log), and the
 * smallest size it can shrink to: the end of its last block holding data.
 */
export { resizeDisk, minimumDiskSize } from '@hvm/vhdx';

/**
 * Convert-VHD and Optimize-VHD: a new dynamic or fixed copy of a disk, and a disk rewritten
 * without its empty (and, in Full mode, zero) blocks; both renamed into place once complete.
 */
export { convertDisk, compactDisk } from '@hvm/vhdx';
