import { VhdxError } from '../errors.js';
import { MAX_CHAIN_DEPTH } from '../format/constants.js';
import { locatorValue, type ParentLocator } from '../format/parentLocator.js';
import type { FileStore } from '../storage/fileStore.js';
import { normalizeStorePath } from '../storage/storePath.js';
import type { DiskInfo, VirtualDisk } from '../types.js';
import { guidEquals, normalizeGuid, ZERO_GUID } from '../util/guid.js';
import { resolveWindowsRelative, storeCandidatesForAbsolute } from '../util/winPath.js';
import { OpenVirtualDisk } from './virtualDisk.js';
import { VhdxFile } from './vhdxFile.js';

/** What opens a disk of a chain and keeps its parents open: `DiskCache` (diskCache.ts). */
export interface ChainDiskCache {
  open(
    store: FileStore,
    path: string,
    writable: boolean,
    options?: { servedToGuest?: boolean },
  ): Promise<OpenVirtualDisk>;
}

export interface OpenDiskOptions {
  /** Opens the named disk for writing; its parents are always read-only. */
  writable?: boolean;
  /** Reuses (and keeps) the parsed, open parents of the chain; see `DiskCache`. */
  cache?: ChainDiskCache;
  /**
   * The disk is served to a running guest (a QEMU guest's NBD export), whose requests of up to
   * 1 MiB wait on each other one or two at a time: its file's reads and writes, and the reads it
   * makes through its parents, of up to `ON_THE_SPOT_MAX_BYTES` are made on the spot instead of
   * in the thread pool (`OpenOptions.ioOnTheSpot`). The parents stay the ones every other user
   * shares (one open file each in a `DiskCache`), whose own requests keep the thread pool.
   */
  servedToGuest?: boolean;
}

/** Store paths the locator could point at, in the spec's order (relative_path, then absolute_win32_path). */
export function parentCandidates(childPath: string, loc: ParentLocator): string[] {
  const out: string[] = [];
  const rel = locatorValue(loc, 'relative_path');
  if (rel !== null) {
    const r = resolveWindowsRelative(childPath, rel);
    if (r !== null) out.push(r);
  }
  const abs = locatorValue(loc, 'absolute_win32_path');
  if (abs !== null) out.push(...storeCandidatesForAbsolute(abs));
  return [...new Set(out)];
}

/** True when the parent's DataWriteGuid matches `parent_linkage` or a non-zero `parent_linkage2`. */
export function linkageMatches(loc: ParentLocator, parentDataWriteGuid: string): boolean {
  const l1 = locatorValue(loc, 'parent_linkage');
  const l2 = locatorValue(loc, 'parent_linkage2');
  if (l1 !== null && guidEquals(l1, parentDataWriteGuid)) return true;
  return l2 !== null && normalizeGuid(l2) !== ZERO_GUID && guidEquals(l2, parentDataWriteGuid);
}

export async function findParent(
  store: FileStore,
  childPath: string,
  loc: ParentLocator,
): Promise<string> {
  if (locatorValue(loc, 'parent_linkage') === null) {
    throw new VhdxError('parent locator', `${childPath} has no parent_linkage`, {
      field: 'parent_linkage',
    });
  }
  for (const candidate of parentCandidates(childPath, loc)) {
    let path: string;
    try {
      path = normalizeStorePath(candidate);
    } catch {
      continue;
    }
    if (path !== childPath && (await store.exists(path))) return path;
  }
  throw new VhdxError(
    'parent locator',
    `parent of ${childPath} not found (${loc.entries.map(([k, v]) => `${k}=${v}`).join(', ')})`,
    {
      code: 'PARENT_MISSING',
    },
  );
}

/** Opens a disk and its whole parent chain (parents read-only). */
export async function openDisk(
  store: FileStore,
  path: string,
  options: OpenDiskOptions = {},
): Promise<VirtualDisk> {
  const p = normalizeStorePath(path);
  const writable = options.writable ?? false;
  const served = { servedToGuest: options.servedToGuest === true };
  if (options.cache) return options.cache.open(store, p, writable, served);
  return openChain(store, p, writable, served);
}

/** Opens `path` and its whole chain, nothing shared; `servedToGuest` as in `OpenDiskOptions`. */
export async function openChain(
  store: FileStore,
  path: string,
  writable: boolean,
  { servedToGuest = false }: { servedToGuest?: boolean } = {},
): Promise<OpenVirtualDisk> {
  const files: VhdxFile[] = [];
  const parentPaths: (string | null)[] = [];
  const seen = new Set<string>();
  try {
    let current = path;
    for (;;) {
      if (seen.has(current)) {
        throw new VhdxError('parent locator', `parent chain loops back to ${current}`, {
          code: 'CHAIN_CYCLE',
        });
      }
      if (files.length >= MAX_CHAIN_DEPTH) {
        throw new VhdxError('parent locator', `parent chain is deeper than ${MAX_CHAIN_DEPTH}`, {
          code: 'CHAIN_CYCLE',
        });
      }
      seen.add(current);
      const top = files.length === 0;
      const file = await VhdxFile.open(store, current, writable && top, {
        ioOnTheSpot: servedToGuest && top,
      });
      const child = files[files.length - 1];
      files.push(file);
      if (child) checkParent(child, file);
      const loc = file.meta.parentLocator;
      if (!loc) {
        parentPaths.push(null);
        break;
      }
      const next = await findParent(store, current, loc);
      parentPaths.push(next);
      current = next;
    }
  } catch (e) {
    for (const f of files) await f.close().catch(() => undefined);
    throw e;
  }
  let disk: OpenVirtualDisk | null = null;
  for (let i = files.length - 1; i >= 0; i--) {
    const file = files[i];
    if (file) disk = await OpenVirtualDisk.create(file, disk, parentPaths[i] ?? null);
  }
  if (!disk) throw new VhdxError('disk', `${path} could not be opened`);
  return disk;
}

export function checkParent(child: VhdxFile, parent: VhdxFile): void {
  const loc = child.meta.parentLocator;
  if (loc && !linkageMatches(loc, parent.header.dataWriteGuid)) {
    throw new VhdxError(
      'parent locator',
      `${child.path} is linked to ${locatorValue(loc, 'parent_linkage') ?? '?'} but ${parent.path} has DataWriteGuid {${parent.header.dataWriteGuid}}; the parent was modified`,
      { field: 'parent_linkage', code: 'PARENT_MISMATCH' },
    );
  }
  // The virtual sizes may differ: a resized differencing disk reads zeros beyond its parent's end.
  if (child.meta.logicalSectorSize !== parent.meta.logicalSectorSize) {
    throw new VhdxError(
      'metadata',
      `${child.path} and its parent ${parent.path} differ in sector size`,
      {
        code: 'PARENT_MISMATCH',
      },
    );
  }
}

/**
 * DiskInfo of one file alone, its parent path given (the parent is not opened or checked): from
 * its headers and metadata, for a file just written (its BAT is not read).
 */
export async function describeFile(
  store: FileStore,
  path: string,
  parentPath: string | null,
): Promise<DiskInfo> {
  const file = await VhdxFile.open(store, path, false, { metadataOnly: true });
  try {
    return (await OpenVirtualDisk.create(file, null, parentPath)).info;
  } finally {
    await file.close();
  }
}

/** DiskInfo of one disk (opens and closes the chain). */
export async function describeDisk(store: FileStore, path: string): Promise<DiskInfo> {
  const disk = await openChain(store, normalizeStorePath(path), false);
  try {
    return disk.info;
  } finally {
    await disk.close();
  }
}

/** Reads the information of a disk and of every disk below it, without changing anything. */
export async function inspectDisk(
  store: FileStore,
  path: string,
  options: { cache?: ChainDiskCache } = {},
): Promise<DiskInfo & { chain: DiskInfo[] }> {
  const disk = await openDisk(store, path, options);
  try {
    const chain: DiskInfo[] = [];
    for (let d: VirtualDisk | null = disk; d; d = d.parent) chain.push(d.info);
    return { ...disk.info, chain };
  } finally {
    await disk.close();
  }
}
