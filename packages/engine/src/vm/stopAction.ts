import type { EngineError } from '../errors.js';
import { persistVm, type HostContext, type VmRuntime } from '../host/hostContext.js';
import { vmSavedStatePath } from '../persistence/layout.js';
import type { SavedStateRecord } from '../persistence/records.js';
import type { VmId } from '../types.js';
import { currentUptimeMs } from './vmView.js';
import { removeAutomaticCheckpoint } from './automaticCheckpoint.js';
import { captureSavedState, writeVmSavedState } from './captureSavedState.js';
import { refusalOf, stopGuest, turnOffNow } from './vmStateMachine.js';
import { saveQemuGuest, shutDownQemuGuest } from '../hypervisor/qemuVm.js';
import { guestFaultsOf, shutdownNotAnswered } from '../guest/guestFaults.js';

/** How long a QEMU guest has to shut down as the host closes; then it is turned off. */
const QEMU_SHUTDOWN_AT_CLOSE_MS = 120_000;

/** What the host did to one running or paused VM as it stopped. */
export interface HostStopOutcome {
  vmId: VmId;
  /** The action taken: a ShutDown the guest cannot answer becomes a turn-off. */
  action: 'save' | 'turn-off' | 'shut-down';
  /** Why a ShutDown became a turn-off. */
  notShutDown: EngineError | null;
  /** The automatic checkpoint a shut-down removed (its name), as Shut Down does. */
  removedCheckpoints: string[];
  /** The action failed (null: it did not): the VM comes back Off, as after a host that was killed. */
  error: unknown;
}

/**
 * The Automatic Stop Action of every VM that is Running or Paused when the host closes:
 * - Save (Hyper-V's default): its memory is saved and it comes back Saved;
 * - TurnOff: it loses its memory as with Turn Off and comes back Off (crash recovery at next boot);
 * - ShutDown: the guest is shut down through the Operating system shutdown integration service as
 *   Shut Down does (its automatic checkpoint removed); a guest that cannot answer (no operating
 *   system, the service disabled or missing, the VM paused) is turned off instead.
 * Each of them records `runningAtHostStop` for its Automatic Start Action; the next Start clears
 * it (other VMs keep theirs: one whose automatic start was still waiting for its startup delay is
 * still due). A host that is killed instead loses the memory: its running VMs come back Off,
 * without the record (see loadVms). One VM's failure does not stop the others.
 */
export async function stopRunningVmsAtClose(ctx: HostContext): Promise<HostStopOutcome[]> {
  const outcomes: HostStopOutcome[] = [];
  for (const vm of ctx.vms.values()) {
    if (vm.state !== 'Running' && vm.state !== 'Paused') continue;
    const stopAction = vm.file.automaticStopAction ?? 'Save';
    const notShutDown =
      stopAction === 'ShutDown'
        ? (refusalOf(vm, 'shut-down') ??
          (guestFaultsOf(vm.file).ignoresShutdown ? shutdownNotAnswered(vm.file.name) : null))
        : null;
    const action =
      stopAction === 'Save'
        ? 'save'
        : stopAction === 'ShutDown' && notShutDown === null
          ? 'shut-down'
          : 'turn-off';
    const outcome: HostStopOutcome = {
      vmId: vm.file.id,
      action,
      notShutDown,
      removedCheckpoints: [],
      error: null,
    };
    outcomes.push(outcome);
    vm.file.runningAtHostStop = true;
    try {
      if (action === 'save') await saveAtClose(ctx, vm);
      else if (action === 'shut-down') outcome.removedCheckpoints = await shutDownAtClose(ctx, vm);
      else await turnOffNow(ctx, vm);
    } catch (error) {
      outcome.error = error;
    }
  }
  return outcomes;
}

async function saveAtClose(ctx: HostContext, vm: VmRuntime): Promise<void> {
  if (vm.qemu !== undefined && vm.qemu !== null) {
    // A QEMU guest: QEMU writes its memory and device state into the VM's saved-state file.
    const savedState = await saveQemuGuest(vm, currentUptimeMs(ctx, vm));
    await settleSaved(ctx, vm, savedState);
    return;
  }
  vm.guest?.stopTicking();
  await vm.guest?.drain();
  const state = captureSavedState(ctx, vm);
  await stopGuest(vm);
  await writeVmSavedState(ctx, vmSavedStatePath(vm.file.id), state);
  await settleSaved(ctx, vm, { uptimeMs: state.meta.uptimeMs });
}

async function settleSaved(
  ctx: HostContext,
  vm: VmRuntime,
  savedState: SavedStateRecord,
): Promise<void> {
  vm.file.savedState = savedState;
  vm.file.state = 'Saved';
  vm.file.uptimeMs = 0;
  vm.file.runningSince = null;
  vm.state = 'Saved';
  await persistVm(ctx, vm);
}

/** Shut Down without its Stopping wait; the merge that removing the automatic checkpoint starts resumes on the next load. */
async function shutDownAtClose(ctx: HostContext, vm: VmRuntime): Promise<string[]> {
  await vm.guest?.shutDown();
  await shutDownQemuGuest(vm, QEMU_SHUTDOWN_AT_CLOSE_MS);
  await turnOffNow(ctx, vm);
  const before = vm.file.checkpoints;
  await removeAutomaticCheckpoint(ctx, vm);
  vm.mergeAbort?.abort();
  await vm.mergeDone;
  return before.filter((node) => !vm.file.checkpoints.includes(node)).map((node) => node.name);
}
