/**
 * Conformance: scripts an administrator writes, with the console text and exit code Windows
 * PowerShell 5.1 gives for them. Each case names its source: the about_* topic (Microsoft
 * documentation) whose example it follows, the behaviour spec's R-number, or PowerShell's own
 * resource strings for the messages (ParserStrings.resx, GetErrorText.resx).
 */
import { describe, expect, test } from 'vitest';
import type { ConformanceCase } from './harness.js';
import { conformanceSuite, lines, runConformance as run } from './harness.js';

const notFound = (name: string, script: string, at: [number, number], width: number): string =>
  lines(
    `Get-VM : Hyper-V was unable to find a virtual machine with name "${name}".`,
    `At line:${at[0]} char:${at[1]}`,
    `+ ${script}`,
    `+ ${' '.repeat(at[1] - 1)}${'~'.repeat(width)}`,
    // R30: Get-VM reports an unknown name as an invalid argument.
    `    + CategoryInfo          : InvalidArgument: (${name}:String) [Get-VM], VirtualizationException`,
    '    + FullyQualifiedErrorId : InvalidParameter,Microsoft.HyperV.PowerShell.Commands.GetVM',
  );

const cases: ConformanceCase[] = [
  {
    name: 'if, elseif and else take the first true branch',
    source: 'about_If',
    script: `$state = (Get-VM -Name Web-01).State
if ($state -eq 'Off') { 'off' } elseif ($state -eq 'Running') { 'running' } else { 'other' }
if ($false) { 'no' }
else
{ 'else on its own line' }`,
    output: lines('running', 'else on its own line'),
  },
  {
    name: 'foreach over a pipeline, continue skips one item',
    source: 'about_Foreach, about_Continue',
    script: `foreach ($vm in Get-VM | Sort-Object Name) {
  if ($vm.Name -eq 'Db-01') { continue }
  "checkpointing $($vm.Name)"
}`,
    output: lines('checkpointing Web-01'),
  },
  {
    name: 'foreach over $null runs no iteration',
    source: 'about_Foreach (PowerShell 3.0 and later)',
    script: `foreach ($x in $null) { 'never' }\n'done'`,
    output: lines('done'),
  },
  {
    name: 'for with ++ and +=',
    source: 'about_For, about_Assignment_Operators',
    script: `$sum = 0\nfor ($i = 1; $i -le 4; $i++) { $sum += $i }\n$sum`,
    output: lines('10'),
  },
  {
    name: 'while with break leaves the innermost loop only',
    source: 'about_While, about_Break',
    script: `$outer = 0
while ($outer -lt 2) {
  $outer++
  while ($true) { break }
  "outer $outer"
}`,
    output: lines('outer 1', 'outer 2'),
  },
  {
    name: 'do-until runs the body before the test, do-while until it fails',
    source: 'about_Do',
    script: `$n = 5\ndo { "n=$n" } until ($n -ge 5)\n$m = 0\ndo { $m++ } while ($m -lt 3)\n$m`,
    output: lines('n=5', '3'),
  },
  {
    name: 'ranges and arithmetic',
    source: 'about_Operators (range), about_Arithmetic_Operators',
    script: `(1..4 | Measure-Object).Count\n7 / 2\n7 % 3\n'ab' * 3\n'VM' + 1\n[int]2.5\n[int]3.5`,
    output: lines('4', '3.5', '1', 'ababab', 'VM1', '2', '4'),
  },
  {
    name: 'operators without spaces, and arrays built with +=',
    source: 'about_Arithmetic_Operators, about_Assignment_Operators ("$a = @()", "+=" on arrays)',
    script: `$a = 10\n$a/4\n$a-1\n$a*2+1\n$list = @()\n$list += 'x'\n$list += 'y'\n$list.Count\n"$list"`,
    output: lines('2.5', '9', '21', '2', 'x y'),
  },
  {
    name: 'Write-Host text and output come in the order they are written',
    source:
      'about_Redirection (Write-Host writes to the host at once; Out-Default writes output as it comes)',
    script: `foreach ($i in 1..2) { "out $i"; Write-Host "host $i" }`,
    output: lines('out 1', 'host 1', 'out 2', 'host 2'),
  },
  {
    name: 'try, catch with $_ and finally, in order',
    source: 'about_Try_Catch_Finally',
    script: `try { 'before'; throw 'boom'; 'not reached' }
catch { "caught: $_"; $_.Exception.Message; $_.FullyQualifiedErrorId }
finally { 'finally' }`,
    output: lines('before', 'caught: boom', 'boom', 'boom', 'finally'),
  },
  {
    name: 'a typed catch takes its type and its base types',
    source:
      'about_Try_Catch_Finally (catch [type]); .NET: CommandNotFoundException derives from RuntimeException',
    script: `try { Get-Nothing } catch [System.Management.Automation.ParameterBindingException] { 'binding' } catch [System.Management.Automation.RuntimeException] { 'runtime: ' + $_.FullyQualifiedErrorId }
try { Get-VM -Nme x } catch [System.Management.Automation.ParameterBindingException] { 'binding' }`,
    output: lines('runtime: CommandNotFoundException', 'binding'),
  },
  {
    name: 'try catches -ErrorAction Stop but not a non-terminating error',
    source:
      'about_Try_Catch_Finally ("terminating errors"), about_CommonParameters (-ErrorAction Stop)',
    script: `try { Get-VM -Name NoSuch -ErrorAction Stop } catch { "caught: $($_.Exception.Message)" }
try { Get-VM -Name NoSuch } catch { 'not caught' }`,
    output:
      lines('caught: Hyper-V was unable to find a virtual machine with name "NoSuch".') +
      notFound('NoSuch', `try { Get-VM -Name NoSuch } catch { 'not caught' }`, [2, 7], 19),
    // The last pipeline run (Get-VM) failed, so $? is false (about_Automatic_Variables).
    exitCode: 1,
  },
  {
    name: 'throw prints a RuntimeException record and ends the script',
    source: 'about_Throw; record layout of Windows PowerShell 5.1',
    script: `throw "Disk check failed"\n'not reached'`,
    output: lines(
      'Disk check failed',
      'At line:1 char:1',
      '+ throw "Disk check failed"',
      '+ ~~~~~~~~~~~~~~~~~~~~~~~~~',
      '    + CategoryInfo          : OperationStopped: (Disk check failed:String) [], RuntimeException',
      '    + FullyQualifiedErrorId : Disk check failed',
    ),
    exitCode: 1,
  },
  {
    name: 'throw alone raises ScriptHalted; throw $_ rethrows the caught error',
    source: 'about_Throw',
    script: `try { throw } catch { "$_" }\ntry { try { throw 'inner' } catch { throw $_ } } catch { "outer got $_" }`,
    output: lines('ScriptHalted', 'outer got inner'),
  },
  {
    name: 'a catch of another type lets the error through',
    source: 'about_Try_Catch_Finally',
    script: `try { throw 'x' } catch [System.Management.Automation.CommandNotFoundException] { 'no' } finally { 'cleanup' }`,
    output: lines(
      'cleanup',
      'x',
      'At line:1 char:7',
      // A line over 69 characters is cut after the failing part (PositionUtilities.VerboseMessage).
      `+ try { throw 'x' } catch [System.Management.Automation.CommandNotFound ...`,
      '+       ~~~~~~~~~',
      '    + CategoryInfo          : OperationStopped: (x:String) [], RuntimeException',
      '    + FullyQualifiedErrorId : x',
    ),
    exitCode: 1,
  },
  {
    name: '$null = and [void] discard output',
    source: 'about_Assignment_Operators, about_Void',
    script: `$null = Get-VM\n[void](Get-VM -Name Web-01)\n$null = 'x'; 'shown'`,
    output: lines('shown'),
  },
  {
    name: '$? after a failed and a successful statement',
    source: 'about_Automatic_Variables ($?)',
    script: `Get-VM -Name NoSuch -ErrorAction SilentlyContinue\n$?\nGet-VM -Name Web-01 | Out-Null\n$?`,
    output: lines('False', 'True'),
  },
  {
    name: '$Error holds every error record, the newest first, even silenced ones',
    source: 'about_Automatic_Variables ($Error), about_CommonParameters (SilentlyContinue)',
    script: `Get-VM -Name First -ErrorAction SilentlyContinue
Get-VM -Name Second -ErrorAction SilentlyContinue
$Error.Count
"$($Error[0])"
$Error[1].Exception.Message
$Error.Clear()
$Error.Count`,
    output: lines(
      '2',
      'Hyper-V was unable to find a virtual machine with name "Second".',
      'Hyper-V was unable to find a virtual machine with name "First".',
      '0',
    ),
  },
  {
    name: 'functions: param() with types and defaults, named and positional arguments, $args',
    source: 'about_Functions, about_Functions_Advanced_Parameters (defaults)',
    script: `function Get-Label { param([string]$Name, [int]$Count = 1) "$Name x$Count" }
Get-Label Web
Get-Label -Count 3 -Name Db
Get-Label -Co 2 Web
function Show-Rest { "$($args.Count): $args" }
Show-Rest a b c
function Add($a, $b) { $a + $b }
Add 2 3`,
    output: lines('Web x1', 'Db x3', 'Web x2', '3: a b c', '5'),
  },
  {
    name: 'return writes its value and leaves; function output goes down the pipeline',
    source: 'about_Return',
    script: `function Get-Names { 'a'; return 'b'; 'c' }
Get-Names
(Get-Names | Measure-Object).Count
function Get-Running { Get-VM | Where-Object { $_.State -eq 'Running' } }
(Get-Running).Name`,
    output: lines('a', 'b', '2', 'Web-01'),
  },
  {
    name: "a script's own param() block gives its parameters their defaults",
    source: 'about_Scripts ("Parameters in scripts"); no arguments reach a script here',
    script: `param([string]$VMName = 'Web-01', [int]$Keep = 2)\n"$VMName keeps $Keep"`,
    output: lines('Web-01 keeps 2'),
  },
  {
    name: 'return in a ForEach-Object block ends that block only',
    source:
      'about_Return (return leaves the script block it is in; ForEach-Object runs its block once per item)',
    script: `1..3 | ForEach-Object { if ($_ -eq 2) { return }; $_ }\n'after'`,
    output: lines('1', '3', 'after'),
  },
  {
    name: 'a function gets the pipeline input as $input',
    source: 'about_Functions ("Piping Objects to Functions", $input)',
    script: `function Count-Input { @($input).Count }\nGet-VM | Count-Input`,
    output: lines('2'),
  },
  {
    name: 'script blocks run with & and .Invoke(), with param()',
    source: 'about_Script_Blocks, about_Operators (call operator &)',
    script: `$greet = { param($who) "hello $who" }\n& $greet world\n$greet.Invoke('there')\n& { $args[0] } first`,
    output: lines('hello world', 'hello there', 'first'),
  },
  {
    name: 'an unknown command inside a function is reported where it stands',
    source: 'PowerShell CommandNotFoundException record',
    script: `function Test-It { Get-Nothing; 'after' }\nTest-It`,
    output: lines(
      "Get-Nothing : The term 'Get-Nothing' is not recognized as the name of a cmdlet, function, script file, or operable program. Check the spelling of the name, or if a path was included, verify that the path is correct and try again.",
      'At line:1 char:20',
      "+ function Test-It { Get-Nothing; 'after' }",
      '+                    ~~~~~~~~~~~',
      '    + CategoryInfo          : ObjectNotFound: (Get-Nothing:String) [], CommandNotFoundException',
      '    + FullyQualifiedErrorId : CommandNotFoundException',
      'after',
    ),
    // A pipeline that wrote an error record leaves $? false, the function call included. Our
    // reading of about_Automatic_Variables ($?); not checked against a PowerShell transcript.
    exitCode: 1,
  },
];

conformanceSuite('PowerShell scripts print what PowerShell prints', cases);

describe('exit codes as powershell.exe -Command gives them (R29)', () => {
  const exits: [string, number, string][] = [
    ['Get-VM -Name NoSuch', 1, 'the last statement failed'],
    ['Get-VM -Name NoSuch; Get-VM -Name Web-01 | Out-Null', 0, 'the last statement succeeded'],
    ['Get-VM -Name NoSuch -ErrorAction SilentlyContinue', 1, 'a silenced error still fails $?'],
    ['exit 7', 7, 'exit N gives N'],
    ["exit 3\n'never'", 3, 'exit ends the script'],
    ['function Stop-Here { exit 4 }\nStop-Here\n"never"', 4, 'exit in a function ends the script'],
    ['exit', 0, 'exit alone gives 0'],
    ["throw 'x'", 1, 'an uncaught throw'],
    ['Get-Nothing', 1, 'an unknown command'],
    ['if ($true) {', 1, 'a parse error'],
    ["try { throw 'x' } catch { 'handled' }", 0, 'a caught error'],
  ];
  for (const [script, code, why] of exits) {
    test(`${why}: ${JSON.stringify(script)} exits ${code}`, async () => {
      expect((await run(script)).exitCode).toBe(code);
    });
  }
});
