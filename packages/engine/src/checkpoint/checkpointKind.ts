import { checkpointsDisabled, invalidState, productionCheckpointFailed } from '../errors.js';
import type { VmRuntime } from '../host/hostContext.js';
import type { CheckpointKind } from '../types.js';

/** What a new checkpoint will be, decided by the rules of the behaviour spec §1.5. */
export interface CheckpointPlan {
  kind: CheckpointKind;
  /** Where the memory comes from: the running guest, the VM's saved state, or none. */
  memory: 'running' | 'saved' | 'none';
  note: string | null;
  /** Ask the running guest to quiesce through VSS (freeze) before the disks are frozen. */
  quiesce: boolean;
}

/** Why the running guest cannot quiesce its disks through VSS, or null when it can. */
export function guestQuiesceImpossibleReason(vm: VmRuntime): string | null {
  const { configuration } = vm.file;
  if (vm.state !== 'Running') return 'the guest is not running';
  if (configuration.guestImage === null || vm.guest === null)
    return 'no operating system is running in the guest';
  if (!vm.guest.booted) return 'the guest did not boot an operating system and does not answer';
  if (!vm.guest.image.integrationServices || vm.guest.image.quiesce === 'none')
    return 'the guest has no integration services installed (no Backup (volume shadow copy) service in the guest)';
  if (!configuration.integrationServices.backup)
    return 'the Backup (volume shadow copy) integration service is off';
  return null;
}

/** Why a production checkpoint cannot be taken now, or null when it can. */
function productionImpossibleReason(vm: VmRuntime): string | null {
  switch (vm.state) {
    case 'Saved':
      return 'the virtual machine is saved, so no guest can prepare its disks';
    case 'Paused':
      return 'the virtual machine is paused, so no guest can prepare its disks';
    case 'Running':
      return guestQuiesceImpossibleReason(vm);
    default:
      return null;
  }
}

export function planCheckpoint(vm: VmRuntime): CheckpointPlan {
  const { checkpointType } = vm.file;
  const name = vm.file.name;
  if (checkpointType === 'Disabled') throw checkpointsDisabled(name, vm.file.id);
  const state = vm.state;
  if (state !== 'Off' && state !== 'Running' && state !== 'Saved' && state !== 'Paused') {
    throw invalidState(name, state, 'checkpoint');
  }
  const memoryIfStandard: CheckpointPlan['memory'] =
    state === 'Running' || state === 'Paused' ? 'running' : state === 'Saved' ? 'saved' : 'none';
  if (checkpointType === 'Standard') {
    return { kind: 'Standard', memory: memoryIfStandard, note: null, quiesce: false };
  }
  if (state === 'Off') {
    // Disk and configuration only. The spec leaves ProductionOnly open: it succeeds, as Production.
    if (checkpointType === 'ProductionOnly') {
      return {
        kind: 'Production',
        memory: 'none',
        note: 'the virtual machine is off: disk-only checkpoint',
        quiesce: false,
      };
    }
    return {
      kind: 'Standard',
      memory: 'none',
      note: 'fell back to Standard: the virtual machine is off (disk-only checkpoint)',
      quiesce: false,
    };
  }
  const reason = productionImpossibleReason(vm);
  if (reason === null) return { kind: 'Production', memory: 'none', note: null, quiesce: true };
  if (checkpointType === 'ProductionOnly') throw productionCheckpointFailed(name, reason);
  return {
    kind: 'Standard',
    memory: memoryIfStandard,
    note: `fell back to Standard: ${reason}`,
    quiesce: false,
  };
}

/**
 * A recovery checkpoint (made by backup software): no memory, application-consistent when the
 * guest can quiesce, else crash-consistent. The checkpoint type setting does not apply.
 */
export function planRecoveryCheckpoint(vm: VmRuntime): CheckpointPlan {
  const state = vm.state;
  if (state !== 'Off' && state !== 'Running' && state !== 'Saved' && state !== 'Paused') {
    throw invalidState(vm.file.name, state, 'checkpoint');
  }
  if (state === 'Off')
    return { kind: 'Recovery', memory: 'none', note: 'the virtual machine is off', quiesce: false };
  const reason = guestQuiesceImpossibleReason(vm);
  if (reason === null) return { kind: 'Recovery', memory: 'none', note: null, quiesce: true };
  return {
    kind: 'Recovery',
    memory: 'none',
    note: `without guest quiescing (crash-consistent): ${reason}`,
    quiesce: false,
  };
}
