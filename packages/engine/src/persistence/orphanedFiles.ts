import type { OrphanedFile } from '../disk/diskTypes.js';
import type { HostContext, VmRuntime } from '../host/hostContext.js';
import {
  DEFAULT_SNAPSHOT_FOLDER,
  VM_FOLDER,
  checkpointConfigPath,
  checkpointSavedStatePath,
} from './layout.js';
import { GUID_FILE, pendingDiskMarkerPath } from './pendingDisks.js';

/**
 * The host's names for a checkpoint's configuration and saved state, and for a VM's saved state:
 * `<GUID>.json` / `<GUID>.vmrs` (Hyper-V names them `<GUID>.vmcx` / `<GUID>.vmrs`, behaviour spec
 * R21). A GUID name proves nothing about who wrote a file: only a `.pending` marker does.
 */
export { GUID_FILE } from './pendingDisks.js';

const idOf = (name: string): string => name.slice(0, name.lastIndexOf('.')).toLowerCase();

/** The ids of every VM the host knows, deleted ones whose disks still merge included. */
export function knownVmIds(ctx: HostContext): Set<string> {
  const ids = new Set<string>();
  for (const vm of [...ctx.vms.values(), ...ctx.deletingVms.values()])
    ids.add(vm.file.id.toLowerCase());
  return ids;
}

function everyVm(ctx: HostContext): VmRuntime[] {
  return [...ctx.vms.values(), ...ctx.deletingVms.values()];
}

async function listQuietly(ctx: HostContext, folder: string): Promise<string[]> {
  try {
    return await ctx.store.list(folder);
  } catch {
    return [];
  }
}

const REASON = 'The file belongs to no checkpoint and to no virtual machine.';

/**
 * Check Host: GUID-named `.json` / `.vmrs` files in the checkpoint folders that no checkpoint
 * lists, and `.vmrs` files in the VM folder named after no VM. Files an operation is writing
 * (marked `.pending`) are not orphans. Reads names only; changes nothing.
 */
export async function findOrphanedFiles(ctx: HostContext): Promise<OrphanedFile[]> {
  const vms = everyVm(ctx);
  const known = new Set<string>();
  const folders = new Set<string>([DEFAULT_SNAPSHOT_FOLDER]);
  for (const { file } of vms) {
    folders.add(file.snapshotFileLocation);
    for (const node of file.checkpoints) {
      known.add(checkpointConfigPath(file.snapshotFileLocation, node.id).toLowerCase());
      known.add(checkpointSavedStatePath(file.snapshotFileLocation, node.id).toLowerCase());
    }
  }
  const orphans: OrphanedFile[] = [];
  const consider = async (folder: string, name: string): Promise<void> => {
    const path = `${folder}/${name}`;
    if (known.has(path.toLowerCase())) return;
    if (await ctx.store.exists(pendingDiskMarkerPath(path)).catch(() => true)) return;
    const kind = name.toLowerCase().endsWith('.json') ? 'Checkpoint configuration' : 'Saved state';
    orphans.push({ path, kind, reason: REASON });
  };
  for (const folder of [...folders].sort()) {
    if (folder === VM_FOLDER) continue;
    for (const name of (await listQuietly(ctx, folder)).sort())
      if (GUID_FILE.test(name)) await consider(folder, name);
  }
  const vmIds = knownVmIds(ctx);
  for (const name of (await listQuietly(ctx, VM_FOLDER)).sort()) {
    if (GUID_FILE.test(name) && name.toLowerCase().endsWith('.vmrs') && !vmIds.has(idOf(name)))
      await consider(VM_FOLDER, name);
  }
  return orphans.sort((a, b) => a.path.toLowerCase().localeCompare(b.path.toLowerCase()));
}

/** On load: a `.vmrs` in the VM folder named after a VM the host knows is that VM's own. */
export function isOwnSavedState(ctx: HostContext, name: string): boolean {
  return (
    GUID_FILE.test(name) && name.toLowerCase().endsWith('.vmrs') && knownVmIds(ctx).has(idOf(name))
  );
}
