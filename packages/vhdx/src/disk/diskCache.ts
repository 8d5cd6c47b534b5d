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
}

/**
 * Keeps the parents of opened chains open and parsed (read-only), so opening a disk reads only its
 * own file and reuses the chain below it. A disk in a chain does not change while it has
 * children; the cache still checks, on every open, that the child's `parent_linkage` names the
 * cached parent's DataWriteGuid and that the parent's header is unchanged (one small read), and
 * reopens the parent when not (a merge changes it). Deeper disks are not re-checked.
 * Callers that change a disk outside `openDisk(..., { writable: true, cache })` (a merge, a
 * reparent, an unlink) call `invalidate`.
 */
export class DiskCache {
  private readonly stores = new WeakMap<FileStore, Map<string, Entry>>();

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
    // The disks open through every store over the same files (`FileStore.sameFiles`): a disk
    // changed or merged through one is stale in all.
    for (const same of store.sameFiles?.() ?? [store]) {
      const map = this.stores.get(same);
      if (!map) continue;
      const doomed: Entry[] = [];
      for (const entry of map.values()) {
        let hit = target === null;
        for (let e: Entry | null = entry; !hit && e; e = e.parent) hit = e.path === target;
        if (hit) doomed.push(entry);
      }
      for (const entry of doomed) await this.drop(map, entry);
    }
  }

  /** Closes every disk of `store` that nobody uses and forgets the rest. */
  async clear(store: FileStore): Promise<void> {
    await this.invalidate(store);
  }

  private async drop(map: Map<string, Entry>, entry: Entry): Promise<void> {
    if (map.get(entry.path) === entry) map.delete(entry.path);
    if (entry.dropped) return;
    entry.dropped = true;
    if (entry.refs === 0) await entry.disk.close();
  }

  private async release(entry: Entry): Promise<void> {
    entry.refs -= 1;
    if (entry.dropped && entry.refs === 0) await entry.disk.close();
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

  /** Opens `path` (and its chain) with the parents from the cache. */
  async open(store: FileStore, path: string, writable: boolean): Promise<OpenVirtualDisk> {
    if (writable) await this.invalidate(store, path);
    const file = await VhdxFile.open(store, path, writable);
    try {
      const loc = file.meta.parentLocator;
      if (!loc) return await OpenVirtualDisk.create(file, null, null);
      const parentPath = await findParent(store, path, loc);
      const parent = await this.parentEntry(store, parentPath, file, new Set([path]));
      parent.refs += 1;
      try {
        return await OpenVirtualDisk.create(file, parent.disk, parentPath, this.releaser(parent));
      } catch (e) {
        await this.release(parent);
        throw e;
      }
    } catch (e) {
      await file.close().catch(() => undefined);
      throw e;
    }
  }

  private async parentEntry(
    store: FileStore,
    path: string,
    child: VhdxFile,
    seen: Set<string>,
  ): Promise<Entry> {
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
        entry = { path, disk, parent, refs: 0, dropped: false };
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
