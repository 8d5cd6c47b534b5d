import { checkpointsDisabled, invalidState, productionCheckpointFailed } from '../errors.js';
import type { VmRuntime } from '../host/hostContext.js';
import type { CheckpointKind } from '../types.js';

/** What a new checkpoint will be, decided by the rules of the behaviour spec §1.5. */
export interface CheckpointPlan {
  kind: CheckpointKind;
  /** Where the memory comes from: the running guest, the VM's saved state, or none. */
  memory: 'running' | 'saved' | 'none';
  note: string | null;
}

/** Why a production checkpoint cannot be taken now, or null when it can. */
function productionImpossibleReason(vm: VmRuntime): string | null {
  const { configuration } = vm.file;
  switch (vm.state) {
    case 'Saved':
      return 'the virtual machine is saved, so no guest can prepare its disks';
    case 'Paused':
      return 'the virtual machine is paused, so no guest can prepare its disks';
    case 'Running':
      if (configuration.guestImage === null) return 'no operating system is running in the guest';
      if (!configuration.integrationServices.backup)
        return 'the Backup (volume shadow copy) integration service is off';
      return null;
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
    return { kind: 'Standard', memory: memoryIfStandard, note: null };
  }
  if (state === 'Off') {
    // Disk and configuration only. The spec leaves ProductionOnly open: it succeeds, as Production.
    if (checkpointType === 'ProductionOnly') {
      return {
        kind: 'Production',
        memory: 'none',
        note: 'the virtual machine is off: disk-only checkpoint',
      };
    }
    return {
      kind: 'Standard',
      memory: 'none',
      note: 'fell back to Standard: the virtual machine is off (disk-only checkpoint)',
    };
  }
  const reason = productionImpossibleReason(vm);
  if (reason === null) return { kind: 'Production', memory: 'none', note: null };
  if (checkpointType === 'ProductionOnly') throw productionCheckpointFailed(name, reason);
  return { kind: 'Standard', memory: memoryIfStandard, note: `fell back to Standard: ${reason}` };
}
