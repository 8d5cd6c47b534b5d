/**
 * Conformance of the Hyper-V cmdlets: host, memory, processor and Set-VM settings, -ComputerName,
 * and Hyper-V's multi-line records. Each case names its source: Microsoft's cmdlet reference, a
 * public transcript, or the behaviour spec's R-number. Views marked [B] in src/format/hyperVViews.ts
 * are our reading of the module's format views; their cases say so in `note`.
 */
import { describe, expect, test } from 'vitest';
import type { ConformanceCase } from './harness.js';
import { conformanceSuite, lines } from './harness.js';
import { vmStatusProperty } from '../cmdlets/objects.js';

/** The conformance host's VM IDs (sequential test IDs): Web-01 is the first VM, Db-01 the second. */
const DB_ID = '00000000-0000-4000-8000-000000000004';

const record = (
  command: string,
  message: string[],
  script: string,
  at: number,
  width: number,
  category: string,
  errorId: string,
  className: string,
): string =>
  lines(
    `${command} : ${message[0]}`,
    ...message.slice(1),
    `At line:1 char:${at}`,
    `+ ${script}`,
    `+ ${' '.repeat(at - 1)}${'~'.repeat(width)}`,
    `    + CategoryInfo          : ${category}: (:) [${command}], VirtualizationException`,
    `    + FullyQualifiedErrorId : ${errorId},Microsoft.HyperV.PowerShell.Commands.${className}`,
  );

const cases: ConformanceCase[] = [
  {
    name: 'Get-VMHost: the default table',
    source: 'Get-VMHost reference; view from dsccommunity/HyperVDsc#155',
    script: 'Get-VMHost',
    output: lines(
      '',
      'Name      LogicalProcessorCount MemoryCapacity(M) VirtualMachineMigrationEnabled',
      '----      --------------------- ----------------- ------------------------------',
      'TEST-HOST 8                     16384             False',
      '',
    ),
  },
  {
    name: 'Get-VMHost: the paths new disks and VMs go to, relative to the data folder',
    source: 'Get-VMHost reference (VirtualHardDiskPath, VirtualMachinePath)',
    script: '(Get-VMHost).VirtualHardDiskPath\n(Get-VMHost localhost).VirtualMachinePath',
    output: lines('Virtual Hard Disks', '.'),
    note: 'Hyper-V prints absolute Windows paths; this host names its paths relative to its data folder.',
  },
  {
    name: '-ComputerName: this host by its own names, localhost and .',
    source:
      'Get-VM reference (-ComputerName: "Use localhost or a dot (.) to specify the local computer")',
    script:
      '(Get-VM -ComputerName localhost).Count\n(Get-VM -ComputerName .).Count\n(Get-VM -ComputerName test-host).Count',
    output: lines('2', '2', '2'),
  },
  {
    name: '-ComputerName: another computer cannot be reached',
    source:
      'MicrosoftDocs/Virtualization-Documentation#887 (Get-VM: The computer ... could not be resolved)',
    script: 'Get-VM -ComputerName Server1',
    output: record(
      'Get-VM',
      [
        "The computer 'Server1' could not be resolved. Make sure you typed the machine name correctly and that you have network access.",
      ],
      'Get-VM -ComputerName Server1',
      1,
      28,
      'ObjectNotFound',
      'ObjectNotFound',
      'GetVM',
    ),
    exitCode: 1,
    note: 'The CategoryInfo and FullyQualifiedErrorId of this record were not quoted; ours are Hyper-V\'s "object not found" ones.',
  },
  {
    name: 'Get-VMMemory: the default table, in MB',
    source: 'Get-VMMemory reference',
    script: 'Get-VMMemory -VMName Db-01',
    output: lines(
      '',
      'VMName DynamicMemoryEnabled Minimum(M) Startup(M) Maximum(M)',
      '------ -------------------- ---------- ---------- ----------',
      'Db-01  False                512        512        1048576',
      '',
    ),
    note: "The view's columns are our reading of the Hyper-V module's format view.",
  },
  {
    name: 'Set-VMMemory: Dynamic Memory with minimum, maximum, buffer and priority',
    source:
      'Set-VMMemory reference (example: -DynamicMemoryEnabled $true -MinimumBytes -StartupBytes -MaximumBytes -Priority -Buffer)',
    script: `Set-VMMemory Db-01 -DynamicMemoryEnabled $true -MinimumBytes 64MB -StartupBytes 256MB -MaximumBytes 2GB -Priority 80 -Buffer 25
$m = Get-VMMemory Db-01
"$($m.DynamicMemoryEnabled) $($m.Minimum / 1MB) $($m.Startup / 1MB) $($m.Maximum / 1GB) $($m.Priority) $($m.Buffer)"`,
    output: lines('True 64 256 2 80 25'),
  },
  {
    name: "Set-VMMemory: a value that is not a multiple of 2 MB is refused in Hyper-V's words",
    source:
      "kubernetes/minikube#6973 (New-VM: Failed to modify device 'Memory' ... not properly aligned)",
    script: 'Set-VMMemory Db-01 -StartupBytes 1001MB',
    output: record(
      'Set-VMMemory',
      [
        "Failed to modify device 'Memory'.",
        "Invalid memory value assigned for 'Db-01'. Memory values must be properly aligned.",
        `'Db-01' failed to modify device 'Memory'. (Virtual machine ID ${DB_ID})`,
        `Invalid memory value assigned for 'Db-01'. The memory value assigned ('1001' MB) is not properly aligned. Try again with a memory value that is properly aligned. (Virtual machine ID ${DB_ID})`,
      ],
      'Set-VMMemory Db-01 -StartupBytes 1001MB',
      1,
      39,
      'InvalidArgument',
      'InvalidParameter',
      'SetVMMemory',
    ),
    exitCode: 1,
  },
  {
    name: 'Set-VMMemory: Dynamic Memory cannot be turned on while the VM runs',
    source: "hashicorp/packer#8633 (Set-VMMemory: Failed to modify device 'Memory', InvalidState)",
    script: 'Set-VMMemory Web-01 -DynamicMemoryEnabled $true',
    output: record(
      'Set-VMMemory',
      [
        "Failed to modify device 'Memory'.",
        "'Web-01' failed to modify device 'Memory'. (Virtual machine ID 00000000-0000-4000-8000-000000000001)",
      ],
      'Set-VMMemory Web-01 -DynamicMemoryEnabled $true',
      1,
      47,
      'InvalidOperation',
      'InvalidState',
      'SetVMMemory',
    ),
    exitCode: 1,
  },
  {
    name: 'Get-VMProcessor and Set-VMProcessor -Count',
    source: 'Set-VMProcessor reference (example: Set-VMProcessor TestVM -Count 2)',
    script: 'Set-VMProcessor Db-01 -Count 2\nGet-VMProcessor Db-01',
    output: lines(
      '',
      'VMName Count CompatibilityForMigrationEnabled CompatibilityForOlderOperatingSystemsEnabled',
      '------ ----- -------------------------------- --------------------------------------------',
      'Db-01  2     False                            False',
      '',
    ),
    note: "The view's columns are our reading of the Hyper-V module's format view.",
  },
  {
    name: 'Set-VM: processors, Dynamic Memory, notes and automatic actions, with -Passthru',
    source:
      'Set-VM reference (-ProcessorCount -DynamicMemory -MemoryMinimumBytes -MemoryMaximumBytes -Notes -AutomaticStartAction -AutomaticStartDelay -AutomaticStopAction)',
    script: `$vm = Set-VM -Name Db-01 -ProcessorCount 4 -DynamicMemory -MemoryMinimumBytes 256MB -MemoryMaximumBytes 4GB -Notes 'SQL tier' -AutomaticStartAction Start -AutomaticStartDelay 30 -AutomaticStopAction ShutDown -Passthru
"$($vm.ProcessorCount) $($vm.DynamicMemoryEnabled) $($vm.MemoryMinimum / 1MB) $($vm.MemoryMaximum / 1GB)"
"$($vm.Notes); $($vm.AutomaticStartAction) after $($vm.AutomaticStartDelay) s; $($vm.AutomaticStopAction)"`,
    output: lines('4 True 256 4', 'SQL tier; Start after 30 s; ShutDown'),
  },
  {
    name: 'Set-VM -AutomaticStopAction: an unknown value is a binding error',
    source:
      'Set-VM reference (-AutomaticStopAction: TurnOff, Save, ShutDown); ParameterBinderStrings',
    script: 'Set-VM Db-01 -AutomaticStopAction Hibernate',
    output: (result) => {
      expect(result.errors[0]?.message).toContain(
        'Cannot convert value "Hibernate" to type "Microsoft.HyperV.PowerShell.StopAction"',
      );
    },
    exitCode: 1,
  },
  {
    name: "Checkpoint-VM with checkpoints disabled: Hyper-V's four lines with the VM ID",
    source: 'behaviour spec R31 (hashicorp/vagrant#9977)',
    script: 'Set-VM Db-01 -CheckpointType Disabled\nCheckpoint-VM Db-01',
    output: (result) => {
      expect(result.output).toBe(
        lines(
          'Checkpoint-VM : Checkpoint operation failed.',
          'Checkpoints have been disabled.',
          `Checkpoint operation for 'Db-01' failed. (Virtual machine ID ${DB_ID})`,
          `Checkpoints have been disabled for 'Db-01'. (Virtual machine ID ${DB_ID}).`,
          'At line:2 char:1',
          '+ Checkpoint-VM Db-01',
          '+ ~~~~~~~~~~~~~~~~~~~',
          '    + CategoryInfo          : NotSpecified: (:) [Checkpoint-VM], VirtualizationException',
          '    + FullyQualifiedErrorId : OperationFailed,Microsoft.HyperV.PowerShell.Commands.CheckpointVM',
        ),
      );
    },
    exitCode: 1,
    note: 'The CategoryInfo and FullyQualifiedErrorId were not quoted in the transcript.',
  },
];

conformanceSuite('Hyper-V cmdlets: host, memory, processor, Set-VM', cases);

describe('Get-VM Status during a merge', () => {
  test('the property reads "Merging disks"; the percentage is the Hyper-V Manager column\'s (R35)', () => {
    expect(vmStatusProperty('Merging disks (30%)')).toBe('Merging disks');
    expect(vmStatusProperty('Operating normally')).toBe('Operating normally');
  });
});
