import type {
  AutomaticStartAction,
  AutomaticStopAction,
  CheckpointType,
  IntegrationServices,
  VmDetail,
  VmSettingsUpdate,
} from '@hvm/engine';
import { AUTOMATIC_START_DELAY_MESSAGE, isValidAutomaticStartDelay } from '@hvm/contracts';
import { diffHardware, hardwareDraftFromVm, type HardwareDraft } from './hardwareDraft';
import { diffFirmware, firmwareDraftFromVm, type FirmwareDraft } from './firmwareDraft';

/** The editable part of a VM's settings, as the dialog holds it. */
export interface SettingsDraft extends HardwareDraft, FirmwareDraft {
  name: string;
  checkpointType: CheckpointType;
  automaticCheckpointsEnabled: boolean;
  snapshotFileLocation: string;
  integrationServices: IntegrationServices;
  automaticStartAction: AutomaticStartAction;
  automaticStartDelaySeconds: string;
  automaticStopAction: AutomaticStopAction;
}

export function draftFromVm(vm: VmDetail): SettingsDraft {
  return {
    ...hardwareDraftFromVm(vm),
    ...firmwareDraftFromVm(vm),
    name: vm.name,
    checkpointType: vm.checkpointType,
    automaticCheckpointsEnabled: vm.automaticCheckpointsEnabled,
    snapshotFileLocation: vm.snapshotFileLocation,
    integrationServices: { ...vm.integrationServices },
    // Servers without the Automatic Start/Stop settings answer without them: Hyper-V's defaults.
    automaticStartAction: vm.automaticStartAction ?? 'StartIfRunning',
    automaticStartDelaySeconds: String(vm.automaticStartDelaySeconds ?? 0),
    automaticStopAction: vm.automaticStopAction ?? 'Save',
  };
}

/** Only what changed, for `PATCH /vms/:id`. An empty object means nothing to save. */
export function diffSettings(before: SettingsDraft, after: SettingsDraft): VmSettingsUpdate {
  const update: VmSettingsUpdate = {
    ...diffHardware(before, after),
    ...diffFirmware(before, after),
  };
  if (after.name !== before.name) update.name = after.name;
  if (after.checkpointType !== before.checkpointType) update.checkpointType = after.checkpointType;
  if (after.automaticCheckpointsEnabled !== before.automaticCheckpointsEnabled) {
    update.automaticCheckpointsEnabled = after.automaticCheckpointsEnabled;
  }
  if (after.snapshotFileLocation !== before.snapshotFileLocation) {
    update.snapshotFileLocation = after.snapshotFileLocation;
  }
  if (after.automaticStartAction !== before.automaticStartAction) {
    update.automaticStartAction = after.automaticStartAction;
  }
  if (after.automaticStartDelaySeconds !== before.automaticStartDelaySeconds) {
    update.automaticStartDelaySeconds = Number(after.automaticStartDelaySeconds);
  }
  if (after.automaticStopAction !== before.automaticStopAction) {
    update.automaticStopAction = after.automaticStopAction;
  }
  const services: Partial<IntegrationServices> = {};
  for (const key of Object.keys(after.integrationServices) as (keyof IntegrationServices)[]) {
    if (after.integrationServices[key] !== before.integrationServices[key]) {
      services[key] = after.integrationServices[key];
    }
  }
  if (Object.keys(services).length > 0) update.integrationServices = services;
  return update;
}

/**
 * Problems the dialog can see before asking the server, beyond the Memory and Processor pages'
 * own (shown in place, `hardwareProblems`); null when the draft can be sent.
 */
export function validateDraft(draft: SettingsDraft): string | null {
  if (draft.name.trim() === '') return 'The virtual machine name cannot be empty.';
  if ([...draft.name].length > 100)
    return 'The virtual machine name cannot be longer than 100 characters.';
  const delay = Number(draft.automaticStartDelaySeconds);
  // Set-VM -Notes: the server keeps at most 10000 characters.
  if (draft.notes.length > 10_000) return 'The notes cannot be longer than 10000 characters.';
  if (draft.automaticStartDelaySeconds.trim() === '' || !isValidAutomaticStartDelay(delay)) {
    return AUTOMATIC_START_DELAY_MESSAGE;
  }
  return null;
}
