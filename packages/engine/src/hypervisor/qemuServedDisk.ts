/**
 * The disk a QEMU guest is served over NBD for its whole life (`@hvm/qemu`'s SwitchableDisk) and
 * the file behind it: the VM's current `.vhdx`/`.avhdx`, opened as usual or through a live merge.
 * A checkpoint makes Now's new child and opens it first, while the guest still runs
 * (`prepareChild`), so that the moment the guest is held only flushes the disk served and switches
 * to the child (`switchToChild`); behaviour spec §1.3 (S45): the pause of a running VM's checkpoint
 * is the switch to the new differencing disks.
 */
import { SwitchableDisk } from '@hvm/qemu';
import type { FileStore } from '@hvm/vhdx';
import type { DiskLibrary, LiveDiskWrites } from '../disk/diskLibrary.js';
import {
  liveMergeDiskExport,
  openGuestDiskExport,
  type GuestDiskExport,
} from '../disk/guestDiskExport.js';

/** Now's new child, made and opened, not yet served. */
export interface PreparedChild {
  readonly path: string;
  readonly parentPath: string;
  readonly opened: GuestDiskExport;
}

export class QemuServedDisk {
  /** The NBD export the guest's connection keeps. */
  readonly export: SwitchableDisk;
  /** Switches of the served file, one after the other. */
  private switching: Promise<unknown> = Promise.resolve();
  private closed: Promise<void> | undefined;
  /** The close of the file served before the last switch to a child (`switchToChild`). */
  private parentClosing: Promise<void> = Promise.resolve();
  /**
   * Every parent the files served so far read through: the disk library keeps them open after a
   * session closes, so they are let go (`forget`) when this disk closes, not left to the garbage
   * collector.
   */
  private readonly parentsHeld = new Set<string>();

  private constructor(
    private readonly library: DiskLibrary,
    private readonly store: FileStore,
    private served: GuestDiskExport,
    private current: string,
    /** The live merge the disk is served through, null when it is served as usual. */
    private live: LiveDiskWrites | null,
  ) {
    this.export = new SwitchableDisk(served);
    this.hold(served);
  }

  /** Opens `path` for the guest, through `live` when a merge of its chain runs. */
  static async open(
    library: DiskLibrary,
    store: FileStore,
    path: string,
    live: LiveDiskWrites | null,
  ): Promise<QemuServedDisk> {
    const through = live?.path === path ? live : null;
    // The same store as every other user of these files (merges, checkpoints, the web server's
    // reads): one open file each. The guest's requests (up to 1 MiB each, one or two at a time
    // for sequential I/O) wait on each other, so the library makes them on the spot instead of
    // in the thread pool (`DiskLibrary.openReaderWriter`, @hvm/vhdx `servedToGuest`).
    const served =
      through === null
        ? await openGuestDiskExport(library, store, path)
        : liveMergeDiskExport(through, await through.virtualSize());
    return new QemuServedDisk(library, store, served, path, through);
  }

  get currentPath(): string {
    return this.current;
  }

  /**
   * Serves `path` from now on, through `live` when a merge of its chain runs, else opened as
   * usual. The switch waits for the requests sent before it; the file served before is flushed and
   * closed. Nothing happens when that is already what is served, or once the disk is closed.
   */
  serve(path: string, live: LiveDiskWrites | null): Promise<void> {
    const through = live?.path === path ? live : null;
    return this.oneAtATime(async () => {
      if (this.closed !== undefined) return;
      if (path === this.current && through === this.live) return;
      const next =
        through === null
          ? await openGuestDiskExport(this.library, this.store, path)
          : liveMergeDiskExport(through, this.served.sizeBytes);
      await this.parentClosing;
      await (await this.replaceWith(next, path, through)).close();
    });
  }

  /**
   * Makes `path` a child of the file served now and opens it, while the guest may still run and
   * write to the parent: the child only reads through to its parent, and the parent's identity it
   * records (its DataWriteGuid, MS-VHDX 2.2.2), given for this session first (`beginChange`), does
   * not change with the rest of the session's writes. Both open through the library's one cache
   * on the same store, so the child reads through the very disk served (@hvm/vhdx `DiskCache`),
   * never a second open of the file that would miss the blocks the guest adds until the switch.
   * Served once `switchToChild` runs; `discardChild` removes it.
   */
  prepareChild(path: string): Promise<PreparedChild> {
    return this.oneAtATime(async () => {
      const parentPath = this.current;
      if (this.served.beginChange === undefined)
        throw new Error(`no checkpoint can be made of ${parentPath} while a merge serves it`);
      await this.served.beginChange();
      await this.library.createDifferencingDisk(this.store, path, parentPath);
      try {
        const opened = await openGuestDiskExport(this.library, this.store, path);
        this.hold(opened);
        return { path, parentPath, opened };
      } catch (error) {
        await this.store.unlink(path).catch(() => undefined);
        throw error;
      }
    });
  }

  /** Closes and removes a child that was never served. */
  async discardChild(child: PreparedChild): Promise<void> {
    await child.opened.close().catch(() => undefined);
    await this.store.unlink(child.path).catch(() => undefined);
  }

  /**
   * Serves the prepared child from now on: waits for the requests under way and flushes the
   * parent (durable from then on, and the checkpoint's). Resolves with the undo, for while the
   * guest is held and has written nothing to the child, and with `parentClosed`: the parent's
   * close (its log emptied, its header rewritten and made durable: MS-VHDX 2.3) goes on without
   * holding the guest, as nothing writes to it any more. On failure the child is discarded and
   * the parent still served.
   */
  async switchToChild(
    child: PreparedChild,
  ): Promise<{ undo: () => Promise<void>; parentClosed: Promise<void> }> {
    let parentClosed: Promise<void> = Promise.resolve();
    try {
      await this.oneAtATime(async () => {
        if (this.current !== child.parentPath)
          throw new Error(`the disk served is no longer ${child.parentPath}`);
        await this.parentClosing;
        const parent = await this.replaceWith(child.opened, child.path, null);
        parentClosed = parent.close();
        this.parentClosing = parentClosed.catch(() => undefined);
      });
    } catch (error) {
      await this.discardChild(child);
      throw error;
    }
    const undo = (): Promise<void> =>
      this.oneAtATime(async () => {
        await this.parentClosing;
        const parent = await openGuestDiskExport(this.library, this.store, child.parentPath);
        await (await this.replaceWith(parent, child.parentPath, null)).close();
        await this.store.unlink(child.path).catch(() => undefined);
      });
    return { undo, parentClosed };
  }

  /** Closes the file served, and lets go of its parents, once; a switch under way ends first. */
  close(): Promise<void> {
    this.closed ??= (async () => {
      try {
        await this.switching;
        await this.parentClosing;
        await this.served.close();
      } finally {
        await this.library.forget?.(this.store, [...this.parentsHeld]);
      }
    })();
    return this.closed;
  }

  /** Notes the parents `disk` reads through (`close` lets go of them). */
  private hold(disk: GuestDiskExport): void {
    for (const parent of disk.parents) this.parentsHeld.add(parent);
  }

  private oneAtATime<T>(work: () => Promise<T>): Promise<T> {
    const run = this.switching.then(work);
    this.switching = run.catch(() => undefined);
    return run;
  }

  /**
   * Switches the export to `next` (closed again when that fails); resolves with the file served
   * before, flushed, for the caller to close.
   */
  private async replaceWith(
    next: GuestDiskExport,
    path: string,
    live: LiveDiskWrites | null,
  ): Promise<GuestDiskExport> {
    try {
      await this.export.switchTo(next);
    } catch (error) {
      await next.close();
      throw error;
    }
    const previous = this.served;
    this.served = next;
    this.hold(next);
    this.current = path;
    this.live = live;
    return previous;
  }
}
