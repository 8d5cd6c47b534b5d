/**
 * The one-line summary Hyper-V Manager shows under each item of the Settings dialog's left list
 * (behaviour spec §7.2 lists the items; the summaries are our reading of Hyper-V Manager's: the
 * startup memory in MB under Memory, "1 Virtual processor" under Processor, the disk's file name
 * under a Hard Drive, "Boot from ..." under Firmware and BIOS, the name under Name).
 */
import type { SettingsDraft } from './settingsDraft';
import { BIOS_DEVICE_CAPTIONS } from './firmwareDraft';
import { START_ACTION_CAPTIONS } from './AutomaticActionPages';
import { fromCheckpointType } from './checkpointTypeMapping';

export function memorySummary(draft: SettingsDraft): string {
  return `${draft.memoryStartupMB} MB`;
}

export function processorSummary(draft: SettingsDraft): string {
  const count = Number(draft.processorCount);
  return count === 1 ? '1 Virtual processor' : `${draft.processorCount} Virtual processors`;
}

export function firmwareSummary(draft: SettingsDraft, generation: 1 | 2): string {
  if (generation === 1) {
    const first = draft.startupOrder[0];
    return first === undefined ? '' : `Boot from ${BIOS_DEVICE_CAPTIONS[first]}`;
  }
  return draft.bootOrder.length > 0 ? 'Boot from Hard Drive' : '';
}

export function securitySummary(draft: SettingsDraft): string {
  return draft.secureBootEnabled ? 'Secure Boot enabled' : 'Secure Boot disabled';
}

export function integrationSummary(draft: SettingsDraft): string {
  const offered = Object.values(draft.integrationServices);
  if (offered.every(Boolean)) return 'All services offered';
  if (!offered.some(Boolean)) return 'No services offered';
  return 'Some services offered';
}

export function checkpointsSummary(draft: SettingsDraft): string {
  const choice = fromCheckpointType(draft.checkpointType);
  if (!choice.enabled) return 'Disabled';
  return choice.mode;
}

/** Short forms of the Automatic Start Action choices. */
const START_SUMMARIES: Record<string, string> = {
  Nothing: 'None',
  StartIfRunning: 'Restart if previously running',
  Start: 'Always start',
};

export function startActionSummary(draft: SettingsDraft): string {
  return (
    START_SUMMARIES[draft.automaticStartAction] ??
    START_ACTION_CAPTIONS.find(([value]) => value === draft.automaticStartAction)?.[1] ??
    ''
  );
}

const STOP_SUMMARIES: Record<string, string> = {
  Save: 'Save',
  TurnOff: 'Turn off',
  ShutDown: 'Shut down',
};

export function stopActionSummary(draft: SettingsDraft): string {
  return STOP_SUMMARIES[draft.automaticStopAction] ?? '';
}
