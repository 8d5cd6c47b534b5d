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
  write(buffer: Uint8Array, offset: number): Promise<void>;
  /** Makes written data and the block table durable. */
  flush(): Promise<void>;
  /**
   * True when a write of this range would change data alone (sectors this file already holds),
   * so it may run beside other requests; false when it would change the block table.
   */
  writesInPlace(offset: number, length: number): boolean;
  /** Flushes and closes this disk and its parents. */
  close(): Promise<void>;
}
