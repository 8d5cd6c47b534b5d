/**
 * The Firmware (generation 2), BIOS (generation 1), Security and Notes part of the settings draft,
 * and what of it changed for `PATCH /vms/:id` (`firmware`, `security`, `notes`). A server that
 * answers without these settings gets Hyper-V's defaults for a new VM (engine FIRMWARE_DEFAULTS).
 */
import type {
  BiosStartupDevice,
  SecureBootTemplate,
  VmDetail,
  VmFirmwareUpdate,
  VmSecurityUpdate,
  VmSettingsUpdate,
} from '@hvm/engine';

export interface FirmwareDraft {
  secureBootEnabled: boolean;
  secureBootTemplate: SecureBootTemplate;
  /** Generation 2: the hard drives' controller locations, first to boot first. */
  bootOrder: string[];
  startupOrder: BiosStartupDevice[];
  numLockEnabled: boolean;
  tpmEnabled: boolean;
  encryptStateAndVmMigrationTraffic: boolean;
  notes: string;
}

/** The Security page's Template list, in Hyper-V Manager's words. */
export const SECURE_BOOT_TEMPLATES: readonly [SecureBootTemplate, string][] = [
  ['MicrosoftWindows', 'Microsoft Windows'],
  ['MicrosoftUEFICertificateAuthority', 'Microsoft UEFI Certificate Authority'],
  ['OpenSourceShieldedVM', 'Open Source Shielded VM'],
];

/** The BIOS page's startup order captions (Hyper-V Manager's BIOS page). */
export const BIOS_DEVICE_CAPTIONS: Record<BiosStartupDevice, string> = {
  CD: 'CD',
  IDE: 'IDE',
  LegacyNetworkAdapter: 'Legacy Network adapter',
  Floppy: 'Floppy',
};

export function firmwareDraftFromVm(vm: VmDetail): FirmwareDraft {
  const firmware = vm.firmware;
  const security = vm.security;
  return {
    secureBootEnabled: firmware?.secureBootEnabled ?? true,
    secureBootTemplate: firmware?.secureBootTemplate ?? 'MicrosoftWindows',
    bootOrder:
      firmware?.bootOrder.map((entry) => entry.controllerLocation) ??
      vm.hardDrives.map((drive) => drive.controllerLocation),
    startupOrder: [...(firmware?.startupOrder ?? ['CD', 'IDE', 'LegacyNetworkAdapter', 'Floppy'])],
    numLockEnabled: firmware?.numLockEnabled ?? false,
    tpmEnabled: security?.tpmEnabled ?? false,
    encryptStateAndVmMigrationTraffic: security?.encryptStateAndVmMigrationTraffic ?? false,
    notes: vm.notes ?? '',
  };
}

const same = (a: readonly string[], b: readonly string[]): boolean =>
  a.length === b.length && a.every((value, i) => value === b[i]);

/** The firmware, security and notes fields that changed. */
export function diffFirmware(before: FirmwareDraft, after: FirmwareDraft): VmSettingsUpdate {
  const firmware: VmFirmwareUpdate = {};
  if (after.secureBootEnabled !== before.secureBootEnabled)
    firmware.secureBootEnabled = after.secureBootEnabled;
  if (after.secureBootTemplate !== before.secureBootTemplate)
    firmware.secureBootTemplate = after.secureBootTemplate;
  if (!same(after.bootOrder, before.bootOrder)) firmware.bootOrder = [...after.bootOrder];
  if (!same(after.startupOrder, before.startupOrder))
    firmware.startupOrder = [...after.startupOrder];
  if (after.numLockEnabled !== before.numLockEnabled)
    firmware.numLockEnabled = after.numLockEnabled;
  const security: VmSecurityUpdate = {};
  if (after.tpmEnabled !== before.tpmEnabled) security.tpmEnabled = after.tpmEnabled;
  if (after.encryptStateAndVmMigrationTraffic !== before.encryptStateAndVmMigrationTraffic)
    security.encryptStateAndVmMigrationTraffic = after.encryptStateAndVmMigrationTraffic;
  const update: VmSettingsUpdate = {};
  if (Object.keys(firmware).length > 0) update.firmware = firmware;
  if (Object.keys(security).length > 0) update.security = security;
  if (after.notes !== before.notes) update.notes = after.notes;
  return update;
}

/** Moves the item at `index` one place up (-1) or down (+1); the list as it was at either end. */
export function moved<T>(list: readonly T[], index: number, step: -1 | 1): T[] {
  const target = index + step;
  const next = [...list];
  if (target < 0 || target >= list.length) return next;
  const item = next[index] as T;
  next[index] = next[target] as T;
  next[target] = item;
  return next;
}
