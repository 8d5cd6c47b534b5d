/**
 * Conformance of Add Hardware's cmdlets: Add-, Get-, Remove-, Rename-VMNetworkAdapter and Add-,
 * Get-, Remove-VMScsiController, with Add-VMHardDiskDrive on an added controller. Parameter sets
 * follow Microsoft's cmdlet references (MicrosoftDocs/windows-powershell-docs, hyper-v/); the
 * limits are those of Microsoft's "Plan for Hyper-V scalability" pages (engine vm/vmDevices.ts);
 * the texts Hyper-V writes for a refusal are not published and are marked where they are ours.
 */
import { expect } from 'vitest';
import type { ConformanceCase } from './harness.js';
import { conformanceSuite, lines } from './harness.js';

const cases: ConformanceCase[] = [
  {
    name: 'Add-VMNetworkAdapter: "Network Adapter" unless named, Not connected unless -SwitchName, each its own object',
    source:
      'Add-VMNetworkAdapter reference, examples 1 (-Name "Redmond NIC1") and 2 (-SwitchName); Get-VMNetworkAdapter reference (Name, IsLegacy, SwitchName, MacAddress)',
    script: `New-VMSwitch Lab -SwitchType Private | Out-Null
Add-VMNetworkAdapter -VMName Db-01
Get-VM Db-01 | Add-VMNetworkAdapter -Name 'Db NIC2' -SwitchName Lab
$all = Get-VMNetworkAdapter -VMName Db-01
$all.Count
$all | ForEach-Object { "$($_.Name) | $($_.IsLegacy) | $($_.SwitchName) | $($_.MacAddress.Length)" }
($all.MacAddress | Select-Object -Unique).Count
(Get-VMNetworkAdapter Db-01 'Db*').Name`,
    output: lines(
      '3',
      'Network Adapter | False | Default Switch | 12',
      'Network Adapter | False |  | 12',
      'Db NIC2 | False | Lab | 12',
      '3',
      'Db NIC2',
    ),
  },
  {
    name: 'Add-VMNetworkAdapter -StaticMacAddress -Passthru; -IsLegacy $true on a generation 1 VM',
    source:
      'Add-VMNetworkAdapter reference (-StaticMacAddress, -IsLegacy <Boolean>, -Passthru); Get-VMNetworkAdapter -IsLegacy',
    script: `$nic = Add-VMNetworkAdapter Db-01 -StaticMacAddress 00155D0A0B0C -Passthru
"$($nic.MacAddress) $($nic.DynamicMacAddressEnabled)"
New-VM -Name Old -Generation 1 -MemoryStartupBytes 512MB | Out-Null
Add-VMNetworkAdapter -VMName Old -IsLegacy $true
(Get-VMNetworkAdapter -VMName Old -IsLegacy $true).Name`,
    output: lines('00155D0A0B0C False', 'Legacy Network Adapter'),
  },
  {
    name: 'Add-VMNetworkAdapter -IsLegacy on generation 2 and a ninth adapter are refused',
    source:
      '"Should I create a generation 1 or 2 virtual machine in Hyper-V?" (legacy adapters are generation 1 devices); Plan for Hyper-V scalability (8 synthetic adapters)',
    script: `Add-VMNetworkAdapter Db-01 -IsLegacy $true
1..8 | ForEach-Object { Add-VMNetworkAdapter Db-01 }
(Get-VMNetworkAdapter Db-01).Count`,
    output: (result) => {
      expect(result.errors.map((e) => e.message)).toEqual([
        'Generation 2 virtual machines do not support legacy network adapters.',
        "'Db-01' already has the maximum of 8 network adapters.",
      ]);
      expect(result.output.trim().endsWith('8')).toBe(true);
    },
    note: "Both refusals are our sentences: Hyper-V's texts are not published.",
  },
  {
    name: 'A running generation 2 VM takes an adapter hot and gives it back',
    source:
      'What\'s new in Hyper-V on Windows Server 2016 ("add or remove a network adapter while the virtual machine is running ... generation 2 virtual machines")',
    script: `Add-VMNetworkAdapter Web-01 -Name Hot
Get-VMNetworkAdapter Web-01 -Name Hot | Remove-VMNetworkAdapter
(Get-VMNetworkAdapter Web-01).Count`,
    output: lines('1'),
  },
  {
    name: 'Rename-VMNetworkAdapter and Remove-VMNetworkAdapter -VMNetworkAdapterName',
    source:
      'Rename-VMNetworkAdapter reference (-VMName -Name -NewName); Remove-VMNetworkAdapter reference, example 1 (-VMName Redmond -VMNetworkAdapterName Redmond_NIC1)',
    script: `Add-VMNetworkAdapter Db-01 -Name Spare
Rename-VMNetworkAdapter -VMName Db-01 -Name Spare -NewName Storage
(Get-VMNetworkAdapter Db-01).Name -join ', '
Remove-VMNetworkAdapter -VMName Db-01 -VMNetworkAdapterName Storage -WhatIf
Remove-VMNetworkAdapter -VMName Db-01 -VMNetworkAdapterName Storage
(Get-VMNetworkAdapter Db-01).Name -join ', '`,
    output: lines(
      'Network Adapter, Storage',
      'What if: Performing the operation "Remove-VMNetworkAdapter" on target "Db-01: Storage".',
      'Network Adapter',
    ),
    note: 'The What if target text is ours ([B] in src/cmdlets/vmNetworkAdapterChanges.ts).',
  },
  {
    name: 'Get-VMScsiController: one on a new generation 2 VM; Add-VMScsiController gives the next number, Add-VMHardDiskDrive uses it',
    source:
      'Get-, Add-VMScsiController references; Add-VMHardDiskDrive reference (-ControllerType -ControllerNumber -ControllerLocation -Path)',
    script: `(Get-VMScsiController Db-01).ControllerNumber
Add-VMScsiController -VMName Db-01
New-VHD -Path data.vhdx -SizeBytes 8MB | Out-Null
Add-VMHardDiskDrive Db-01 -ControllerType SCSI -ControllerNumber 1 -ControllerLocation 0 -Path data.vhdx
Get-VMScsiController -VMName Db-01 | ForEach-Object { "$($_.ControllerNumber): $($_.Drives.Count)" }
(Get-VMScsiController Db-01 -ControllerNumber 1).Drives[0].ControllerLocation`,
    output: lines('0', '0: 1', '1: 1', '0'),
  },
  {
    name: 'Get-VMIdeController: a generation 1 VM has controllers 0 and 1, the DVD drive on 1, and one empty SCSI controller; a generation 2 VM has no IDE controller',
    source:
      'Get-VMIdeController reference (-ControllerNumber: allowed values 0 and 1); Msvm_IDEController class reference (fixed in the VM, not on generation 2); Microsoft Press Exam Ref 70-410, objective 3.2 (a new generation 1 VM has two IDE controllers and one unpopulated SCSI controller)',
    script: `New-VM -Name Old -Generation 1 -MemoryStartupBytes 512MB -NoVHD | Out-Null
(Get-VMIdeController Old).ControllerNumber
(Get-VMIdeController -VMName Old -ControllerNumber 1).Drives[0].Name
(Get-VMIdeController Old 0).Drives.Count
@(Get-VMIdeController Db-01).Count
(Get-VMScsiController Old).ControllerNumber
(Get-VMScsiController Old).Drives.Count`,
    output: lines(
      '0',
      '1',
      'DVD Drive on IDE controller number 1 at location 0',
      '0',
      '0',
      '0',
      '0',
    ),
  },
  {
    name: 'Add-VMHardDiskDrive on a controller the VM does not have is refused',
    source: 'Add-VMHardDiskDrive reference (-ControllerNumber names an existing controller)',
    script: `New-VHD -Path data.vhdx -SizeBytes 8MB | Out-Null
Add-VMHardDiskDrive Db-01 -ControllerType SCSI -ControllerNumber 2 -Path data.vhdx
(Get-VMHardDiskDrive Db-01).Count`,
    output: (result) => {
      expect(result.errors[0]?.message).toContain('has no such controller location');
      expect(result.output.trim().endsWith('1')).toBe(true);
    },
    note: "The refusal's sentence is ours.",
  },
  {
    name: 'Remove-VMScsiController: an empty one goes; one with drives, a fifth and a running VM are refused',
    source:
      'Remove-VMScsiController reference, example 1 (Get-VMScsiController ... | Remove-VMScsiController); Plan for Hyper-V scalability (4 SCSI controllers)',
    script: `Add-VMScsiController Db-01
Get-VMScsiController -VMName Db-01 -ControllerNumber 1 | Remove-VMScsiController
Remove-VMScsiController -VMName Db-01 -ControllerNumber 0
1..4 | ForEach-Object { Add-VMScsiController Db-01 }
Add-VMScsiController Web-01
(Get-VMScsiController Db-01).Count`,
    output: (result) => {
      expect(result.errors.map((e) => e.message)).toEqual([
        expect.stringContaining("SCSI controller 0 of 'Db-01' still has drives attached"),
        "'Db-01' already has the maximum of 4 SCSI controllers.",
        'The operation cannot be performed while the virtual machine is in its current state.',
      ]);
      expect(result.output.trim().endsWith('4')).toBe(true);
    },
    note: "Refusing a controller with drives is this host's choice (engine vm/scsiControllers.ts): what Hyper-V does is not documented.",
  },
];

conformanceSuite('Hyper-V cmdlets: Add Hardware (network adapters, SCSI controllers)', cases);
