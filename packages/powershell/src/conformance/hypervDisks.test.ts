/**
 * Conformance of the virtual hard disk cmdlets over real `.vhdx` files: New-VHD, Get-VHD, Test-VHD,
 * Merge-VHD, Resize-VHD, and what this host cannot do (Mount-VHD). Paths are
 * relative to the host's data folder (Hyper-V prints absolute Windows paths).
 */
import { expect } from 'vitest';
import type { ConformanceCase } from './harness.js';
import { conformanceSuite, lines } from './harness.js';

const cases: ConformanceCase[] = [
  {
    name: 'New-VHD -Dynamic, then Get-VHD lists every property in its list view',
    source:
      'New-VHD reference (example: New-VHD -Path ... -SizeBytes 10GB -Dynamic); Get-VHD reference (VirtualHardDisk properties)',
    script:
      'New-VHD -Path Disks\\Data.vhdx -SizeBytes 1GB -Dynamic | Out-Null\nGet-VHD -Path Disks\\Data.vhdx',
    output: (result) => {
      const names = result.output
        .split('\n')
        .filter((l) => l.includes(' : ') || l.endsWith(' :'))
        .map((l) => l.split(' :')[0]?.trim());
      expect(names).toEqual([
        'ComputerName',
        'Path',
        'VhdFormat',
        'VhdType',
        'FileSize',
        'Size',
        'MinimumSize',
        'LogicalSectorSize',
        'PhysicalSectorSize',
        'BlockSize',
        'ParentPath',
        'DiskIdentifier',
        'FragmentationPercentage',
        'Alignment',
        'Attached',
        'DiskNumber',
        'IsPMEMCompatible',
        'AddressAbstractionType',
        'Number',
      ]);
      expect(result.output).toContain('Path                    : Disks/Data.vhdx\n');
      expect(result.output).toContain('VhdType                 : Dynamic\n');
      expect(result.output).toContain('Size                    : 1073741824\n');
      expect(result.output).toContain('BlockSize               : 33554432\n');
    },
    note: 'MinimumSize is empty: this host does not read the partitions Hyper-V derives it from.',
  },
  {
    name: 'New-VHD -Differencing of a parent; Get-VHD names the parent; Test-VHD opens the chain',
    source: 'New-VHD reference (-ParentPath -Differencing); Test-VHD reference',
    script: `New-VHD Base.vhdx -SizeBytes 64MB | Out-Null
$child = New-VHD -Path Child.vhdx -ParentPath Base.vhdx -Differencing
"$($child.VhdType) $($child.ParentPath) $($child.Size / 1MB)"
Test-VHD -Path Child.vhdx`,
    output: lines('Differencing Base.vhdx 64', 'True'),
  },
  {
    name: "Get-VHD of a VM's disks by VMId, and Attached while the VM runs",
    source: 'Get-VHD reference (example: Get-VM -VMName TestVM | Select-Object VMId | Get-VHD)',
    script: `(Get-VM -VMName Web-01 | Select-Object VMId | Get-VHD).Attached
(Get-VMHardDiskDrive -VMName Db-01 | Get-VHD).Attached`,
    output: lines('True', 'False'),
  },
  {
    name: 'Merge-VHD folds a chain into its base; the merged files are gone',
    source: 'Merge-VHD reference (-Path, -DestinationPath: the merged files are deleted)',
    script: `New-VHD Base.vhdx -SizeBytes 64MB | Out-Null
New-VHD Mid.vhdx -ParentPath Base.vhdx | Out-Null
New-VHD Top.vhdx -ParentPath Mid.vhdx | Out-Null
(Merge-VHD -Path Top.vhdx -DestinationPath Base.vhdx -Passthru).VhdType
Test-VHD Mid.vhdx -ErrorAction SilentlyContinue
$?`,
    output: lines('Dynamic', 'False'),
  },
  {
    name: 'Merge-VHD refuses a disk of a VM with checkpoints',
    source:
      'behaviour spec §5 (Merge-VHD is offline only; the chain must not be attached); Windows ERROR_SHARING_VIOLATION',
    script: `Checkpoint-VM Db-01 -SnapshotName Before
Merge-VHD -Path (Get-VMHardDiskDrive Db-01).Path`,
    output: (result) => {
      expect(result.errors[0]?.message).toBe(
        'The process cannot access the file because it is being used by another process. (0x80070020)',
      );
      expect(result.errors[0]?.fullyQualifiedErrorId).toBe(
        'InvalidState,Microsoft.Vhd.PowerShell.Cmdlets.MergeVHD',
      );
    },
    exitCode: 1,
    note: 'Hyper-V wraps the Windows error in lines of its own, which were not found.',
  },
  {
    name: "Mount-VHD: Hyper-V's failure, and why",
    source:
      'dsccommunity/NetworkingDsc#312 (Mount-VHD : Failed to mount the virtual disk. / The system failed to mount ...)',
    script: 'New-VHD Data.vhdx -SizeBytes 8MB | Out-Null\nMount-VHD -Path Data.vhdx',
    output: lines(
      'Mount-VHD : Failed to mount the virtual disk.',
      '',
      "The system failed to mount 'Data.vhdx'.",
      'This host has no Windows disk stack to attach a virtual hard disk to: read it with Get-VHD, or with Inspect Disk in the console.',
      'At line:2 char:1',
      '+ Mount-VHD -Path Data.vhdx',
      '+ ~~~~~~~~~~~~~~~~~~~~~~~~~',
      '    + CategoryInfo          : NotSpecified: (:) [Mount-VHD], VirtualizationException',
      '    + FullyQualifiedErrorId : OperationFailed,Microsoft.Vhd.PowerShell.Cmdlets.MountVHD',
    ),
    exitCode: 1,
    note: "The last message line is this host's own; the error id is our reading.",
  },
  {
    name: 'New-VHD without -SizeBytes or -ParentPath is missing a mandatory parameter',
    source: 'New-VHD reference (SizeBytes Required: True with -Dynamic); behaviour spec R27',
    script: 'New-VHD -Path Data.vhdx',
    output: (result) => {
      expect(result.errors[0]?.message).toBe(
        'Cannot process command because of one or more missing mandatory parameters: SizeBytes.',
      );
    },
    exitCode: 1,
  },
  {
    name: 'Add-VMHardDiskDrive -Passthru, then Remove-VMHardDiskDrive from the pipeline; the file stays',
    source:
      'Add-VMHardDiskDrive reference (example: Add-VMHardDiskDrive -VMName Test -Path ...); Remove-VMHardDiskDrive reference (example: Get-VMHardDiskDrive ... | Remove-VMHardDiskDrive)',
    script: `New-VHD Data.vhdx -SizeBytes 32MB | Out-Null
Add-VMHardDiskDrive -VMName Db-01 -Path Data.vhdx -Passthru
Get-VMHardDiskDrive -VMName Db-01 -ControllerLocation 1 | Remove-VMHardDiskDrive
(Get-VMHardDiskDrive Db-01).Count
Test-VHD Data.vhdx`,
    output: lines(
      '',
      'VMName ControllerType ControllerNumber ControllerLocation DiskNumber Path',
      '------ -------------- ---------------- ------------------ ---------- ----',
      'Db-01  SCSI           0                1                             Data.vhdx',
      '',
      '1',
      'True',
    ),
  },
  {
    name: 'Add-VMHardDiskDrive: a disk another VM uses is refused',
    source: "Windows ERROR_SHARING_VIOLATION; Hyper-V holds a VM's disks open",
    script: 'Add-VMHardDiskDrive -VMName Db-01 -Path (Get-VMHardDiskDrive Web-01).Path',
    output: (result) => {
      expect(result.errors[0]?.message).toBe(
        'The process cannot access the file because it is being used by another process. (0x80070020)',
      );
    },
    exitCode: 1,
  },
  {
    name: 'New-VHD -Fixed: every block allocated, the file as large as the disk',
    source:
      'New-VHD reference (example: New-VHD -Path ... -Fixed -SizeBytes 10GB); Get-VHD reference (BlockSize 0 for a fixed disk)',
    script: `$d = New-VHD -Path Fixed.vhdx -SizeBytes 16MB -Fixed
"$($d.VhdType) $($d.Size / 1MB) $($d.BlockSize) $($d.FileSize -ge 16MB)"
Test-VHD Fixed.vhdx`,
    output: lines('Fixed 16 0 True', 'True'),
  },
  {
    name: 'Resize-VHD -SizeBytes grows a dynamic disk; -ToMinimumSize shrinks it back',
    source:
      'Resize-VHD reference (-SizeBytes; -ToMinimumSize: to its minimum possible size; -Passthru)',
    script: `New-VHD Data.vhdx -SizeBytes 64MB | Out-Null
(Resize-VHD -Path Data.vhdx -SizeBytes 128MB -Passthru).Size / 1MB
(Get-VHD Data.vhdx).Size / 1MB
(Resize-VHD Data.vhdx -ToMinimumSize -Passthru).Size / 1MB
Resize-VHD Data.vhdx -SizeBytes 100MB
(Get-VHD Data.vhdx).Size / 1MB
Test-VHD Data.vhdx`,
    output: lines('128', '128', '3', '100', 'True'),
    note: "An empty disk's minimum size is New-VHD's smallest, 3 MB; Hyper-V derives it from the partitions.",
  },
  {
    name: 'Resize-VHD grows a differencing disk beyond its parent',
    source: 'Resize-VHD reference (a VHDX, dynamic or differencing)',
    script: `New-VHD Base.vhdx -SizeBytes 64MB | Out-Null
New-VHD Child.vhdx -ParentPath Base.vhdx | Out-Null
Resize-VHD Child.vhdx -SizeBytes 96MB
$c = Get-VHD Child.vhdx
"$($c.VhdType) $($c.Size / 1MB) $($c.ParentPath)"
Test-VHD Child.vhdx`,
    output: lines('Differencing 96 Base.vhdx', 'True'),
  },
  {
    name: 'Resize-VHD refuses a disk a running VM uses',
    source: "Windows ERROR_SHARING_VIOLATION; Hyper-V holds a running VM's disks open",
    script: 'Resize-VHD -Path (Get-VMHardDiskDrive Web-01).Path -SizeBytes 200GB',
    output: (result) => {
      expect(result.errors[0]?.message).toBe(
        'The process cannot access the file because it is being used by another process. (0x80070020)',
      );
      expect(result.errors[0]?.fullyQualifiedErrorId).toBe(
        'InvalidState,Microsoft.Vhd.PowerShell.Cmdlets.ResizeVHD',
      );
    },
    exitCode: 1,
    note: 'Hyper-V resizes a SCSI-attached VHDX of a running VM online; this host refuses any disk in use.',
  },
  {
    name: 'Resize-VHD refuses a size below the minimum and a size off the sector size',
    source:
      'Resize-VHD reference (-SizeBytes; the minimum size); MS-VHDX 2.6.2.2 (a multiple of the logical sector size)',
    script: `New-VHD Data.vhdx -SizeBytes 64MB | Out-Null
Resize-VHD Data.vhdx -SizeBytes 1MB -ErrorAction Continue
Resize-VHD Data.vhdx -SizeBytes 100000001
(Get-VHD Data.vhdx).Size / 1MB`,
    output: (result) => {
      expect(result.errors.map((e) => e.message)).toEqual([
        "The size of 'Data.vhdx' cannot be reduced to 1048576 bytes: its minimum size is 3145728 bytes.",
        "The size must be a multiple of 512 bytes (the disk's logical sector size), up to 64 TB.",
      ]);
      expect(result.output).toContain('64');
    },
  },
  {
    name: 'Resize-VHD refuses a fixed disk',
    source: 'Resize-VHD reference; this host resizes dynamic and differencing disks only',
    script:
      'New-VHD Fixed.vhdx -SizeBytes 8MB -Fixed | Out-Null\nResize-VHD Fixed.vhdx -SizeBytes 16MB',
    output: (result) => {
      expect(result.errors[0]?.message).toBe(
        "'Fixed.vhdx' is a fixed virtual hard disk: this host resizes dynamic and differencing disks only.",
      );
    },
    exitCode: 1,
    note: 'Hyper-V resizes fixed disks too; the wording is ours.',
  },
];

conformanceSuite('Hyper-V cmdlets: virtual hard disks', cases);
