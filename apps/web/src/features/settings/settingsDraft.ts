import type { CheckpointType, IntegrationServices, VmDetail, VmSettingsUpdate } from '@hvm/engine';

/** The editable part of a VM's settings, as the dialog holds it. */
export interface SettingsDraft {
  name: string;
  memoryStartupMB: string;
  checkpointType: CheckpointType;
  automaticCheckpointsEnabled: boolean;
  snapshotFileLocation: string;
  integrationServices: IntegrationServices;
}

export function draftFromVm(vm: VmDetail): SettingsDraft {
  return {
    name: vm.name,
    memoryStartupMB: String(vm.memoryStartupMB),
    checkpointType: vm.checkpointType,
    automaticCheckpointsEnabled: vm.automaticCheckpointsEnabled,
    snapshotFileLocation: vm.snapshotFileLocation,
    integrationServices: { ...vm.integrationServices },
  };
}

/** Only what changed, for `PATCH /vms/:id`. An empty object means nothing to save. */
export function diffSettings(before: SettingsDraft, after: SettingsDraft): VmSettingsUpdate {
  const update: VmSettingsUpdate = {};
  if (after.name !== before.name) update.name = after.name;
  if (after.memoryStartupMB !== before.memoryStartupMB) {
    update.memoryStartupMB = Number(after.memoryStartupMB);
  }
  if (after.checkpointType !== before.checkpointType) update.checkpointType = after.checkpointType;
  if (after.automaticCheckpointsEnabled !== before.automaticCheckpointsEnabled) {
    update.automaticCheckpointsEnabled = after.automaticCheckpointsEnabled;
  }
  if (after.snapshotFileLocation !== before.snapshotFileLocation) {
    update.snapshotFileLocation = after.snapshotFileLocation;
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

/** Problems the dialog can see before asking the server; null when the draft can be sent. */
export function validateDraft(draft: SettingsDraft): string | null {
  if (draft.name.trim() === '') return 'The virtual machine name cannot be empty.';
  if ([...draft.name].length > 100)
    return 'The virtual machine name cannot be longer than 100 characters.';
  const memory = Number(draft.memoryStartupMB);
  if (!Number.isInteger(memory) || memory < 32) {
    return 'Startup RAM must be a whole number of megabytes, at least 32 MB.';
  }
  return null;
}
