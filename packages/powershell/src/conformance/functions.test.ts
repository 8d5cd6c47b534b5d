/**
 * Conformance of advanced functions (about_Functions_Advanced, about_Functions_Advanced_Parameters,
 * about_Functions_Advanced_Methods, about_Functions_CmdletBindingAttribute): the console text and
 * exit code Windows PowerShell 5.1 gives; the binding errors are ParameterBinderStrings.resx and
 * Metadata.resx texts.
 */
import type { ConformanceCase } from './harness.js';
import { conformanceSuite, lines } from './harness.js';

const getSize = `function Get-Size {
  [CmdletBinding()]
  param(
    [Parameter(Mandatory, Position = 0)][string]$Name,
    [ValidateSet('MB', 'GB')][string]$Unit = 'GB',
    [switch]$Detailed
  )
  "$Name in $Unit detailed=$Detailed bound=$($PSBoundParameters.Keys -join ',')"
}`;

const bindingRecord = (
  script: string,
  line: number,
  message: string,
  id: string,
  category = 'InvalidArgument',
  exception = 'ParameterBindingException',
  at: [number, number] = [1, script.length],
): string =>
  lines(
    `Get-Size : ${message}`,
    `At line:${line} char:${at[0]}`,
    `+ ${script}`,
    `+ ${' '.repeat(at[0] - 1)}${'~'.repeat(at[1])}`,
    `    + CategoryInfo          : ${category}: (:) [Get-Size], ${exception}`,
    `    + FullyQualifiedErrorId : ${id},Get-Size`,
  );

const cases: ConformanceCase[] = [
  {
    name: 'a ValueFromPipeline parameter is bound item by item in the process block',
    source:
      'about_Functions_Advanced_Methods (process), about_Functions_Advanced_Parameters (ValueFromPipeline)',
    script: `function f { [CmdletBinding()] param([Parameter(ValueFromPipeline)]$x) process { $x * 2 } }\n1, 2 | f`,
    output: lines('2', '4'),
  },
  {
    name: 'begin once, process per item, end once',
    source: 'about_Functions_Advanced_Methods',
    script: `function Measure-Total { begin { $t = 0 } process { $t += $_ } end { "total $t" } }\n1..4 | Measure-Total`,
    output: lines('total 10'),
  },
  {
    name: 'a script block with a process block runs it per item',
    source: 'about_Script_Blocks, about_Functions_Advanced_Methods',
    script: `1..3 | & { process { $_ * 2 } }
$sb = { param([Parameter(ValueFromPipeline)]$x) begin { 'start' } process { "got $x" } }
'a', 'b' | & $sb`,
    output: lines('2', '4', '6', 'start', 'got a', 'got b'),
  },
  {
    name: 'a filter runs its body for each item',
    source: 'about_Functions (Filters)',
    script: `filter Double { $_ * 2 }\n1..3 | Double`,
    output: lines('2', '4', '6'),
  },
  {
    name: 'ValueFromPipelineByPropertyName takes the Name of each VM',
    source: 'about_Functions_Advanced_Parameters (ValueFromPipelineByPropertyName)',
    script: `function Show-Name { param([Parameter(ValueFromPipelineByPropertyName)][string]$Name) process { "VM $Name" } }
Get-VM | Sort-Object Name | Show-Name`,
    output: lines('VM Db-01', 'VM Web-01'),
  },
  {
    name: 'positional and switch parameters, $PSBoundParameters holds what was given',
    source: 'about_Functions_Advanced_Parameters, about_Automatic_Variables ($PSBoundParameters)',
    script: `${getSize}\nGet-Size Web-01 -Detailed`,
    output: lines('Web-01 in GB detailed=True bound=Name,Detailed'),
  },
  {
    name: 'ValidateSet refuses a value outside the set',
    source:
      'Metadata.resx ValidateSetFailure; ParameterBinderStrings ParameterArgumentValidationError',
    script: `${getSize}\nGet-Size -Name x -Unit TB`,
    output: bindingRecord(
      'Get-Size -Name x -Unit TB',
      10,
      `Cannot validate argument on parameter 'Unit'. The argument "TB" does not belong to the set "MB,GB" specified by the ValidateSet attribute. Supply an argument that is in the set and then try the command again.`,
      'ParameterArgumentValidationError',
      'InvalidData',
      'ParameterBindingValidationException',
    ),
    exitCode: 1,
  },
  {
    name: 'a missing mandatory parameter fails in a run with no one to answer',
    source: 'ParameterBinderStrings.resx MissingMandatoryParameter (R27)',
    script: `${getSize}\nGet-Size`,
    output: bindingRecord(
      'Get-Size',
      10,
      'Cannot process command because of one or more missing mandatory parameters: Name.',
      'MissingMandatoryParameter',
    ),
    exitCode: 1,
  },
  {
    name: 'an extra positional argument and an unknown parameter are refused',
    source: 'ParameterBinderStrings.resx PositionalParameterNotFound, NamedParameterNotFound',
    note: 'the underlines (the whole command, the parameter) are our reading of where PowerShell points',
    script: `${getSize}\nGet-Size a b\nGet-Size -Nope 1`,
    output:
      bindingRecord(
        'Get-Size a b',
        10,
        "A positional parameter cannot be found that accepts argument 'b'.",
        'PositionalParameterNotFound',
      ) +
      bindingRecord(
        'Get-Size -Nope 1',
        11,
        "A parameter cannot be found that matches parameter name 'Nope'.",
        'NamedParameterNotFound',
        'InvalidArgument',
        'ParameterBindingException',
        [10, 5],
      ),
    exitCode: 1,
  },
  {
    name: 'SupportsShouldProcess: -WhatIf says what would happen, -Confirm:$false does it',
    source:
      'about_Functions_CmdletBindingAttribute (SupportsShouldProcess); CommandBaseStrings ShouldProcessMessage',
    script: `function Remove-Thing {
  [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'High')]
  param([Parameter(ValueFromPipelineByPropertyName)][string]$Name)
  process { if ($PSCmdlet.ShouldProcess($Name)) { "removed $Name" } }
}
Get-VM | Sort-Object Name | Remove-Thing -WhatIf
Get-VM -Name Web-01 | Remove-Thing -Confirm:$false`,
    output: lines(
      'What if: Performing the operation "Remove-Thing" on target "Db-01".',
      'What if: Performing the operation "Remove-Thing" on target "Web-01".',
      'removed Web-01',
    ),
  },
  {
    name: '-ErrorAction on an advanced function sets $ErrorActionPreference inside it',
    source: 'about_CommonParameters, about_Preference_Variables',
    script: `function Test-Ea { [CmdletBinding()] param() "pref=$ErrorActionPreference" }\nTest-Ea -ErrorAction SilentlyContinue`,
    output: lines('pref=SilentlyContinue'),
  },
  {
    name: '$input in a simple function holds the whole pipeline input',
    source: 'about_Automatic_Variables ($input)',
    script: `function Count-Input { "count $(@($input).Count)" }\n1..3 | Count-Input`,
    output: lines('count 3'),
  },
];

conformanceSuite('advanced functions', cases);
