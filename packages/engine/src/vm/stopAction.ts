import { persistVm, type HostContext } from '../host/hostContext.js';
import { vmSavedStatePath } from '../persistence/layout.js';
import { captureSavedState, writeVmSavedState } from './captureSavedState.js';
import { stopGuest } from './vmStateMachine.js';

/**
 * Automatic Stop Action "Save" (Hyper-V's default): when the host closes, every running or paused
 * VM is saved and comes back Saved. A host that is killed instead loses the memory: its running
 * VMs come back Off (see loadVms).
 */
export async function saveRunningVmsAtClose(ctx: HostContext): Promise<void> {
  for (const vm of ctx.vms.values()) {
    if (vm.state !== 'Running' && vm.state !== 'Paused') continue;
    vm.guest?.stopTicking();
    await vm.guest?.drain();
    const state = captureSavedState(ctx, vm);
    await stopGuest(vm);
    await writeVmSavedState(ctx, vmSavedStatePath(vm.file.id), state);
    vm.file.savedState = { uptimeMs: state.meta.uptimeMs };
    vm.file.state = 'Saved';
    vm.file.uptimeMs = 0;
    vm.file.runningSince = null;
    vm.state = 'Saved';
    await persistVm(ctx, vm);
  }
}
