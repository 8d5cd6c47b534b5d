/**
 * Conformance of Export-VM, Compare-VM and Import-VM (export in Hyper-V's layout, then import by
 * registering in place, restoring or copying). Sources: the cmdlet reference pages (parameter
 * sets, -GenerateNewId giving a new unique identifier, registration in place without -Copy) and
 * "Export and Import virtual machines" (Windows Server docs). Hyper-V's incompatibility message
 * ids and texts are not published: the ids (40xxx) and messages are the engine's
 * (src/import/importTypes.ts of @hvm/engine).
 */
import { expect } from 'vitest';
import type { ConformanceCase } from './harness.js';
import { conformanceSuite, lines } from './harness.js';

const cases: ConformanceCase[] = [
  {
    name: 'Import-VM without -Copy registers the export in place, keeping the ID',
    source: 'Import-VM reference, Example 1 ("registered in-place, so its files are not copied")',
    script: `$id = (Get-VM Db-01).Id
Export-VM Db-01 -Path Exports
Remove-VM Db-01 -Force
$vm = Import-VM -Path 'Exports\\Db-01'
$vm.Name
$vm.Id -eq $id
(Get-VMHardDiskDrive -VMName Db-01).Path -like 'Exports*'`,
    output: lines('Db-01', 'True', 'True'),
  },
  {
    name: 'Import-VM -Copy -GenerateNewId with the configuration file as -Path',
    source: 'Import-VM reference, Example 2; -Path: the configuration file',
    script: `$id = (Get-VM Db-01).Id
Export-VM Db-01 -Path Exports
Remove-VM Db-01 -Force
$config = "Exports\\Db-01\\Virtual Machines\\$id.json"
$vm = Import-VM -Path $config -Copy -GenerateNewId
$vm.Name
$vm.Id -ne $id
(Get-VMHardDiskDrive -VMName Db-01).Path -like 'Exports*'`,
    output: lines('Db-01', 'True', 'False'),
  },
  {
    name: 'Compare-VM reports the ID already on the host, not the name (R36); Import-VM refuses with Compare-VM advice',
    source:
      'Compare-VM reference (VMCompatibilityReport.Incompatibilities: Message, MessageId, Source); Import-VM error quoted in MicrosoftDocs/microsoft-365-docs#374',
    script: `Export-VM Db-01 -Path Exports
$report = Compare-VM -Path Exports\\Db-01 -Register
$report.Incompatibilities | ForEach-Object { $_.MessageId }
Import-VM -Path Exports\\Db-01`,
    output: (result) => {
      expect(result.output).toContain('40030\n');
      expect(result.output).not.toContain('40031');
      expect(result.errors[0]?.message).toMatch(
        /^Unable to import virtual machine due to configuration errors\. Please use Compare-VM to repair the virtual machine\. A virtual machine with the ID/,
      );
    },
    exitCode: 1,
    note: "The incompatibility ids and texts are this host's own (Hyper-V's are not published).",
  },
  {
    name: 'Import-VM -CompatibilityReport imports what Compare-VM checked, once it fits',
    source: 'Import-VM reference ([-CompatibilityReport] <VMCompatibilityReport>)',
    script: `Export-VM Db-01 -Path Exports
$report = Compare-VM -Path Exports\\Db-01 -Copy
$report.Incompatibilities.Count
Remove-VM Db-01 -Force
(Import-VM -CompatibilityReport $report).Name`,
    // The one incompatibility is Db-01's ID (-Copy without -GenerateNewId keeps it); its name is none (R36).
    output: lines('1', 'Db-01'),
  },
  {
    name: '-GenerateNewId without -Copy resolves no parameter set',
    source: 'transcript pastebin.com/FCBz6g6x (Import-VM -GenerateNewId -Register)',
    script: `Export-VM Db-01 -Path Exports
Import-VM -Path Exports\\Db-01 -GenerateNewId`,
    output: (result) => {
      expect(result.errors[0]?.message).toBe(
        'Parameter set cannot be resolved using the specified named parameters.',
      );
    },
    exitCode: 1,
  },
  {
    name: 'Import-VM -AsJob: the job returns the imported VM',
    source: 'Import-VM reference (-AsJob)',
    script: `Export-VM Db-01 -Path Exports
Remove-VM Db-01 -Force
$job = Import-VM -Path Exports\\Db-01 -AsJob
(Receive-Job $job -Wait).Name`,
    output: lines('Db-01'),
  },
];

conformanceSuite('Hyper-V cmdlets: import and export', cases);
