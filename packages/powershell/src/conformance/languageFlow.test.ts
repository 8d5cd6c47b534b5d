/**
 * Conformance of switch, loop labels and trap (about_Switch, about_Break, about_Continue,
 * about_Trap), with the console text and exit code Windows PowerShell 5.1 gives.
 */
import type { ConformanceCase } from './harness.js';
import { conformanceSuite, lines } from './harness.js';

const switches: ConformanceCase[] = [
  {
    name: 'without -Wildcard a pattern is compared as a value, so default runs',
    source: 'about_Switch (Exact, the default)',
    script: `switch ('abc') { 'a*' { 'wildcard' } default { 'default' } }`,
    output: lines('default'),
  },
  {
    name: '-Wildcard runs every clause that matches, in order',
    source: 'about_Switch (-Wildcard; "all the matching clauses are run")',
    script: `switch -Wildcard ('Web-01') { 'Web*' { 'web' } '*-01' { 'first' } default { 'other' } }`,
    output: lines('web', 'first'),
  },
  {
    name: 'an array is tested item by item; script-block conditions see $_',
    source: 'about_Switch (script block conditions, arrays as input)',
    script: `switch (1, 5, 9) { { $_ -gt 4 } { "big $_" } 1 { 'one' } }`,
    output: lines('one', 'big 5', 'big 9'),
  },
  {
    name: '-Regex sets $Matches, and comparisons ignore case unless -CaseSensitive',
    source: 'about_Switch (-Regex, -CaseSensitive)',
    script: `switch -Regex ('WEB-07') { '^web-(\\d+)$' { "number $($Matches[1])" } }
switch -CaseSensitive ('WEB') { 'web' { 'lower' } default { 'no match' } }`,
    output: lines('number 07', 'no match'),
  },
  {
    name: 'break ends the switch, continue goes on with the next item',
    source: 'about_Switch (break and continue)',
    script: `switch (1, 2, 3) { 2 { 'two'; break } default { "other $_" } }
switch (1, 2, 3) { 2 { continue } default { "item $_" } }`,
    output: lines('other 1', 'two', 'item 1', 'item 3'),
  },
  {
    name: 'a switch in a loop: break leaves the switch only',
    source: 'about_Switch, about_Break',
    script: `foreach ($vm in 'Web-01', 'Db-01') { switch ($vm) { 'Web-01' { break } }; "after $vm" }`,
    output: lines('after Web-01', 'after Db-01'),
  },
  {
    name: 'switch on a VM property',
    source: 'about_Switch',
    script: `foreach ($vm in Get-VM | Sort-Object Name) {
  switch ($vm.State) { 'Running' { "$($vm.Name) is up" } 'Off' { "$($vm.Name) is down" } }
}`,
    output: lines('Db-01 is down', 'Web-01 is up'),
  },
  {
    name: 'two default clauses are a parse error',
    source: 'ParserStrings.resx MultipleSwitchDefaultClauses',
    script: `switch (1) { default { 'a' } default { 'b' } }`,
    output: lines(
      'At line:1 char:30',
      "+ switch (1) { default { 'a' } default { 'b' } }",
      '+                              ~~~~~~~',
      'A switch statement can have only one default clause.',
      '    + CategoryInfo          : ParserError: (:) [], ParentContainsErrorRecordException',
      '    + FullyQualifiedErrorId : MultipleSwitchDefaultClauses',
    ),
    exitCode: 1,
  },
];

const labels: ConformanceCase[] = [
  {
    name: 'continue and break with a label reach the outer loop',
    source: 'about_Continue, about_Break (labels)',
    script: `:outer foreach ($i in 1..3) {
  foreach ($j in 1..3) {
    if ($j -eq 2) { continue outer }
    if ($i -eq 3) { break outer }
    "$i$j"
  }
}
'end'`,
    output: lines('11', '21', 'end'),
  },
  {
    name: 'a labelled while loop left from a nested for loop',
    source: 'about_Break (labelled while)',
    script: `$n = 0
:search while ($true) {
  for ($i = 0; $i -lt 10; $i++) { $n++; if ($n -eq 5) { break search } }
}
$n`,
    output: lines('5'),
  },
];

const traps: ConformanceCase[] = [
  {
    name: 'trap with continue: the error is not shown, the script goes on after the statement',
    source: 'about_Trap (continue)',
    script: `trap { "trapped: $_"; continue }
'before'
throw 'boom'
'after'`,
    output: lines('before', 'trapped: boom', 'after'),
  },
  {
    name: 'trap without continue or break: the error is shown after the trap, the script goes on',
    source: 'about_Trap',
    script: `trap { 'trapped' }
Get-VM -Name Nope -ErrorAction Stop
'after'`,
    output: lines(
      'trapped',
      'Get-VM : Hyper-V was unable to find a virtual machine with name "Nope".',
      'At line:2 char:1',
      '+ Get-VM -Name Nope -ErrorAction Stop',
      '+ ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~',
      '    + CategoryInfo          : InvalidArgument: (Nope:String) [Get-VM], VirtualizationException',
      '    + FullyQualifiedErrorId : InvalidParameter,Microsoft.HyperV.PowerShell.Commands.GetVM',
      'after',
    ),
  },
  {
    name: 'trap with break: the error is shown and the script stops',
    source: 'about_Trap (break)',
    script: `trap { 'trapped'; break }
'one'
1/0
'not reached'`,
    output: lines(
      'one',
      'trapped',
      'Attempted to divide by zero.',
      'At line:3 char:1',
      '+ 1/0',
      '+ ~~~',
      '    + CategoryInfo          : NotSpecified: (:) [], RuntimeException',
      '    + FullyQualifiedErrorId : RuntimeException',
    ),
    exitCode: 1,
  },
  {
    name: 'a typed trap takes only its type and the types derived from it',
    source: 'about_Trap (trap [type])',
    script: `trap [System.Management.Automation.CommandNotFoundException] { 'no such command'; continue }
trap [System.Management.Automation.RuntimeException] { 'runtime'; continue }
Get-Nothing
1/0
'done'`,
    output: lines('no such command', 'runtime', 'done'),
  },
  {
    name: 'a trap in a function handles the errors of that function; the caller goes on',
    source: 'about_Trap (traps in functions)',
    script: `function Test-Trap { trap { 'in function'; continue }; 1/0; 'function goes on' }
Test-Trap
'caller goes on'`,
    output: lines('in function', 'function goes on', 'caller goes on'),
  },
  {
    name: 'a trap declared after the failing statement still handles it',
    source: 'about_Trap ("a trap statement can appear anywhere in the scope")',
    script: `1/0\n'next'\ntrap { 'late trap'; continue }`,
    output: lines('late trap', 'next'),
  },
];

conformanceSuite('switch', switches);
conformanceSuite('loop labels', labels);
conformanceSuite('trap', traps);
