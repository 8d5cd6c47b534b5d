export type {
  FileStore,
  FileHandle,
  FileRange,
  OpenMode,
  OpenOptions,
  FileStat,
} from './storage/fileStore.js';
export { nodeFileStore } from './storage/nodeFileStore.js';
export { memoryFileStore } from './storage/memoryFileStore.js';
export { DiskType } from './types.js';
export type { DiskInfo, VirtualDisk } from './types.js';
export { VhdxError } from './errors.js';
export type { VhdxErrorCode } from './errors.js';
export { createDynamicDisk, createDifferencingDisk, createFixedDisk } from './disk/create.js';
export type {
  CreateDynamicOptions,
  CreateFixedOptions,
  CreateDifferencingOptions,
} from './disk/create.js';
export { openDisk, inspectDisk } from './disk/chain.js';
export type { OpenDiskOptions } from './disk/chain.js';
export { DiskCache } from './disk/diskCache.js';
export { mergeDisk, resumeMerges } from './disk/merge.js';
export { deleteMergedChild, pendingChildDeletions } from './disk/mergedChildDeletion.js';
export { MERGE_SIDECAR_SUFFIX } from './disk/mergeRecord.js';
export type { MergeOptions } from './disk/merge.js';
export type { MergeRecord } from './disk/mergeRecord.js';
export { LiveMergeWrites, type GuestWrite } from './disk/liveMerge.js';
export { reparentDisk } from './disk/reparent.js';
export { flattenDisk } from './disk/flatten.js';
export { resizeDisk, minimumDiskSize } from './disk/resize.js';
export type { FlattenOptions } from './disk/flatten.js';
export { copySparseFile } from './storage/copySparseFile.js';
export { Throttle } from './util/throttle.js';
export { convertDisk } from './disk/convert.js';
export type { ConvertOptions } from './disk/convert.js';
export { compactDisk } from './disk/compact.js';
export type { CompactOptions, CompactResult } from './disk/compact.js';
export { EDIT_TEMP_SUFFIX } from './disk/editTemp.js';
