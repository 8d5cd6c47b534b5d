/**
 * Conformance of casts, static members and .NET methods (about_Type_Conversion,
 * about_Type_Accelerators, and the .NET API reference of String, DateTime, TimeSpan, Math, Guid),
 * with the console text Windows PowerShell 5.1 (.NET Framework, en-US) prints.
 */
import type { ConformanceCase } from './harness.js';
import { conformanceSuite, lines } from './harness.js';

const cases: ConformanceCase[] = [
  {
    name: 'casts to numbers, strings, arrays and typed variables',
    source: 'about_Type_Conversion, about_Variables (type-constrained variables)',
    script: `[int]'42' + 1
[long]7.5
[double]'2.5' * 2
[string[]]$names = 'a'
$names.Count
[int[]]('1', '2') | ForEach-Object { $_ * 10 }
[int]$n = '7'
$n + 1
[bool]'' ; [bool]'x'`,
    output: lines('43', '8', '5', '1', '10', '20', '8', 'False', 'True'),
  },
  {
    name: 'doubles print with 15 significant digits',
    source: '.NET Framework Double.ToString() (15 digits), as Windows PowerShell 5.1 prints',
    script: `1/3\n0.1 + 0.2\n2/3`,
    output: lines('0.333333333333333', '0.3', '0.666666666666667'),
  },
  {
    name: 'a cast to a type PowerShell does not know',
    source: 'ParserStrings.resx TypeNotFound',
    script: `[NoSuchType]1`,
    output: lines(
      'Unable to find type [NoSuchType].',
      'At line:1 char:1',
      '+ [NoSuchType]1',
      '+ ~~~~~~~~~~~~~',
      '    + CategoryInfo          : InvalidOperation: (NoSuchType:TypeName) [], RuntimeException',
      '    + FullyQualifiedErrorId : TypeNotFound',
    ),
    exitCode: 1,
  },
  {
    name: '[math] rounds halves to even, [string] and [timespan] static methods',
    source:
      'System.Math.Round (MidpointRounding.ToEven), String.IsNullOrEmpty, String.Join, TimeSpan.FromMinutes',
    script: `[math]::Round(2.5)
[math]::Round(3.5)
[math]::Round(3.14159, 2)
[math]::Floor(2.7)
[math]::Max(3, 9)
[string]::IsNullOrEmpty('')
[string]::Join('-', @('a', 'b'))
[timespan]::FromMinutes(90).TotalHours
[datetime]::Now -is [datetime]
([guid]::NewGuid()).ToString().Length`,
    output: lines('2', '4', '3.14', '2', '9', 'True', 'a-b', '1.5', 'True', '36'),
  },
  {
    name: 'string methods',
    source:
      '.NET String reference (Split(char[]), Trim, Substring, PadLeft, IndexOf, Replace, StartsWith)',
    script: `'a,b c'.Split(', ')
'  x  '.Trim() + '|'
'Web-01'.Substring(4)
'7'.PadLeft(3, '0')
'Web-01'.IndexOf('-')
'Web-01'.Replace('01', '02')
'Web-01'.ToUpper().StartsWith('WEB')`,
    output: lines('a', 'b', 'c', 'x|', '01', '007', '3', 'Web-02', 'True'),
  },
  {
    name: 'a .NET exception in a method is MethodInvocationException',
    source: 'ExtendedTypeSystem.resx MethodInvocationException; .NET String.Substring',
    note: '.NET Framework ends the first line of its message with \r\n; the console text here uses \n',
    script: `'Web'.Substring(10)`,
    output: lines(
      'Exception calling "Substring" with "1" argument(s): "startIndex cannot be larger than length of string.',
      'Parameter name: startIndex"',
      'At line:1 char:1',
      "+ 'Web'.Substring(10)",
      '+ ~~~~~~~~~~~~~~~~~~~',
      '    + CategoryInfo          : NotSpecified: (:) [], MethodInvocationException',
      '    + FullyQualifiedErrorId : ArgumentOutOfRangeException',
    ),
    exitCode: 1,
  },
  {
    name: 'DateTime methods and arithmetic',
    source: '.NET DateTime reference (AddMonths, ToString(format), DayOfWeek, Subtract, operators)',
    script: `$d = [datetime]'2024-01-31 10:00'
$d.AddMonths(1).ToString('yyyy-MM-dd')
$d.ToString('dd/MM/yyyy HH:mm')
$d.DayOfWeek
($d.AddDays(2) - $d).TotalHours
$d.AddDays(2).Subtract($d).Days
($d + [timespan]'01:30:00').ToString('HH:mm')`,
    output: lines('2024-02-29', '31/01/2024 10:00', 'Wednesday', '48', '2', '11:30'),
  },
  {
    name: 'a TimeSpan prints with seven fraction digits when it has a fraction',
    source: 'Behaviour spec 6.8 (Uptime 00:03:07.0560000); .NET TimeSpan.ToString("c")',
    script: `"$([timespan]'01:08:27.881')"
"$([timespan]::FromMinutes(90))"
([timespan]'1.02:03:04').ToString('hh\\:mm')`,
    output: lines('01:08:27.8810000', '01:30:00', '02:03'),
  },
  {
    name: 'array Contains and IndexOf compare with their case',
    source: '.NET Array (IList.Contains, Array.IndexOf)',
    script: `$a = 'Web-01', 'Db-01'\n$a.Contains('Db-01')\n$a.Contains('db-01')\n$a.IndexOf('Db-01')`,
    output: lines('True', 'False', '1'),
  },
  {
    name: 'the Where and ForEach methods of every collection',
    source: 'about_Arrays (Where and ForEach methods)',
    script: `(Get-VM).Where({ $_.State -eq 'Running' }).Name
('a', 'b').ForEach({ $_.ToUpper() })
(Get-VM | Sort-Object Name).ForEach('Name')
(1..10).Where({ $_ -gt 3 }, 'First', 2)`,
    output: lines('Web-01', 'A', 'B', 'Db-01', 'Web-01', '4', '5'),
  },
];

conformanceSuite('casts, static members and methods', cases);
