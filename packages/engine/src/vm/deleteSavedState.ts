import { invalidState } from '../errors.js';
import { persistVm, unlinkQuietly, type HostContext, type VmRuntime } from '../host/hostContext.js';
import { vmSavedStatePath } from '../persistence/layout.js';
import { emitVmChanged } from './vmView.js';

/**
 * Delete Saved State (Remove-VMSavedState): "deletes the saved state of a saved virtual machine.
 * Note: data contained in the memory of the virtual machine may be lost; data on its virtual hard
 * disk drives are unaffected" (Microsoft's Remove-VMSavedState reference, hh848476). Hyper-V
 * Manager offers it for a Saved VM only (behaviour spec §8.3 note, S62); the VM is then Off and
 * boots from its disks on the next Start.
 *
 * Crash-safe: the record says Off before the `.vmrs` goes, so a kill in between leaves an Off VM
 * and a saved-state file no record names, which the next load removes as unreferenced; a kill
 * before the record is written leaves the VM Saved with its file, as it was.
 */
export async function deleteSavedState(ctx: HostContext, vm: VmRuntime): Promise<void> {
  if (vm.state !== 'Saved') throw invalidState(vm.file.name, vm.state, 'Delete Saved State');
  vm.file.state = 'Off';
  vm.file.savedState = null;
  vm.file.uptimeMs = 0;
  vm.file.runningSince = null;
  // A failed write puts the record back as it was (persistVm): the VM stays Saved.
  await persistVm(ctx, vm);
  vm.state = 'Off';
  await unlinkQuietly(ctx, vmSavedStatePath(vm.file.id));
  emitVmChanged(ctx, vm);
}
