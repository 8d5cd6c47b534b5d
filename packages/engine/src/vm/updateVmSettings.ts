import { EngineError, ErrorCode, invalidArgument, invalidState } from '../errors.js';
import { AUTOMATIC_START_DELAY_MESSAGE, isValidAutomaticStartDelay } from '@hvm/contracts';
import { persistVm, type HostContext, type VmRuntime } from '../host/hostContext.js';
import { confinePath } from '../storage/storageRoots.js';
import {
  AutomaticStartAction,
  AutomaticStopAction,
  CheckpointType,
  type IntegrationServices,
  type VmSettingsUpdate,
} from '../types.js';
import { validateName } from '../checkpoint/checkpointName.js';
import { validateMemory, validateWorkingSet } from './createVm.js';
import { emitVmChanged } from './vmView.js';
import { applyHardwareUpdate } from './hardwareSettings.js';
import { applyFirmwareUpdate } from './firmwareSettings.js';

const SERVICES: readonly (keyof IntegrationServices)[] = [
  'operatingSystemShutdown',
  'timeSynchronization',
  'dataExchange',
  'heartbeat',
  'backup',
  'guestServices',
];

/**
 * Settings: name, checkpoint type, automatic checkpoints, Checkpoint File Location (only while the
 * VM has no checkpoints), startup memory (only while Off) and integration services. All or nothing.
 */
export async function updateVmSettings(
  ctx: HostContext,
  vm: VmRuntime,
  update: VmSettingsUpdate,
): Promise<void> {
  const next = structuredClone(vm.file);
  if (update.name !== undefined) {
    // Another VM may have the same name: VMs are known by ID (behaviour spec R36).
    next.name = validateName('name', update.name, 'virtual machine', vm.file.name);
  }
  if (update.checkpointType !== undefined) {
    if (!Object.values(CheckpointType).includes(update.checkpointType)) {
      throw invalidArgument(
        'checkpointType',
        'The checkpoint type must be Disabled, Production, ProductionOnly or Standard.',
      );
    }
    next.checkpointType = update.checkpointType;
  }
  if (update.automaticCheckpointsEnabled !== undefined) {
    next.automaticCheckpointsEnabled = update.automaticCheckpointsEnabled === true;
  }
  if (update.snapshotFileLocation !== undefined) {
    const folder = await confinePath(ctx, update.snapshotFileLocation, 'snapshotFileLocation');
    if (folder !== vm.file.snapshotFileLocation && vm.file.checkpoints.length > 0) {
      throw new EngineError(
        ErrorCode.InvalidState,
        `The checkpoint file location of '${vm.file.name}' cannot be changed while the virtual machine has checkpoints.`,
        { vmName: vm.file.name, field: 'snapshotFileLocation' },
      );
    }
    next.snapshotFileLocation = folder;
  }
  if (update.memoryStartupMB !== undefined) {
    const memory = validateMemory(update.memoryStartupMB);
    if (memory !== vm.file.configuration.memoryStartupMB && vm.state !== 'Off') {
      throw invalidState(vm.file.name, vm.state, 'change startup memory');
    }
    next.configuration.memoryStartupMB = memory;
  }
  applyHardwareUpdate(
    next.configuration,
    update,
    vm.state,
    vm.file.name,
    ctx.logicalProcessorCount,
  );
  applyFirmwareUpdate(next.configuration, next.drives, update, vm.state, vm.file.name);
  if (update.notes !== undefined) {
    if (typeof update.notes !== 'string' || update.notes.length > 10_000)
      throw invalidArgument('notes', 'Notes must be text of at most 10000 characters.');
    next.notes = update.notes;
  }
  if (update.guestWorkingSetMB !== undefined) {
    next.configuration.workingSetMB = validateWorkingSet(
      update.guestWorkingSetMB,
      next.configuration.memoryStartupMB,
    );
  }
  if (update.integrationServices !== undefined) {
    for (const [key, value] of Object.entries(update.integrationServices)) {
      if (!SERVICES.includes(key as keyof IntegrationServices)) {
        throw invalidArgument(
          `integrationServices.${key}`,
          `Unknown integration service '${key}'.`,
        );
      }
      if (typeof value !== 'boolean')
        throw invalidArgument(`integrationServices.${key}`, 'Must be true or false.');
      next.configuration.integrationServices[key as keyof IntegrationServices] = value;
    }
  }
  if (update.automaticStartAction !== undefined) {
    if (!Object.values(AutomaticStartAction).includes(update.automaticStartAction)) {
      throw invalidArgument(
        'automaticStartAction',
        'The automatic start action must be Nothing, StartIfRunning or Start.',
      );
    }
    next.automaticStartAction = update.automaticStartAction;
  }
  if (update.automaticStartDelaySeconds !== undefined) {
    const delay = update.automaticStartDelaySeconds;
    if (!isValidAutomaticStartDelay(delay)) {
      throw invalidArgument('automaticStartDelaySeconds', AUTOMATIC_START_DELAY_MESSAGE);
    }
    next.automaticStartDelaySeconds = delay;
  }
  if (update.automaticStopAction !== undefined) {
    if (!Object.values(AutomaticStopAction).includes(update.automaticStopAction)) {
      throw invalidArgument(
        'automaticStopAction',
        'The automatic stop action must be Save, TurnOff or ShutDown.',
      );
    }
    next.automaticStopAction = update.automaticStopAction;
  }
  // In place: a merge running in the background holds the same record.
  const take = (from: typeof next): void => {
    vm.file.name = from.name;
    vm.file.checkpointType = from.checkpointType;
    vm.file.automaticCheckpointsEnabled = from.automaticCheckpointsEnabled;
    vm.file.snapshotFileLocation = from.snapshotFileLocation;
    vm.file.configuration = from.configuration;
    vm.file.automaticStartAction = from.automaticStartAction ?? 'StartIfRunning';
    vm.file.automaticStartDelaySeconds = from.automaticStartDelaySeconds ?? 0;
    vm.file.automaticStopAction = from.automaticStopAction ?? 'Save';
    if (from.notes === undefined) delete vm.file.notes;
    else vm.file.notes = from.notes;
  };
  const previous = structuredClone(vm.file);
  take(next);
  try {
    await persistVm(ctx, vm);
  } catch (error) {
    take(previous);
    throw error;
  }
  emitVmChanged(ctx, vm);
}
