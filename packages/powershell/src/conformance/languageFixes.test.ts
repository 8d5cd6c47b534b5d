/**
 * Conformance: language forms administrators' scripts use that once differed from Windows
 * PowerShell 5.1 (each was a `test.fails` in language/languageDifferences.test.ts or in the
 * grammar and error-position suites). The console text is PowerShell's for the same script.
 */
import { expect } from 'vitest';
import type { ConformanceCase } from './harness.js';
import { conformanceSuite, lines } from './harness.js';

const cases: ConformanceCase[] = [
  {
    name: 'a range or a list of indexes gives a slice of the array',
    source: 'about_Arrays ("$a[0,2,4]", "$a[1..4]", negative indexes count from the end)',
    script: '$a = 10..15\n$a[1..2]\n$a[0, 2]\n$a[-1, 0]\n$a[1..2].Count',
    output: lines('11', '12', '10', '12', '15', '10', '2'),
  },
  {
    name: 'an index past the end of the array is skipped in a slice',
    source: 'about_Arrays (indexes out of range are ignored in a slice)',
    script: '$a = 1, 2, 3\n$a[1, 7, 2].Count',
    output: lines('2'),
  },
  {
    name: 'exponent and hexadecimal numbers, with or without a size suffix',
    source: 'about_Numeric_Literals (1e3, 1.5e2, 0x10, 1KB/1MB/1GB multipliers)',
    script: '1e3\n1.5e2\n2e-1\n0x10\n0xFF + 1\n-0x10\n0x1KB\n1.5MB',
    output: lines('1000', '150', '0.2', '16', '256', '-16', '1024', '1572864'),
  },
  {
    name: 'the unary comma makes an array of one item, which a pipeline passes whole',
    source:
      'about_Operators (comma operator: "As a unary operator, the comma creates an array with one member")',
    script:
      '$x = ,1\n$x.Count\n$y = ,(1, 2)\n$y.Count\n$y[0].Count\n,(1, 2) | ForEach-Object { $_.Count }',
    output: lines('1', '1', '2', '2'),
  },
  {
    name: "-split '' gives every character, with an empty piece at each end",
    source:
      'about_Split (-split uses Regex.Split); Regex.Split docs: a match at the start or end of the input gives an empty string there',
    script: "('ab' -split '').Count\n('ab' -split '')[1]\n(',a,' -split ',').Count",
    output: lines('4', 'a', '3'),
  },
  {
    name: '[int] of a value beyond Int32 fails with the overflow message',
    source:
      'about_Type_Conversion; Int32.Parse OverflowException text ("Value was either too large or too small for an Int32.")',
    note: 'the message is checked; the CategoryInfo and error id lines of the record are not (not verified against a transcript)',
    script: "$n = [int]'99999999999999999999'\n'after'",
    output: (result) => {
      expect(result.errors[0]?.message).toBe(
        'Cannot convert value "99999999999999999999" to type "System.Int32". Error: "Value was either too large or too small for an Int32."',
      );
      expect(result.output).toContain('after');
    },
    exitCode: 0,
  },
  {
    name: "a function's output before a terminating error is kept, inside try and at the top",
    source:
      'about_Pipelines and about_Redirection (output is written to the pipeline as it is produced, so what a function wrote before `throw` has already gone on); about_Try_Catch_Finally',
    script: "function f { 1; throw 'x' }\ntry { f } catch { 'caught' }\nf\n'after'",
    output: (result) => {
      expect(result.output.startsWith(lines('1', 'caught', '1', 'x'))).toBe(true);
      expect(result.output).not.toContain('after');
      expect(result.objects).toEqual([1, 'caught', 1]);
    },
    exitCode: 1,
  },
  {
    name: "a script block's output before a terminating error is kept, also from a nested call",
    source: 'about_Script_Blocks; about_Pipelines (each object goes on as it is written)',
    script:
      "function inner { 'a'; Get-VM -Name NoSuch -ErrorAction Stop; 'b' }\nfunction outer { 'o'; inner }\ntry { outer } catch { 'caught' }\n& { 'c'; throw 'y' }",
    output: (result) => {
      expect(result.objects).toEqual(['o', 'a', 'caught', 'c']);
      expect(result.errors.map((e) => e.message)).toEqual(['y']);
    },
    exitCode: 1,
  },
  {
    name: 'the error record comes after the output a function wrote before it',
    source: 'about_Pipelines (Out-Default writes each object as it arrives)',
    script: "function f { 'before'; Get-VM -Name NoSuch; 'after' }\nf",
    output: (result) => {
      expect(result.output.indexOf('before')).toBeLessThan(result.output.indexOf('NoSuch'));
      expect(result.output.indexOf('NoSuch')).toBeLessThan(result.output.lastIndexOf('after'));
    },
    // The last command wrote an error record, so $? is False (R29).
    exitCode: 1,
  },
  {
    name: 'an operator with a space before it and none after it is arithmetic, at its precedence',
    source:
      'about_Parsing (expression mode: a statement starting with a variable is an expression); about_Operator_Precedence (* / % before + -)',
    script:
      '$a = 2\n$b = 3\n$a +1 *2\n$a -1 *2\n$a +$b\n$a *$b\n$a %$b\n$x = $a +1 *2 *3 +1\n$x\n$a +1.5 *2',
    output: lines('4', '0', '5', '6', '2', '9', '5'),
  },
  {
    name: 'compound assignment operators, written with or without spaces',
    source: 'about_Assignment_Operators (+=, -=, *=, /=, %=)',
    script: '$a = 6\n$a-=1\n$a +=3\n$a *= 2\n$a /=4\n$a %= 3\n$a\n$h = @{ n = 2 }\n$h.n *= 5\n$h.n',
    output: lines('1', '10'),
  },
  {
    name: 'a catch block reads where the error happened from $_.InvocationInfo',
    source:
      'InvocationInfo reference (ScriptLineNumber, OffsetInLine, Line, PositionMessage, MyCommand, InvocationName); about_Try_Catch_Finally',
    note: 'MyCommand of a throw statement is null (no command raised it)',
    script: [
      'function Stop-Web { Get-VM -Name Gone -ErrorAction Stop }',
      'try {',
      '  Stop-Web',
      '} catch {',
      '  $i = $_.InvocationInfo',
      '  "$($i.ScriptLineNumber):$($i.OffsetInLine) $($i.MyCommand) $($i.InvocationName)"',
      '  $i.Line',
      '  $i.PositionMessage',
      '}',
      "try { throw 'x' } catch { $null -eq $_.InvocationInfo.MyCommand; $_.InvocationInfo.ScriptLineNumber }",
    ].join('\n'),
    output: lines(
      '1:21 Get-VM Get-VM',
      'function Stop-Web { Get-VM -Name Gone -ErrorAction Stop }',
      'At line:1 char:21',
      '+ function Stop-Web { Get-VM -Name Gone -ErrorAction Stop }',
      '+                     ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~',
      'True',
      '10',
    ),
  },
  {
    name: '$PSVersionTable says Windows PowerShell 5.1, Desktop edition',
    source:
      'about_Automatic_Variables ($PSVersionTable); a published 5.1 table (gist stknohg/cd43a673a614d1c362152356665005ed: PSVersion 5.1.18362.145, PSEdition Desktop)',
    note: "the build number is that published one, not a real host's; PSCompatibleVersions is listed whole where the console cuts it after 4 ($FormatEnumerationLimit)",
    script:
      '$PSVersionTable.PSVersion.Major\n$PSVersionTable.PSVersion.Minor\n"$($PSVersionTable.PSVersion)"\n$PSVersionTable.PSEdition',
    output: lines('5', '1', '5.1.18362.145', 'Desktop'),
  },
  {
    name: 'the range operator with a space before it, with or without one after it',
    source: 'about_Operators (range operator ..); about_Parsing (expression mode)',
    script: '$n = 3\n(1 ..$n).Count\n(1 .. 3)[-1]\n($n ..1)[0]',
    output: lines('3', '3', '3'),
  },
];

conformanceSuite('language forms as PowerShell 5.1 reads them', cases);
