/**
 * Conformance: the utility cmdlets (Select-Object, Sort-Object, Group-Object, Measure-Object,
 * ForEach-Object, Where-Object, Get-Date, Get-Member) with the console text Windows PowerShell 5.1
 * prints. Sources: each cmdlet's reference page on learn.microsoft.com (Microsoft.PowerShell.Utility
 * 5.1), PowerShell's resource strings (SelectObjectStrings.resx, MeasureObjectStrings.resx,
 * GetMember.resx) and its default views (PowerShellCore_format_ps1xml.cs). The harness host has
 * Web-01 (Running) and Db-01 (Off). Get-Help, JSON, CSV and Format-* are in utilityOutput.test.ts.
 */
import { expect } from 'vitest';
import { errorRecord } from './errorRecordText.js';
import type { ConformanceCase } from './harness.js';
import { conformanceSuite, lines } from './harness.js';

const selectCases: ConformanceCase[] = [
  {
    name: 'Select-Object -First, -Last and -Skip (with -Last, -Skip counts from the end)',
    source: 'Select-Object reference, -Skip',
    script: `1..10 | Select-Object -First 2\n1..10 | Select-Object -Skip 8\n1..10 | Select-Object -Last 3 -Skip 1`,
    output: lines('1', '2', '9', '10', '7', '8', '9'),
  },
  {
    name: 'Select-Object -Index picks items by position, in input order',
    source: 'Select-Object reference, -Index',
    script: `'a','b','c','d' | Select-Object -Index 3, 1`,
    output: lines('b', 'd'),
  },
  {
    name: 'Select-Object -Unique compares strings case-sensitively',
    source: 'Select-Object reference, -Unique; PowerShell/PowerShell#12059',
    script: `'a','A','a','b' | Select-Object -Unique`,
    output: lines('a', 'A', 'b'),
  },
  {
    name: 'Select-Object -Unique compares objects without case',
    source: 'PowerShell/PowerShell#12059 (5.1 and 7)',
    script: `'[{"Name":"derp"},{"Name":"Derp"}]' | ConvertFrom-Json | Select-Object -Unique | ForEach-Object Name`,
    output: lines('derp'),
  },
  {
    name: 'Select-Object -Property with a wildcard keeps the object order of the properties',
    source: 'Select-Object reference, -Property',
    script: `Get-VM -Name Web-01 | Select-Object Name, MemoryS*`,
    output: lines('', 'Name   MemoryStartup', '----   -------------', 'Web-01     536870912', ''),
  },
  {
    name: 'Select-Object -ExcludeProperty takes properties out of the -Property selection',
    source: 'Select-Object reference, -ExcludeProperty',
    script: `Get-VM -Name Web-01 | Select-Object Name, Memory* -ExcludeProperty MemoryAssigned, MemoryM*imum`,
    output: lines('', 'Name   MemoryStartup', '----   -------------', 'Web-01     536870912', ''),
  },
  {
    name: 'Select-Object -ExpandProperty outputs the value itself',
    source: 'Select-Object reference, -ExpandProperty',
    script: `Get-VM | Sort-Object Name | Select-Object -ExpandProperty Name`,
    output: lines('Db-01', 'Web-01'),
  },
  {
    name: 'Select-Object -ExpandProperty of a property an object lacks',
    source: 'SelectObjectStrings.resx PropertyNotFound; Select-Object reference',
    script: `'x' | Select-Object -ExpandProperty Nope`,
    output: errorRecord(
      'Select-Object',
      'Property "Nope" cannot be found.',
      `'x' | Select-Object -ExpandProperty Nope`,
      7,
      34,
      'InvalidArgument: (x:String) [Select-Object], PSArgumentException',
      'ExpandPropertyNotFound,Microsoft.PowerShell.Commands.SelectObjectCommand',
    ),
    exitCode: 1,
  },
];

const sortCases: ConformanceCase[] = [
  {
    name: 'Sort-Object on two keys: State, then Name',
    source: 'Sort-Object reference, -Property',
    script: `Get-VM | Sort-Object State, Name | ForEach-Object { "$($_.State) $($_.Name)" }`,
    output: lines('Off Db-01', 'Running Web-01'),
  },
  {
    name: 'Sort-Object -Descending and -Unique (case-insensitive)',
    source: 'Sort-Object reference, -Unique',
    script: `'b','a','B','c' | Sort-Object -Unique -Descending`,
    output: lines('c', 'b', 'a'),
  },
  {
    name: 'Sort-Object -CaseSensitive puts the lowercase letter first',
    source: 'Sort-Object reference, -CaseSensitive',
    script: `'B','b','a' | Sort-Object -CaseSensitive`,
    output: lines('a', 'b', 'B'),
    note: 'The order of b and B is the en-US culture order (lowercase first); our reading.',
  },
  {
    name: 'Sort-Object sorts numbers as numbers',
    source: 'Sort-Object reference',
    script: `10, 9, 100 | Sort-Object`,
    output: lines('9', '10', '100'),
  },
];

const groupMeasureCases: ConformanceCase[] = [
  {
    name: 'Measure-Object -Maximum -Minimum on strings compares them',
    source: 'Measure-Object reference; PowerShell/PowerShell#13422 (IComparable input since 3.0)',
    script: `$m = 'pear', 'apple', 'fig' | Measure-Object -Maximum -Minimum\n$m.Maximum\n$m.Minimum`,
    output: lines('pear', 'apple'),
  },
  {
    name: 'Group-Object: Count (right-aligned, 5 wide), Name (25 wide), Group',
    source: 'Group-Object reference; PowerShellCore_format_ps1xml.cs GroupInfo view',
    script: `'a','b','A' | Group-Object`,
    output: lines(
      '',
      'Count Name                      Group',
      '----- ----                      -----',
      '    2 a                         {a, A}',
      '    1 b                         {b}',
      '',
    ),
  },
  {
    name: 'Group-Object -NoElement',
    source: 'Group-Object reference, -NoElement; GroupInfoNoElement view',
    script: `Get-VM | Sort-Object Name | Group-Object State -NoElement`,
    output: lines('', 'Count Name', '----- ----', '    1 Off', '    1 Running', ''),
  },
  {
    name: 'Group-Object -CaseSensitive keeps a and A apart',
    source: 'Group-Object reference, -CaseSensitive',
    script: `('a','b','A' | Group-Object -CaseSensitive).Count`,
    output: lines('3'),
  },
  {
    name: 'Group-Object -AsHashTable: a group by its value',
    source: 'Group-Object reference, -AsHashTable',
    script: `$byState = Get-VM | Group-Object State -AsHashTable\n$byState.Running.Name`,
    output: lines('Web-01'),
  },
  {
    name: 'Measure-Object -Sum -Average -Maximum -Minimum: the GenericMeasureInfo list view',
    source: 'Measure-Object reference; GenericMeasureInfo view (PowerShellCore_format_ps1xml.cs)',
    script: `1, 2, 3, 4 | Measure-Object -Sum -Average -Maximum -Minimum`,
    output: lines(
      '',
      'Count    : 4',
      'Average  : 2.5',
      'Sum      : 10',
      'Maximum  : 4',
      'Minimum  : 1',
      'Property :',
      '',
      '',
    ),
  },
  {
    name: 'Measure-Object with two properties gives one result each',
    source: 'Measure-Object reference, -Property',
    script: `(Get-VM | Measure-Object -Property MemoryStartup, Generation -Sum).Sum`,
    output: lines('1073741824', '4'),
  },
  {
    name: 'Measure-Object -Line -Word -Character: the TextMeasureInfo table',
    source: 'Measure-Object reference, example "Measure text"; TextMeasureInfo view',
    script: `"one two three", "four" | Measure-Object -Line -Word -Character`,
    output: lines(
      '',
      'Lines Words Characters Property',
      '----- ----- ---------- --------',
      '    2     4         17',
      '',
    ),
  },
  {
    name: 'Measure-Object on a property no input has',
    source: 'MeasureObjectStrings.resx PropertyNotFound',
    script: `Get-VM | Measure-Object -Property Nope`,
    output: errorRecord(
      'Measure-Object',
      'The property "Nope" cannot be found in the input for any objects.',
      'Get-VM | Measure-Object -Property Nope',
      10,
      29,
      'InvalidArgument: (:) [Measure-Object], PSArgumentException',
      'GenericMeasurePropertyNotFound,Microsoft.PowerShell.Commands.MeasureObjectCommand',
    ),
    exitCode: 1,
  },
  {
    name: 'Measure-Object -Sum on text',
    source: 'MeasureObjectStrings.resx NonNumericInputObject',
    script: `'x' | Measure-Object -Sum | Out-Null`,
    output: errorRecord(
      'Measure-Object',
      'Input object "x" is not numeric.',
      `'x' | Measure-Object -Sum | Out-Null`,
      7,
      19,
      'InvalidType: (x:String) [Measure-Object], PSInvalidOperationException',
      'NonNumericInputObject,Microsoft.PowerShell.Commands.MeasureObjectCommand',
    ),
    exitCode: 1,
  },
];

const forEachCases: ConformanceCase[] = [
  {
    name: 'ForEach-Object -MemberName with a name that is no member gives nothing (no strict mode)',
    source:
      'PowerShell InternalCommands.cs ForEachObjectCommand (PropertyOrMethodNotFound only under Set-StrictMode -Version 2)',
    script: `Get-VM | ForEach-Object Nope\n'done'`,
    output: lines('done'),
  },
  {
    name: 'ForEach-Object -Begin -Process -End',
    source: 'ForEach-Object reference, example "Use Begin, Process and End script blocks"',
    script: `1..3 | ForEach-Object -Begin { 'start' } -Process { $_ * 2 } -End { 'end' }`,
    output: lines('start', '2', '4', '6', 'end'),
  },
  {
    name: 'ForEach-Object -MemberName reads a property or calls a method',
    source: 'ForEach-Object reference, -MemberName',
    script: `Get-VM | Sort-Object Name | ForEach-Object Name\n'ab' | ForEach-Object ToUpper`,
    output: lines('Db-01', 'Web-01', 'AB'),
  },
  {
    name: 'Where-Object simplified syntax',
    source: 'Where-Object reference, "Comparison statement"',
    script: `Get-VM | Where-Object State -eq Running | ForEach-Object Name`,
    output: lines('Web-01'),
  },
];

const at = `-Date '2026-12-06T15:54:53.123'`;
const dateCases: ConformanceCase[] = [
  {
    name: 'Get-Date -Format with .NET custom specifiers',
    source: 'Get-Date reference, -Format; .NET "Custom date and time format strings"',
    script: `Get-Date ${at} -Format 'yyyy-MM-dd HH:mm:ss.fff'\nGet-Date ${at} -Format 'ddd dddd MMM MMMM h tt'\nGet-Date ${at} -Format yyyy`,
    output: lines('2026-12-06 15:54:53.123', 'Sun Sunday Dec December 3 PM', '2026'),
  },
  {
    name: 'Get-Date -Format with the en-US standard formats',
    source: '.NET "Standard date and time format strings" (en-US patterns)',
    script: `'d','D','t','T','g','G','s','u','f','F','M','Y' | ForEach-Object { Get-Date ${at} -Format $_ }`,
    output: lines(
      '12/6/2026',
      'Sunday, December 6, 2026',
      '3:54 PM',
      '3:54:53 PM',
      '12/6/2026 3:54 PM',
      '12/6/2026 3:54:53 PM',
      '2026-12-06T15:54:53',
      '2026-12-06 15:54:53Z',
      'Sunday, December 6, 2026 3:54 PM',
      'Sunday, December 6, 2026 3:54:53 PM',
      'December 6',
      'December 2026',
    ),
  },
  {
    name: 'Get-Date -UFormat',
    source: 'Get-Date reference, -UFormat specifiers',
    script: `Get-Date ${at} -UFormat '%Y/%m/%d %A %j %H:%M:%S'`,
    output: lines('2026/12/06 Sunday 340 15:54:53'),
  },
  {
    name: 'a DateTime prints as the long date and long time',
    source: 'Get-Date reference, example 1 (en-US)',
    script: `Get-Date -Date '12/6/2026 3:54:53 PM'`,
    output: lines('', 'Sunday, December 6, 2026 3:54:53 PM', ''),
  },
  {
    name: 'Get-Date -Year -Month -Day replace parts of the date',
    source: 'Get-Date reference, -Year, -Month, -Day',
    script: `Get-Date ${at} -Year 2020 -Month 1 -Day 2 -Format d\n(Get-Date ${at}).Year`,
    output: lines('1/2/2020', '2026'),
  },
  {
    name: 'Get-Date -Date with text that is not a date',
    source: 'ParameterBinderStrings.resx CannotConvertArgumentNoMessage; .NET FormatException text',
    script: `Get-Date -Date 'someday'`,
    output: (r) => {
      expect(r.errors[0]?.message).toBe(
        `Cannot bind parameter 'Date'. Cannot convert value "someday" to type "System.DateTime". Error: "String was not recognized as a valid DateTime."`,
      );
      expect(r.errors[0]?.fullyQualifiedErrorId).toBe(
        'CannotConvertArgumentNoMessage,Microsoft.PowerShell.Commands.GetDateCommand',
      );
    },
    exitCode: 1,
    note: 'PowerShell underlines the argument; we underline the command.',
  },
];

const memberCases: ConformanceCase[] = [
  {
    name: 'Get-Member: the TypeName line and the Name/MemberType/Definition table',
    source: 'Get-Member reference; MemberDefinition view (PowerShellCore_format_ps1xml.cs)',
    script: `'x' | Get-Member -MemberType Property`,
    output: lines(
      '',
      '   TypeName: System.String',
      '',
      'Name   MemberType Definition',
      '----   ---------- ----------',
      'Length Property   int Length {get;}',
      '',
    ),
  },
  {
    name: 'Get-Member on Select-Object output lists note properties with their values',
    source: 'Get-Member reference, -MemberType NoteProperty',
    script: `Get-VM -Name Web-01 | Select-Object Name, State | Get-Member -MemberType NoteProperty`,
    output: lines(
      '',
      '   TypeName: System.Management.Automation.PSCustomObject',
      '',
      'Name  MemberType   Definition',
      '----  ----------   ----------',
      'Name  NoteProperty string Name=Web-01',
      'State NoteProperty string State=Running',
      '',
    ),
    note: 'PowerShell names the type Selected.Microsoft.HyperV.PowerShell.VirtualMachine and types State as VMState; our Select-Object makes plain custom objects.',
  },
  {
    name: 'Get-Member on a VM: its type and real property names',
    source: 'Get-Member reference; Hyper-V module VirtualMachine class [B]',
    script: `Get-VM -Name Web-01 | Get-Member -Name State, Mem*, VMName`,
    output: lines(
      '',
      '   TypeName: Microsoft.HyperV.PowerShell.VirtualMachine',
      '',
      'Name           MemberType    Definition',
      '----           ----------    ----------',
      'VMName         AliasProperty VMName = Name',
      'MemoryAssigned Property      long MemoryAssigned {get;}',
      'MemoryMaximum  Property      long MemoryMaximum {get;}',
      'MemoryMinimum  Property      long MemoryMinimum {get;}',
      'MemoryStartup  Property      long MemoryStartup {get;}',
      'State          Property      Microsoft.HyperV.PowerShell.VMState State {get;}',
      '',
    ),
  },
  {
    name: 'Get-Member with no input',
    source: 'GetMember.resx NoObjectSpecified',
    script: 'Get-Member',
    output: errorRecord(
      'Get-Member',
      'You must specify an object for the Get-Member cmdlet.',
      'Get-Member',
      1,
      10,
      'CloseError: (:) [Get-Member], InvalidOperationException',
      'NoObjectInGetMember,Microsoft.PowerShell.Commands.GetMemberCommand',
    ),
    exitCode: 1,
  },
];

conformanceSuite('Select-Object', selectCases);
conformanceSuite('Sort-Object', sortCases);
conformanceSuite('Group-Object and Measure-Object', groupMeasureCases);
conformanceSuite('ForEach-Object and Where-Object', forEachCases);
conformanceSuite('Get-Date', dateCases);
conformanceSuite('Get-Member', memberCases);
