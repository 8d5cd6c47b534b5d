/**
 * A VM's firmware and security settings as Get-VMFirmware (generation 2), Get-VMBios (generation
 * 1) and Get-VMSecurity report them, and what the Settings dialog's Firmware, BIOS and Security pages
 * change. Kept out of types.ts, which holds the rest of the public shapes.
 */

/**
 * Set-VMFirmware -SecureBootTemplate: the names Get-VMFirmware shows (Microsoft's Set-VMFirmware
 * reference and the Security page's Template list: "Microsoft Windows", "Microsoft UEFI
 * Certificate Authority", "Open Source Shielded VM").
 */
export const SecureBootTemplate = {
  MicrosoftWindows: 'MicrosoftWindows',
  MicrosoftUEFICertificateAuthority: 'MicrosoftUEFICertificateAuthority',
  OpenSourceShieldedVM: 'OpenSourceShieldedVM',
} as const;
export type SecureBootTemplate = (typeof SecureBootTemplate)[keyof typeof SecureBootTemplate];

/** Set-VMBios -StartupOrder: the generation 1 BIOS's boot devices (Set-VMBios reference). */
export const BiosStartupDevice = {
  CD: 'CD',
  IDE: 'IDE',
  LegacyNetworkAdapter: 'LegacyNetworkAdapter',
  Floppy: 'Floppy',
} as const;
export type BiosStartupDevice = (typeof BiosStartupDevice)[keyof typeof BiosStartupDevice];

/**
 * One entry of a generation 2 VM's boot order. This host's VMs have hard drives only (no DVD
 * drive, no file-based boot entry); a network adapter joins the list once VMs have them.
 */
export interface VmBootEntry {
  device: 'HardDiskDrive';
  /** The drive's controller location, e.g. "SCSI 0:0". */
  controllerLocation: string;
  /** The disk file of the drive, relative to the data folder. */
  path: string;
}

export interface VmFirmware {
  /** Generation 2 (Get-VMFirmware): Secure Boot, on for a new VM, and its template. */
  secureBootEnabled: boolean;
  secureBootTemplate: SecureBootTemplate;
  /** Generation 2: the devices the firmware tries, in order. */
  bootOrder: VmBootEntry[];
  /** Generation 1 (Get-VMBios): StartupOrder, default CD, IDE, LegacyNetworkAdapter, Floppy. */
  startupOrder: BiosStartupDevice[];
  /** Generation 1: NumLockEnabled, off by default. */
  numLockEnabled: boolean;
}

export interface VmSecurity {
  /** Get-VMSecurity TpmEnabled (Enable-VMTPM / Disable-VMTPM); generation 2 only. */
  tpmEnabled: boolean;
  /** Get-VMSecurity EncryptStateAndVmMigrationTraffic (Set-VMSecurity). */
  encryptStateAndVmMigrationTraffic: boolean;
  /**
   * Get-VMSecurity Shielded: always false here. Shielding needs a Host Guardian Service, which
   * this host cannot simulate.
   */
  shielded: boolean;
}

/** The firmware fields of `PATCH /vms/:id`; only while the VM is Off. */
export interface VmFirmwareUpdate {
  secureBootEnabled?: boolean;
  secureBootTemplate?: SecureBootTemplate;
  /** Generation 2: controller locations of the VM's hard drives, first to boot first. */
  bootOrder?: string[];
  startupOrder?: BiosStartupDevice[];
  numLockEnabled?: boolean;
}

/** The security fields of `PATCH /vms/:id`; only while the VM is Off. */
export interface VmSecurityUpdate {
  tpmEnabled?: boolean;
  encryptStateAndVmMigrationTraffic?: boolean;
}
