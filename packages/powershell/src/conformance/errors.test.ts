/**
 * Conformance: the error model (about_Try_Catch_Finally, about_Preference_Variables,
 * about_CommonParameters, about_Automatic_Variables): non-terminating errors that let a command go
 * on, -ErrorAction and $ErrorActionPreference, `$Error`, Write-Error's records, and the positions
 * of errors inside functions and multi-line scripts, with the console text Windows PowerShell 5.1
 * prints. Messages are PowerShell's resource strings (CommandBaseStrings.resx, ErrorPackage.resx).
 */
import { describe, expect, test } from 'vitest';
import type { HostPrompt, HostPromptAnswer } from '../index.js';
import type { ConformanceCase } from './harness.js';
import { conformanceSuite, lines, runConformance as run } from './harness.js';

/** R30: Get-VM's record for a name it cannot find. */
const getVmNotFound = (name: string, at: [number, number], line: string, width: number): string =>
  lines(
    `Get-VM : Hyper-V was unable to find a virtual machine with name "${name}".`,
    `At line:${at[0]} char:${at[1]}`,
    `+ ${line}`,
    `+ ${' '.repeat(at[1] - 1)}${'~'.repeat(width)}`,
    `    + CategoryInfo          : InvalidArgument: (${name}:String) [Get-VM], VirtualizationException`,
    '    + FullyQualifiedErrorId : InvalidParameter,Microsoft.HyperV.PowerShell.Commands.GetVM',
  );

const cases: ConformanceCase[] = [
  {
    name: 'a cmdlet given several names reports each one it cannot find and goes on with the rest',
    source: 'about_CommonParameters (non-terminating errors); R30; R36',
    script: `Get-VM -Name NoSuch, Web-01 | Select-Object -ExpandProperty Name`,
    output:
      getVmNotFound(
        'NoSuch',
        [1, 1],
        'Get-VM -Name NoSuch, Web-01 | Select-Object -ExpandProperty Name',
        27,
      ) + lines('Web-01'),
    exitCode: 1,
  },
  {
    name: 'an error inside a function is shown at its line in the function',
    source:
      'about_Functions; record layout of Windows PowerShell 5.1 (position of the failing command)',
    script: `function Get-Lab {
  param($Name)
  Get-VM -Name $Name
}
Get-Lab NoSuch`,
    output: getVmNotFound('NoSuch', [3, 3], '  Get-VM -Name $Name', 18),
    exitCode: 1,
  },
  {
    name: 'Write-Error at the top of a script shows the script text before the message and no position',
    source:
      'Write-Error reference; public transcripts of Windows PowerShell 5.1 (`Write-Error "test" : test`)',
    script: `Write-Error "Disk full" -Category ResourceUnavailable -ErrorId DiskFull -TargetObject Web-01`,
    output: lines(
      'Write-Error "Disk full" -Category ResourceUnavailable -ErrorId DiskFull -TargetObject Web-01 : Disk full',
      '    + CategoryInfo          : ResourceUnavailable: (Web-01:String) [Write-Error], WriteErrorException',
      '    + FullyQualifiedErrorId : DiskFull',
    ),
    exitCode: 1,
  },
  {
    name: 'Write-Error in a function names the function, the call position and the function after the id',
    source:
      'public transcripts of Windows PowerShell 5.1 (`PCLookup : ...`, `...WriteErrorException,PCLookup`)',
    script: `function Test-Lab {
    Write-Error "Lab not ready"
}
Test-Lab`,
    output: lines(
      'Test-Lab : Lab not ready',
      'At line:4 char:1',
      '+ Test-Lab',
      '+ ~~~~~~~~',
      '    + CategoryInfo          : NotSpecified: (:) [Write-Error], WriteErrorException',
      '    + FullyQualifiedErrorId : Microsoft.PowerShell.Commands.WriteErrorException,Test-Lab',
    ),
    exitCode: 1,
  },
  {
    name: 'Write-Error in a function called by a function names the inner one at its call',
    source:
      'Write-Error reference; record layout of Windows PowerShell 5.1 (the caller’s InvocationInfo)',
    script: `function Inner { Write-Error "deep" }
function Outer {
  Inner
}
Outer`,
    output: lines(
      'Inner : deep',
      'At line:3 char:3',
      '+   Inner',
      '+   ~~~~~',
      '    + CategoryInfo          : NotSpecified: (:) [Write-Error], WriteErrorException',
      '    + FullyQualifiedErrorId : Microsoft.PowerShell.Commands.WriteErrorException,Inner',
    ),
    exitCode: 1,
  },
  {
    name: '-ErrorAction Inquire with nobody to ask fails as powershell.exe -NonInteractive does',
    source: 'ConsoleHostUserInterfaceStrings.ReadFailsOnNonInteractiveFlag; R28',
    script: `Get-VM -Name NoSuch -ErrorAction Inquire`,
    output: lines(
      'Get-VM : PowerShell is in NonInteractive mode. Read and Prompt functionality is not available.',
      'At line:1 char:1',
      '+ Get-VM -Name NoSuch -ErrorAction Inquire',
      '+ ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~',
      '    + CategoryInfo          : InvalidOperation: (:) [Get-VM], PSInvalidOperationException',
      '    + FullyQualifiedErrorId : InvalidOperation,Microsoft.HyperV.PowerShell.Commands.GetVM',
    ),
    exitCode: 1,
  },
  {
    name: 'Write-Error is non-terminating: the script goes on and $? is False',
    source:
      'Write-Error reference ("declares a non-terminating error"); about_Automatic_Variables ($?)',
    script: `Write-Error 'first' -ErrorAction SilentlyContinue\n$?\n'still running'`,
    output: lines('False', 'still running'),
  },
  {
    name: '-ErrorAction Stop makes the error terminating: the script ends',
    source: 'about_CommonParameters (-ErrorAction Stop)',
    script: `Get-VM -Name NoSuch -ErrorAction Stop\n'not reached'`,
    output: getVmNotFound('NoSuch', [1, 1], 'Get-VM -Name NoSuch -ErrorAction Stop', 37),
    exitCode: 1,
  },
  {
    name: "$ErrorActionPreference = 'Stop' turns non-terminating errors into ones try/catch catches",
    source: 'about_Preference_Variables ($ErrorActionPreference); about_Try_Catch_Finally',
    script: `$ErrorActionPreference = 'Stop'
try { Write-Error 'oops'; 'not reached' } catch { "caught: $_" }
try { Get-VM -Name NoSuch, Web-01 } catch { "caught: $($_.FullyQualifiedErrorId)" }`,
    output: lines(
      'caught: oops',
      'caught: InvalidParameter,Microsoft.HyperV.PowerShell.Commands.GetVM',
    ),
  },
  {
    name: '-ErrorAction Stop inside a function is caught by the caller',
    source: 'about_Try_Catch_Finally',
    script: `function Get-Strict { Get-VM -Name NoSuch -ErrorAction Stop }
try { Get-Strict } catch { "caught $($_.CategoryInfo.Category)" }`,
    output: lines('caught InvalidArgument'),
  },
  {
    name: '-ErrorAction Ignore leaves no trace in $Error; SilentlyContinue does',
    source: 'about_CommonParameters (-ErrorAction Ignore, SilentlyContinue)',
    script: `Get-VM -Name NoSuch -ErrorAction Ignore\n$Error.Count\nGet-VM -Name NoSuch -ErrorAction SilentlyContinue\n$Error.Count`,
    output: lines('0', '1'),
  },
  {
    name: '-ea 0 and $ErrorActionPreference = 0 are SilentlyContinue (the enum by its number)',
    source:
      'ActionPreference enum reference (SilentlyContinue 0, Stop 1); about_CommonParameters (-ea alias)',
    script: `Get-VM -Name NoSuch -ea 0
$Error.Count
try { Get-VM -Name NoSuch -ea 1 } catch { 'stopped' }
$ErrorActionPreference = 0
Get-VM -Name NoSuch
'quiet'`,
    output: lines('1', 'stopped', 'quiet'),
  },
  {
    name: '$Error holds the newest record first; $Error.Clear() empties it',
    source: 'about_Automatic_Variables ($Error)',
    script: `Write-Error 'a' 2> $null
Write-Error 'b' 2> $null
"$($Error[0]) $($Error[1]) $($Error.Count)"
$Error.Clear()
$Error.Count`,
    output: lines('b a 2', '0'),
  },
  {
    name: '-ErrorAction Suspend is refused',
    source:
      'ErrorPackage.ActionPreferenceReservedForFutureUseError (MshCommandRuntime refuses Suspend)',
    script: `Get-VM -Name Web-01 -ErrorAction Suspend`,
    output: lines(
      'Get-VM : The Suspend ActionPreference value is reserved for future use and is not supported at this time. For more information about preference variables, see the Help topic, "about_Preference_Variables."',
      'At line:1 char:1',
      '+ Get-VM -Name Web-01 -ErrorAction Suspend',
      '+ ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~',
      '    + CategoryInfo          : NotSpecified: (:) [Get-VM], NotSupportedException',
      '    + FullyQualifiedErrorId : System.NotSupportedException,Microsoft.HyperV.PowerShell.Commands.GetVM',
    ),
    exitCode: 1,
    note: 'the message is PowerShell’s resource string; the category and id Windows PowerShell 5.1 gives a cmdlet outside a workflow were not verified',
  },
  {
    name: '-WarningAction Stop shows the warning, then stops with ErrorPreferenceStop',
    source:
      'CommandBaseStrings.ErrorPreferenceStop; MshCommandRuntime.WriteHelper (the record is written first)',
    script: `Write-Warning 'low disk' -WarningAction Stop\n'not reached'`,
    output: lines(
      'WARNING: low disk',
      'Write-Warning : The running command stopped because the preference variable "WarningPreference" or common parameter is set to Stop: low disk',
      'At line:1 char:1',
      "+ Write-Warning 'low disk' -WarningAction Stop",
      '+ ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~',
      '    + CategoryInfo          : OperationStopped: (:) [Write-Warning], ActionPreferenceStopException',
      '    + FullyQualifiedErrorId : ActionPreferenceStop,Microsoft.PowerShell.Commands.WriteWarningCommand',
    ),
    exitCode: 1,
    note: 'CategoryInfo and FullyQualifiedErrorId follow ActionPreferenceStopException; not checked against a transcript',
  },
];

conformanceSuite('PowerShell error model', cases);

describe('-ErrorAction Inquire asks through the host (MshCommandRuntime.InquireHelper)', () => {
  const answering = (...choices: number[]) => {
    const asked: HostPrompt[] = [];
    const prompt = (p: HostPrompt): Promise<HostPromptAnswer> => {
      asked.push(p);
      return Promise.resolve({ choice: choices.shift() ?? 0 });
    };
    return { asked, prompt };
  };

  test('the question is the error message with Yes, Yes to All, Halt Command and Suspend; Yes shows the record', async () => {
    const { asked, prompt } = answering(0);
    const r = await run(`Get-VM -Name NoSuch -ErrorAction Inquire; 'after'`, { prompt });
    expect(asked).toHaveLength(1);
    expect(asked[0]).toMatchObject({
      kind: 'choice',
      caption: 'Confirm',
      message: 'Hyper-V was unable to find a virtual machine with name "NoSuch".',
    });
    expect(asked[0]?.kind === 'choice' && asked[0].choices.map((c) => c.label)).toEqual([
      '&Yes',
      'Yes to &All',
      '&Halt Command',
      '&Suspend',
    ]);
    expect(r.output).toContain('Get-VM : Hyper-V was unable to find a virtual machine');
    expect(r.output.endsWith(lines('after'))).toBe(true);
  });

  test('Yes to All stops asking for the rest of the command', async () => {
    const { asked, prompt } = answering(1);
    const r = await run(`Get-VM -Name A, B, C -ErrorAction Inquire`, { prompt });
    expect(asked).toHaveLength(1);
    expect(r.errors).toHaveLength(3);
  });

  test('Halt Command ends the script with InquireHalt', async () => {
    const { prompt } = answering(2);
    const r = await run(`Get-VM -Name NoSuch -ErrorAction Inquire; 'not reached'`, { prompt });
    expect(r.output).toContain(
      'The running command stopped because the user selected the Stop option.',
    );
    expect(r.output.split('\n')).not.toContain('not reached');
    expect(r.exitCode).toBe(1);
  });

  test('Suspend has no nested prompt here: it says so and asks again', async () => {
    const { asked, prompt } = answering(3, 0);
    const r = await run(`Get-VM -Name NoSuch -ErrorAction Inquire`, { prompt });
    expect(asked).toHaveLength(2);
    expect(r.output).toContain('Suspend is not available in this console');
  });
});
