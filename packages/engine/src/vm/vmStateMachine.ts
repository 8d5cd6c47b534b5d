import { EngineError, ErrorCode, invalidState, operationInProgress } from '../errors.js';
import {
  nowIso,
  persistVm,
  unlinkQuietly,
  withVmOperation,
  type HostContext,
  type VmRuntime,
} from '../host/hostContext.js';
import { vmSavedStatePath } from '../persistence/layout.js';
import type { SavedStateRecord } from '../persistence/records.js';
import type { Timing } from '../ports.js';
import type { VmAction, VmState, VmSummary } from '../types.js';
import { captureSavedState, readGuestMemory, writeVmSavedState } from './captureSavedState.js';
import { findGuestImage } from '../guest/gallery.js';
import { GuestRuntime } from '../guest/guestRuntime.js';
import { guestFaultsOf, shutdownNotAnswered } from '../guest/guestFaults.js';
import { removeAutomaticCheckpoint, takeAutomaticCheckpoint } from './automaticCheckpoint.js';
import { isTransitional } from './vmStates.js';
import { POWER_ACTION_SOURCE_STATES as sources } from '@hvm/contracts';
import { POWER_ACTIONS } from '../operations/operationCatalog.js';
import { currentUptimeMs, emitVmChanged, toVmSummary } from './vmView.js';
import {
  qemuGuestEnded,
  qemuImageHasIntegrationServices,
  recordQemuGuestEnd,
  runsUnderQemu,
  saveQemuGuest,
  shutDownQemuGuest,
  startQemuGuest,
  turnOffQemuGuest,
  type QemuGuestEnd,
} from '../hypervisor/qemuVm.js';
import { settleRestoredQemuGuestNetwork } from '../hypervisor/qemuVmNetwork.js';

/** How long Shut Down waits for a QEMU guest's operating system to power off. */
const QEMU_SHUTDOWN_TIMEOUT_MS = 120_000;

/** How long a failed QEMU command waits to see whether the process has ended (its QMP closed first). */
const QEMU_END_NOTICE_MS = 1_000;

/**
 * Hyper-V's transition table (behaviour spec §8.3): where each action may start (the shared table
 * the web app's menus are derived from too) and where it goes.
 */
interface Transition {
  from: readonly VmState[];
  via: VmState | null;
  timing: keyof Timing | null;
}

export const transitions: Record<VmAction, Transition> = {
  start: { from: sources.start, via: 'Starting', timing: 'start' },
  'turn-off': { from: sources['turn-off'], via: null, timing: null },
  'shut-down': { from: sources['shut-down'], via: 'Stopping', timing: 'shutDown' },
  save: { from: sources.save, via: 'Saving', timing: 'save' },
  pause: { from: sources.pause, via: 'Pausing', timing: 'pause' },
  resume: { from: sources.resume, via: 'Resuming', timing: 'resume' },
  reset: { from: sources.reset, via: null, timing: 'reset' },
};

/** A guest "is running and answers" when the VM runs and its operating system has booted. */
export function guestAnswers(vm: VmRuntime): boolean {
  return vm.state === 'Running' && vm.guest?.booted === true;
}

/** Whether the guest's operating system has integration services installed. */
export function guestHasIntegrationServices(vm: VmRuntime): boolean {
  const qemuImage = qemuImageHasIntegrationServices(vm);
  if (qemuImage !== null) return qemuImage;
  return findGuestImage(vm.file.configuration.guestImage)?.integrationServices ?? false;
}

function cancelled(vmName: string): EngineError {
  return new EngineError(
    ErrorCode.Cancelled,
    `The operation on '${vmName}' was cancelled: the virtual machine was turned off.`,
    {
      vmName,
    },
  );
}

/** Waits in a transitional state; Turn Off cancels the wait. */
function transitionWait(ctx: HostContext, vm: VmRuntime, ms: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const handle = ms > 0 ? ctx.clock.setTimeout(() => finish(), ms) : null;
    const finish = (): void => {
      vm.cancelTransition = null;
      resolve();
    };
    vm.cancelTransition = () => {
      if (handle !== null) ctx.clock.clearTimeout(handle);
      vm.cancelTransition = null;
      reject(cancelled(vm.file.name));
    };
    if (handle === null)
      queueMicrotask(() => (vm.cancelTransition === null ? undefined : finish()));
  });
}

function enterState(ctx: HostContext, vm: VmRuntime, state: VmState): void {
  vm.state = state;
  emitVmChanged(ctx, vm);
}

/**
 * Steady states are persisted; the uptime base moves with them. The VM is shown in its new state
 * once that is written, when the operation reaching it ends: whoever sees it (a VM turned Off by
 * its guest, then checkpointed) finds it free to act on.
 */
async function settle(
  ctx: HostContext,
  vm: VmRuntime,
  state: 'Off' | 'Running' | 'Paused' | 'Saved',
): Promise<void> {
  vm.file.state = state;
  try {
    await persistVm(ctx, vm);
  } finally {
    vm.state = state;
  }
  emitVmChanged(ctx, vm);
}

/** Turn Off: the guest loses its running state at once (what it had not written is lost). */
export async function turnOffNow(ctx: HostContext, vm: VmRuntime): Promise<void> {
  await stopGuest(vm);
  vm.file.uptimeMs = 0;
  vm.file.runningSince = null;
  await settle(ctx, vm, 'Off');
}

/** The guest stops: writes already issued reach the disk, memory is dropped. */
export async function stopGuest(vm: VmRuntime): Promise<void> {
  await turnOffQemuGuest(vm);
  const guest = vm.guest;
  vm.guest = null;
  if (guest !== null) await guest.halt();
}

/** Brings the guest up when the VM starts: resumed from saved memory, or booted from its disk. */
async function startGuest(ctx: HostContext, vm: VmRuntime, fromSaved: boolean): Promise<void> {
  await stopGuest(vm);
  const saved = fromSaved ? await readGuestMemory(ctx, vmSavedStatePath(vm.file.id)) : null;
  vm.guest =
    saved !== null ? GuestRuntime.resume(ctx, vm, saved) : await GuestRuntime.boot(ctx, vm);
}

function freezeUptime(ctx: HostContext, vm: VmRuntime): void {
  vm.file.uptimeMs = currentUptimeMs(ctx, vm);
  vm.file.runningSince = null;
}

/**
 * The first steps of a Start, whichever hypervisor runs the guest: the automatic checkpoint of a
 * VM not started from a saved state, then Starting. A Start, even one that fails or is turned
 * off, ends "running when the host stopped"; `hadRecord` says whether the VM had that record.
 */
async function beginStart(
  ctx: HostContext,
  vm: VmRuntime,
  wait: () => Promise<void>,
): Promise<{ fromSaved: boolean; hadRecord: boolean }> {
  const fromSaved = vm.file.state === 'Saved';
  const hadRecord = vm.file.runningAtHostStop !== undefined;
  delete vm.file.runningAtHostStop;
  // An Off VM's automatic checkpoint (a QEMU guest's too) is a disk-only one.
  if (!fromSaved) await takeAutomaticCheckpoint(ctx, vm);
  enterState(ctx, vm, 'Starting');
  await wait();
  return { fromSaved, hadRecord };
}

async function run(ctx: HostContext, vm: VmRuntime, action: VmAction): Promise<void> {
  const step = transitions[action];
  const wait = (): Promise<void> =>
    transitionWait(ctx, vm, step.timing === null ? 0 : ctx.timing[step.timing]);
  if (runsUnderQemu(ctx, vm)) return runUnderQemu(ctx, vm, action, wait);
  switch (action) {
    case 'start': {
      const { fromSaved, hadRecord } = await beginStart(ctx, vm, wait);
      const { uptimeMs } = vm.file;
      vm.file.uptimeMs = fromSaved ? (vm.file.savedState?.uptimeMs ?? 0) : 0;
      vm.file.runningSince = nowIso(ctx);
      try {
        await startGuest(ctx, vm, fromSaved);
      } catch (error) {
        // The guest could not come up (its disk or saved state unreadable): the VM stays as it was.
        await stopGuest(vm);
        vm.file.uptimeMs = uptimeMs;
        vm.file.runningSince = null;
        enterState(ctx, vm, vm.file.state);
        if (hadRecord) await persistVm(ctx, vm).catch(() => undefined);
        throw error;
      }
      vm.file.savedState = null;
      await settle(ctx, vm, 'Running');
      vm.guest?.startTicking();
      if (fromSaved) await unlinkQuietly(ctx, vmSavedStatePath(vm.file.id));
      return;
    }
    case 'shut-down':
      enterState(ctx, vm, 'Stopping');
      await wait();
      if (guestFaultsOf(vm.file).ignoresShutdown) {
        enterState(ctx, vm, 'Running');
        throw shutdownNotAnswered(vm.file.name);
      }
      await vm.guest?.shutDown();
      await turnOffNow(ctx, vm);
      await removeAutomaticCheckpoint(ctx, vm);
      return;
    case 'save': {
      const before = vm.state;
      enterState(ctx, vm, 'Saving');
      vm.guest?.stopTicking();
      await vm.guest?.drain();
      const state = captureSavedState(ctx, vm);
      try {
        await wait();
        await writeVmSavedState(ctx, vmSavedStatePath(vm.file.id), state);
      } catch (error) {
        vm.state = before;
        if (before === 'Running') vm.guest?.startTicking();
        emitVmChanged(ctx, vm);
        throw error;
      }
      await stopGuest(vm);
      vm.file.uptimeMs = 0;
      vm.file.runningSince = null;
      vm.file.savedState = { uptimeMs: state.meta.uptimeMs };
      await settle(ctx, vm, 'Saved');
      return;
    }
    case 'pause':
      enterState(ctx, vm, 'Pausing');
      await wait();
      vm.guest?.stopTicking();
      freezeUptime(ctx, vm);
      await settle(ctx, vm, 'Paused');
      return;
    case 'resume':
      enterState(ctx, vm, 'Resuming');
      await wait();
      vm.file.runningSince = nowIso(ctx);
      await settle(ctx, vm, 'Running');
      vm.guest?.startTicking();
      return;
    case 'reset':
      // A reset is a power cycle: the guest loses its memory and boots again from its disk.
      await stopGuest(vm);
      vm.file.uptimeMs = 0;
      vm.file.runningSince = null;
      await wait();
      vm.file.runningSince = nowIso(ctx);
      await startGuest(ctx, vm, false);
      await settle(ctx, vm, 'Running');
      vm.guest?.startTicking();
      return;
    case 'turn-off':
      await turnOffNow(ctx, vm);
      return;
  }
}

/**
 * QEMU ended on its own: the guest powered itself off (the VM is Off, as after a Shut Down from
 * inside the guest), or the process was killed or failed, which the event log records as an
 * Error; the VM is Off either way, never shown Running without a guest.
 */
function qemuEnded(ctx: HostContext, vm: VmRuntime, end: QemuGuestEnd): void {
  if (end.kind === 'unexpected') recordQemuGuestEnd(ctx, vm, end.detail);
  void withVmOperation(ctx, vm, POWER_ACTIONS['turn-off'].label, () => turnOffNow(ctx, vm)).catch(
    () => undefined,
  );
}

/**
 * The same transitions for a VM whose guest QEMU runs: Start boots it (or restores the saved
 * state), Save writes QEMU's saved state into the VM's `.vmrs`, Pause and Resume stop and go on
 * with its processors, Shut Down asks its operating system, Turn Off stops QEMU at once.
 */
async function runUnderQemu(
  ctx: HostContext,
  vm: VmRuntime,
  action: VmAction,
  wait: () => Promise<void>,
): Promise<void> {
  switch (action) {
    case 'start': {
      const { fromSaved, hadRecord } = await beginStart(ctx, vm, wait);
      try {
        await startQemuGuest(ctx, vm, fromSaved, (end) => qemuEnded(ctx, vm, end));
      } catch (error) {
        await turnOffQemuGuest(vm);
        enterState(ctx, vm, vm.file.state);
        if (hadRecord) await persistVm(ctx, vm).catch(() => undefined);
        throw error;
      }
      vm.file.uptimeMs = fromSaved ? (vm.file.savedState?.uptimeMs ?? 0) : 0;
      vm.file.runningSince = nowIso(ctx);
      vm.file.savedState = null;
      await settle(ctx, vm, 'Running');
      if (fromSaved) await unlinkQuietly(ctx, vmSavedStatePath(vm.file.id));
      // The devices the saved state was restored onto follow the VM's settings now.
      if (fromSaved) await settleRestoredQemuGuestNetwork(ctx, vm);
      return;
    }
    case 'shut-down':
      enterState(ctx, vm, 'Stopping');
      await wait();
      try {
        await shutDownQemuGuest(vm, QEMU_SHUTDOWN_TIMEOUT_MS);
      } catch (error) {
        enterState(ctx, vm, 'Running');
        throw error;
      }
      await turnOffNow(ctx, vm);
      await removeAutomaticCheckpoint(ctx, vm);
      return;
    case 'save': {
      const before = vm.state;
      const uptimeMs = currentUptimeMs(ctx, vm);
      enterState(ctx, vm, 'Saving');
      let savedState: SavedStateRecord;
      try {
        await wait();
        savedState = await saveQemuGuest(vm, uptimeMs);
      } catch (error) {
        await unlinkQuietly(ctx, vmSavedStatePath(vm.file.id));
        // QEMU ended during the save: no complete saved state, no guest; the VM is Off.
        const ended = await qemuGuestEnded(vm, QEMU_END_NOTICE_MS);
        if (ended !== null) {
          if (ended.kind === 'unexpected') recordQemuGuestEnd(ctx, vm, ended.detail);
          await turnOffNow(ctx, vm);
        } else enterState(ctx, vm, before);
        throw error;
      }
      vm.file.uptimeMs = 0;
      vm.file.runningSince = null;
      vm.file.savedState = savedState;
      await settle(ctx, vm, 'Saved');
      return;
    }
    case 'pause':
      enterState(ctx, vm, 'Pausing');
      await wait();
      await vm.qemu?.guest.pause();
      freezeUptime(ctx, vm);
      await settle(ctx, vm, 'Paused');
      return;
    case 'resume':
      enterState(ctx, vm, 'Resuming');
      await wait();
      await vm.qemu?.guest.resume();
      vm.file.runningSince = nowIso(ctx);
      await settle(ctx, vm, 'Running');
      return;
    case 'reset':
      // A power cycle: QEMU stops and the guest boots again from its disk.
      await turnOffQemuGuest(vm);
      vm.file.uptimeMs = 0;
      vm.file.runningSince = null;
      await wait();
      vm.file.runningSince = nowIso(ctx);
      await startQemuGuest(ctx, vm, false, (end) => qemuEnded(ctx, vm, end));
      await settle(ctx, vm, 'Running');
      return;
    case 'turn-off':
      await turnOffNow(ctx, vm);
      return;
  }
}

function checkAllowed(vm: VmRuntime, action: VmAction): void {
  if (!transitions[action].from.includes(vm.state))
    throw invalidState(vm.file.name, vm.state, action);
  if (action === 'shut-down') {
    if (!vm.file.configuration.integrationServices.operatingSystemShutdown) {
      throw new EngineError(
        ErrorCode.InvalidState,
        `Cannot shut down '${vm.file.name}': the Operating system shutdown integration service is not enabled. Use Turn Off instead.`,
        {
          vmName: vm.file.name,
          actual: vm.state,
          operation: action,
          integrationService: 'operatingSystemShutdown',
        },
      );
    }
    if (vm.file.configuration.guestImage !== null && !guestHasIntegrationServices(vm)) {
      throw new EngineError(
        ErrorCode.InvalidState,
        `Cannot shut down '${vm.file.name}': the guest operating system has no integration services, so the Operating system shutdown service is not running in it. Use Turn Off instead.`,
        {
          vmName: vm.file.name,
          actual: vm.state,
          operation: action,
          integrationService: 'operatingSystemShutdown',
        },
      );
    }
    if (vm.file.configuration.guestImage === null || vm.guest?.booted === false) {
      throw new EngineError(
        ErrorCode.InvalidState,
        `Cannot shut down '${vm.file.name}': no operating system is running in the virtual machine to answer the request. Use Turn Off instead.`,
        { vmName: vm.file.name, actual: vm.state, operation: action },
      );
    }
  }
}

/** Why the action would be refused in the VM's present state (a Shut Down without a guest to answer), or null. */
export function refusalOf(vm: VmRuntime, action: VmAction): EngineError | null {
  try {
    checkAllowed(vm, action);
    return null;
  } catch (error) {
    if (error instanceof EngineError) return error;
    throw error;
  }
}

/** Start, Turn Off, Shut Down, Save, Pause, Resume, Reset. Resolves in the resulting steady state. */
export async function changeVmState(
  ctx: HostContext,
  vm: VmRuntime,
  action: VmAction,
): Promise<VmSummary> {
  if (!(action in transitions)) throw invalidState(vm.file.name, vm.state, String(action));
  if (action === 'turn-off' && vm.busy !== null) {
    // Turn Off interrupts a power transition (Starting, Stopping, ...) but not a checkpoint operation.
    if (vm.cancelTransition === null || !isTransitional(vm.state))
      throw operationInProgress(vm.file.name, vm.busy);
    checkAllowed(vm, action);
    vm.cancelTransition();
    await turnOffNow(ctx, vm);
    return toVmSummary(ctx, vm);
  }
  checkAllowed(vm, action);
  await withVmOperation(ctx, vm, POWER_ACTIONS[action].label, () => run(ctx, vm, action));
  return toVmSummary(ctx, vm);
}
