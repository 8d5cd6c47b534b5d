/**
 * The file-store port. Every byte the engine and the VHDX library read or write goes through it,
 * so tests run on `memoryFileStore` and production on `nodeFileStore`.
 *
 * Paths are POSIX-style and relative to the store's root (`Virtual Hard Disks/web01.vhdx`); a store
 * refuses absolute paths and any path that leaves its root (`..`).
 */
export interface FileHandle {
  /** Reads up to `buffer.length` bytes at `position`; returns how many were read (fewer at the end of the file). */
  read(buffer: Uint8Array, position: number): Promise<number>;
  /**
   * Optional: the same read made on the spot, for small reads of data likely in the page cache
   * (a virtual disk's 4 KiB requests), where a call takes a few microseconds and a promise would
   * cost as much again. Returns how many bytes were read.
   */
  readNow?(buffer: Uint8Array, position: number): number;
  /** Writes all of `buffer` at `position`, growing the file when needed. */
  write(buffer: Uint8Array, position: number): Promise<void>;
  /**
   * Optional vectored read: fills `buffers` in order from `position` as one range, with one
   * system call (preadv(2)) where one reads it all; returns how many bytes were read (fewer at the
   * end of the file). Without it, `readPieces` (vectoredIo.ts) reads piece by piece.
   */
  readv?(buffers: readonly Uint8Array[], position: number): Promise<number>;
  /** Optional: `readv` made on the spot, as `readNow` is `read`'s (a served guest's reads). */
  readvNow?(buffers: readonly Uint8Array[], position: number): number;
  /**
   * Optional vectored write: writes all of `buffers` in order from `position` (pwritev(2)), on the
   * spot as `write` is for a handle opened with `ioOnTheSpot`. Without it, piece by piece.
   */
  writev?(buffers: readonly Uint8Array[], position: number): Promise<void>;
  size(): Promise<number>;
  truncate(length: number): Promise<void>;
  /** Makes every completed write durable (fsync). */
  sync(): Promise<void>;
  close(): Promise<void>;
  /**
   * Optional block cloning: makes each range of `source` (another handle of the same store) appear
   * at its `to` offset in this file by sharing the file system's blocks (reflink) instead of
   * copying them. Returns how many ranges, from the first, were cloned; the rest are untouched
   * (0 when the file system cannot clone). Offsets and lengths should be multiples of 64 KiB. An
   * empty list only gets cloning ready (so that the first real call is quick).
   */
  cloneRangesFrom?(source: FileHandle, ranges: readonly FileRange[]): Promise<number>;
  /**
   * Optional kernel copy: copies each range of `source` (another handle of the same store) to its
   * `to` offset in this file without passing the bytes through this process (`copy_file_range`).
   * Returns how many ranges, from the first, were copied; the caller copies the rest itself.
   */
  copyRangesFrom?(source: FileHandle, ranges: readonly FileRange[]): Promise<number>;
}

/** `length` bytes at offset `from` of one file, to go to offset `to` of another. */
export interface FileRange {
  from: number;
  to: number;
  length: number;
}

/** `r`: read only. `r+`: read and write an existing file. `wx`: create a new file, failing if it exists. */
export type OpenMode = 'r' | 'r+' | 'wx';

/**
 * The largest read or write made on the spot for a disk served to a running guest (see
 * `OpenOptions.ioOnTheSpot`): up to the 1 MiB a guest's sequential I/O sends. For data in the page
 * cache the system call copies the bytes in well under a millisecond, less than the two thread
 * switches of handing it to Node's thread pool and back cost on a busy host (measured with a
 * guest's 1 MiB requests over NBD: about 6 voluntary context switches of this process per request
 * through the pool, under 2 on the spot). It also bounds how long one call may hold the event
 * loop: larger requests go through the thread pool.
 */
export const ON_THE_SPOT_MAX_BYTES = 1024 * 1024;

export interface OpenOptions {
  /**
   * Reads and writes of this handle up to `ON_THE_SPOT_MAX_BYTES` are made as system calls on the
   * spot instead of through a thread pool: for the file of a disk served to a running guest, whose
   * requests wait on each other one or two at a time, at the cost of holding the event loop for
   * each. Every other handle (merges, copies, the web server's work) keeps the thread pool, so
   * that no disk work of theirs holds the event loop. A store without a thread pool ignores it.
   */
  ioOnTheSpot?: boolean;
}

export interface FileStat {
  size: number;
  /** Bytes the file really occupies (sparse files occupy less than their size). */
  allocatedBytes: number;
  isDirectory: boolean;
  modifiedAt: Date;
}

export interface FileStore {
  open(path: string, mode: OpenMode, options?: OpenOptions): Promise<FileHandle>;
  readFile(path: string): Promise<Uint8Array>;
  /** Writes a whole file so that a crash leaves either the old or the new content: temp file, fsync, rename, fsync of the folder. */
  writeFileAtomic(path: string, data: Uint8Array): Promise<void>;
  exists(path: string): Promise<boolean>;
  stat(path: string): Promise<FileStat>;
  rename(from: string, to: string): Promise<void>;
  unlink(path: string): Promise<void>;
  mkdirp(path: string): Promise<void>;
  /** Names (not paths) of the entries of a folder; an empty list when the folder does not exist. */
  list(path: string): Promise<string[]>;
  /** Removes a folder and everything in it; nothing happens when it does not exist. */
  removeTree(path: string): Promise<void>;
  /**
   * Where `path` really leads once every symbolic link on it is followed, as a path relative to
   * the store's root. The path need not exist: the part that does not is appended as written.
   * `null` when a link leads outside the root (or dangles, so that where it leads is unknown).
   */
  realpath(path: string): Promise<string | null>;
  /**
   * The absolute path of `path` on this host (a parent locator's `absolute_win32_path` is made
   * from it). Absent where the store has no place on a disk (the memory store).
   */
  absolutePath?(path: string): string;
}
