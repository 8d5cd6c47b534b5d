/**
 * Conformance of the shell language: hashtables, splatting, here-strings, the format and type
 * operators, switch, loop labels, trap, advanced functions, casts and static members. Each case
 * names its source (an about_* topic, PowerShell's resource strings, a .NET reference page); where
 * the expected text is our reading of the documentation rather than a transcript, `note` says so.
 */
import type { ConformanceCase } from './harness.js';
import { conformanceSuite, lines } from './harness.js';

/** A hashtable's default table (DotNetTypes.format.ps1xml: Name 30 wide, then Value). */
const nameValue = (...rows: [string, string][]): string =>
  lines(
    '',
    `${'Name'.padEnd(30)} Value`,
    `${'----'.padEnd(30)} -----`,
    ...rows.map(([n, v]) => `${n.padEnd(30)} ${v}`.trimEnd()),
    '',
  );

const hashtables: ConformanceCase[] = [
  {
    name: 'a hashtable prints as a Name/Value table',
    source: 'about_Hash_Tables (Creating hash tables, Displaying hash tables)',
    script: `$vm = @{ Name = 'Web-01' }\n$vm`,
    output: nameValue(['Name', 'Web-01']),
  },
  {
    name: 'keys are read without case, by index, by member, Keys, Values and Count',
    source: 'about_Hash_Tables',
    script: `$h = [ordered]@{ Name = 'Web-01'; Memory = 4GB }
$h['name']
$h.MEMORY
$h.Count
$h.Keys -join ','
$h.Values -join ','
$h.ContainsKey('NAME')`,
    output: lines('Web-01', '4294967296', '2', 'Name,Memory', 'Web-01,4294967296', 'True'),
  },
  {
    name: 'keys are added by assignment, Add, += on a value, and removed with Remove',
    source: 'about_Hash_Tables (Adding and removing keys and values)',
    script: `$h = [ordered]@{}
$h.Name = 'Db-01'
$h['Count'] = 1
$h.Count += 2
$h.Add('Owner', 'ops')
$h.Remove('Name')
$h`,
    output: nameValue(['Count', '3'], ['Owner', 'ops']),
  },
  {
    name: 'Add of a key already there is .NET ArgumentException inside MethodInvocationException',
    source: 'ExtendedTypeSystem.resx MethodInvocationException; .NET Framework Hashtable.Add',
    script: `$h = @{ a = 1 }\n$h.Add('A', 2)\n'next'`,
    output: lines(
      `Exception calling "Add" with "2" argument(s): "Item has already been added. Key in dictionary: 'a'  Key being added: 'A'"`,
      'At line:2 char:1',
      "+ $h.Add('A', 2)",
      '+ ~~~~~~~~~~~~~~',
      '    + CategoryInfo          : NotSpecified: (:) [], MethodInvocationException',
      '    + FullyQualifiedErrorId : ArgumentException',
      'next',
    ),
  },
  {
    name: 'GetEnumerator gives the pairs to the pipeline',
    source: 'about_Hash_Tables (Sorting keys and values)',
    script: `$h = [ordered]@{ b = 2; a = 1 }
$h.GetEnumerator() | Sort-Object Name | ForEach-Object { "$($_.Name)=$($_.Value)" }`,
    output: lines('a=1', 'b=2'),
  },
  {
    name: '[pscustomobject] keeps the order of the literal',
    source: 'about_PSCustomObject',
    script: `$o = [pscustomobject]@{ VM = 'Web-01'; State = 'Running' }\n$o\n$o.State`,
    output: lines('', 'VM     State', '--     -----', 'Web-01 Running', '', 'Running'),
  },
  {
    name: 'two hashtables add into one; a key in both is an error',
    source: 'about_Hash_Tables (Adding hash tables)',
    script: `$a = [ordered]@{ x = 1 } + @{ y = 2 }\n$a.Count\n$b = @{ x = 1 } + @{ X = 3 }`,
    output: lines(
      '2',
      "Item has already been added. Key in dictionary: 'x'  Key being added: 'X'",
      'At line:3 char:1',
      '+ $b = @{ x = 1 } + @{ X = 3 }',
      '+ ~~~~~~~~~~~~~~~~~~~~~~~~~~~~',
      '    + CategoryInfo          : OperationStopped: (:) [], ArgumentException',
      '    + FullyQualifiedErrorId : System.ArgumentException',
    ),
    exitCode: 1,
  },
  {
    name: 'a duplicate key in a literal is a parse error',
    source: 'ParserStrings.resx DuplicateKeyInHashLiteral',
    script: `@{ a = 1; A = 2 }`,
    output: lines(
      'At line:1 char:11',
      '+ @{ a = 1; A = 2 }',
      '+           ~',
      "Duplicate keys 'A' are not allowed in hash literals.",
      '    + CategoryInfo          : ParserError: (:) [], ParentContainsErrorRecordException',
      '    + FullyQualifiedErrorId : DuplicateKeyInHashLiteral',
    ),
    exitCode: 1,
  },
  {
    name: '$Matches is a hashtable after a scalar -match',
    source: 'about_Automatic_Variables ($Matches)',
    script: `if ('Web-01' -match '(?<role>\\w+)-(\\d+)') { $Matches.role; $Matches[1]; $Matches[0] }`,
    output: lines('Web', '01', 'Web-01'),
  },
];

conformanceSuite('hashtables', hashtables);
