/** What the server serves: a range of bytes with its own storage behind it. */
export interface BlockExport {
  /** The export's size in bytes: requests beyond it are refused with NBD_EINVAL. */
  readonly sizeBytes: number;
  /** A read-only export refuses WRITE and TRIM with NBD_EPERM. */
  readonly readOnly: boolean;
  /** A short text for NBD_INFO_DESCRIPTION, if any. */
  readonly description?: string;
  read(offset: number, length: number): Promise<Uint8Array>;
  /**
   * Optional: the same read into the server's buffer (`into.length` bytes at `offset`), which it
   * reuses for the next reads once the reply is sent, sparing a new buffer per request.
   */
  readInto?(offset: number, into: Uint8Array): Promise<void>;
  /**
   * With `forceUnitAccess`, the data must be on stable storage before this resolves. `data` is
   * the server's again once this settles (it reads the next write into it): keep a copy, not it.
   */
  write(offset: number, data: Uint8Array, forceUnitAccess: boolean): Promise<void>;
  /**
   * Optional vectored read: fills `segments` in order with the bytes from `offset`, their summed
   * length in all, straight from storage (a vhost-user-blk back end's request, whose data buffers
   * are many pieces of guest memory: no bounce buffer). The segments are the caller's again once
   * the promise settles.
   */
  readIntoSegments?(offset: number, segments: Uint8Array[]): Promise<void>;
  /**
   * Optional vectored write: writes `segments` in order from `offset`, as `write` would write
   * their gathered bytes (`forceUnitAccess` as there). The segments are the caller's again once
   * the promise settles.
   */
  writeSegments?(offset: number, segments: Uint8Array[], forceUnitAccess: boolean): Promise<void>;
  /** Everything written before is on stable storage when this resolves. */
  flush(): Promise<void>;
  /** The range's contents are no longer needed (they may read back as anything); optional. */
  trim?(offset: number, length: number): Promise<void>;
}

/** Finds the export a client names (the empty name is the default export), or undefined. */
export type ExportLookup = (name: string) => BlockExport | undefined;

/** An error of the export that should reach the client as a specific NBD error value. */
export class BlockExportError extends Error {
  constructor(
    message: string,
    readonly nbdError: 'EIO' | 'ENOSPC' | 'EPERM',
  ) {
    super(message);
    this.name = 'BlockExportError';
  }
}
