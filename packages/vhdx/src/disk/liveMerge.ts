import type { FileStore } from '../storage/fileStore.js';
import { normalizeStorePath } from '../storage/storePath.js';
import { openChain } from './chain.js';
import type { OpenVirtualDisk } from './virtualDisk.js';

/** One write of a running guest: bytes at a virtual offset. */
export interface GuestWrite {
  offset: number;
  data: Uint8Array;
}

/** Where the guest's writes go at this point of a merge (set by `mergeDisk`). */
export type LiveRoute =
  | { kind: 'disk' }
  | {
      kind: 'mirror';
      child: OpenVirtualDisk;
      parent: OpenVirtualDisk;
      below: () => Promise<number>;
    }
  | { kind: 'mirror-reopen'; parent: string; parentDataWriteGuid: string; below: number }
  | { kind: 'parent'; parent: string; parentDataWriteGuid: string };

/**
 * A running guest's writes (and reads) of its disk while that disk, or a disk of its chain, is merged: a
 * live merge, which leaves the guest running (behaviour spec §4.6, "Merges run live while the VM
 * runs (since Server 2012)", and §5, S29 p416). Pass it to `mergeDisk` as `live`; the guest calls
 * `write`, which resolves once its data is durable. How Hyper-V lands writes during its own merge
 * is not documented; the rule below is ours, with the outcome Hyper-V promises: the guest runs on
 * and nothing it wrote is lost.
 *
 * The rule, block by block, while `path` (the guest's disk) is the child being merged:
 * - every write lands in the child, which stays the whole truth of the disk until the merge ends;
 * - a write to a block the merge has already copied into the parent (below the copy's frontier)
 *   lands in the parent too, so that copy stays current; a block not yet copied is copied later
 *   with what the child then holds, the guest's writes included;
 * - a block being copied is never written at the same time: the guest's write waits until the
 *   copies under way have landed (the copier settles), so the write comes after them;
 * - once the copy is complete the writes land in both files until the sidecar records the copy
 *   done ('repoint'); from then on only in the parent, which has everything.
 * Both files are flushed before a write resolves, so after a kill at any point the resumed merge
 * (which copies again from its last record, out of the child) loses no acknowledged write: blocks
 * below the record already hold every write in the parent, blocks above it get them from the
 * child. While another disk of the chain is merged (the guest's disk is a grandchild being
 * re-pointed), writes go to the guest's disk as usual, only never during a step of the merge.
 */
export class LiveMergeWrites {
  readonly path: string;
  private tail: Promise<void> = Promise.resolve();
  private route: LiveRoute = { kind: 'disk' };

  constructor(
    private readonly store: FileStore,
    drivePath: string,
  ) {
    this.path = normalizeStorePath(drivePath);
  }

  /** Writes the guest's batch in order; resolves once it is durable. */
  write(writes: readonly GuestWrite[]): Promise<void> {
    return this.exclusive(() => this.land(writes));
  }

  /**
   * Reads the guest's disk as it is now: between the merge's steps, from the file that holds the
   * whole truth at this point (the child while it is merged, the parent once the child is gone),
   * so a read never returns what a block held before the guest's last acknowledged write.
   */
  read(offset: number, length: number): Promise<Uint8Array> {
    return this.exclusive(async () => {
      const buffer = new Uint8Array(length);
      const route = this.route;
      if (route.kind === 'mirror') await route.child.read(buffer, offset);
      else
        await readThrough(
          this.store,
          route.kind === 'parent' ? route.parent : this.path,
          buffer,
          offset,
        );
      return buffer;
    });
  }

  /** The guest's disk's size in bytes, as the disk it reads from records it. */
  virtualSize(): Promise<number> {
    return this.exclusive(async () => {
      const route = this.route;
      if (route.kind === 'mirror') return route.child.info.virtualSize;
      const disk = await openChain(
        this.store,
        route.kind === 'parent' ? route.parent : this.path,
        false,
      );
      try {
        return disk.info.virtualSize;
      } finally {
        await disk.close();
      }
    });
  }

  /** Runs one step of the merge with no guest write under way (used by `mergeDisk`). */
  exclusive<T>(step: () => Promise<T>): Promise<T> {
    const run = this.tail.then(step);
    this.tail = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  /** Sets where the writes go from now on (used by `mergeDisk`, inside `exclusive`). */
  routeTo(route: LiveRoute): void {
    this.route = route;
  }

  private async land(writes: readonly GuestWrite[]): Promise<void> {
    if (writes.length === 0) return;
    const route = this.route;
    switch (route.kind) {
      case 'disk':
        return writeThrough(this.store, this.path, writes, null);
      case 'parent':
        return writeThrough(this.store, route.parent, writes, route.parentDataWriteGuid);
      case 'mirror-reopen':
        await writeThrough(this.store, this.path, writes, null);
        await writeThrough(
          this.store,
          route.parent,
          belowOffset(writes, route.below),
          route.parentDataWriteGuid,
        );
        return;
      case 'mirror': {
        const below = await route.below();
        for (const w of writes) await route.child.write(w.data, w.offset);
        for (const w of belowOffset(writes, below)) await route.parent.write(w.data, w.offset);
        await route.child.flush();
        await route.parent.flush();
        return;
      }
    }
  }
}

/** The parts of `writes` that lie below `limit` bytes. */
function belowOffset(writes: readonly GuestWrite[], limit: number): GuestWrite[] {
  const out: GuestWrite[] = [];
  for (const w of writes) {
    if (w.offset >= limit) continue;
    const length = Math.min(w.data.length, limit - w.offset);
    out.push({ offset: w.offset, data: w.data.subarray(0, length) });
  }
  return out;
}

/**
 * Opens `path` writable, writes and flushes. `dataWriteGuid`: the DataWriteGuid the file keeps
 * (a merge's parent keeps the one its children's `parent_linkage2` names).
 */
async function writeThrough(
  store: FileStore,
  path: string,
  writes: readonly GuestWrite[],
  dataWriteGuid: string | null,
): Promise<void> {
  if (writes.length === 0) return;
  const disk = await openChain(store, path, true);
  try {
    if (dataWriteGuid !== null) await disk.file.setDataWriteGuid(dataWriteGuid);
    for (const w of writes) await disk.write(w.data, w.offset);
    await disk.flush();
  } finally {
    await disk.close();
  }
}

/** Opens `path` read-only and reads into `buffer` at a virtual offset. */
async function readThrough(
  store: FileStore,
  path: string,
  buffer: Uint8Array,
  offset: number,
): Promise<void> {
  const disk = await openChain(store, path, false);
  try {
    await disk.read(buffer, offset);
  } finally {
    await disk.close();
  }
}
