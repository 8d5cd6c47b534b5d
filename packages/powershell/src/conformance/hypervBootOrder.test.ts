/**
 * Conformance of Get-VMFirmware's BootOrder and Set-VMFirmware -BootOrder / -FirstBootDevice
 * (Microsoft's Set-VMFirmware reference: "-BootOrder <VMComponentObject[]> Specifies an array of
 * devices ... VMBootSource, VMNetworkAdapter, HardDiskDrive, DVDDrive"; "-FirstBootDevice
 * <VMComponentObject>").
 */
import { expect } from 'vitest';
import type { ConformanceCase } from './harness.js';
import { conformanceSuite, lines } from './harness.js';

const twoDrives = `New-VHD Data.vhdx -SizeBytes 32MB | Out-Null
Add-VMHardDiskDrive -VMName Db-01 -Path Data.vhdx`;

const cases: ConformanceCase[] = [
  {
    name: "Get-VMFirmware's BootOrder lists VMBootSource entries: the drives, then the network adapter",
    source: 'Get-VMFirmware reference (BootOrder); Set-VMFirmware reference (VMBootSource)',
    script: `${twoDrives}
(Get-VMFirmware Db-01).BootOrder | ForEach-Object { "$($_.BootType)|$($_.Device.ControllerLocation)|$($_.Device.Path)" }
(Get-VMFirmware Db-01).BootOrder[0].GetType().FullName`,
    output: (result) => {
      const [first, second, network, type] = result.output.trim().split('\n');
      expect(first).toMatch(/^Drive\|0\|.+\.vhdx$/);
      expect(second).toBe('Drive|1|Data.vhdx');
      expect(network).toBe('Network||');
      expect(type).toBe('Microsoft.HyperV.PowerShell.VMBootSource');
    },
  },
  {
    name: 'Set-VMFirmware -BootOrder takes the drives Get-VMHardDiskDrive gives, in a new order',
    source: 'Set-VMFirmware reference (-BootOrder: HardDiskDrive objects)',
    script: `${twoDrives}
$d = Get-VMHardDiskDrive Db-01
Set-VMFirmware Db-01 -BootOrder $d[1], $d[0]
(Get-VMFirmware Db-01).BootOrder | ForEach-Object { "$($_.BootType) $($_.Device.ControllerLocation)" }`,
    output: lines('Drive 1', 'Drive 0', 'Network '),
  },
  {
    name: "Set-VMFirmware -BootOrder takes Get-VMFirmware's own entries back, and the network adapter",
    source: 'Set-VMFirmware reference (-BootOrder: VMBootSource and VMNetworkAdapter objects)',
    script: `${twoDrives}
$order = (Get-VMFirmware Db-01).BootOrder
Set-VMFirmware Db-01 -BootOrder $order[1], $order[0], (Get-VMNetworkAdapter Db-01)
(Get-VMFirmware Db-01).BootOrder | ForEach-Object { "$($_.BootType) $($_.Device.ControllerLocation)" }`,
    output: lines('Drive 1', 'Drive 0', 'Network '),
  },
  {
    name: 'Set-VMFirmware -FirstBootDevice moves one drive first and keeps the others in order',
    source: 'Set-VMFirmware reference (-FirstBootDevice <VMComponentObject>)',
    script: `${twoDrives}
Set-VMFirmware Db-01 -FirstBootDevice (Get-VMHardDiskDrive Db-01 -ControllerLocation 1)
(Get-VMFirmware Db-01).BootOrder | ForEach-Object { "$($_.BootType) $($_.Device.ControllerLocation)" }
(Get-VM Db-01).Generation`,
    output: lines('Drive 1', 'Drive 0', 'Network ', '2'),
  },
  {
    name: 'The boot order is part of a checkpoint: applying it brings the order back',
    source:
      'Behaviour spec §1.3 (a checkpoint captures the configuration); Restore-VMSnapshot reference',
    script: `${twoDrives}
Set-VMFirmware Db-01 -FirstBootDevice (Get-VMHardDiskDrive Db-01 -ControllerLocation 1)
Checkpoint-VM Db-01 -SnapshotName Second
Set-VMFirmware Db-01 -FirstBootDevice (Get-VMHardDiskDrive Db-01 -ControllerLocation 0)
"$((Get-VMFirmware Db-01).BootOrder.Device.ControllerLocation)"
Restore-VMSnapshot -VMName Db-01 -Name Second -Confirm:$false
"$((Get-VMFirmware Db-01).BootOrder.Device.ControllerLocation)"`,
    output: lines('0 1', '1 0'),
  },
  {
    name: "Set-VMFirmware -BootOrder refuses another VM's drive",
    source: "Set-VMFirmware reference; [B] the error's words are this host's",
    script: 'Set-VMFirmware Db-01 -BootOrder (Get-VMHardDiskDrive Web-01)',
    output: (result) => {
      expect(result.errors[0]?.message).toContain("does not belong to 'Db-01'");
    },
    exitCode: 1,
  },
];

conformanceSuite('Hyper-V cmdlets: firmware boot order', cases);
