import { VhdxError } from '../errors.js';
import { MiB } from '../format/constants.js';
import { locatorValue } from '../format/parentLocator.js';
import type { FileStore } from '../storage/fileStore.js';
import { normalizeStorePath } from '../storage/storePath.js';
import { guidEquals, ZERO_GUID } from '../util/guid.js';
import { folderOf } from '../util/winPath.js';
import { openChain } from './chain.js';
import {
  editParentLocator,
  openEditingParentLocator,
  reparentDisk,
  setLocatorValue,
} from './reparent.js';
import { BlockCopier } from './mergeCopy.js';
import type { LiveMergeWrites } from './liveMerge.js';
import { reclaimUnreferencedTail } from './reclaimTail.js';
import { removeChildThenRecord } from './mergedChildDeletion.js';
import { VhdxFile } from './vhdxFile.js';
import type { OpenVirtualDisk } from './virtualDisk.js';
import {
  DEFAULT_CHECKPOINT_BYTES,
  planMerge,
  MERGE_SIDECAR_SUFFIX,
  readRecord,
  sidecarError,
  writeRecord,
  type MergeRecord,
  type Phase,
} from './mergeRecord.js';

export interface MergeOptions {
  /** The child's own children (differencing disks of `childPath`): re-pointed at the parent. */
  children?: string[];
  /** Whole percents 0-100, rising, 100 once the merge is complete. */
  onProgress?: (percent: number) => void;
  /** Stops between blocks; the merge stays resumable (call `mergeDisk` again). */
  signal?: AbortSignal;
  /** Bytes copied between two durable progress records in the sidecar (default 1 GiB). */
  checkpointBytes?: number;
  /**
   * Shares whole blocks between the child and the parent file instead of copying them, where the
   * file system can clone ranges (XFS with reflink, Btrfs), as ReFS does for Hyper-V: the merge
   * then moves no data. Elsewhere blocks are copied by the kernel (`copy_file_range`) where the
   * store can. False: every block is read and written by this process, nothing is shared.
   * Default true.
   */
  blockCloning?: boolean;
  /**
   * Upper bound of the copy rate in bytes per second, so that a running guest's own disk I/O is not
   * starved by the merge; cloned blocks move no data and do not count. Default 0: unthrottled.
   */
  bytesPerSecond?: number;
  /**
   * The running guest's writes while the merge runs (a live merge): when its disk is the child,
   * they land as `LiveMergeWrites` describes; otherwise they are only kept out of the merge's
   * steps. Without it nothing may write to the chain during the merge.
   */
  live?: LiveMergeWrites;
  /**
   * True: `mergeDisk` returns once the merge is complete (the parent holds the child's data
   * durably, the child's children are re-pointed, the record says 'unlink') and leaves the
   * child's file and its record; `deleteMergedChild` then deletes them, and `resumeMerges` does
   * after a crash. Default false: the child is deleted before `mergeDisk` returns.
   */
  deferChildDeletion?: boolean;
}

/** Reports whole percents 0-100, rising only. */
function progressReporter(cb: ((percent: number) => void) | undefined): (p: number) => void {
  let last = -1;
  return (p) => {
    const v = Math.max(0, Math.min(100, Math.floor(p)));
    if (v <= last || cb === undefined) return;
    last = v;
    cb(v);
  };
}

function aborted(signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true;
}

function abortError(child: string): VhdxError {
  return new VhdxError('merge', `merge of ${child} stopped; call mergeDisk again to resume`, {
    code: 'ABORTED',
  });
}

/**
 * Before the parent's DataWriteGuid changes, the new one goes into `parent_linkage2` of the
 * child (whose `parent_linkage` is set to the parent's current one, in the same log entry) and of
 * each grandchild, so every disk stays linked whichever of the two the parent holds (MS-VHDX
 * footnote <12>; vhdx-format.md, "Delete checkpoint", step 2).
 *
 * With `holdChild` the child's file is returned still open once the log entry holding its new
 * locator is durable: the copy reads the child through it, and when the child is deleted it is
 * dropped without the three flushes that would bring it to rest (`VhdxFile.closeForDeletion`).
 */
async function linkPhase(
  store: FileStore,
  r: MergeRecord,
  holdChild: boolean,
): Promise<VhdxFile | null> {
  const after = `{${r.parentDataWriteGuidAfter}}`;
  const link = (entries: [string, string][]): void => {
    setLocatorValue(entries, 'parent_linkage', `{${r.parentDataWriteGuidBefore}}`);
    setLocatorValue(entries, 'parent_linkage2', after);
  };
  let held: VhdxFile | null = null;
  if (holdChild) held = await openEditingParentLocator(store, r.child, link);
  else await editParentLocator(store, r.child, link);
  try {
    for (const g of r.children) {
      if (!(await store.exists(g))) continue;
      await editParentLocator(store, g, (entries) => {
        if (locatorValue({ entries }, 'parent_linkage2') !== after)
          setLocatorValue(entries, 'parent_linkage2', after);
      });
    }
  } catch (e) {
    await held?.close().catch(() => undefined);
    throw e;
  }
  return held;
}

/**
 * A merge cut off after its last record may have left the parent's log open (the parent is
 * brought to rest while that record is written): a writable open replays and closes it.
 */
async function bringParentToRest(store: FileStore, path: string): Promise<void> {
  if (!(await store.exists(path))) return;
  const peek = await VhdxFile.open(store, path, false, { metadataOnly: true });
  const logOpen = peek.header.logGuid !== ZERO_GUID;
  await peek.close();
  if (logOpen) await (await VhdxFile.open(store, path, true)).close();
}

/** Throws the first failure of settled steps that ran side by side. */
function firstFailure(results: readonly PromiseSettledResult<unknown>[]): void {
  for (const r of results) if (r.status === 'rejected') throw r.reason;
}

/** Replaces the parent's IsVirtualDisk items that differ from the child's (the spec's merge rule). */
async function takeVirtualDiskItems(parent: VhdxFile, child: VhdxFile): Promise<void> {
  const updates = child.meta.items
    .filter((it) => it.isVirtualDisk)
    .filter((it) => {
      const mine = parent.meta.items.find((p) => p.itemId === it.itemId && p.isUser === it.isUser);
      return mine === undefined || Buffer.compare(mine.data, it.data) !== 0;
    })
    .map((it) => ({
      itemId: it.itemId,
      isUser: it.isUser,
      data: it.data,
      flags: (it.isUser ? 1 : 0) | 2 | (it.isRequired ? 4 : 0),
    }));
  if (updates.length > 0) await parent.replaceMetadataItems(updates);
}

async function copyPhase(
  store: FileStore,
  sidecar: string,
  r: MergeRecord,
  options: MergeOptions,
  report: (p: number) => void,
  resumed: boolean,
  heldChild: VhdxFile | null,
  handParentOver: boolean,
): Promise<OpenVirtualDisk | null> {
  const live = options.live?.path === r.child ? options.live : undefined;
  const step = stepper(options.live);
  const parent = await step(() => openChain(store, r.parent, true));
  let frontier = r.nextBlock;
  let handedOver = false;
  try {
    // The guest's own disk is opened writable: its writes and the copy share one view of it,
    // from the step that opens it on (a write through another handle would leave this one's
    // block table stale). Blocks below the frontier are in the parent already: mirrored.
    let copying: BlockCopier | undefined;
    const childChain =
      live === undefined
        ? null
        : await step(async () => {
            const opened = await openChain(store, r.child, true);
            live.routeTo({
              kind: 'mirror',
              child: opened,
              parent,
              below: async () => {
                await copying?.settle();
                return frontier * opened.file.meta.blockSize;
              },
            });
            return opened;
          });
    const child = childChain?.file ?? heldChild ?? (await VhdxFile.open(store, r.child, false));
    const blockSize = child.meta.blockSize;
    try {
      await step(async () => {
        const current = parent.file.header.dataWriteGuid;
        if (
          !guidEquals(current, r.parentDataWriteGuidBefore) &&
          !guidEquals(current, r.parentDataWriteGuidAfter)
        ) {
          throw new VhdxError(
            'merge',
            `${r.parent} has DataWriteGuid {${current}}, written by someone else during the merge`,
            { code: 'PARENT_MISMATCH' },
          );
        }
        await parent.file.setDataWriteGuid(r.parentDataWriteGuidAfter);
        // Blocks the cut-off run allocated after its last record are in no BAT entry (issue 17).
        if (resumed) await reclaimUnreferencedTail(parent.file);
      });
      if (
        child.meta.virtualSize !== parent.file.meta.virtualSize ||
        child.meta.logicalSectorSize !== parent.file.meta.logicalSectorSize ||
        child.geometry.dataBlocks !== r.totalBlocks
      ) {
        throw new VhdxError('merge', `${r.child} and ${r.parent} differ in size or sector size`, {
          code: 'PARENT_MISMATCH',
        });
      }
      // Progress is the share of the data copied (issue 16): the bytes of the blocks before
      // `nextBlock` count as copied, and every piece that reaches the parent moves it on.
      let copied = 0;
      let total = 0;
      /** The last block holding data: no record is written at it or after it. */
      let lastData = -1;
      const copier = new BlockCopier(child, parent, {
        blockCloning: options.blockCloning ?? true,
        bytesPerSecond: options.bytesPerSecond ?? 0,
        signal: options.signal,
        onCopied: (bytes) => {
          copied += bytes;
          if (total > 0) report((Math.min(copied, total) / total) * 98);
        },
      });
      copying = copier;
      await step(async () => {
        // Every block's bytes are counted, those before `nextBlock` too: their bitmaps are read ahead.
        await copier.readBitmapsAhead();
        for (let b = 0; b < r.totalBlocks; b++) {
          const bytes = await copier.bytesOf(b);
          if (bytes > 0) lastData = b;
          total += bytes;
          if (b < r.nextBlock) copied += bytes;
        }
        if (total > 0) report((copied / total) * 98);
      });
      const every = options.checkpointBytes ?? DEFAULT_CHECKPOINT_BYTES;
      let sinceRecord = 0;
      const record = async (next: number): Promise<void> => {
        await copier.settle();
        await parent.flush();
        r.nextBlock = next;
        await writeRecord(store, sidecar, r);
        sinceRecord = 0;
      };
      for (let b = r.nextBlock; b < r.totalBlocks; b++) {
        await step(async () => {
          if (aborted(options.signal)) {
            await record(b);
            throw abortError(r.child);
          }
          sinceRecord += (await copier.copyBlock(b)) + MiB / 64;
          frontier = b + 1;
          // After the last block with data the phase's own record follows soon: none is written.
          if (sinceRecord >= every && b < lastData) await record(b + 1);
          // A child without data (ZERO blocks at most) moves by blocks.
          if (total === 0) report(((b + 1) / r.totalBlocks) * 98);
        });
      }
      await step(async () => {
        await copier.settle();
        report(98);
        await takeVirtualDiskItems(parent.file, child);
        await parent.flush();
      });
      handedOver = handParentOver;
    } finally {
      await step(async () => {
        // Handles close: the guest's writes reopen the files, still mirrored below the frontier.
        live?.routeTo({
          kind: 'mirror-reopen',
          parent: r.parent,
          parentDataWriteGuid: r.parentDataWriteGuidAfter,
          below: frontier * blockSize,
        });
        if (child !== heldChild) await (childChain ?? child).close();
      });
    }
  } finally {
    if (!handedOver) await step(() => parent.close());
  }
  return handedOver ? parent : null;
}

/** Runs a step of a merge with no guest write under way when the merge is live. */
function stepper(live: LiveMergeWrites | undefined): <T>(f: () => Promise<T>) => Promise<T> {
  return (f) => (live === undefined ? f() : live.exclusive(f));
}

/**
 * Deletes a checkpoint's disk the way Hyper-V does: folds `childPath` into its parent, re-points
 * the child's own children at the parent, then deletes the child. The parent must have no other
 * child. Every step is recorded in `<child>.merge.json` (written atomically), so a merge cut off at
 * any point - crash, error or `signal` - continues when `mergeDisk` (or `resumeMerges`) runs again,
 * and every disk of the chain opens and reads the same data at every instant. With
 * `deferChildDeletion` it returns before the child is deleted (`deleteMergedChild`).
 */
export async function mergeDisk(
  store: FileStore,
  childPath: string,
  options: MergeOptions = {},
): Promise<void> {
  const child = normalizeStorePath(childPath);
  const sidecar = child + MERGE_SIDECAR_SUFFIX;
  const report = progressReporter(options.onProgress);
  const children = [...new Set((options.children ?? []).map((c) => normalizeStorePath(c)))];
  const rate = options.bytesPerSecond ?? 0;
  if (typeof rate !== 'number' || !Number.isFinite(rate) || rate < 0) {
    throw new VhdxError('merge', `bytesPerSecond must be a number of bytes, 0 or more (${rate})`, {
      code: 'INVALID_ARGUMENT',
    });
  }
  let r = await readRecord(store, sidecar);
  const resumed = r !== null;
  if (r !== null && r.child !== child)
    throw sidecarError(sidecar, `names another disk, ${r.child}`);
  if (r === null) {
    if (!(await store.exists(child))) {
      throw new VhdxError('merge', `${child} does not exist`, { code: 'INVALID_ARGUMENT' });
    }
    r = await stepper(options.live)(() => planMerge(store, child, children));
  } else {
    for (const g of children) if (!r.children.includes(g)) r.children.push(g);
    if (r.phase !== 'unlink' && !(await store.exists(child))) {
      throw new VhdxError('merge', `${child} disappeared during its merge (${r.phase})`, {
        code: 'PARENT_MISSING',
      });
    }
  }
  const rec = r;
  report(rec.totalBlocks === 0 ? 0 : (rec.nextBlock / rec.totalBlocks) * 98);
  const step = stepper(options.live);
  const advance = async (phase: Phase): Promise<void> => {
    if (aborted(options.signal)) throw abortError(child);
    rec.phase = phase;
    await writeRecord(store, sidecar, rec);
  };
  if (resumed && rec.phase === 'unlink') await step(() => bringParentToRest(store, rec.parent));
  // The child's file stays open from its link to its deletion where no one else opens it (a
  // live merge's guest writes to it).
  const held: { file: VhdxFile | null } = { file: null };
  const deferred = options.deferChildDeletion === true;
  /** The merge is complete: the child is deleted now, or left to `deleteMergedChild`. */
  let childFinished = false;
  const finishChild = async (): Promise<void> => {
    childFinished = true;
    const file = held.file;
    held.file = null;
    if (deferred) await file?.closeForDeletion();
    else await removeChildThenRecord(store, rec, sidecar, file);
  };
  try {
    if (r.phase === 'link') {
      // No record of its own marks the end of the link step: the copy's first record (or the
      // 'unlink' one) says 'copy'. A merge cut off before it links again, which changes nothing
      // the first link did not (the same two GUIDs), and copies from `nextBlock`. A new merge's
      // first record and the link are written side by side: a link with no record behind it
      // names a DataWriteGuid the parent never gets, and leaves the child linked by
      // `parent_linkage`; both are durable before the parent changes.
      await step(async () => {
        const [recorded, linked] = await Promise.allSettled([
          resumed ? Promise.resolve() : writeRecord(store, sidecar, rec),
          linkPhase(store, rec, options.live === undefined),
        ]);
        if (linked.status === 'fulfilled') held.file = linked.value;
        firstFailure([recorded, linked]);
        if (aborted(options.signal)) throw abortError(child);
        rec.phase = 'copy';
      });
    }
    if (r.phase === 'copy') {
      const noChildren = rec.children.length === 0;
      const parent = await copyPhase(
        store,
        sidecar,
        r,
        options,
        report,
        resumed,
        held.file,
        noChildren && options.live === undefined,
      );
      if (parent !== null) {
        // The parent's BAT changes are durable in its log: the record of the last step and the
        // flushes that bring the parent to rest (in-place writes, the log closed, the second
        // header slot) go side by side; a resume at 'unlink' brings the parent to rest.
        report(99);
        firstFailure(
          await Promise.allSettled([parent.close(), advance('unlink').then(finishChild)]),
        );
      } else {
        // With no children to re-point, the record goes straight to 'unlink': one durable write less.
        await step(async () => {
          if (noChildren) report(99);
          await advance(noChildren ? 'unlink' : 'repoint');
        });
      }
    }
    // The copy is complete and recorded: the guest's own disk's writes go to the parent alone.
    if (options.live?.path === child) {
      const live = options.live;
      await step(() => {
        live.routeTo({
          kind: 'parent',
          parent: rec.parent,
          parentDataWriteGuid: rec.parentDataWriteGuidAfter,
        });
        return Promise.resolve();
      });
    }
    if (r.phase === 'repoint') {
      await step(async () => {
        for (const g of rec.children)
          if (await store.exists(g)) await reparentDisk(store, g, rec.parent);
        report(99);
        await advance('unlink');
      });
    }
    // Done already beside the parent's close when the copy handed the parent over.
    if (!childFinished) await step(finishChild);
  } catch (e) {
    await held.file?.close().catch(() => undefined);
    throw e;
  }
  report(100);
}

/** Finishes every merge recorded by a sidecar in `folder`; returns the merged children's paths. */
export async function resumeMerges(store: FileStore, folder: string): Promise<string[]> {
  const dir = folder === '' ? '' : normalizeStorePath(folder);
  const done: string[] = [];
  for (const name of await store.list(dir)) {
    if (!name.endsWith(MERGE_SIDECAR_SUFFIX) || name === MERGE_SIDECAR_SUFFIX) continue;
    const child = (dir === '' ? '' : dir + '/') + name.slice(0, -MERGE_SIDECAR_SUFFIX.length);
    if (folderOf(child) !== dir) continue;
    await mergeDisk(store, child);
    done.push(child);
  }
  return done;
}
