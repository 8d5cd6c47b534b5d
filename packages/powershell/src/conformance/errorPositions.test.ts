/**
 * Conformance: where a run-time error record points. Windows PowerShell 5.1 prints, under the
 * message, `At line:N char:M`, the script line and a `~` under the part that failed: for a
 * cmdlet, its command element (not the whole pipeline, not the arguments piped into it); for a
 * parameter that does not exist, the parameter; for `throw`, the throw statement; for a method
 * call, the expression that calls it; inside a function or a script block, the line inside its
 * body, however far away the call is (about_Functions; InvocationInfo.PositionMessage). A line
 * over 69 characters is cut around the failing part with `...` (Position.cs, and a Windows
 * PowerShell 5.1 transcript quoted in src/positionMessage.ts). The sources are not unanimous: a
 * transcript of cunninghamp/Get-CASHealth.ps1 issue #2 shows a 71-character line whole; we follow
 * Position.cs and the truncated transcript.
 *
 * A case with `bug` is a difference from PowerShell 5.1: it runs as test.fails until fixed.
 */
import { describe, expect, test } from 'vitest';
import type { ConformanceCase } from './harness.js';
import { lines, runConformance } from './harness.js';

interface PositionCase extends ConformanceCase {
  bug?: string;
}

/** A record's position lines: `At line:N char:M`, the line, and `width` tildes under column M. */
function at(script: string, line: number, char: number, width: number): string[] {
  const text = script.split('\n')[line - 1] ?? '';
  return [
    `At line:${line} char:${char}`,
    `+ ${text}`,
    `+ ${' '.repeat(char - 1)}${'~'.repeat(width)}`,
  ];
}

const vmNotFound = (name: string): string =>
  `Get-VM : Hyper-V was unable to find a virtual machine with name "${name}".`;
/** Get-VM's record for an unknown name (behaviour spec R30). */
const getVmRecord = (name: string): string[] => [
  `    + CategoryInfo          : InvalidArgument: (${name}:String) [Get-VM], VirtualizationException`,
  '    + FullyQualifiedErrorId : InvalidParameter,Microsoft.HyperV.PowerShell.Commands.GetVM',
];
const methodRecord = (id: string): string[] => [
  '    + CategoryInfo          : InvalidOperation: (:) [], RuntimeException',
  `    + FullyQualifiedErrorId : ${id}`,
];

const inFunction = `function Stop-Old {
  param($Name)
  Get-VM -Name $Name
}
Stop-Old -Name NoSuch`;
const inBlock = `Get-VM | Sort-Object Name | ForEach-Object {
  if ($_.Name -eq 'Db-01') { Get-VM -Name "Old-$($_.Name)" }
}`;
const multiLine = "'first'\n\nGet-VM -Name NoSuch\n'after'";
const firstOfPipeline = 'Get-VM -Name NoSuch | Select-Object Name';
const pipedInto = "'NoSuch' | Get-VM";
const laterInPipeline = 'Get-VM -Name Web-01 | Get-VMSnapshot -Name NoSuch';
const badParameter = 'Get-VM -Nme Web-01';
const throwInFunction = "function Test-Disk {\n  throw 'Disk check failed'\n}\nTest-Disk";
const blockCalledLater = '$check = { Get-VM -Name Gone }\n\n& $check';
const stringMethod = "'Web-01'.NoSuch()";
const methodInWhere = 'Get-VM | Where-Object {\n  $_.Name.NoSuch()\n}';
const nullMethod = '$vm = $null\n$vm.Start()';
const vmMethod = '$vm = Get-VM -Name Web-01\n$vm.NoSuch()';
const longLine =
  "$names = 'Web-01', 'Db-01'; foreach ($n in $names) { Get-VM -Name \"$n-Copy\" -ErrorAction Continue }";
const positionInCatch = `try {
  Get-VM -Name Gone -ErrorAction Stop
} catch {
  "line $($_.InvocationInfo.ScriptLineNumber)"
}`;

const cases: PositionCase[] = [
  {
    name: 'inside a function: the command in its body, not the call',
    source: 'about_Functions; InvocationInfo.PositionMessage of a cmdlet error',
    script: inFunction,
    output: lines(vmNotFound('NoSuch'), ...at(inFunction, 3, 3, 18), ...getVmRecord('NoSuch')),
    exitCode: 1,
  },
  {
    name: 'inside a ForEach-Object script block: the command on its line in the block',
    source: 'about_Script_Blocks; InvocationInfo.PositionMessage',
    script: inBlock,
    output: lines(vmNotFound('Old-Db-01'), ...at(inBlock, 2, 30, 29), ...getVmRecord('Old-Db-01')),
    exitCode: 1,
  },
  {
    name: 'on the third line of a script: line 3, and the script goes on',
    source: 'about_Parsing; non-terminating errors (about_CommonParameters)',
    script: multiLine,
    output: lines(
      'first',
      vmNotFound('NoSuch'),
      ...at(multiLine, 3, 1, 19),
      ...getVmRecord('NoSuch'),
      'after',
    ),
  },
  {
    name: 'the first command of a pipeline: that command only, not the pipeline',
    source: 'InvocationInfo.PositionMessage (the CommandAst extent)',
    script: firstOfPipeline,
    output: lines(vmNotFound('NoSuch'), ...at(firstOfPipeline, 1, 1, 19), ...getVmRecord('NoSuch')),
    exitCode: 1,
  },
  {
    name: 'a command fed by the pipeline: the command, not the value piped in',
    source: 'InvocationInfo.PositionMessage (the CommandAst extent)',
    script: pipedInto,
    output: lines(vmNotFound('NoSuch'), ...at(pipedInto, 1, 12, 6), ...getVmRecord('NoSuch')),
    exitCode: 1,
  },
  {
    name: 'the second command of a pipeline: the second command',
    source: 'InvocationInfo.PositionMessage; behaviour spec 6.3 (no match)',
    script: laterInPipeline,
    output: lines(
      'Get-VMSnapshot : Unable to find a snapshot matching the given criteria.',
      ...at(laterInPipeline, 1, 23, 27),
      '    + CategoryInfo          : ObjectNotFound: (:) [Get-VMSnapshot], VirtualizationException',
      '    + FullyQualifiedErrorId : ObjectNotFound,Microsoft.HyperV.PowerShell.Commands.GetVMSnapshot',
    ),
    exitCode: 1,
  },
  {
    name: 'a parameter that does not exist: the parameter',
    source: 'ParameterBinderStrings.NamedParameterNotFound; the ParameterBindingException position',
    script: badParameter,
    output: lines(
      "Get-VM : A parameter cannot be found that matches parameter name 'Nme'.",
      ...at(badParameter, 1, 8, 4),
      '    + CategoryInfo          : InvalidArgument: (:) [Get-VM], ParameterBindingException',
      '    + FullyQualifiedErrorId : NamedParameterNotFound,Microsoft.HyperV.PowerShell.Commands.GetVM',
    ),
    exitCode: 1,
  },
  {
    name: 'throw inside a function: the throw statement in the body',
    source: 'about_Throw',
    script: throwInFunction,
    output: lines(
      'Disk check failed',
      ...at(throwInFunction, 2, 3, 25),
      '    + CategoryInfo          : OperationStopped: (Disk check failed:String) [], RuntimeException',
      '    + FullyQualifiedErrorId : Disk check failed',
    ),
    exitCode: 1,
  },
  {
    name: 'a script block run lines later: where the block was written',
    source: 'about_Script_Blocks (a block keeps its position in the script)',
    script: blockCalledLater,
    output: lines(vmNotFound('Gone'), ...at(blockCalledLater, 1, 12, 17), ...getVmRecord('Gone')),
    exitCode: 1,
  },
  {
    name: 'a method a string does not have: the whole call expression',
    source: 'ParserStrings.MethodNotFound (RuntimeException, MethodNotFound)',
    script: stringMethod,
    output: lines(
      "Method invocation failed because [System.String] does not contain a method named 'NoSuch'.",
      ...at(stringMethod, 1, 1, 17),
      ...methodRecord('MethodNotFound'),
    ),
    exitCode: 1,
  },
  {
    name: 'a method call failing in a Where-Object block: once per item, at the line in the block',
    source: 'ParserStrings.MethodNotFound; about_Script_Blocks',
    script: methodInWhere,
    output: lines(
      ...[1, 2].flatMap(() => [
        "Method invocation failed because [System.String] does not contain a method named 'NoSuch'.",
        ...at(methodInWhere, 2, 3, 16),
        ...methodRecord('MethodNotFound'),
      ]),
    ),
    exitCode: 1,
  },
  {
    name: 'a method called on $null: InvokeMethodOnNull',
    source:
      'ParserStrings.InvokeMethodOnNull ("You cannot call a method on a null-valued expression.")',
    script: nullMethod,
    output: lines(
      'You cannot call a method on a null-valued expression.',
      ...at(nullMethod, 2, 1, 11),
      ...methodRecord('InvokeMethodOnNull'),
    ),
    exitCode: 1,
  },
  {
    name: "a method a VM object does not have: the message names the object's .NET type",
    source: 'ParserStrings.MethodNotFound with the type name; behaviour spec 6.8 (VirtualMachine)',
    script: vmMethod,
    output: lines(
      "Method invocation failed because [Microsoft.HyperV.PowerShell.VirtualMachine] does not contain a method named 'NoSuch'.",
      ...at(vmMethod, 2, 1, 12),
      ...methodRecord('MethodNotFound'),
    ),
    exitCode: 1,
  },
  {
    name: 'a long line is cut before the failing part, which stays whole and underlined',
    source:
      'Position.cs (PositionUtilities.VerboseMessage); see the header for a transcript that differs',
    script: longLine,
    output: lines(
      ...['Web-01', 'Db-01'].flatMap((n) => [
        vmNotFound(`${n}-Copy`),
        'At line:1 char:54',
        '+ ... reach ($n in $names) { Get-VM -Name "$n-Copy" -ErrorAction Continue }',
        `+ ${' '.repeat(27)}${'~'.repeat(44)}`,
        ...getVmRecord(`${n}-Copy`),
      ]),
    ),
    exitCode: 1,
  },
  {
    name: "a catch block reads the error's line from $_.InvocationInfo",
    source: 'about_Try_Catch_Finally; ErrorRecord.InvocationInfo.ScriptLineNumber',
    script: positionInCatch,
    output: lines('line 2'),
  },
];

describe('run-time error records point where PowerShell 5.1 points', () => {
  for (const c of cases) {
    const check = async (): Promise<void> => {
      const result = await runConformance(c.script);
      if (typeof c.output === 'function') c.output(result);
      else expect(result.output).toBe(c.output);
      expect(result.exitCode).toBe(c.exitCode ?? 0);
    };
    const name = `${c.name} (${c.source})`;
    if (c.bug === undefined) test(name, check);
    else test.fails(`${name} [bug: ${c.bug}]`, check);
  }
});
