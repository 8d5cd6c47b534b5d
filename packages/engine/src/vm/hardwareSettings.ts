/**
 * Processor and memory settings of a VM (Set-VMProcessor, Set-VMMemory, Set-VM), with Hyper-V's
 * defaults for a new VM and its rules. Older configurations lack these fields: the defaults apply.
 */
import { invalidArgument, invalidState } from '../errors.js';
import type { VmConfiguration } from '../persistence/records.js';
import type { VmHardware, VmSettingsUpdate, VmState } from '../types.js';

/**
 * What New-VM gives a VM: one virtual processor, static memory; were Dynamic Memory turned on,
 * minimum 512 MB, maximum 1 TB, buffer 20 %, weight 50 (Hyper-V Manager's and Get-VMMemory's
 * defaults for a new VM; Set-VMMemory reference: -Buffer 5-2000, -Priority 0-100).
 */
export const HARDWARE_DEFAULTS = {
  processorCount: 1,
  dynamicMemoryEnabled: false,
  memoryMinimumMB: 512,
  memoryMaximumMB: 1_048_576,
  memoryBufferPercent: 20,
  memoryWeight: 50,
} as const;

/** Hyper-V's largest number of virtual processors of a VM (Plan for Hyper-V scalability). */
export const MAX_VIRTUAL_PROCESSORS = 240;

export function hardwareOf(configuration: VmConfiguration): VmHardware {
  return {
    processorCount: configuration.processorCount ?? HARDWARE_DEFAULTS.processorCount,
    dynamicMemoryEnabled:
      configuration.dynamicMemoryEnabled ?? HARDWARE_DEFAULTS.dynamicMemoryEnabled,
    memoryMinimumMB: configuration.memoryMinimumMB ?? HARDWARE_DEFAULTS.memoryMinimumMB,
    memoryMaximumMB: configuration.memoryMaximumMB ?? HARDWARE_DEFAULTS.memoryMaximumMB,
    memoryBufferPercent: configuration.memoryBufferPercent ?? HARDWARE_DEFAULTS.memoryBufferPercent,
    memoryWeight: configuration.memoryWeight ?? HARDWARE_DEFAULTS.memoryWeight,
  };
}

function wholeNumber(field: string, raw: unknown, min: number, max: number, what: string): number {
  if (typeof raw !== 'number' || !Number.isInteger(raw) || raw < min || raw > max) {
    throw invalidArgument(field, `${what} must be a whole number between ${min} and ${max}.`);
  }
  return raw;
}

/**
 * Applies the processor and memory fields of `update` to `next` (a copy of the configuration).
 * Memory values are whole, even numbers of MB (Hyper-V: "Memory values must be properly
 * aligned."); with Dynamic Memory, minimum <= startup <= maximum. The processor count and turning
 * Dynamic Memory on or off need the VM Off, as Hyper-V Manager greys them out while it runs.
 */
export function applyHardwareUpdate(
  next: VmConfiguration,
  update: VmSettingsUpdate,
  state: VmState,
  vmName: string,
  logicalProcessorCount: number,
): void {
  const current = hardwareOf(next);
  const even = (field: string, raw: unknown): number => {
    const mb = wholeNumber(field, raw, 32, 1_048_576, 'Memory in MB');
    if (mb % 2 !== 0) {
      throw invalidArgument(
        field,
        `Invalid memory value assigned for '${vmName}'. Memory values must be properly aligned.`,
      );
    }
    return mb;
  };
  if (update.memoryStartupMB !== undefined) even('memoryStartupMB', update.memoryStartupMB);
  if (update.processorCount !== undefined) {
    const max = Math.min(MAX_VIRTUAL_PROCESSORS, Math.max(1, logicalProcessorCount));
    const count = wholeNumber(
      'processorCount',
      update.processorCount,
      1,
      max,
      'The processor count',
    );
    if (count !== current.processorCount && state !== 'Off')
      throw invalidState(vmName, state, 'change the number of virtual processors');
    next.processorCount = count;
  }
  if (update.dynamicMemoryEnabled !== undefined) {
    if (typeof update.dynamicMemoryEnabled !== 'boolean')
      throw invalidArgument('dynamicMemoryEnabled', 'Must be true or false.');
    if (update.dynamicMemoryEnabled !== current.dynamicMemoryEnabled && state !== 'Off')
      throw invalidState(vmName, state, 'turn Dynamic Memory on or off');
    next.dynamicMemoryEnabled = update.dynamicMemoryEnabled;
  }
  if (update.memoryMinimumMB !== undefined)
    next.memoryMinimumMB = even('memoryMinimumMB', update.memoryMinimumMB);
  if (update.memoryMaximumMB !== undefined)
    next.memoryMaximumMB = even('memoryMaximumMB', update.memoryMaximumMB);
  if (update.memoryBufferPercent !== undefined) {
    next.memoryBufferPercent = wholeNumber(
      'memoryBufferPercent',
      update.memoryBufferPercent,
      5,
      2000,
      'The memory buffer',
    );
  }
  if (update.memoryWeight !== undefined)
    next.memoryWeight = wholeNumber(
      'memoryWeight',
      update.memoryWeight,
      0,
      100,
      'The memory weight',
    );
  const after = hardwareOf(next);
  if (after.dynamicMemoryEnabled) {
    if (after.memoryMinimumMB > next.memoryStartupMB) {
      throw invalidArgument(
        'memoryMinimumMB',
        `The minimum memory of '${vmName}' cannot be more than its startup memory.`,
      );
    }
    if (after.memoryMaximumMB < next.memoryStartupMB) {
      throw invalidArgument(
        'memoryMaximumMB',
        `The maximum memory of '${vmName}' cannot be less than its startup memory.`,
      );
    }
  }
}
