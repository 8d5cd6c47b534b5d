import { VhdxError } from '../errors.js';
import type { FileStore } from '../storage/fileStore.js';
import { folderOf } from '../util/winPath.js';
import { findParent, linkageMatches } from './chain.js';
import { VhdxFile } from './vhdxFile.js';

/** Disk files a folder may hold children in (Hyper-V keeps a child next to its parent). */
const DISK_FILE = /\.a?vhdx$/i;

/**
 * Refuses a merge into `parent` when a disk other than `child` (and the disks being re-pointed,
 * `alsoMine`) is linked to it: the merge changes the parent's data and DataWriteGuid, which would
 * break that other child (MS-VHDX §2.6.2.6 parent_linkage; behaviour spec §4.9 step 4: a disk
 * with two or more children is kept, never merged). Children are looked for in the folders of the
 * parent and of the merged child, where Hyper-V places them (behaviour spec §5, S1, S41). A file
 * that does not open, or whose linkage no longer matches the parent, is no child it could break.
 */
export async function refuseOtherChildren(
  store: FileStore,
  parent: string,
  parentDataWriteGuid: string,
  child: string,
  alsoMine: readonly string[],
): Promise<void> {
  const skip = new Set([parent, child, ...alsoMine]);
  for (const folder of new Set([folderOf(parent), folderOf(child)])) {
    for (const name of await store.list(folder)) {
      if (!DISK_FILE.test(name)) continue;
      const path = folder === '' ? name : `${folder}/${name}`;
      if (skip.has(path)) continue;
      skip.add(path);
      if (await isLinkedChild(store, path, parent, parentDataWriteGuid)) {
        throw new VhdxError(
          'merge',
          `${parent} has another child, ${path}; it cannot be merged into`,
          {
            code: 'INVALID_ARGUMENT',
          },
        );
      }
    }
  }
}

async function isLinkedChild(
  store: FileStore,
  path: string,
  parent: string,
  parentDataWriteGuid: string,
): Promise<boolean> {
  let file: VhdxFile;
  try {
    file = await VhdxFile.open(store, path, false, { metadataOnly: true });
  } catch {
    return false;
  }
  try {
    const loc = file.meta.parentLocator;
    if (loc === null || !linkageMatches(loc, parentDataWriteGuid)) return false;
    return (await findParent(store, path, loc).catch(() => null)) === parent;
  } finally {
    await file.close();
  }
}
