/**
 * Conformance: Get-Help and Get-Command -Syntax, ConvertTo-/ConvertFrom-Json, ConvertTo-/
 * ConvertFrom-Csv, Tee-Object, Format-Table, Format-List and Out-String, with the console text
 * Windows PowerShell 5.1 prints. Sources: each cmdlet's reference page (5.1), PowerShell's
 * resource strings (HelpDisplayStrings.resx, HelpErrors.resx) and CsvCommands.cs. The harness
 * host has Web-01 (Running) and Db-01 (Off).
 */
import { expect } from 'vitest';
import { errorRecord } from './errorRecordText.js';
import type { ConformanceCase } from './harness.js';
import { conformanceSuite, lines } from './harness.js';

const helpCases: ConformanceCase[] = [
  {
    name: "Get-Help: NAME, Microsoft's SYNOPSIS, SYNTAX from the parameter sets, ALIASES, REMARKS",
    source:
      'Get-Help reference; Get-VM reference page (synopsis, syntax notation); HelpDisplayStrings.resx',
    script: 'Get-Help Get-VM',
    output: lines(
      '',
      'NAME',
      '    Get-VM',
      '',
      'SYNOPSIS',
      '    Gets the virtual machines from one or more Hyper-V hosts.',
      '',
      '',
      'SYNTAX',
      '    Get-VM [[-Name] <String[]>] [-Id <String>] [-ComputerName <String[]>] [<CommonParameters>]',
      '',
      '',
      'ALIASES',
      '    None',
      '',
      '',
      'REMARKS',
      '    For technical information, type: "get-help Get-VM -full".',
      '',
    ),
    note: 'The layout is our reading of the 5.1 help view; Get-VM has more parameters in Hyper-V (-ComputerName, -CimSession...) than this product supports.',
  },
  {
    name: 'Get-Help -Parameter shows one parameter with its aliases',
    source:
      'Get-Help reference, -Parameter; Checkpoint-VM reference (-SnapshotName alias CheckpointName)',
    script: 'help Checkpoint-VM -Parameter SnapshotName',
    output: lines(
      '',
      '    -SnapshotName <String>',
      '',
      '        Required?                    false',
      '        Position?                    1',
      '        Default value',
      '        Accept pipeline input?       false',
      '        Accept wildcard characters?  false',
      '        Aliases                      CheckpointName',
      '',
    ),
  },
  {
    name: 'Get-Command -Syntax: one line per parameter set',
    source: 'Get-Command reference, -Syntax; Checkpoint-VM reference syntax',
    script: 'Get-Command Checkpoint-VM -Syntax',
    output: lines(
      '',
      'Checkpoint-VM [-Name] <String[]> [[-SnapshotName] <String>] [-Passthru] [-ComputerName <String[]>] [-AsJob] [-WhatIf] [-Confirm] [<CommonParameters>]',
      '',
      'Checkpoint-VM [-VM] <VirtualMachine[]> [[-SnapshotName] <String>] [-Passthru] [-ComputerName <String[]>] [-AsJob] [-WhatIf] [-Confirm] [<CommonParameters>]',
      '',
    ),
  },
  {
    name: 'Get-Help for a topic that does not exist',
    source: 'HelpErrors.resx HelpNotFound',
    script: 'Get-Help Get-Nothing',
    output: errorRecord(
      'Get-Help',
      'Get-Help could not find Get-Nothing in a help file in this session. To download updated help topics type: "Update-Help". To get help online, search for the help topic in the TechNet library at https://go.microsoft.com/fwlink/?LinkID=107116.',
      'Get-Help Get-Nothing',
      1,
      20,
      'ResourceUnavailable: (:) [Get-Help], HelpNotFoundException',
      'HelpNotFound,Microsoft.PowerShell.Commands.GetHelpCommand',
    ),
    exitCode: 1,
  },
  {
    name: 'Get-Help with a wildcard lists the matching commands',
    source: 'Get-Help reference, example "Display help one page at a time" / wildcard names',
    script: 'Get-Help Rename-VM*',
    output: lines(
      '',
      'Name                    Category Module  Synopsis',
      '----                    -------- ------  --------',
      // The synopsis is cut at the 120-column console width with PowerShell 5.1's "...".
      'Rename-VMNetworkAdapter Cmdlet   Hyper-V Renames a virtual network adapter on a virtual machine or on the management ...',
      'Rename-VMSnapshot       Cmdlet   Hyper-V Renames a virtual machine checkpoint.',
      'Rename-VMSwitch         Cmdlet   Hyper-V Renames a virtual switch.',
      '',
    ),
  },
];

const jsonCases: ConformanceCase[] = [
  {
    name: "ConvertTo-Json in 5.1's layout: a colon and two spaces, four-space indents",
    source: 'ConvertTo-Json reference (Windows PowerShell 5.1 examples)',
    script: 'Get-VM | Sort-Object Name | Select-Object Name, Generation | ConvertTo-Json',
    output: lines(
      '[',
      '    {',
      '        "Name":  "Db-01",',
      '        "Generation":  2',
      '    },',
      '    {',
      '        "Name":  "Web-01",',
      '        "Generation":  2',
      '    }',
      ']',
    ),
  },
  {
    name: 'ConvertTo-Json: a nested array lines up under its opening bracket',
    source: 'ConvertTo-Json reference (5.1 output of nested values)',
    script: `'{"Name":"Web-01","Tags":["a","b"]}' | ConvertFrom-Json | ConvertTo-Json`,
    output: lines(
      '{',
      '    "Name":  "Web-01",',
      '    "Tags":  [',
      '                 "a",',
      '                 "b"',
      '             ]',
      '}',
    ),
  },
  {
    name: "ConvertTo-Json -Compress, and JavaScriptSerializer's escapes",
    source: 'ConvertTo-Json reference, -Compress; .NET JavaScriptSerializer',
    script: `ConvertTo-Json -InputObject @(1, 'a<b&c') -Compress`,
    output: lines('[1,"a\\u003cb\\u0026c"]'),
  },
  {
    name: 'ConvertFrom-Json gives custom objects with nested values',
    source: 'ConvertFrom-Json reference',
    script: `$vm = '{"Name":"Web-01","Memory":{"StartupGB":4},"Tags":["a","b"]}' | ConvertFrom-Json\n$vm.Memory.StartupGB\n$vm.Tags.Count`,
    output: lines('4', '2'),
  },
  {
    name: 'ConvertFrom-Json on text that is not JSON',
    source: 'ConvertFrom-Json (5.1, JavaScriptSerializer message)',
    script: `'abc' | ConvertFrom-Json`,
    output: errorRecord(
      'ConvertFrom-Json',
      'Invalid JSON primitive: abc.',
      `'abc' | ConvertFrom-Json`,
      9,
      16,
      'NotSpecified: (:) [ConvertFrom-Json], ArgumentException',
      'System.ArgumentException,Microsoft.PowerShell.Commands.ConvertFromJsonCommand',
    ),
    exitCode: 1,
    note: 'The token named is the first word of the text, not always where JavaScriptSerializer stopped.',
  },
  {
    name: 'ConvertFrom-Json on a document nested thousands deep ends at a limit, not the stack',
    source: 'README "Limits" (this product)',
    script: `('[' * 5000) | ConvertFrom-Json`,
    output: (r) => {
      expect(r.errors[0]?.fullyQualifiedErrorId).toBe(
        'ScriptLimitExceeded,Microsoft.PowerShell.Commands.ConvertFromJsonCommand',
      );
    },
    exitCode: 1,
  },
];

const csvTeeCases: ConformanceCase[] = [
  {
    name: 'Out-File, Export-Csv and Tee-Object -FilePath in a run given no file system say plainly that nothing is written',
    source:
      'this product: runPowerShell without RunOptions.fileSystem (files.test.ts has the real ones)',
    script: `Get-VM | Export-Csv vms.csv -NoTypeInformation\nGet-VM | Out-File vms.txt\nGet-VM | Tee-Object -FilePath vms.txt`,
    output: (r) => {
      expect(r.errors.map((e) => e.fullyQualifiedErrorId)).toEqual([
        'FileSystemNotAvailable,Microsoft.PowerShell.Commands.ExportCsvCommand',
        'FileSystemNotAvailable,Microsoft.PowerShell.Commands.OutFileCommand',
        'FileSystemNotAvailable,Microsoft.PowerShell.Commands.TeeObjectCommand',
      ]);
      expect(r.errors[0]?.message).toBe(
        'Export-Csv cannot reach files in this console: the host gives scripts no file system (a limit of this product, not a PowerShell error).',
      );
    },
    exitCode: 1,
  },
  {
    name: 'ConvertTo-Csv: the #TYPE line (5.1 default), quoted fields, $null as an empty field',
    source: 'ConvertTo-Csv reference (5.1, -NoTypeInformation); CsvCommands.cs',
    script:
      'Get-VM | Sort-Object Name | Select-Object Name, State, ParentSnapshotName | ConvertTo-Csv',
    output: lines(
      '#TYPE System.Management.Automation.PSCustomObject',
      '"Name","State","ParentSnapshotName"',
      '"Db-01","Off",',
      '"Web-01","Running",',
    ),
    note: 'PowerShell names the type Selected.Microsoft.HyperV.PowerShell.VirtualMachine; our Select-Object makes plain custom objects.',
  },
  {
    name: 'ConvertTo-Csv -NoTypeInformation -Delimiter',
    source: 'ConvertTo-Csv reference, -NoTypeInformation, -Delimiter',
    script: `Get-VM -Name Web-01 | Select-Object Name, Generation | ConvertTo-Csv -NoTypeInformation -Delimiter ';'`,
    output: lines('"Name";"Generation"', '"Web-01";"2"'),
  },
  {
    name: 'ConvertFrom-Csv reads quoted fields back as strings',
    source: 'ConvertFrom-Csv reference',
    script: `$rows = 'Name,Note', 'a,"x, ""y"""' | ConvertFrom-Csv\n$rows.Note`,
    output: lines('x, "y"'),
  },
  {
    name: 'ConvertFrom-Csv -Header names the columns',
    source: 'ConvertFrom-Csv reference, -Header',
    script: `'Web-01;Running' | ConvertFrom-Csv -Delimiter ';' -Header Name, State | ForEach-Object State`,
    output: lines('Running'),
  },
  {
    name: 'Tee-Object -Variable keeps the input and passes it on',
    source: 'Tee-Object reference, -Variable',
    script: `Get-VM | Tee-Object -Variable all | Where-Object State -eq Running | ForEach-Object Name\n$all.Count`,
    output: lines('Web-01', '2'),
  },
];

const formatCases: ConformanceCase[] = [
  {
    name: 'Format-Table -HideTableHeaders prints the rows only',
    source: 'Format-Table reference, -HideTableHeaders',
    script: 'Get-VM | Sort-Object Name | Format-Table Name, State -HideTableHeaders',
    output: lines('', 'Db-01  Off', 'Web-01 Running', ''),
  },
  {
    name: 'Format-Table -GroupBy: a table per group under a "   State: <value>" line',
    source: 'Format-Table reference, -GroupBy',
    script: 'Get-VM | Sort-Object State | Format-Table Name, Generation -GroupBy State',
    output: lines(
      '',
      '   State: Off',
      '',
      'Name  Generation',
      '----  ----------',
      'Db-01          2',
      '',
      '',
      '   State: Running',
      '',
      'Name   Generation',
      '----   ----------',
      'Web-01          2',
      '',
    ),
  },
  {
    name: 'Format-List with a wildcard and a script block',
    source: 'Format-List reference, -Property',
    script: 'Get-VM -Name Web-01 | Format-List Name, State*, { $_.Generation * 10 }',
    output: lines(
      '',
      'Name               : Web-01',
      'State              : Running',
      '$_.Generation * 10 : 20',
      '',
      '',
    ),
  },
  {
    name: 'Out-String -Stream gives one string per line',
    source: 'Out-String reference, -Stream',
    script: '(Get-VM | Sort-Object Name | Format-Table Name | Out-String -Stream).Count',
    output: lines('6'),
  },
];

conformanceSuite('Get-Help and Get-Command -Syntax', helpCases);
conformanceSuite('ConvertTo-Json and ConvertFrom-Json', jsonCases);
conformanceSuite('ConvertTo-Csv, ConvertFrom-Csv and Tee-Object', csvTeeCases);
conformanceSuite('Format-Table, Format-List and Out-String', formatCases);
