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
  read(offset: number, length: number): Promise<Uint8Array>;
  /** With `forceUnitAccess`, the data and the block table are durable when this resolves. */
  write(offset: number, data: Uint8Array, forceUnitAccess: boolean): Promise<void>;
  flush(): Promise<void>;
  /** Flushes and closes the chain; later calls fail. */
  close(): Promise<void>;
}

/**
 * Opens `path` (the VM's current disk) for a guest. Requests run one after another in arrival
 * order, whichever connection sends them, so a write is never interleaved with a read of the same
 * block table.
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
  let closed = false;
  const inTurn = <T>(work: () => Promise<T>): Promise<T> => {
    const next = queue.then(() => {
      if (closed) throw new Error(`the disk ${path} is no longer served`);
      return work();
    });
    queue = next.catch(() => undefined);
    return next;
  };
  return {
    sizeBytes: session.virtualSize,
    readOnly: false,
    description: path,
    read: (offset, length) => inTurn(() => session.read(offset, length)),
    write: (offset, data, forceUnitAccess) =>
      inTurn(async () => {
        await session.write(offset, data);
        if (forceUnitAccess) await session.flush();
      }),
    flush: () => inTurn(() => session.flush()),
    close: () =>
      inTurn(async () => {
        closed = true;
        await session.close();
      }),
  };
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
