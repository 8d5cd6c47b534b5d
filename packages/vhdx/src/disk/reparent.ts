import { VhdxError } from '../errors.js';
import { META_PARENT_LOCATOR } from '../format/constants.js';
import { locatorValue, serializeParentLocator } from '../format/parentLocator.js';
import type { FileStore } from '../storage/fileStore.js';
import { normalizeStorePath } from '../storage/storePath.js';
import { ZERO_GUID } from '../util/guid.js';
import {
  absoluteWin32Path,
  relativeWindowsPath,
  resolveWindowsRelative,
  storePathToWindows,
} from '../util/winPath.js';
import { openChain } from './chain.js';
import { VhdxFile } from './vhdxFile.js';

type Entries = [string, string][];

/** Hyper-V's key order; keys we add go where Hyper-V puts them relative to the others. */
const KEY_ORDER = [
  'parent_linkage',
  'absolute_win32_path',
  'relative_path',
  'volume_path',
  'parent_linkage2',
];

export function setLocatorValue(entries: Entries, key: string, value: string): void {
  const existing = entries.find(([k]) => k === key);
  if (existing) {
    existing[1] = value;
    return;
  }
  const rank = KEY_ORDER.indexOf(key);
  const before = entries.findIndex(([k]) => {
    const r = KEY_ORDER.indexOf(k);
    return r < 0 || r > rank;
  });
  if (rank < 0 || before < 0) entries.push([key, value]);
  else entries.splice(before, 0, [key, value]);
}

/**
 * Rewrites the parent locator of a differencing file through its log (one entry holds the item
 * and its table entry, so a torn update leaves the old or the new locator). The file's
 * DataWriteGuid does not change: a locator is not guest-visible data, and the file's own
 * children stay linked.
 */
export async function editParentLocator(
  store: FileStore,
  path: string,
  edit: (entries: Entries, file: VhdxFile) => void,
): Promise<void> {
  const file = await openEditingParentLocator(store, path, edit);
  await file.close();
}

/**
 * `editParentLocator` that leaves the file open once the log entry holding the new locator is
 * durable (MS-VHDX 2.3: entry, flush, in place): the caller closes it, which applies the entry
 * for good and closes the log, or deletes the file (see `VhdxFile.closeForDeletion`).
 */
export async function openEditingParentLocator(
  store: FileStore,
  path: string,
  edit: (entries: Entries, file: VhdxFile) => void,
): Promise<VhdxFile> {
  const file = await VhdxFile.open(store, path, true);
  try {
    const loc = file.meta.parentLocator;
    if (!loc) {
      throw new VhdxError('parent locator', `${path} is not a differencing disk`, {
        code: 'INVALID_ARGUMENT',
      });
    }
    const entries: Entries = loc.entries.map(([k, v]) => [k, v]);
    edit(entries, file);
    const item = file.meta.items.find((it) => !it.isUser && it.itemId === META_PARENT_LOCATOR);
    const flags =
      (item?.isUser ? 1 : 0) | (item?.isVirtualDisk ? 2 : 0) | (item?.isRequired === false ? 0 : 4);
    await file.replaceMetadataItems([
      {
        itemId: META_PARENT_LOCATOR,
        isUser: false,
        data: serializeParentLocator({ entries }),
        flags,
      },
    ]);
    return file;
  } catch (e) {
    await file.close().catch(() => undefined);
    throw e;
  }
}

/**
 * The new value of a path key: the old value's prefix (a drive, `\\?\Volume{…}\`, folders
 * outside the store) is kept when the old value ended with the old parent's store path.
 */
function repointPath(old: string | null, oldParent: string | null, newParent: string): string {
  const fresh = storePathToWindows(newParent);
  if (old === null || oldParent === null) return fresh;
  const suffix = storePathToWindows(oldParent);
  const lower = old.toLowerCase();
  if (lower === suffix.toLowerCase()) return fresh;
  if (lower.endsWith('\\' + suffix.toLowerCase())) {
    return old.slice(0, old.length - suffix.length) + fresh;
  }
  return fresh;
}

/**
 * Points the differencing disk `diskPath` at `newParentPath`: relative_path, absolute_win32_path
 * (and volume_path when present) name the new parent, parent_linkage is the new parent's current
 * DataWriteGuid and parent_linkage2 the zero GUID, as Hyper-V writes them. The new parent must
 * open, match the disk's virtual size and sector size, and must not have the disk in its chain.
 * The caller vouches that the new parent holds the data the disk was written against.
 */
export async function reparentDisk(
  store: FileStore,
  diskPath: string,
  newParentPath: string,
): Promise<void> {
  const disk = normalizeStorePath(diskPath);
  const parent = normalizeStorePath(newParentPath);
  if (disk === parent) {
    throw new VhdxError('parent locator', `${disk} cannot be its own parent`, {
      code: 'CHAIN_CYCLE',
    });
  }
  const chain = await openChain(store, parent, false);
  let dataWriteGuid: string;
  let virtualSize: number;
  let sectorSize: number;
  try {
    for (let d: typeof chain.parent = chain; d; d = d.parent) {
      if (d.info.path === disk) {
        throw new VhdxError('parent locator', `${disk} is already below ${parent} in its chain`, {
          code: 'CHAIN_CYCLE',
        });
      }
    }
    ({ dataWriteGuid, virtualSize, logicalSectorSize: sectorSize } = chain.info);
  } finally {
    await chain.close();
  }
  await editParentLocator(store, disk, (entries, file) => {
    if (file.meta.virtualSize !== virtualSize || file.meta.logicalSectorSize !== sectorSize) {
      throw new VhdxError(
        'metadata',
        `${disk} and the new parent ${parent} differ in virtual size or sector size`,
        { code: 'PARENT_MISMATCH' },
      );
    }
    const loc = { entries };
    const rel = locatorValue(loc, 'relative_path');
    const oldParent = rel === null ? null : resolveWindowsRelative(disk, rel);
    setLocatorValue(entries, 'parent_linkage', `{${dataWriteGuid}}`);
    // The parent's absolute path on this host where the store knows it (see absoluteWin32Path).
    setLocatorValue(
      entries,
      'absolute_win32_path',
      store.absolutePath === undefined
        ? repointPath(locatorValue(loc, 'absolute_win32_path'), oldParent, parent)
        : absoluteWin32Path(store.absolutePath(parent)),
    );
    setLocatorValue(entries, 'relative_path', relativeWindowsPath(disk, parent));
    const volume = locatorValue(loc, 'volume_path');
    if (volume !== null)
      setLocatorValue(entries, 'volume_path', repointPath(volume, oldParent, parent));
    setLocatorValue(entries, 'parent_linkage2', `{${ZERO_GUID}}`);
  });
}
