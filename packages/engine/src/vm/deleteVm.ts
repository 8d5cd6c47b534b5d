import { invalidState } from '../errors.js';
import {
  emit,
  persistVm,
  refuseWhileMerging,
  unlinkQuietly,
  type HostContext,
  type VmRuntime,
} from '../host/hostContext.js';
import {
  checkpointConfigPath,
  checkpointSavedStatePath,
  vmConfigPath,
  vmSavedStatePath,
} from '../persistence/layout.js';
import type { VmFile } from '../persistence/records.js';

/** Every file a VM owns: disks, checkpoint files, saved state (its JSON last). */
export function filesOfVm(file: VmFile): string[] {
  const files = new Set<string>(Object.keys(file.disks));
  for (const drive of file.drives) files.add(drive.path);
  for (const node of file.checkpoints) {
    files.add(checkpointConfigPath(file.snapshotFileLocation, node.id));
    files.add(checkpointSavedStatePath(file.snapshotFileLocation, node.id));
  }
  files.add(vmSavedStatePath(file.id));
  return [...files];
}

/** Delete: the VM must be Off or Saved. Marked "deleting" first, so a crash finishes the job on load. */
export async function deleteVm(ctx: HostContext, vm: VmRuntime): Promise<void> {
  if (vm.state !== 'Off' && vm.state !== 'Saved')
    throw invalidState(vm.file.name, vm.state, 'delete');
  refuseWhileMerging(vm);
  vm.file.lifecycle = 'deleting';
  await persistVm(ctx, vm);
  ctx.vms.delete(vm.file.id);
  for (const path of filesOfVm(vm.file)) await unlinkQuietly(ctx, path);
  await unlinkQuietly(ctx, vmConfigPath(vm.file.id));
  emit(ctx, { type: 'vm-removed', vmId: vm.file.id });
}
