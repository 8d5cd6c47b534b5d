// The last step of a merge, run after the merge is complete: the merged child's file is deleted.
import { VhdxError } from '../errors.js';
import { locatorValue } from '../format/parentLocator.js';
import type { FileStore } from '../storage/fileStore.js';
import { normalizeStorePath } from '../storage/storePath.js';
import { normalizeGuid } from '../util/guid.js';
import { MERGE_SIDECAR_SUFFIX, readRecord, sidecarError, type MergeRecord } from './mergeRecord.js';
import { VhdxFile } from './vhdxFile.js';

/**
 * True when the file at `record.child` is the disk this record merged: its parent locator names
 * the parent's DataWriteGuid of the merge in `parent_linkage2` (written by the merge's link step,
 * vhdx-format.md "Delete checkpoint" step 2). Any other file by that name (a disk made after the
 * child was gone) is not deleted.
 */
async function isTheMergedChild(store: FileStore, record: MergeRecord): Promise<boolean> {
  let file: VhdxFile;
  try {
    file = await VhdxFile.open(store, record.child, false, { metadataOnly: true });
  } catch {
    return false;
  }
  try {
    const loc = file.meta.parentLocator;
    const linkage2 = loc === null ? null : locatorValue(loc, 'parent_linkage2');
    const guid = linkage2 === null ? null : normalizeGuid(linkage2.replace(/^\{|\}$/g, ''));
    return guid === record.parentDataWriteGuidAfter;
  } finally {
    await file.close();
  }
}

/**
 * Deletes the child of a complete merge, then its merge record: the record in its last phase
 * ('unlink') is the child's pending deletion. Until then nothing refers to the child (the parent
 * holds its data durably, its own children are re-pointed), and the child's name stays taken by
 * its file or its record, so that no new disk gets it before it is gone. A crash between the two
 * deletions leaves the record alone; this removes it. Deleting the file frees its blocks, which on
 * ext4 happens within `unlink` (0.3 to 0.7 s for 1 GiB): that is why it runs after the merge
 * reports done. In Hyper-V Manager the checkpoint leaves the tree at once and its disk is merged
 * in the background, then the .avhdx is removed (behaviour spec §4.9 step 4, and S1: "merged and
 * removed"); at which instant of the merge Hyper-V removes the file is not documented.
 *
 * Returns false when there is nothing to delete (no record). Throws when the record is not in its
 * last phase: that merge is not complete, and its child is still in a chain.
 */
export async function deleteMergedChild(store: FileStore, childPath: string): Promise<boolean> {
  const child = normalizeStorePath(childPath);
  const sidecar = child + MERGE_SIDECAR_SUFFIX;
  const record = await readRecord(store, sidecar);
  if (record === null) return false;
  if (record.child !== child) throw sidecarError(sidecar, `names another disk, ${record.child}`);
  if (record.phase !== 'unlink') {
    throw new VhdxError('merge', `the merge of ${child} is not complete (${record.phase})`, {
      code: 'INVALID_ARGUMENT',
    });
  }
  await removeChildThenRecord(store, record, sidecar, null);
  return true;
}

/**
 * The deletion itself: `held` is the child's file still open from the merge (closed without
 * being brought to rest, `VhdxFile.closeForDeletion`), known to be the merged child.
 */
export async function removeChildThenRecord(
  store: FileStore,
  record: MergeRecord,
  sidecar: string,
  held: VhdxFile | null,
): Promise<void> {
  if (held !== null) {
    await held.closeForDeletion();
    await store.unlink(record.child);
  } else if ((await store.exists(record.child)) && (await isTheMergedChild(store, record))) {
    await store.unlink(record.child);
  }
  await store.unlink(sidecar);
}

/** The merged children of `folder` whose deletion is pending (their record is in phase 'unlink'). */
export async function pendingChildDeletions(store: FileStore, folder: string): Promise<string[]> {
  const dir = folder === '' ? '' : normalizeStorePath(folder);
  const out: string[] = [];
  for (const name of await store.list(dir)) {
    if (!name.endsWith(MERGE_SIDECAR_SUFFIX) || name === MERGE_SIDECAR_SUFFIX) continue;
    const child = (dir === '' ? '' : dir + '/') + name.slice(0, -MERGE_SIDECAR_SUFFIX.length);
    const record = await readRecord(store, child + MERGE_SIDECAR_SUFFIX).catch(() => null);
    if (record?.phase === 'unlink' && record.child === child) out.push(child);
  }
  return out;
}
