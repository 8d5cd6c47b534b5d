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
    note: 'the record (OperationStopped, the exception name as id) is how Windows PowerShell 5.1 shows a .NET exception out of an operator; not checked against a transcript of this script',
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

const splatting: ConformanceCase[] = [
  {
    name: 'a hashtable splats as named parameters, an array as positional ones',
    source: 'about_Splatting',
    script: `$p = @{ Name = 'Web-01'; ErrorAction = 'Stop' }
(Get-VM @p).Name
function Show-Pair($First, $Second) { "$First/$Second" }
$list = 'a', 'b'
Show-Pair @list`,
    output: lines('Web-01', 'a/b'),
  },
  {
    name: '@PSBoundParameters passes a function’s own parameters on',
    source:
      'about_Splatting ("Splatting command parameters"), about_Automatic_Variables ($PSBoundParameters)',
    script: `function Get-State { param($Name) (Get-VM @PSBoundParameters).State }
Get-State -Name Db-01`,
    output: lines('Off'),
  },
  {
    name: 'a switch parameter splats from $true',
    source: 'about_Splatting',
    script: `$p = @{ Name = 'Web-01'; Passthru = $true; Confirm = $false }
(Stop-VM @p -TurnOff).State`,
    output: lines('Off'),
  },
  {
    name: 'a splatted variable in an expression is a parse error',
    source: 'ParserStrings.resx SplattingNotPermitted',
    script: `$x = @p`,
    output: lines(
      'At line:1 char:6',
      '+ $x = @p',
      '+      ~~',
      "The splatting operator '@' cannot be used to reference variables in an expression. '@p' can be used only as an argument to a command. To reference variables in an expression use '$p'.",
      '    + CategoryInfo          : ParserError: (:) [], ParentContainsErrorRecordException',
      '    + FullyQualifiedErrorId : SplattingNotPermitted',
    ),
    exitCode: 1,
  },
];

const hereStrings: ConformanceCase[] = [
  {
    name: 'a double-quoted here-string expands, a single-quoted one does not; quotes stay',
    source: 'about_Quoting_Rules (Here-strings)',
    script: `$name = 'Db-01'
@"
VM: $name
  "quoted" $($name.Length)
"@
@'
literal $name ""
'@`,
    output: lines('VM: Db-01', '  "quoted" 5', 'literal $name ""'),
  },
  {
    name: 'text after the here-string header is a parse error',
    source: 'ParserStrings.resx UnexpectedCharactersAfterHereStringHeader',
    script: `@" text
"@`,
    output: lines(
      'At line:1 char:4',
      '+ @" text',
      '+    ~',
      'No characters are allowed after a here-string header but before the end of the line.',
      '    + CategoryInfo          : ParserError: (:) [], ParentContainsErrorRecordException',
      '    + FullyQualifiedErrorId : UnexpectedCharactersAfterHereStringHeader',
    ),
    exitCode: 1,
  },
];

const operators: ConformanceCase[] = [
  {
    name: 'the format operator: N2, alignment, D3, X, P and a date',
    source: 'about_Operators (Format operator -f); .NET standard numeric and custom date formats',
    script: `'{0:N2}|{1,5}|{2,-4}|{3:D3}|{4:X}|{5:P}|{6:yyyy-MM-dd}' -f 3.14159, 42, 'ab', 7, 255, 0.1234, [datetime]'2024-03-09'
'{0:N2}' -f 1234567.891
'{0:N2}' -f 2.675
'{0:0.0}GB' -f (4GB / 1GB)
'{{literal}} {0}' -f 'x'`,
    output: lines(
      '3.14|   42|ab  |007|FF|12.34 %|2024-03-09',
      '1,234,567.89',
      '2.68',
      '4.0GB',
      '{literal} x',
    ),
    note: '2.68: .NET Framework rounds the 15-digit form of 2.675 half away from zero',
  },
  {
    name: 'a format item beyond the arguments is FormatError',
    source: 'ExtendedTypeSystem.resx FormatError; .NET String.Format',
    script: `'{0} {1}' -f 1`,
    output: lines(
      'Error formatting a string: Index (zero based) must be greater than or equal to zero and less than the size of the argument list..',
      'At line:1 char:1',
      "+ '{0} {1}' -f 1",
      '+ ~~~~~~~~~~~~~~',
      '    + CategoryInfo          : InvalidOperation: ({0} {1}:String) [], RuntimeException',
      '    + FullyQualifiedErrorId : FormatError',
    ),
    exitCode: 1,
  },
  {
    name: 'case-sensitive and case-insensitive forms of the containment and equality operators',
    source: 'about_Comparison_Operators (-c and -i prefixes)',
    script: `'a', 'b' -ccontains 'A'
'a', 'b' -contains 'A'
'a', 'b' -icontains 'A'
'A' -cin 'a', 'b'
'A' -cnotin 'a', 'b'
'Web' -ceq 'web'
'Web' -ieq 'web'
'a', 'A', 'b' -ceq 'A'
'B' -cgt 'a'`,
    output: lines('False', 'True', 'True', 'False', 'True', 'False', 'True', 'A', 'True'),
  },
  {
    name: '-is, -isnot and -as',
    source: 'about_Type_Operators',
    script: `5 -is [int]
'5' -is [int]
(Get-VM -Name Web-01) -is [Microsoft.HyperV.PowerShell.VirtualMachine]
@{} -is [hashtable]
3 -isnot [string]
('5' -as [int]) + 1
$null -eq ('x' -as [int])`,
    output: lines('True', 'False', 'True', 'True', 'True', '6', 'True'),
  },
  {
    name: '-join, unary -join and -split, negation',
    source: 'about_Join, about_Split, about_Arithmetic_Operators',
    script: `(Get-VM | Sort-Object Name).Name -join ', '
-join ('x', 'y')
(-split ' a  b c ').Count
$x = 4
-$x
-(2 + 3)`,
    output: lines('Db-01, Web-01', 'xy', '3', '-4', '-5'),
  },
];

conformanceSuite('hashtables', hashtables);
conformanceSuite('splatting', splatting);
conformanceSuite('here-strings', hereStrings);
conformanceSuite('operators', operators);
