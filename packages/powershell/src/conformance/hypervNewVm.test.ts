/**
 * Conformance of New-VM's parameter sets (Microsoft's New-VM reference: "No VHD (Default)",
 * "New VHD" with -NewVHDPath and -NewVHDSizeBytes, "Existing VHD" with -VHDPath) and of
 * Add-VMHardDiskDrive -Path with a disk that already exists. Paths are relative to the host's data
 * folder (Hyper-V prints absolute Windows paths).
 */
import { expect } from 'vitest';
import type { ConformanceCase } from './harness.js';
import { conformanceSuite, lines } from './harness.js';

const cases: ConformanceCase[] = [
  {
    name: 'New-VM -VHDPath: the new VM uses the existing disk as it is',
    source: 'New-VM reference ("Existing VHD": -VHDPath <String>, Required: True)',
    script: `New-VHD -Path Brought\\App.vhdx -SizeBytes 64MB | Out-Null
$vm = New-VM -Name App -MemoryStartupBytes 512MB -VHDPath Brought\\App.vhdx
$drive = Get-VMHardDiskDrive -VMName App
"$($vm.Name) $($drive.ControllerType) $($drive.Path) $((Get-VHD -Path $drive.Path).Size / 1MB)"`,
    output: lines('App SCSI Brought/App.vhdx 64'),
  },
  {
    name: 'New-VM -NewVHDPath -NewVHDSizeBytes: a new dynamic disk where the path says',
    source:
      'New-VM reference, example 2 (New-VM -Name "new 2" -MemoryStartupBytes 1GB -NewVHDPath d:\\vhd\\base.vhdx -NewVHDSizeBytes 40GB)',
    script: `New-VM -Name "new 2" -MemoryStartupBytes 1GB -NewVHDPath Disks\\base.vhdx -NewVHDSizeBytes 40GB | Out-Null
$vhd = Get-VHD -Path Disks\\base.vhdx
"$($vhd.VhdType) $($vhd.Size / 1GB) $((Get-VMHardDiskDrive -VMName 'new 2').Path)"`,
    output: lines('Dynamic 40 Disks/base.vhdx'),
  },
  {
    name: 'New-VM -NoVHD: a VM without a hard disk drive; Add-VMHardDiskDrive -Path attaches one later',
    source: 'New-VM reference ("No VHD": -NoVHD); Add-VMHardDiskDrive reference (-Path)',
    script: `New-VM -Name Later -NoVHD | Out-Null
"drives: $(@(Get-VMHardDiskDrive -VMName Later).Count)"
New-VHD -Path Later.vhdx -SizeBytes 32MB | Out-Null
Add-VMHardDiskDrive -VMName Later -Path Later.vhdx
$d = Get-VMHardDiskDrive -VMName Later
"$($d.ControllerType) $($d.ControllerNumber):$($d.ControllerLocation) $($d.Path)"`,
    output: lines('drives: 0', 'SCSI 0:0 Later.vhdx'),
  },
  {
    name: 'New-VM -NewVHDPath without -NewVHDSizeBytes: a mandatory parameter of the New VHD set is missing',
    source:
      'New-VM reference (-NewVHDSizeBytes Required: True in "New VHD"); about_Parameters (R27: MissingMandatoryParameter)',
    script: 'New-VM -Name Half -NewVHDPath Half.vhdx',
    output: (result) => {
      expect(result.output).toContain(
        'Cannot process command because of one or more missing mandatory parameters: NewVHDSizeBytes.',
      );
      expect(result.output).toContain('MissingMandatoryParameter');
    },
    exitCode: 1,
  },
  {
    name: 'New-VM with parameters of two sets: no parameter set can be chosen',
    source:
      'New-VM reference (-VHDPath and -NoVHD belong to different sets); PowerShell ParameterBinderStrings AmbiguousParameterSet',
    script: 'New-VM -Name Both -VHDPath Some.vhdx -NoVHD',
    output: (result) => {
      expect(result.output).toContain(
        'Parameter set cannot be resolved using the specified named parameters.',
      );
      expect(result.output).toContain('AmbiguousParameterSet');
    },
    exitCode: 1,
  },
  {
    name: "New-VM -VHDPath of another VM's disk: refused, the file is in use",
    source:
      'Windows ERROR_SHARING_VIOLATION 0x80070020 as Hyper-V reports a held disk file (blog.saltdata.ro/veeam-hyperv-orphan-avhdx-kernel-lock)',
    script: `$used = (Get-VMHardDiskDrive -VMName Db-01).Path
New-VM -Name Thief -VHDPath $used
"VMs: $(@(Get-VM).Count)"`,
    output: (result) => {
      expect(result.output).toContain(
        'The process cannot access the file because it is being used by another process. (0x80070020)',
      );
      expect(result.output).toContain('VMs: 2');
    },
  },
  {
    name: 'New-VM -VHDPath outside the storage locations: refused',
    source: 'this host confines paths to its data folder (apps/server/docs/rest-api.md, Paths)',
    script: 'New-VM -Name Out -VHDPath ..\\..\\etc\\disk.vhdx',
    output: (result) => {
      expect(result.output).toContain(
        "The path '..\\..\\etc\\disk.vhdx' is outside the storage locations of this host.",
      );
    },
    note: 'Our wording: Hyper-V has no storage confinement of its own; the sentence is this host’s.',
    exitCode: 1,
  },
];

conformanceSuite('Hyper-V cmdlets: New-VM parameter sets and existing disks', cases);
