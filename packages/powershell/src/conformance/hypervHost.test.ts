/**
 * Conformance of Set-VMHost: the default folders for new VMs, inside the data folder, read back by
 * Get-VMHost and used by New-VM.
 */
import type { ConformanceCase } from './harness.js';
import { conformanceSuite, lines } from './harness.js';

const cases: ConformanceCase[] = [
  {
    name: 'Set-VMHost -VirtualHardDiskPath and -VirtualMachinePath: Get-VMHost shows them, New-VM uses them',
    source: 'Set-VMHost reference (-VirtualHardDiskPath, -VirtualMachinePath, -Passthru)',
    script: `Set-VMHost -VirtualHardDiskPath Storage\\Disks -VirtualMachinePath Storage -Passthru | Format-List VirtualHardDiskPath, VirtualMachinePath
New-VM -Name App -MemoryStartupBytes 512MB | Out-Null
(Get-VMHardDiskDrive -VMName App).Path
(Get-VM App).SnapshotFileLocation`,
    output: lines(
      '',
      'VirtualHardDiskPath : Storage/Disks',
      'VirtualMachinePath  : Storage',
      '',
      '',
      'Storage/Disks/App.vhdx',
      'Storage/Snapshots',
    ),
    note: "Paths are relative to the data folder; a new VM's checkpoints go to the VM path's Snapshots folder (its configuration stays in the host's Virtual Machines folder).",
  },
  {
    name: 'Set-VMHost refuses a folder outside the data folder as Set-VM does',
    source: 'Set-VMHost reference; the path confinement every file cmdlet shares',
    script: 'Set-VMHost -VirtualHardDiskPath C:\\Hyper-V\\Disks\n(Get-VMHost).VirtualHardDiskPath',
    output: lines(
      "Set-VMHost : The path 'C:\\Hyper-V\\Disks' is outside the storage locations of this host.",
      'At line:1 char:1',
      '+ Set-VMHost -VirtualHardDiskPath C:\\Hyper-V\\Disks',
      '+ ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~',
      '    + CategoryInfo          : InvalidArgument: (:) [Set-VMHost], VirtualizationException',
      '    + FullyQualifiedErrorId : InvalidParameter,Microsoft.HyperV.PowerShell.Commands.SetVMHost',
      'Virtual Hard Disks',
    ),
  },
  {
    name: 'Set-VMHost -WhatIf only says what it would do',
    source: 'about_CommonParameters (-WhatIf)',
    script: 'Set-VMHost -VirtualHardDiskPath Elsewhere -WhatIf\n(Get-VMHost).VirtualHardDiskPath',
    output: lines(
      'What if: Performing the operation "Set-VMHost" on target "TEST-HOST".',
      'Virtual Hard Disks',
    ),
  },
];

conformanceSuite('Hyper-V cmdlets: Set-VMHost', cases);
