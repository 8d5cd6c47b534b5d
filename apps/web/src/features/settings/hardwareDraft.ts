/**
 * The Memory and Processor pages' part of the settings draft, and Hyper-V's rules for it, checked
 * as the user types so that each problem shows next to its field: memory in whole, even numbers of
 * MB (Hyper-V requires multiples of 2 MB), 32 MB to 1 TB; with Dynamic Memory, minimum <= startup
 * <= maximum and a buffer of 5-2000 %; 1 to the host's logical processors. The server checks the
 * same rules and has the last word.
 */
import type { VmDetail, VmSettingsUpdate } from '@hvm/engine';

export interface HardwareDraft {
  memoryStartupMB: string;
  dynamicMemoryEnabled: boolean;
  memoryMinimumMB: string;
  memoryMaximumMB: string;
  memoryBufferPercent: string;
  processorCount: string;
}

export type HardwareField = keyof Omit<HardwareDraft, 'dynamicMemoryEnabled'>;
export type HardwareProblems = Partial<Record<HardwareField, string>>;

export const MIN_MEMORY_MB = 32;
export const MAX_MEMORY_MB = 1_048_576;
/** Hyper-V's largest number of virtual processors of a VM. */
export const MAX_VIRTUAL_PROCESSORS = 240;

/** Hyper-V's defaults where a server answers without the hardware settings. */
export function hardwareDraftFromVm(vm: VmDetail): HardwareDraft {
  const hardware = vm.hardware;
  return {
    memoryStartupMB: String(vm.memoryStartupMB),
    dynamicMemoryEnabled: hardware?.dynamicMemoryEnabled ?? false,
    memoryMinimumMB: String(hardware?.memoryMinimumMB ?? 512),
    memoryMaximumMB: String(hardware?.memoryMaximumMB ?? MAX_MEMORY_MB),
    memoryBufferPercent: String(hardware?.memoryBufferPercent ?? 20),
    processorCount: String(hardware?.processorCount ?? 1),
  };
}

const NUMBER_FIELDS: readonly [HardwareField, keyof VmSettingsUpdate][] = [
  ['memoryStartupMB', 'memoryStartupMB'],
  ['memoryMinimumMB', 'memoryMinimumMB'],
  ['memoryMaximumMB', 'memoryMaximumMB'],
  ['memoryBufferPercent', 'memoryBufferPercent'],
  ['processorCount', 'processorCount'],
];

/** The hardware fields that changed, for `PATCH /vms/:id`. */
export function diffHardware(before: HardwareDraft, after: HardwareDraft): VmSettingsUpdate {
  const update: Record<string, number | boolean> = {};
  if (after.dynamicMemoryEnabled !== before.dynamicMemoryEnabled)
    update.dynamicMemoryEnabled = after.dynamicMemoryEnabled;
  for (const [field, key] of NUMBER_FIELDS)
    if (after[field] !== before[field]) update[key] = Number(after[field]);
  return update;
}

function wholeNumber(text: string): number | null {
  const value = Number(text);
  return text.trim() !== '' && Number.isInteger(value) ? value : null;
}

function memoryProblem(text: string, what: string): string | null {
  const mb = wholeNumber(text);
  if (mb === null || mb < MIN_MEMORY_MB || mb > MAX_MEMORY_MB)
    return `${what} must be a whole number of MB between ${MIN_MEMORY_MB} and ${MAX_MEMORY_MB}.`;
  if (mb % 2 !== 0) return `${what} must be a multiple of 2 MB.`;
  return null;
}

/** Each field's problem, to show in place; an empty object when the draft can be sent. */
export function hardwareProblems(
  draft: HardwareDraft,
  logicalProcessorCount: number = MAX_VIRTUAL_PROCESSORS,
): HardwareProblems {
  const problems: HardwareProblems = {};
  const note = (field: HardwareField, problem: string | null): void => {
    if (problem !== null) problems[field] = problem;
  };
  note('memoryStartupMB', memoryProblem(draft.memoryStartupMB, 'Startup RAM'));
  if (draft.dynamicMemoryEnabled) {
    note('memoryMinimumMB', memoryProblem(draft.memoryMinimumMB, 'Minimum RAM'));
    note('memoryMaximumMB', memoryProblem(draft.memoryMaximumMB, 'Maximum RAM'));
    const startup = Number(draft.memoryStartupMB);
    if (problems.memoryStartupMB === undefined) {
      if (problems.memoryMinimumMB === undefined && Number(draft.memoryMinimumMB) > startup)
        problems.memoryMinimumMB = 'Minimum RAM cannot be more than Startup RAM.';
      if (problems.memoryMaximumMB === undefined && Number(draft.memoryMaximumMB) < startup)
        problems.memoryMaximumMB = 'Maximum RAM cannot be less than Startup RAM.';
    }
    const buffer = wholeNumber(draft.memoryBufferPercent);
    if (buffer === null || buffer < 5 || buffer > 2000)
      problems.memoryBufferPercent = 'The memory buffer must be a whole number between 5 and 2000.';
  }
  const max = Math.min(MAX_VIRTUAL_PROCESSORS, Math.max(1, logicalProcessorCount));
  const count = wholeNumber(draft.processorCount);
  if (count === null || count < 1 || count > max)
    problems.processorCount = `The number of virtual processors must be between 1 and ${max}.`;
  return problems;
}
