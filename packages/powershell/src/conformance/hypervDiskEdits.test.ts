/**
 * Conformance of Convert-VHD and Optimize-VHD over real `.vhdx` files, and of the rule both share
 * with Resize-VHD: a running VM's disk is refused with Windows' sharing violation, a disk of a VM
 * with checkpoints is refused, an Off VM's disk without checkpoints may be edited.
 */
import { expect } from 'vitest';
import type { ConformanceCase } from './harness.js';
import { conformanceSuite, lines } from './harness.js';

const SHARING_VIOLATION =
  'The process cannot access the file because it is being used by another process. (0x80070020)';

const cases: ConformanceCase[] = [
  {
    name: 'Convert-VHD -VHDType Fixed writes a new fixed disk; the source stays',
    source:
      'Convert-VHD reference (-Path, -DestinationPath, -VHDType; "copying the data from a source virtual hard disk file to a new virtual hard disk file")',
    script: `New-VHD Data.vhdx -SizeBytes 16MB | Out-Null
$f = Convert-VHD -Path Data.vhdx -DestinationPath Fixed.vhdx -VHDType Fixed -Passthru
"$($f.VhdType) $($f.Size / 1MB) $($f.FileSize -ge 16MB)"
(Get-VHD Data.vhdx).VhdType
Test-VHD Fixed.vhdx`,
    output: lines('Fixed 16 True', 'Dynamic', 'True'),
  },
  {
    name: 'Convert-VHD -DeleteSource removes the source once the copy is complete',
    source: 'Convert-VHD reference (-DeleteSource)',
    script: `New-VHD Fixed.vhdx -SizeBytes 8MB -Fixed | Out-Null
Convert-VHD Fixed.vhdx Dynamic.vhdx -VHDType Dynamic -DeleteSource
(Get-VHD Dynamic.vhdx).VhdType
Get-VHD Fixed.vhdx`,
    output: (result) => {
      expect(result.output.split('\n')[0]).toBe('Dynamic');
      expect(result.errors.map((e) => e.message)).toEqual([
        "Getting the mounted storage instance for the path 'Fixed.vhdx' failed.\nThe system cannot find the file specified.",
      ]);
    },
    exitCode: 1,
  },
  {
    name: "Convert-VHD refuses a running VM's disk",
    source:
      'Convert-VHD reference ("the virtual hard disk must not be attached"); Windows ERROR_SHARING_VIOLATION',
    script: 'Convert-VHD -Path (Get-VMHardDiskDrive Web-01).Path -DestinationPath Copy.vhdx',
    output: (result) => {
      expect(result.errors[0]?.message).toBe(SHARING_VIOLATION);
      expect(result.errors[0]?.fullyQualifiedErrorId).toBe(
        'InvalidState,Microsoft.Vhd.PowerShell.Cmdlets.ConvertVHD',
      );
    },
    exitCode: 1,
  },
  {
    name: "Optimize-VHD -Mode Full compacts an Off VM's disk; -Passthru gives the disk",
    source:
      'Optimize-VHD reference (-Mode Full "scans for zero blocks and reclaims unused blocks"; -Passthru)',
    script: `$d = Optimize-VHD -Path (Get-VMHardDiskDrive Db-01).Path -Mode Full -Passthru
"$($d.VhdType) $($d.Path)"
Test-VHD $d.Path`,
    output: lines('Dynamic Virtual Hard Disks/Db-01.vhdx', 'True'),
  },
  {
    name: "Optimize-VHD refuses a fixed disk and a running VM's disk",
    source: 'Optimize-VHD reference ("except for fixed virtual hard disks"; must not be attached)',
    script: `New-VHD Fixed.vhdx -SizeBytes 8MB -Fixed | Out-Null
Optimize-VHD Fixed.vhdx
Optimize-VHD (Get-VMHardDiskDrive Web-01).Path`,
    output: (result) => {
      expect(result.errors[0]?.fullyQualifiedErrorId).toBe(
        'NotSupported,Microsoft.Vhd.PowerShell.Cmdlets.OptimizeVHD',
      );
      expect(result.errors[1]?.message).toBe(SHARING_VIOLATION);
    },
    exitCode: 1,
  },
  {
    name: 'Optimize-VHD refuses the disk of a VM with checkpoints',
    source: 'behaviour spec §5 (Edit Disk greyed out while a checkpoint exists, S39)',
    script: `Checkpoint-VM Db-01 -SnapshotName Before
Optimize-VHD (Get-VMHardDiskDrive Db-01).Path -Mode Full`,
    output: (result) => {
      expect(result.errors[0]?.message).toContain("the virtual machine 'Db-01' has checkpoints");
    },
    exitCode: 1,
  },
];

conformanceSuite('Hyper-V disk edits (Convert-VHD, Optimize-VHD)', cases);
