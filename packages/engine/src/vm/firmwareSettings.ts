/**
 * Firmware (generation 2), BIOS (generation 1) and Security settings of a VM: Set-VMFirmware,
 * Set-VMBios, Set-VMSecurity, Enable-VMTPM and Disable-VMTPM, and the Settings dialog's Firmware,
 * BIOS and Security pages. They are part of the configuration a checkpoint freezes, so Apply brings
 * them back (behaviour spec §3). Older configurations lack them: the defaults apply.
 */
import { invalidArgument, invalidState } from '../errors.js';
import type { DriveSlot, VmConfiguration } from '../persistence/records.js';
import type { VmState } from '../types.js';
import {
  BiosStartupDevice,
  SecureBootTemplate,
  type VmFirmware,
  type VmFirmwareUpdate,
  type VmSecurity,
  type VmSecurityUpdate,
} from '../vmSettingsTypes.js';

/**
 * What New-VM gives a VM: generation 2 with Secure Boot on and the Microsoft Windows template
 * (Get-VMFirmware of a new VM: SecureBoot On, SecureBootTemplate MicrosoftWindows); generation 1
 * trying CD, IDE, LegacyNetworkAdapter, Floppy in that order with NumLock off (Get-VMBios of a new
 * VM); no TPM and no encryption of state and migration traffic (Get-VMSecurity of a new VM).
 */
export const FIRMWARE_DEFAULTS = {
  secureBootEnabled: true,
  secureBootTemplate: SecureBootTemplate.MicrosoftWindows,
  startupOrder: [
    BiosStartupDevice.CD,
    BiosStartupDevice.IDE,
    BiosStartupDevice.LegacyNetworkAdapter,
    BiosStartupDevice.Floppy,
  ],
  numLockEnabled: false,
  tpmEnabled: false,
  encryptStateAndVmMigrationTraffic: false,
} as const;

/** The generation 2 boot order: the saved order of drives that still exist, then the rest. */
function bootOrderOf(configuration: VmConfiguration, drives: readonly DriveSlot[]) {
  const saved = configuration.bootOrder ?? [];
  const ordered = [
    ...saved.flatMap((location) => drives.filter((d) => d.controllerLocation === location)),
    ...drives.filter((d) => !saved.includes(d.controllerLocation)),
  ];
  return ordered.map((drive) => ({
    device: 'HardDiskDrive' as const,
    controllerLocation: drive.controllerLocation,
    path: drive.path,
  }));
}

export function firmwareOf(
  configuration: VmConfiguration,
  drives: readonly DriveSlot[],
): VmFirmware {
  return {
    secureBootEnabled: configuration.secureBootEnabled ?? FIRMWARE_DEFAULTS.secureBootEnabled,
    secureBootTemplate: configuration.secureBootTemplate ?? FIRMWARE_DEFAULTS.secureBootTemplate,
    bootOrder: bootOrderOf(configuration, drives),
    startupOrder: [...(configuration.biosStartupOrder ?? FIRMWARE_DEFAULTS.startupOrder)],
    numLockEnabled: configuration.numLockEnabled ?? FIRMWARE_DEFAULTS.numLockEnabled,
  };
}

export function securityOf(configuration: VmConfiguration): VmSecurity {
  return {
    tpmEnabled: configuration.tpmEnabled ?? FIRMWARE_DEFAULTS.tpmEnabled,
    encryptStateAndVmMigrationTraffic:
      configuration.encryptStateAndVmMigrationTraffic ??
      FIRMWARE_DEFAULTS.encryptStateAndVmMigrationTraffic,
    shielded: false,
  };
}

function boolean(field: string, raw: unknown): boolean {
  if (typeof raw !== 'boolean') throw invalidArgument(field, 'Must be true or false.');
  return raw;
}

/**
 * Refuses a generation's settings on a VM of the other generation. Microsoft's references say
 * Set-VMFirmware "sets the firmware configuration of a Generation 2 virtual machine" and Set-VMBios
 * "does not operate with Generation 2 virtual machine. If attempted, the cmdlet throws an error";
 * Hyper-V's exact message is not known, so this one is ours.
 */
function needGeneration(field: string, generation: 1 | 2, wanted: 1 | 2, what: string): void {
  if (generation !== wanted)
    throw invalidArgument(
      field,
      `${what} belongs to generation ${wanted} virtual machines; this one is generation ${generation}.`,
    );
}

function startupOrder(raw: unknown): BiosStartupDevice[] {
  const all = Object.values(BiosStartupDevice) as string[];
  if (
    !Array.isArray(raw) ||
    raw.length !== all.length ||
    new Set(raw).size !== all.length ||
    !raw.every((device) => typeof device === 'string' && all.includes(device))
  ) {
    throw invalidArgument(
      'firmware.startupOrder',
      `The startup order must list each of ${all.join(', ')} once.`,
    );
  }
  return raw as BiosStartupDevice[];
}

function bootOrder(raw: unknown, drives: readonly DriveSlot[]): string[] {
  const locations = drives.map((d) => d.controllerLocation);
  if (
    !Array.isArray(raw) ||
    raw.length !== locations.length ||
    new Set(raw).size !== raw.length ||
    !raw.every((location) => typeof location === 'string' && locations.includes(location))
  ) {
    throw invalidArgument(
      'firmware.bootOrder',
      "The boot order must list each of the virtual machine's hard drives once.",
    );
  }
  return raw as string[];
}

/**
 * Applies the firmware and security fields of an update to `next` (a copy of the configuration).
 * Only while the VM is Off, as Hyper-V Manager greys the Firmware, BIOS and Security pages out
 * while the VM runs (the behaviour spec lists these pages, §7.2, without their rules: the state
 * rule is our reading of that greying, not a confirmed Hyper-V message).
 */
export function applyFirmwareUpdate(
  next: VmConfiguration,
  drives: readonly DriveSlot[],
  update: { firmware?: VmFirmwareUpdate; security?: VmSecurityUpdate },
  state: VmState,
  vmName: string,
): void {
  const { firmware, security } = update;
  if (firmware === undefined && security === undefined) return;
  const before = JSON.stringify([firmwareOf(next, drives), securityOf(next)]);
  const generation = next.generation;
  if (firmware !== undefined) {
    if (firmware.secureBootEnabled !== undefined) {
      needGeneration('firmware.secureBootEnabled', generation, 2, 'Secure Boot');
      next.secureBootEnabled = boolean('firmware.secureBootEnabled', firmware.secureBootEnabled);
    }
    if (firmware.secureBootTemplate !== undefined) {
      needGeneration('firmware.secureBootTemplate', generation, 2, 'The Secure Boot template');
      if (!(Object.values(SecureBootTemplate) as string[]).includes(firmware.secureBootTemplate))
        throw invalidArgument(
          'firmware.secureBootTemplate',
          `The Secure Boot template must be one of ${Object.values(SecureBootTemplate).join(', ')}.`,
        );
      next.secureBootTemplate = firmware.secureBootTemplate;
    }
    if (firmware.bootOrder !== undefined) {
      needGeneration('firmware.bootOrder', generation, 2, 'The boot order');
      next.bootOrder = bootOrder(firmware.bootOrder, drives);
    }
    if (firmware.startupOrder !== undefined) {
      needGeneration('firmware.startupOrder', generation, 1, 'The BIOS startup order');
      next.biosStartupOrder = startupOrder(firmware.startupOrder);
    }
    if (firmware.numLockEnabled !== undefined) {
      needGeneration('firmware.numLockEnabled', generation, 1, 'NumLock');
      next.numLockEnabled = boolean('firmware.numLockEnabled', firmware.numLockEnabled);
    }
  }
  if (security !== undefined) {
    if (security.tpmEnabled !== undefined) {
      needGeneration('security.tpmEnabled', generation, 2, 'The Trusted Platform Module');
      next.tpmEnabled = boolean('security.tpmEnabled', security.tpmEnabled);
    }
    if (security.encryptStateAndVmMigrationTraffic !== undefined) {
      next.encryptStateAndVmMigrationTraffic = boolean(
        'security.encryptStateAndVmMigrationTraffic',
        security.encryptStateAndVmMigrationTraffic,
      );
    }
  }
  const changed = JSON.stringify([firmwareOf(next, drives), securityOf(next)]) !== before;
  if (changed && state !== 'Off')
    throw invalidState(vmName, state, 'change the firmware or security settings');
}
