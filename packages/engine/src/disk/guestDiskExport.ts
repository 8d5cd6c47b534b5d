/**
 * A VM's disk chain as a block device for a real guest. QEMU cannot open a differencing VHDX, so
 * the host serves the chain (over NBD, `@hvm/nbd`) and the guest's blocks land in the VM's current
 * `.vhdx`/`.avhdx` as the simulated guests' do: outside readers see the same chain either way.
 * The shape matches `@hvm/nbd`'s BlockExport; the engine does not depend on the protocol.
 */
import type { FileStore } from '@hvm/vhdx';
import type { DiskLibrary, LiveDiskWrites } from './diskLibrary.js';

export interface GuestDiskExport {
  readonly sizeBytes: number;
  readonly readOnly: boolean;
  readonly description: string;
  /** The parents the library keeps open for this disk (`DiskReaderWriterSession.parents`). */
  readonly parents: readonly string[];
  read(offset: number, length: number): Promise<Uint8Array>;
  /** Fills `into` from `offset` (the NBD server's buffer, reused once the reply is sent); optional. */
  readInto?(offset: number, into: Uint8Array): Promise<void>;
  /** Fills `segments` in order from `offset`, straight from the files; optional. */
  readIntoSegments?(offset: number, segments: Uint8Array[]): Promise<void>;
  /** With `forceUnitAccess`, the data and the block table are durable when this resolves. */
  write(offset: number, data: Uint8Array, forceUnitAccess: boolean): Promise<void>;
  /** `write` of the segments' bytes in order, straight from them; optional. */
  writeSegments?(offset: number, segments: Uint8Array[], forceUnitAccess: boolean): Promise<void>;
  flush(): Promise<void>;
  /**
   * Gives the disk served its session's new identity for its data now, in turn with the writes
   * that change the block table (`DiskReaderWriterSession.beginChange`): a child made of it from
   * then on, while the guest still writes to it, stays linked. Absent where no child can be made
   * of the disk served (a live merge's).
   */
  beginChange?(): Promise<void>;
  /** Waits for the requests under way, then flushes and closes the chain; later requests fail. */
  close(): Promise<void>;
}

/**
 * Opens `path` (the VM's current disk) for a guest. The NBD server sends several requests at once
 * (it keeps overlapping ones in order); here reads, and writes that change data alone
 * (`writesInPlace`: sectors the file already holds), run beside each other, while the writes that
 * change the block table or a sector bitmap, and flushes, take their turn one after another in
 * arrival order, so that the block table and the log are only ever changed by one at a time, and
 * a flush makes data durable before the block table entries that point at it (MS-VHDX 2.3, the
 * log; crash-safe as before). Closing waits for everything under way.
 */
export async function openGuestDiskExport(
  library: DiskLibrary,
  store: FileStore,
  path: string,
): Promise<GuestDiskExport> {
  if (library.openReaderWriter === undefined)
    throw new Error('this disk library cannot serve a disk to a guest');
  const session = await library.openReaderWriter(store, path);
  let queue: Promise<unknown> = Promise.resolve();
  // Set when closing begins: requests from then on are refused, those before it still served.
  let closed = false;
  let closing: Promise<void> | undefined;
  const gone = (): Error => new Error(`the disk ${path} is no longer served`);
  const alongside = new UnderWay();
  const inTurn = <T>(work: () => Promise<T>): Promise<T> => {
    if (closed) return Promise.reject(gone());
    const next = queue.then(work);
    queue = next.catch(() => undefined);
    return next;
  };
  const beside = <T>(work: () => Promise<T>): Promise<T> =>
    closed ? Promise.reject(gone()) : alongside.run(work);
  const flush = (): Promise<void> => inTurn(() => session.flush());
  // A write runs beside others when it changes data alone, else in turn; then FUA's flush.
  const writeBy = async (
    offset: number,
    length: number,
    forceUnitAccess: boolean,
    work: () => Promise<void>,
  ): Promise<void> => {
    if (session.writesInPlace(offset, length)) await beside(work);
    else await inTurn(work);
    if (forceUnitAccess) await flush();
  };
  const readIntoSegments = session.readIntoSegments?.bind(session);
  const writeSegments = session.writeSegments?.bind(session);
  return {
    sizeBytes: session.virtualSize,
    readOnly: false,
    description: path,
    parents: session.parents,
    read: (offset, length) => beside(() => session.read(offset, length)),
    readInto: (offset, into) => beside(() => session.readInto(offset, into)),
    ...(readIntoSegments && {
      readIntoSegments: (offset: number, segments: Uint8Array[]) =>
        beside(() => readIntoSegments(offset, segments)),
    }),
    write: (offset, data, forceUnitAccess) =>
      writeBy(offset, data.length, forceUnitAccess, () => session.write(offset, data)),
    ...(writeSegments && {
      writeSegments: (offset: number, segments: Uint8Array[], forceUnitAccess: boolean) =>
        writeBy(offset, byteLength(segments), forceUnitAccess, () =>
          writeSegments(offset, segments),
        ),
    }),
    flush,
    beginChange: () => inTurn(() => session.beginChange()),
    close: () => {
      if (closing !== undefined) return closing;
      closed = true;
      closing = queue.then(async () => {
        await alongside.drained();
        await session.close();
      });
      queue = closing.catch(() => undefined);
      return closing;
    },
  };
}

function byteLength(segments: readonly Uint8Array[]): number {
  return segments.reduce((sum, segment) => sum + segment.length, 0);
}

/** Counts the requests running beside each other, and tells when none is left. */
class UnderWay {
  private count = 0;
  private waiting: (() => void)[] = [];

  async run<T>(work: () => Promise<T>): Promise<T> {
    this.count += 1;
    try {
      return await work();
    } finally {
      this.count -= 1;
      if (this.count === 0) for (const wake of this.waiting.splice(0)) wake();
    }
  }

  drained(): Promise<void> {
    if (this.count === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiting.push(resolve));
  }
}

/**
 * The guest's disk while a merge of its chain runs (a live merge, behaviour spec §4.6): reads and
 * writes go through `live`, between the merge's steps, by @hvm/vhdx LiveMergeWrites' rule; every
 * write is durable when it resolves, so a flush has nothing left to do. Nothing is held open:
 * closing only ends the serving. `sizeBytes` is the guest's view of its disk, which the merge
 * does not change.
 */
export function liveMergeDiskExport(live: LiveDiskWrites, sizeBytes: number): GuestDiskExport {
  let closed = false;
  const serving = (): void => {
    if (closed) throw new Error(`the disk ${live.path} is no longer served`);
  };
  return {
    sizeBytes,
    readOnly: false,
    description: live.path,
    // A live merge keeps nothing open between its steps.
    parents: [],
    read: async (offset, length) => {
      serving();
      return live.read(offset, length);
    },
    write: async (offset, data) => {
      serving();
      await live.write([{ offset, data }]);
    },
    flush: () =>
      closed
        ? Promise.reject(new Error(`the disk ${live.path} is no longer served`))
        : Promise.resolve(),
    close: () => {
      closed = true;
      return Promise.resolve();
    },
  };
}
