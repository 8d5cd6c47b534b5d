export const DiskType = {
  Fixed: 'Fixed',
  Dynamic: 'Dynamic',
  Differencing: 'Differencing',
} as const;
export type DiskType = (typeof DiskType)[keyof typeof DiskType];

export interface DiskInfo {
  path: string;
  type: DiskType;
  virtualSize: number;
  blockSize: number;
  logicalSectorSize: number;
  physicalSectorSize: number;
  virtualDiskId: string;
  dataWriteGuid: string;
  fileSize: number;
  allocatedBytes: number;
  /** Resolved store path of the parent; null for a base disk. */
  parentPath: string | null;
  /** The parent's DataWriteGuid this disk was linked to (`{...}`), null for a base disk. */
  parentLinkage: string | null;
  creator: string;
}

export interface VirtualDisk {
  readonly info: DiskInfo;
  readonly parent: VirtualDisk | null;
  /** Fills `buffer` from virtual offset `offset`; any byte offsets and lengths inside the disk. */
  read(buffer: Uint8Array, offset: number): Promise<void>;
  /**
   * The same read made on the spot, without a promise, when the bytes' place is known from cached
   * metadata and one system call reads them; false, having read nothing, when it is not (then
   * `read`). For callers that make many small reads one after another (a request loop).
   */
  readNow(buffer: Uint8Array, offset: number): boolean;
  /**
   * Fills `segments` in order with the bytes from `offset` (their summed length), straight from
   * the files: one vectored call per contiguous range of a file, zeros filled in place.
   */
  readSegments(segments: readonly Uint8Array[], offset: number): Promise<void>;
  write(buffer: Uint8Array, offset: number): Promise<void>;
  /** Writes `segments` in order from `offset` as `write` writes their gathered bytes. */
  writeSegments(segments: readonly Uint8Array[], offset: number): Promise<void>;
  /** Makes written data and the block table durable. */
  flush(): Promise<void>;
  /**
   * True when a write of this range would change data alone (sectors this file already holds),
   * so it may run beside other requests; false when it would change the block table.
   */
  writesInPlace(offset: number, length: number): boolean;
  /**
   * Gives this file its session's new DataWriteGuid now (durable), unless a write did already: a
   * child made of it from then on stays linked whatever this session still writes. Not beside
   * writes.
   */
  beginChange(): Promise<void>;
  /** Flushes and closes this disk and its parents. */
  close(): Promise<void>;
}
