/**
 * Conformance of the Hyper-V cmdlets given several VMs: a name that finds no VM gets Hyper-V's
 * "unable to find" record and the cmdlet goes on with the rest, and so does a VM whose operation
 * fails (the Hyper-V module writes a non-terminating error per VM). -ErrorAction Stop ends the
 * cmdlet at the first record.
 */
import { expect } from 'vitest';
import type { ConformanceCase } from './harness.js';
import { conformanceSuite, lines } from './harness.js';

/**
 * Hyper-V's record for a name no VM has (R30): `text` is the script line, starting with the
 * command that is underlined (`command`, the whole line unless given).
 */
function notFound(
  cmdlet: string,
  className: string,
  line: number,
  text: string,
  command = text,
): string[] {
  return [
    `${cmdlet} : Hyper-V was unable to find a virtual machine with name "NoSuch".`,
    `At line:${line} char:1`,
    `+ ${text}`,
    `+ ${'~'.repeat(command.length)}`,
    `    + CategoryInfo          : ObjectNotFound: (:) [${cmdlet}], VirtualizationException`,
    `    + FullyQualifiedErrorId : ObjectNotFound,Microsoft.HyperV.PowerShell.Commands.${className}`,
  ];
}

const WEB_ID = '00000000-0000-4000-8000-000000000001';

const cases: ConformanceCase[] = [
  {
    name: 'Get-VMSnapshot -VMName NoSuch, Web-01 reports NoSuch and lists the checkpoints of Web-01',
    source: 'Get-VMSnapshot reference (-VMName <String[]>); behaviour spec R30',
    script:
      'Checkpoint-VM Web-01 -SnapshotName Before\nGet-VMSnapshot -VMName NoSuch, Web-01 | ForEach-Object Name',
    output: lines(
      ...notFound(
        'Get-VMSnapshot',
        'GetVMSnapshot',
        2,
        'Get-VMSnapshot -VMName NoSuch, Web-01 | ForEach-Object Name',
        'Get-VMSnapshot -VMName NoSuch, Web-01',
      ),
      'Before',
    ),
    exitCode: 1,
  },
  {
    name: 'Stop-VM -Name NoSuch, Web-01 -Force reports NoSuch and turns Web-01 off',
    source: 'Stop-VM reference (-Name <String[]>); behaviour spec R30',
    script: 'Stop-VM -Name NoSuch, Web-01 -Force\n(Get-VM Web-01).State',
    output: lines(
      ...notFound('Stop-VM', 'StopVM', 1, 'Stop-VM -Name NoSuch, Web-01 -Force'),
      'Off',
    ),
  },
  {
    name: 'Start-VM -Name NoSuch, Db-01 -Passthru reports NoSuch and starts Db-01',
    source: 'Start-VM reference (-Name <String[]>, -Passthru)',
    script: 'Start-VM -Name NoSuch, Db-01 -Passthru | ForEach-Object { "$($_.Name) $($_.State)" }',
    output: lines(
      'Start-VM : Hyper-V was unable to find a virtual machine with name "NoSuch".',
      'At line:1 char:1',
      '+ Start-VM -Name NoSuch, Db-01 -Passthru | ForEach-Object { "$($_.Name) ...',
      '+ ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~',
      '    + CategoryInfo          : ObjectNotFound: (:) [Start-VM], VirtualizationException',
      '    + FullyQualifiedErrorId : ObjectNotFound,Microsoft.HyperV.PowerShell.Commands.StartVM',
      'Db-01 Running',
    ),
    exitCode: 1,
  },
  {
    name: 'Checkpoint-VM -Name Web-01, Db-01: Web-01 with checkpoints disabled fails, Db-01 gets its checkpoint',
    source: 'Checkpoint-VM reference (-Name <String[]>); behaviour spec R31 (the disabled record)',
    script:
      'Set-VM Web-01 -CheckpointType Disabled\nCheckpoint-VM -Name Web-01, Db-01 -SnapshotName Nightly\n(Get-VMSnapshot -VMName Db-01).Name',
    output: lines(
      'Checkpoint-VM : Checkpoint operation failed.',
      'Checkpoints have been disabled.',
      `Checkpoint operation for 'Web-01' failed. (Virtual machine ID ${WEB_ID})`,
      `Checkpoints have been disabled for 'Web-01'. (Virtual machine ID ${WEB_ID}).`,
      'At line:2 char:1',
      '+ Checkpoint-VM -Name Web-01, Db-01 -SnapshotName Nightly',
      '+ ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~',
      '    + CategoryInfo          : NotSpecified: (:) [Checkpoint-VM], VirtualizationException',
      '    + FullyQualifiedErrorId : OperationFailed,Microsoft.HyperV.PowerShell.Commands.CheckpointVM',
      'Nightly',
    ),
  },
  {
    name: 'Remove-VM -Name Web-01, Db-01 -Force: the running Web-01 is refused, Db-01 is removed',
    source: 'Remove-VM reference (-Name <String[]>); behaviour spec R26',
    script: 'Remove-VM -Name Web-01, Db-01 -Force\n(Get-VM).Name',
    output: lines(
      'Remove-VM : The operation cannot be performed while the virtual machine is in its current state.',
      'At line:1 char:1',
      '+ Remove-VM -Name Web-01, Db-01 -Force',
      '+ ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~',
      '    + CategoryInfo          : InvalidOperation: (:) [Remove-VM], VirtualizationException',
      '    + FullyQualifiedErrorId : InvalidState,Microsoft.HyperV.PowerShell.Commands.RemoveVM',
      'Web-01',
    ),
  },
  {
    name: 'Set-VMProcessor -VMName Web-01, Db-01 -Count 2: the running Web-01 is refused, Db-01 gets two',
    source:
      'Set-VMProcessor reference (-VMName <String[]>); hashicorp/packer#8633 (the device record)',
    script:
      'Set-VMProcessor -VMName Web-01, Db-01 -Count 2\nGet-VMProcessor Web-01, Db-01 | ForEach-Object { "$($_.VMName) $($_.Count)" }',
    output: lines(
      "Set-VMProcessor : Failed to modify device 'Processor'.",
      `'Web-01' failed to modify device 'Processor'. (Virtual machine ID ${WEB_ID})`,
      'At line:1 char:1',
      '+ Set-VMProcessor -VMName Web-01, Db-01 -Count 2',
      '+ ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~',
      '    + CategoryInfo          : InvalidOperation: (:) [Set-VMProcessor], VirtualizationException',
      '    + FullyQualifiedErrorId : InvalidState,Microsoft.HyperV.PowerShell.Commands.SetVMProcessor',
      'Web-01 1',
      'Db-01 2',
    ),
    note: "The processor record follows Hyper-V's memory one (src/cmdlets/hardwareErrors.ts).",
  },
  {
    name: 'Set-VMMemory -VMName NoSuch, Db-01 reports NoSuch and sets the memory of Db-01',
    source: 'Set-VMMemory reference (-VMName <String[]>)',
    script:
      'Set-VMMemory -VMName NoSuch, Db-01 -StartupBytes 1GB\n(Get-VMMemory Db-01).Startup / 1MB',
    output: lines(
      ...notFound(
        'Set-VMMemory',
        'SetVMMemory',
        1,
        'Set-VMMemory -VMName NoSuch, Db-01 -StartupBytes 1GB',
      ),
      '1024',
    ),
  },
  {
    name: 'Get-VMHardDiskDrive, Get-VMNetworkAdapter and Get-VMIntegrationService report NoSuch and list Db-01',
    source: "The device cmdlets' references (-VMName <String[]>)",
    script: `(Get-VMHardDiskDrive -VMName NoSuch, Db-01 -ErrorAction SilentlyContinue).VMName
(Get-VMNetworkAdapter -VMName NoSuch, Db-01 -ErrorAction SilentlyContinue).VMName
(Get-VMIntegrationService -VMName NoSuch, Db-01 -Name Heartbeat -ErrorVariable missing).VMName
$missing.Count`,
    output: (result) => {
      expect(result.output.split('\n').filter((l) => l === 'Db-01')).toHaveLength(3);
      expect(result.output).toContain(
        'Get-VMIntegrationService : Hyper-V was unable to find a virtual machine with name "NoSuch".',
      );
      expect(result.output.trimEnd().endsWith('\n1')).toBe(true);
    },
  },
  {
    name: 'Enable-VMIntegrationService -VMName NoSuch, Db-01 reports NoSuch and enables the service of Db-01',
    source: 'Enable-VMIntegrationService reference (-VMName <String[]>)',
    script:
      'Enable-VMIntegrationService -Name "Guest Service Interface" -VMName NoSuch, Db-01 -ErrorAction SilentlyContinue\n(Get-VMIntegrationService Db-01 -Name "Guest Service Interface").Enabled',
    output: lines('True'),
  },
  {
    name: '-ErrorAction Stop ends the cmdlet at the first failing VM: Db-01 keeps one processor',
    source: 'about_CommonParameters (-ErrorAction Stop)',
    script:
      'try { Set-VMProcessor -VMName Web-01, Db-01 -Count 2 -ErrorAction Stop } catch { "stopped" }\n(Get-VMProcessor Db-01).Count',
    output: lines('stopped', '1'),
  },
];

conformanceSuite('Hyper-V cmdlets: several names', cases);
