import { checkpointsDisabled, invalidState, productionCheckpointFailed } from '../errors.js';
import type { VmRuntime } from '../host/hostContext.js';
import { ProductionFallbackReason, type CheckpointKind } from '../types.js';

export { fallbackReasonText } from './fallbackReasons.js';
import { isTransitional } from '../vm/vmStates.js';
import { REASON_TEXT, type QuiesceBlocker } from './fallbackReasons.js';
import { simulatedQuiesceFault } from '../guest/guestFaults.js';
import { qemuImageHasIntegrationServices } from '../hypervisor/qemuVm.js';

/** What a new checkpoint will be, decided by the rules of the behaviour spec §1.5. */
export interface CheckpointPlan {
  kind: CheckpointKind;
  /** Where the memory comes from: the running guest, the VM's saved state, or none. */
  memory: 'running' | 'saved' | 'none';
  note: string | null;
  /** Why a Production checkpoint fell back to Standard, as data; null when it did not. */
  fallbackReason: ProductionFallbackReason | null;
  /** Ask the running guest to quiesce through VSS (freeze) before the disks are frozen. */
  quiesce: boolean;
}

/**
 * Whether a fallback is worth a warning (the event log's and Checkpoint-VM's): an Off VM has
 * nothing to quiesce, so its disk-only checkpoint is no fallback to warn about.
 */
export function isWarnedFallback(
  reason: ProductionFallbackReason | null,
): reason is ProductionFallbackReason {
  return reason !== null && reason !== 'vm-off';
}

const FALLBACK_NOTE_PREFIX = 'fell back to Standard: ';

/**
 * The reason of a checkpoint written before `fallbackReason` was recorded, from its note: the
 * notes this engine wrote, looked up as whole texts (once, at load); any other note has none.
 */
export function fallbackReasonOfNote(note: string | null): ProductionFallbackReason | null {
  for (const reason of Object.values(ProductionFallbackReason))
    if (note === FALLBACK_NOTE_PREFIX + REASON_TEXT[reason]) return reason;
  return null;
}

/** Why the running guest cannot quiesce its disks through VSS, or null when it can. */
function guestQuiesceBlocker(vm: VmRuntime): QuiesceBlocker | null {
  const { configuration } = vm.file;
  if (vm.state !== 'Running') return 'guest-not-running';
  if (vm.qemu !== undefined && vm.qemu !== null) return qemuQuiesceBlocker(vm);
  if (configuration.guestImage === null || vm.guest === null) return 'no-operating-system';
  if (!vm.guest.booted) return 'guest-not-booted';
  if (!vm.guest.image.integrationServices || vm.guest.image.quiesce === 'none')
    return 'no-integration-services';
  if (!configuration.integrationServices.backup) return 'backup-service-off';
  return simulatedQuiesceFault(vm.file, vm.guest);
}

/**
 * A guest QEMU runs: whether its image has integration services (a guest agent) and whether the
 * VM's Backup service is on decide here; whether the agent answers and can freeze the file
 * systems only the guest can tell, at the checkpoint (QemuGuest.checkpoint, with the same reasons).
 */
function qemuQuiesceBlocker(vm: VmRuntime): QuiesceBlocker | null {
  if (qemuImageHasIntegrationServices(vm) !== true) return 'no-integration-services';
  if (!vm.file.configuration.integrationServices.backup) return 'backup-service-off';
  return null;
}

/** Why a production checkpoint cannot be taken now, or null when it can. */
function productionBlocker(vm: VmRuntime): QuiesceBlocker | null {
  switch (vm.state) {
    case 'Saved':
      return 'vm-saved';
    case 'Paused':
      return 'vm-paused';
    case 'Running':
      return guestQuiesceBlocker(vm);
    default:
      return null;
  }
}

/** A Standard checkpoint instead of a Production one, with the reason (as data and in the note). */
export function fallback(
  memory: CheckpointPlan['memory'],
  reason: ProductionFallbackReason,
): CheckpointPlan {
  return {
    kind: 'Standard',
    memory,
    note: FALLBACK_NOTE_PREFIX + REASON_TEXT[reason],
    fallbackReason: reason,
    quiesce: false,
  };
}

export function planCheckpoint(vm: VmRuntime): CheckpointPlan {
  const { checkpointType } = vm.file;
  const name = vm.file.name;
  if (checkpointType === 'Disabled') throw checkpointsDisabled(name, vm.file.id);
  const state = vm.state;
  if (isTransitional(state)) {
    throw invalidState(name, state, 'checkpoint');
  }
  const memoryIfStandard: CheckpointPlan['memory'] =
    state === 'Running' || state === 'Paused' ? 'running' : state === 'Saved' ? 'saved' : 'none';
  if (checkpointType === 'Standard') {
    return {
      kind: 'Standard',
      memory: memoryIfStandard,
      note: null,
      fallbackReason: null,
      quiesce: false,
    };
  }
  if (state === 'Off') {
    // One rule for Production and ProductionOnly. An Off VM has no guest and no memory: its
    // checkpoint is the disks and the configuration (behaviour spec §1.3, S29 p411: no memory is
    // saved when the VM is not running; §1.5: "checkpoint with disk + config only"). §1.5 leaves
    // ProductionOnly open and recommends that it succeed; a ProductionOnly checkpoint that succeeds
    // is a Production one (Set-VM -CheckpointType: "otherwise the operation fails", §1.2), so both
    // settings label it Production, with no fallback. `vm-off` stays a reason only for checkpoint
    // files written before this rule. Hyper-V's own label for this case is not documented.
    return {
      kind: 'Production',
      memory: 'none',
      note: 'the virtual machine is off: disk-only checkpoint',
      fallbackReason: null,
      quiesce: false,
    };
  }
  const blocker = productionBlocker(vm);
  if (blocker === null)
    return { kind: 'Production', memory: 'none', note: null, fallbackReason: null, quiesce: true };
  if (checkpointType === 'ProductionOnly')
    throw productionCheckpointFailed(name, vm.file.id, REASON_TEXT[blocker]);
  // Running, Saved or Paused: never 'guest-not-running' (that is for Starting and the like).
  return fallback(memoryIfStandard, blocker === 'guest-not-running' ? 'guest-not-booted' : blocker);
}

/**
 * A recovery checkpoint (made by backup software): no memory, application-consistent when the
 * guest can quiesce, else crash-consistent. The checkpoint type setting does not apply.
 */
export function planRecoveryCheckpoint(vm: VmRuntime): CheckpointPlan {
  const state = vm.state;
  if (isTransitional(state)) {
    throw invalidState(vm.file.name, state, 'checkpoint');
  }
  const recovery = { kind: 'Recovery', memory: 'none', fallbackReason: null } as const;
  if (state === 'Off') return { ...recovery, note: 'the virtual machine is off', quiesce: false };
  const blocker = guestQuiesceBlocker(vm);
  if (blocker === null) return { ...recovery, note: null, quiesce: true };
  return withoutQuiescing(recovery, blocker);
}

/**
 * A recovery checkpoint taken without the guest quiescing its disks (crash-consistent), with the
 * reason in its note: also what a QEMU guest's checkpoint becomes when its agent cannot freeze.
 */
export function withoutQuiescing(
  plan: Omit<CheckpointPlan, 'note' | 'quiesce'>,
  blocker: QuiesceBlocker,
): CheckpointPlan {
  return {
    ...plan,
    note: `without guest quiescing (crash-consistent): ${REASON_TEXT[blocker]}`,
    quiesce: false,
  };
}
