import { VhdxError } from '../errors.js';
import { MAX_CHAIN_DEPTH } from '../format/constants.js';
import type { FileStore } from '../storage/fileStore.js';
import { normalizeStorePath } from '../storage/storePath.js';
import { checkParent, findParent, linkageMatches } from './chain.js';
import { OpenVirtualDisk } from './virtualDisk.js';
import { VhdxFile } from './vhdxFile.js';

interface Entry {
  path: string;
  disk: OpenVirtualDisk;
  parent: Entry | null;
  /** Open disks (cached children and callers' chains) that read through this one. */
  refs: number;
  /** No longer in the cache: closed once the last reference is released. */
  dropped: boolean;
  /**
   * A caller's writable disk (`open` with `writable`), which a child made of it meanwhile reads
   * through until that caller closes it; the cache never closes it before then.
   */
  writing: boolean;
}

/**
 * Keeps the parents of opened chains open and parsed (read-only), so opening a disk reads only its
 * own file and reuses the chain below it. A disk in a chain does not change while it has
 * children; the cache still checks, on every open, that the child's `parent_linkage` names the
 * cached parent's DataWriteGuid and that the parent's header is unchanged (one small read), and
 * reopens the parent when not (a merge changes it). Deeper disks are not re-checked.
 * Callers that change a disk outside `openDisk(..., { writable: true, cache })` (a merge, a
 * reparent, an unlink) call `invalidate`. Each file of a store is open once here, whoever reads
 * through it: a disk served to a guest (`servedToGuest`) shares its parents with every other
 * user, so a merge's `invalidate` reaches what the guest's disk reads through.
 */
export class DiskCache {
  private readonly stores = new WeakMap<FileStore, Map<string, Entry>>();
  /** The writable disks open through the cache, by store and path (see `shareWriter`). */
  private readonly writers = new WeakMap<FileStore, Map<string, Entry>>();

  constructor(private readonly maxEntries = 256) {}

  private entries(store: FileStore): Map<string, Entry> {
    let map = this.stores.get(store);
    if (!map) {
      map = new Map();
      this.stores.set(store, map);
    }
    return map;
  }

  /** Number of disks held open for `store`. */
  size(store: FileStore): number {
    return this.stores.get(store)?.size ?? 0;
  }

  /**
   * Forgets `path` and every cached disk whose chain goes through it; without a path, every disk
   * of `store`. Disks still in use close when released.
   */
  async invalidate(store: FileStore, path?: string): Promise<void> {
    const target = path === undefined ? null : normalizeStorePath(path);
    const hit = (entry: Entry): boolean => {
      for (let e: Entry | null = entry; e; e = e.parent)
        if (target === null || e.path === target) return true;
      return false;
    };
    // A writable disk stays its caller's: only no new child reads through it any more.
    const writers = this.writers.get(store);
    for (const writer of [...(writers?.values() ?? [])].filter(hit)) {
      writers?.delete(writer.path);
      writer.dropped = true;
    }
    const map = this.stores.get(store);
    if (!map) return;
    for (const entry of [...map.values()].filter(hit)) await this.drop(map, entry);
  }

  /** Closes every disk of `store` that nobody uses and forgets the rest. */
  async clear(store: FileStore): Promise<void> {
    await this.invalidate(store);
  }

  private async drop(map: Map<string, Entry>, entry: Entry): Promise<void> {
    if (map.get(entry.path) === entry) map.delete(entry.path);
    if (entry.dropped) return;
    entry.dropped = true;
    if (entry.refs === 0 && !entry.writing) await entry.disk.closeNow();
  }

  private async release(entry: Entry): Promise<void> {
    entry.refs -= 1;
    if (entry.dropped && entry.refs === 0 && !entry.writing) await entry.disk.closeNow();
  }

  /** A release function that runs once. */
  private releaser(entry: Entry): () => Promise<void> {
    let done = false;
    return async () => {
      if (done) return;
      done = true;
      await this.release(entry);
    };
  }

  /**
   * Opens `path` (and its chain) with the parents from the cache. `servedToGuest`
   * (`OpenDiskOptions`): `path`'s own file makes its requests on the spot, and so do the reads
   * it makes through the cached parents, which stay the same open files for every user.
   */
  async open(
    store: FileStore,
    path: string,
    writable: boolean,
    { servedToGuest = false }: { servedToGuest?: boolean } = {},
  ): Promise<OpenVirtualDisk> {
    if (writable) await this.invalidate(store, path);
    const file = await VhdxFile.open(store, path, writable, { ioOnTheSpot: servedToGuest });
    let disk: OpenVirtualDisk;
    let parent: Entry | null = null;
    try {
      const loc = file.meta.parentLocator;
      if (!loc) disk = await OpenVirtualDisk.create(file, null, null);
      else {
        const parentPath = await findParent(store, path, loc);
        const found = await this.parentEntry(store, parentPath, file, new Set([path]));
        found.refs += 1;
        parent = found;
        try {
          disk = await OpenVirtualDisk.create(file, found.disk, parentPath, this.releaser(found));
        } catch (e) {
          await this.release(found);
          throw e;
        }
      }
    } catch (e) {
      await file.close().catch(() => undefined);
      throw e;
    }
    if (writable) this.shareWriter(store, disk, parent);
    return disk;
  }

  /**
   * Lets a child made of the writable `disk` while it is open read through it (a checkpoint of a
   * running guest makes Now's new child before the guest stops writing to its disk): the same
   * open disk, whose block table knows every block the writer added, where a second, read-only
   * open of the file would keep the table it read and answer those blocks from below (or refuse
   * them as past its end). When the writer closes it, a disk nobody reads through closes; one
   * that children read through is brought to rest (`VhdxFile.endWrites`) and stays open,
   * read-only, as the cache's parent of them.
   */
  private shareWriter(store: FileStore, disk: OpenVirtualDisk, parent: Entry | null): void {
    const path = disk.file.path;
    let writers = this.writers.get(store);
    if (!writers) {
      writers = new Map();
      this.writers.set(store, writers);
    }
    const entry: Entry = { path, disk, parent, refs: 0, dropped: false, writing: true };
    writers.set(path, entry);
    disk.closeWith(async () => {
      entry.writing = false;
      if (writers.get(path) === entry) writers.delete(path);
      if (entry.refs === 0) {
        entry.dropped = true;
        return disk.closeNow();
      }
      try {
        await disk.file.endWrites();
      } catch (e) {
        entry.dropped = true;
        throw e;
      }
      if (entry.dropped) return;
      const map = this.entries(store);
      const old = map.get(path);
      if (old) await this.drop(map, old);
      map.set(path, entry);
      await this.trim(map, entry);
    });
  }

  private async parentEntry(
    store: FileStore,
    path: string,
    child: VhdxFile,
    seen: Set<string>,
  ): Promise<Entry> {
    const writer = this.writers.get(store)?.get(path);
    if (writer) {
      checkParent(child, writer.disk.file);
      return writer;
    }
    const map = this.entries(store);
    const loc = child.meta.parentLocator;
    const cached = map.get(path);
    if (cached) {
      if (
        loc &&
        linkageMatches(loc, cached.disk.file.header.dataWriteGuid) &&
        (await cached.disk.file.headerUnchanged())
      ) {
        map.delete(path);
        map.set(path, cached);
        return cached;
      }
      await this.invalidate(store, path);
    }
    if (seen.has(path)) {
      throw new VhdxError('parent locator', `parent chain loops back to ${path}`, {
        code: 'CHAIN_CYCLE',
      });
    }
    if (seen.size >= MAX_CHAIN_DEPTH) {
      throw new VhdxError('parent locator', `parent chain is deeper than ${MAX_CHAIN_DEPTH}`, {
        code: 'CHAIN_CYCLE',
      });
    }
    seen.add(path);
    const file = await VhdxFile.open(store, path, false);
    let entry: Entry;
    try {
      checkParent(child, file);
      const ownLoc = file.meta.parentLocator;
      let parent: Entry | null = null;
      let parentPath: string | null = null;
      if (ownLoc) {
        parentPath = await findParent(store, path, ownLoc);
        parent = await this.parentEntry(store, parentPath, file, seen);
      }
      if (parent) parent.refs += 1;
      try {
        const disk = await OpenVirtualDisk.create(
          file,
          parent?.disk ?? null,
          parentPath,
          parent ? this.releaser(parent) : null,
        );
        entry = { path, disk, parent, refs: 0, dropped: false, writing: false };
      } catch (e) {
        if (parent) await this.release(parent);
        throw e;
      }
    } catch (e) {
      await file.close().catch(() => undefined);
      throw e;
    }
    const old = map.get(path);
    if (old) await this.drop(map, old);
    map.set(path, entry);
    await this.trim(map, entry);
    return entry;
  }

  /** Drops the least recently used disks nobody reads through while there are too many. */
  private async trim(map: Map<string, Entry>, keep: Entry): Promise<void> {
    if (map.size <= this.maxEntries) return;
    for (const entry of [...map.values()]) {
      if (map.size <= this.maxEntries) break;
      if (entry.refs === 0 && entry !== keep) await this.drop(map, entry);
    }
  }
}
