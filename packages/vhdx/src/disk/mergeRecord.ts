// The merge record: `<child>.merge.json`, which makes a merge resumable after a crash.
import { VhdxError } from '../errors.js';
import { MiB } from '../format/constants.js';
import type { FileStore } from '../storage/fileStore.js';
import { normalizeStorePath } from '../storage/storePath.js';
import { newGuid, normalizeGuid } from '../util/guid.js';
import { findParent, openChain } from './chain.js';
import { refuseOtherChildren } from './mergeSiblings.js';
import { VhdxFile } from './vhdxFile.js';

export const MERGE_SIDECAR_SUFFIX = '.merge.json';

export type Phase = 'link' | 'copy' | 'repoint' | 'unlink';
export const PHASES: readonly Phase[] = ['link', 'copy', 'repoint', 'unlink'];

/** The sidecar `<child>.merge.json`, rewritten atomically at every step of a merge. */
export interface MergeRecord {
  version: 1;
  child: string;
  parent: string;
  children: string[];
  phase: Phase;
  /** The parent's DataWriteGuid before the merge and the one it gets for the merge. */
  parentDataWriteGuidBefore: string;
  parentDataWriteGuidAfter: string;
  /** First child block not yet durably copied into the parent. */
  nextBlock: number;
  totalBlocks: number;
}

const MAX_SIDECAR_BYTES = 1024 * 1024;
export const DEFAULT_CHECKPOINT_BYTES = 1024 * MiB;

export function sidecarError(path: string, detail: string, cause?: unknown): VhdxError {
  return new VhdxError('merge sidecar', `${path}: ${detail}`, {
    offset: null,
    ...(cause === undefined ? {} : { cause }),
  });
}

export async function readRecord(store: FileStore, path: string): Promise<MergeRecord | null> {
  if (!(await store.exists(path))) return null;
  const st = await store.stat(path);
  if (st.size > MAX_SIDECAR_BYTES) throw sidecarError(path, `${st.size} bytes is too large`);
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(await store.readFile(path)).toString('utf8'));
  } catch (e) {
    throw sidecarError(path, 'is not JSON', e);
  }
  const r = raw as Partial<Record<keyof MergeRecord, unknown>>;
  const str = (v: unknown): v is string => typeof v === 'string' && v.length > 0;
  const guid = (v: unknown): v is string => typeof v === 'string' && normalizeGuid(v) !== null;
  const int = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;
  if (
    typeof raw !== 'object' ||
    raw === null ||
    r.version !== 1 ||
    !str(r.child) ||
    !str(r.parent) ||
    !Array.isArray(r.children) ||
    !r.children.every(str) ||
    !PHASES.includes(r.phase as Phase) ||
    !guid(r.parentDataWriteGuidBefore) ||
    !guid(r.parentDataWriteGuidAfter) ||
    !int(r.nextBlock) ||
    !int(r.totalBlocks) ||
    r.nextBlock > r.totalBlocks
  ) {
    throw sidecarError(path, 'is not a merge record of this version');
  }
  return {
    version: 1,
    child: normalizeStorePath(r.child),
    parent: normalizeStorePath(r.parent),
    children: r.children.map((c) => normalizeStorePath(c)),
    phase: r.phase as Phase,
    parentDataWriteGuidBefore: normalizeGuid(r.parentDataWriteGuidBefore) ?? '',
    parentDataWriteGuidAfter: normalizeGuid(r.parentDataWriteGuidAfter) ?? '',
    nextBlock: r.nextBlock,
    totalBlocks: r.totalBlocks,
  };
}

export async function writeRecord(
  store: FileStore,
  path: string,
  record: MergeRecord,
): Promise<void> {
  await store.writeFileAtomic(
    path,
    new Uint8Array(Buffer.from(JSON.stringify(record, null, 2) + '\n', 'utf8')),
  );
}

/** Plans a new merge: checks the chain and the children, picks the parent's new DataWriteGuid. */
export async function planMerge(
  store: FileStore,
  child: string,
  children: string[],
): Promise<MergeRecord> {
  const disk = await openChain(store, child, false);
  let record: MergeRecord;
  try {
    const parent = disk.parent;
    if (parent === null || disk.info.parentPath === null) {
      throw new VhdxError('merge', `${child} is not a differencing disk`, {
        code: 'INVALID_ARGUMENT',
      });
    }
    record = {
      version: 1,
      child,
      parent: disk.info.parentPath,
      children,
      phase: 'link',
      parentDataWriteGuidBefore: parent.info.dataWriteGuid,
      parentDataWriteGuidAfter: newGuid(),
      nextBlock: 0,
      totalBlocks: disk.file.geometry.dataBlocks,
    };
  } finally {
    await disk.close();
  }
  await refuseOtherChildren(
    store,
    record.parent,
    record.parentDataWriteGuidBefore,
    child,
    children,
  );
  for (const g of children) {
    if (g === child || g === record.parent) {
      throw new VhdxError('merge', `${g} cannot be a child of ${child}`, {
        code: 'INVALID_ARGUMENT',
      });
    }
    const file = await VhdxFile.open(store, g, false);
    try {
      const loc = file.meta.parentLocator;
      const at = loc === null ? null : await findParent(store, g, loc).catch(() => null);
      if (at !== child && at !== record.parent) {
        throw new VhdxError('merge', `${g} is not a child of ${child} (its parent is ${at})`, {
          code: 'INVALID_ARGUMENT',
        });
      }
    } finally {
      await file.close();
    }
  }
  return record;
}
