/**
 * Conformance of the firmware and security cmdlets: Set-VMFirmware, Get-VMSecurity,
 * Set-VMSecurity, Enable-VMTPM and Disable-VMTPM (Microsoft's references of each). Web-01 runs,
 * Db-01 is Off (harness.ts).
 */
import type { ConformanceCase } from './harness.js';
import { conformanceSuite, lines } from './harness.js';

const cases: ConformanceCase[] = [
  {
    name: 'Set-VMFirmware: Secure Boot Off, then the Microsoft UEFI Certificate Authority template',
    source:
      'Set-VMFirmware reference (-EnableSecureBoot <OnOffState>, -SecureBootTemplate <String>; example: Set-VMFirmware "Test VM" -EnableSecureBoot Off)',
    script: `Set-VMFirmware Db-01 -EnableSecureBoot Off
(Get-VMFirmware Db-01).SecureBoot
Set-VMFirmware -VMName Db-01 -EnableSecureBoot On -SecureBootTemplate MicrosoftUEFICertificateAuthority
$f = Get-VMFirmware Db-01
"$($f.SecureBoot) $($f.SecureBootTemplate)"`,
    output: lines('Off', 'On MicrosoftUEFICertificateAuthority'),
  },
  {
    name: 'Set-VMFirmware -Passthru writes the VMFirmware; -WhatIf changes nothing',
    source: 'Set-VMFirmware reference (-Passthru, -WhatIf)',
    script: `(Set-VMFirmware Db-01 -EnableSecureBoot Off -Passthru).SecureBoot
Set-VMFirmware Db-01 -EnableSecureBoot On -WhatIf
(Get-VMFirmware Db-01).SecureBoot`,
    output: lines(
      'Off',
      'What if: Performing the operation "Set-VMFirmware" on target "Db-01".',
      'Off',
    ),
  },
  {
    name: 'Set-VMFirmware on a Generation 1 VM gets the same error as Get-VMFirmware',
    source:
      'Set-VMFirmware reference ("sets the firmware configuration of a Generation 2 virtual machine"); AutomatedLab/AutomatedLab#18',
    script:
      'New-VM -Name Legacy -Generation 1 -MemoryStartupBytes 512MB | Out-Null\nSet-VMFirmware Legacy -EnableSecureBoot Off 2>&1 | ForEach-Object { $_.Exception.Message }',
    output: lines(
      'The Generation 1 virtual machine or snapshot "Legacy" does not support the VMFirmware cmdlets. Use Get-VMBios and Set-VMBios instead.',
    ),
    // The last statement wrote an error record: $? is false (behaviour spec R29).
    exitCode: 1,
  },
  {
    name: 'Get-VMSecurity of a new VM: no TPM, not shielded; Enable-VMTPM and Set-VMSecurity change it',
    source:
      'Get-VMSecurity reference (TpmEnabled, KsdEnabled, Shielded, EncryptStateAndVmMigrationTraffic); Enable-VMTPM reference (Enable-VMTPM -VMName "VM01"); Set-VMSecurity reference',
    script: `$s = Get-VMSecurity Db-01
"$($s.TpmEnabled) $($s.Shielded) $($s.EncryptStateAndVmMigrationTraffic)"
Enable-VMTPM -VMName Db-01
Set-VMSecurity -VMName Db-01 -EncryptStateAndVmMigrationTraffic $true
$s = Get-VM Db-01 | Get-VMSecurity
"$($s.TpmEnabled) $($s.EncryptStateAndVmMigrationTraffic)"
Disable-VMTPM Db-01
(Get-VMSecurity Db-01).TpmEnabled`,
    output: lines('False False False', 'True True', 'False'),
  },
  {
    name: 'Enable-VMTPM on a running VM is refused and changes nothing',
    source:
      'Hyper-V Manager greys the Security page out while the VM runs; [B] the record follows Set-VMMemory\'s "Failed to modify device" (hashicorp/packer#8633)',
    script: `Enable-VMTPM Web-01 2>&1 | ForEach-Object { $_.FullyQualifiedErrorId }
(Get-VMSecurity Web-01).TpmEnabled`,
    output: lines('InvalidState,Microsoft.HyperV.PowerShell.Commands.EnableVMTPM', 'False'),
  },
  {
    name: 'Set-VMBios: the startup order and NumLock of a Generation 1 VM',
    source:
      'Set-VMBios reference (Set-VMBios TestVM -StartupOrder @("Floppy", "LegacyNetworkAdapter", "CD", "IDE"); -EnableNumLock); Get-VMBios reference',
    script: `New-VM -Name Legacy -Generation 1 -MemoryStartupBytes 512MB | Out-Null
"$((Get-VMBios Legacy).StartupOrder)"
Set-VMBios Legacy -StartupOrder @("Floppy", "LegacyNetworkAdapter", "CD", "IDE") -EnableNumLock
$b = Get-VMBios -VMName Legacy
"$($b.StartupOrder) $($b.NumLockEnabled)"`,
    output: lines('CD IDE LegacyNetworkAdapter Floppy', 'Floppy LegacyNetworkAdapter CD IDE True'),
  },
  {
    name: 'Get-VMBios on a Generation 2 VM is refused',
    source:
      'Get-VMBios / Set-VMBios references ("does not operate with Generation 2 virtual machine. If attempted, the cmdlet throws an error"); [B] the words mirror AutomatedLab/AutomatedLab#18',
    script: 'Get-VMBios Db-01 2>&1 | ForEach-Object { $_.FullyQualifiedErrorId }',
    output: lines('InvalidParameter,Microsoft.HyperV.PowerShell.Commands.GetVMBios'),
    exitCode: 1,
  },
];

conformanceSuite('Hyper-V cmdlets: firmware and security', cases);
