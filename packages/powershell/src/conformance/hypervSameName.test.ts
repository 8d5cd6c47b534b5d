/**
 * Conformance of the Hyper-V cmdlets when several VMs have one name. Hyper-V knows a VM by its ID
 * and allows several of one name (behaviour spec R36): `-Name`/`-VMName` are `String[]` and select
 * every VM of that name, `Get-VM -Id <Guid>` selects one (Get-VM reference: parameter sets Name
 * and Id), and a VM object given as `-VM` or piped carries its ID, so it is always that VM.
 */
import type { ConformanceCase } from './harness.js';
import { conformanceSuite, lines } from './harness.js';

const cases: ConformanceCase[] = [
  {
    name: 'New-VM accepts the name of another VM; Get-VM -Name returns both, Get-VM -Id one',
    source: 'Get-VM reference (-Name <String[]>, -Id <Guid>); New-VM reference; behaviour spec R36',
    script: `$twin = New-VM Db-01 -NewVHDSizeBytes 64MB
(Get-VM -Name Db-01).Count
@(Get-VM -Name Db-01 | Where-Object Id -eq $twin.Id).Count
(Get-VM -Id $twin.Id).Name
@(Get-VM -Id $twin.Id).Count`,
    output: lines('2', '1', 'Db-01', '1'),
  },
  {
    name: 'Start-VM -Name starts every VM of that name',
    source: 'Start-VM reference (-Name <String[]>); behaviour spec R36',
    script: `New-VM Db-01 -NewVHDSizeBytes 64MB | Out-Null
Start-VM -Name Db-01
Get-VM Db-01 | ForEach-Object State`,
    output: lines('Running', 'Running'),
  },
  {
    name: 'Checkpoint-VM -Name makes a checkpoint of every VM of that name',
    source: 'Checkpoint-VM reference (-Name <String[]>); behaviour spec R36',
    script: `New-VM Db-01 -NewVHDSizeBytes 64MB | Out-Null
Checkpoint-VM -Name Db-01 -SnapshotName Nightly
$all = Get-VMSnapshot -VMName Db-01
$all.Count
@($all | Select-Object -ExpandProperty VMId -Unique).Count`,
    output: lines('2', '2'),
  },
  {
    name: 'a VM object (piped or -VM) is that VM, not every VM of its name',
    source: 'Start-VM and Checkpoint-VM references (-VM <VirtualMachine[]>, pipeline input)',
    script: `$twin = New-VM Db-01 -NewVHDSizeBytes 64MB
Set-VM -Name Db-01 -CheckpointType Standard
Get-VM -Id $twin.Id | Start-VM
$twin | Checkpoint-VM -SnapshotName Mine
Get-VM Db-01 | ForEach-Object { "$($_.Id -eq $twin.Id) $($_.State) $(@(Get-VMSnapshot -VM $_).Count)" } | Sort-Object`,
    output: lines('False Off 0', 'True Running 1'),
  },
  {
    name: 'Remove-VM -Name removes every VM of that name',
    source: 'Remove-VM reference (-Name <String[]>); behaviour spec R36',
    script: `New-VM Db-01 -NewVHDSizeBytes 64MB | Out-Null
Remove-VM -Name Db-01 -Force
@(Get-VM).Name`,
    output: lines('Web-01'),
  },
  {
    name: 'Import-VM -Copy keeps the name and gives a new ID, beside the source',
    source: 'Import-VM reference (-Copy, -GenerateNewId); behaviour spec R36',
    script: `Export-VM Db-01 -Path Exports
(Compare-VM -Path Exports\\Db-01 -Copy -GenerateNewId).Incompatibilities.Count
$copy = Import-VM -Path Exports\\Db-01 -Copy -GenerateNewId
$copy.Name
$copy.Id -ne (Get-VM Db-01 | Where-Object Id -ne $copy.Id).Id
(Get-VM Db-01).Count`,
    output: lines('0', 'Db-01', 'True', '2'),
  },
];

conformanceSuite('Hyper-V cmdlets: VMs of one name', cases);
