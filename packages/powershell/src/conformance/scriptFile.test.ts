/**
 * Conformance: a script file run with arguments, as `powershell.exe -File <path> <arguments>` runs
 * it (hvps -File). The harness's cases run with `-Command`, so these give `scriptFile` themselves.
 */
import { describe, expect, test } from 'vitest';
import type { ScriptFile } from '../index.js';
import { lines, runConformance } from './harness.js';

interface ScriptFileCase {
  name: string;
  source: string;
  script: string;
  scriptFile: ScriptFile;
  output: string | ((text: string) => void);
  exitCode: number;
  note?: string;
}

const prune = `param([int]$Keep = 3, [string]$VMName = '*', [switch]$WhatIfOnly)
foreach ($vm in Get-VM -Name $VMName) { "$($vm.Name): keep $Keep, what if only: $WhatIfOnly" }
if ($args.Count -gt 0) { "unbound: $($args -join ' ')" }`;

const cases: ScriptFileCase[] = [
  {
    name: 'named and positional arguments bind param(), a switch is set by its name alone',
    source:
      'about_PowerShell_exe (-File: "Any values following the file path are passed as parameters to the script"), about_Scripts',
    script: prune,
    scriptFile: {
      path: 'C:\\Scripts\\prune.ps1',
      arguments: ['-Keep', '5', 'Web-01', '-WhatIfOnly'],
    },
    output: lines('Web-01: keep 5, what if only: True'),
    exitCode: 0,
  },
  {
    name: 'arguments no parameter takes are in $args',
    source: 'about_Automatic_Variables ($args), about_Functions',
    script: prune,
    scriptFile: { path: 'prune.ps1', arguments: ['-K:1', 'Db-01', 'extra', 'more'] },
    output: lines('Db-01: keep 1, what if only: False', 'unbound: extra more'),
    exitCode: 0,
  },
  {
    name: 'an argument the parameter type refuses is an error record naming the script; exit 1',
    source:
      'public Windows PowerShell 5.1 transcript (sensu-plugins/sensu-plugins-windows#112): "<path>.ps1 : Cannot process argument transformation on parameter ..." / "ParameterArgumentTransformationError,<file>.ps1"; R29',
    script: prune,
    scriptFile: { path: 'C:\\Scripts\\prune.ps1', arguments: ['-Keep', 'all'] },
    output: lines(
      'C:\\Scripts\\prune.ps1 : Cannot process argument transformation on parameter \'Keep\'. Cannot convert value "all" to type "System.Int32". Error: "Input string was not in a correct format."',
      '    + CategoryInfo          : InvalidArgument: (:) [prune.ps1], ParameterBindingException',
      '    + FullyQualifiedErrorId : ParameterArgumentTransformationError,prune.ps1',
    ),
    exitCode: 1,
    note: "The transcript was a script called from a prompt: it has At lines for the calling command and CategoryInfo InvalidData / ParameterBindingArgumentTransformationException. From -File there is no calling command text, so no At lines are shown; the category is the runtime's for all binding errors (functions.ts). Neither detail is confirmed from a -File transcript.",
  },
  {
    name: 'an error record in a script file gives its position as At <path>:<line> char:<column>',
    source:
      'PowerShell Position.cs (PositionMessage: "At {0}:{1} char:{2}", the file or the word line); public Windows PowerShell 5.1 transcripts ("At C:\\Users\\...\\ADACLScan.ps1:14635 char:99")',
    script: "'start'\r\nGet-VM -Name NoSuch",
    scriptFile: { path: 'C:\\Scripts\\report.ps1' },
    output: lines(
      'start',
      'Get-VM : Hyper-V was unable to find a virtual machine with name "NoSuch".',
      'At C:\\Scripts\\report.ps1:2 char:1',
      '+ Get-VM -Name NoSuch',
      '+ ~~~~~~~~~~~~~~~~~~~',
      '    + CategoryInfo          : InvalidArgument: (NoSuch:String) [Get-VM], VirtualizationException',
      '    + FullyQualifiedErrorId : InvalidParameter,Microsoft.HyperV.PowerShell.Commands.GetVM',
    ),
    exitCode: 1,
  },
  {
    name: 'a parse error in a script file names the file too',
    source: 'PowerShell Position.cs; a parse error position is a ScriptPosition in the file',
    script: "if ($true) {\r\n  'x'",
    scriptFile: { path: 'C:\\Scripts\\broken.ps1' },
    output: (text) => expect(text).toMatch(/^At C:\\Scripts\\broken\.ps1:\d+ char:\d+\n/),
    exitCode: 1,
  },
];

describe('script file arguments (powershell.exe -File)', () => {
  for (const c of cases) {
    test(`${c.name} (${c.source})`, async () => {
      const result = await runConformance(c.script, { scriptFile: c.scriptFile });
      if (typeof c.output === 'function') c.output(result.output);
      else expect(result.output).toBe(c.output);
      expect(result.exitCode).toBe(c.exitCode);
    });
  }
});
