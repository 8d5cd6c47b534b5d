/**
 * Conformance: the grammar's valid forms run as Windows PowerShell 5.1 runs them (how the cases are
 * built and where their sources come from: grammarSupport.ts).
 */
import { lines } from './harness.js';
import { suite, type GrammarCase } from './grammarSupport.js';

const validCases: GrammarCase[] = [
  {
    name: 'a pipeline continues on the next line after a trailing |',
    source: 'about_Parsing (line continuation), about_Pipelines',
    script: 'Get-VM |\n  Sort-Object Name |\n  Select-Object -ExpandProperty Name',
    output: lines('Db-01', 'Web-01'),
  },
  {
    name: 'a backtick at the end of a line continues the command',
    source: 'about_Special_Characters (line continuation), about_Parsing',
    script: 'Get-VM `\n  -Name Web-01 |\n  Select-Object -ExpandProperty Name',
    output: lines('Web-01'),
  },
  {
    name: 'line, block, inline and trailing comments are skipped',
    source: 'about_Comments',
    script: `# list the VMs
<# a block comment
   over two lines #>
(Get-VM | Measure-Object).Count # how many
Get-VM <# which one #> -Name Db-01 | Select-Object -ExpandProperty Name`,
    output: lines('2', 'Db-01'),
  },
  {
    name: 'semicolons separate statements; empty statements are skipped',
    source: 'about_Parsing; Parser.cs StatementListRule skips new lines and semicolons',
    script: ";'a';'b' ; ;'c';",
    output: lines('a', 'b', 'c'),
  },
  {
    name: 'blank lines, indentation and Windows line endings',
    source: 'about_Parsing',
    script: "\r\n  'a'\r\n\r\n\t'b'  \r\n",
    output: lines('a', 'b'),
  },
  {
    name: 'if, elseif and else with braces on their own lines',
    source: 'about_If',
    script: "if ($false)\n{\n  'no'\n}\nelseif ($true)\n{\n  'elseif'\n}\nelse\n{\n  'no'\n}",
    output: lines('elseif'),
  },
  {
    name: 'a statement may follow an if, foreach or try block on the same line',
    source:
      'Parser.cs StatementRule: only pipelines and flow statements need a terminator (statement-terminator in the grammar)',
    script: "if ($true) { 'a' } 'b'\nforeach ($n in 1) { $n } 'c'",
    output: lines('a', 'b', '1', 'c'),
  },
  {
    name: 'foreach, for and while with the block on the next line',
    source: 'about_Foreach, about_For, about_While',
    script:
      'foreach ($n in 1..2)\n{\n  "n=$n"\n}\nfor ($i = 0; $i -lt 2; $i++)\n{\n  "i=$i"\n}\n$w = 0\nwhile ($w -lt 1)\n{\n  $w++\n}\n$w',
    output: lines('n=1', 'n=2', 'i=0', 'i=1', '1'),
  },
  {
    name: 'do with while on the line after the block',
    source: 'about_Do; Parser.cs DoWhileStatementRule skips new lines before while/until',
    script: '$i = 0\ndo\n{\n  $i++\n}\nwhile ($i -lt 3)\n$i',
    output: lines('3'),
  },
  {
    name: 'try, catch and finally each on their own lines',
    source: 'about_Try_Catch_Finally',
    script: "try\n{\n  throw 'x'\n}\ncatch\n{\n  'caught'\n}\nfinally\n{\n  'finally'\n}",
    output: lines('caught', 'finally'),
  },
  {
    name: 'a function whose param() block spans lines, with a comment inside',
    source: 'about_Functions, about_Comments',
    script:
      'function Get-Double\n{\n  param(\n    # the number\n    [int]$Value = 2\n  )\n  $Value * 2\n}\nGet-Double\nGet-Double -Value 5',
    output: lines('4', '10'),
  },
  {
    name: 'a condition continues on the next line after -and',
    source: 'about_Parsing (an operator at the end of a line continues the expression)',
    script:
      "if ((Get-VM -Name Web-01).State -eq 'Running' -and\n    (Get-VM -Name Db-01).State -eq 'Off') { 'both' }",
    output: lines('both'),
  },
  {
    name: 'an array continues on the next line after a comma',
    source: 'about_Arrays, about_Parsing',
    script: "$names = 'a',\n  'b',\n  'c'\n$names.Count",
    output: lines('3'),
  },
  {
    name: 'a pipeline in parentheses spans lines',
    source: 'about_Parsing',
    script: "(Get-VM |\n  Where-Object { $_.State -eq 'Off' }).Name",
    output: lines('Db-01'),
  },
  {
    name: 'a script block spans lines',
    source: 'about_Script_Blocks',
    script: 'Get-VM | Sort-Object Name | ForEach-Object {\n  $_.Name.ToUpper()\n}',
    output: lines('DB-01', 'WEB-01'),
  },
  {
    name: 'binary operators need no space after them',
    source: 'about_Arithmetic_Operators (spaces around operators are optional)',
    script: '$a = 6\n$a /3\n$a *2\n$a %4\n$a +1\n$a -1',
    output: lines('2', '12', '2', '7', '5'),
  },
  {
    name: 'a cast applies to a script block too',
    source: 'about_Operators (cast operator [type]); PowerShell parses [type]{...} as a cast',
    script: '$b = [scriptblock]{ 1 }\n& $b',
    output: lines('1'),
  },
  {
    name: 'a multi-line block comment inside a pipeline',
    source: 'about_Comments',
    script:
      'Get-VM <# the VMs,\n sorted #> | Sort-Object Name | Select-Object -First 1 -ExpandProperty Name',
    output: lines('Db-01'),
  },
  {
    name: '# inside a string or inside a bareword is not a comment',
    source: 'about_Comments (a comment starts a token), about_Quoting_Rules',
    script: '\'a # not a comment\'\n"<# not a comment #>"\nWrite-Output a#b',
    output: lines('a # not a comment', '<# not a comment #>', 'a#b'),
  },
  {
    name: 'a backtick escape in a double-quoted string',
    source: 'about_Special_Characters (`t)',
    script: '"a`tb"',
    output: lines('a\tb'),
  },
  {
    name: 'an operator or = at the end of a line continues on the next',
    source: 'about_Parsing; Parser.cs skips new lines after a binary operator and after =',
    script: '1 +\n2\n$x =\n5\n$x',
    output: lines('3', '5'),
  },
  {
    name: 'a comment after a trailing | and between statements',
    source: 'about_Comments, about_Pipelines',
    script:
      "Get-VM | # the VMs\n  Sort-Object Name | Select-Object -ExpandProperty Name\n'a' # c1\n# c2\n'b'",
    output: lines('Db-01', 'Web-01', 'a', 'b'),
  },
  {
    name: '@( ) with one item per line',
    source: 'about_Arrays (array subexpression over several lines)',
    script: "$a = @(\n  'x'\n  'y'\n)\n$a.Count",
    output: lines('2'),
  },
];

suite('grammar: valid forms run as in PowerShell 5.1', validCases);
