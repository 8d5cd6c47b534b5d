import { isAtomicWriteTemporary } from '@hvm/filestore';

/** The host data folder, laid out like Hyper-V's. Paths are relative to the store's root. */
export const VM_FOLDER = 'Virtual Machines';
export const DISK_FOLDER = 'Virtual Hard Disks';
export const DEFAULT_SNAPSHOT_FOLDER = 'Snapshots';

export const vmConfigPath = (vmId: string): string => `${VM_FOLDER}/${vmId}.json`;
export const vmSavedStatePath = (vmId: string): string => `${VM_FOLDER}/${vmId}.vmrs`;
export const checkpointConfigPath = (folder: string, checkpointId: string): string =>
  `${folder}/${checkpointId}.json`;
export const checkpointSavedStatePath = (folder: string, checkpointId: string): string =>
  `${folder}/${checkpointId}.vmrs`;

/** Characters Windows refuses in file names become `_`. */
export function safeFileName(name: string): string {
  const replaced = [...name]
    .map((c) => (c.charCodeAt(0) < 32 || '<>:"/\\|?*'.includes(c) ? '_' : c))
    .join('');
  return replaced.replace(/[. ]+$/, '_');
}

export function folderOf(path: string): string {
  const at = path.lastIndexOf('/');
  return at < 0 ? '' : path.slice(0, at);
}

export function baseNameOf(path: string): string {
  const name = path.slice(path.lastIndexOf('/') + 1);
  const dot = name.lastIndexOf('.');
  return dot <= 0 ? name : name.slice(0, dot);
}

/** `<base disk name>_<GUID upper-case>.avhdx`, next to the parent disk, as Hyper-V names them. */
export function differencingDiskPath(baseDiskPath: string, guid: string): string {
  const folder = folderOf(baseDiskPath);
  const base = baseNameOf(baseDiskPath).replace(/_[0-9A-F]{8}-[0-9A-F-]{27}$/, '');
  const name = `${base}_${guid.toUpperCase()}.avhdx`;
  return folder === '' ? name : `${folder}/${name}`;
}

/**
 * A write a crash cut short: `<name>.tmp-<suffix>` (saved states) or the temporary copy of an
 * atomic write (`@hvm/filestore`, before its rename). `of` narrows the second kind to one file name.
 */
export function isWriteLeftover(name: string, of?: string): boolean {
  if (of !== undefined) return isAtomicWriteTemporary(name, of);
  return name.includes('.tmp-') || isAtomicWriteTemporary(name);
}
