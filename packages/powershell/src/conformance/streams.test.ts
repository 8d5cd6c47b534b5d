/**
 * Conformance: the six streams and redirection (about_Output_Streams, about_Redirection,
 * about_Preference_Variables, about_CommonParameters), with the console text and exit code Windows
 * PowerShell 5.1 gives. Prefixes `WARNING: `, `VERBOSE: `, `DEBUG: ` are InternalHostUserInterface's
 * WarningFormatString, VerboseFormatString and DebugFormatString.
 */
import { describe, expect, test } from 'vitest';
import type { HostPrompt } from '../index.js';
import type { ConformanceCase } from './harness.js';
import { conformanceSuite, lines, runConformance as run } from './harness.js';

const cases: ConformanceCase[] = [
  {
    name: 'Write-Warning prints WARNING: and $WarningPreference = SilentlyContinue hides it',
    source: 'Write-Warning reference; about_Preference_Variables ($WarningPreference)',
    script: `Write-Warning "Disk low"\n$WarningPreference = 'SilentlyContinue'\nWrite-Warning hidden\n'done'`,
    output: lines('WARNING: Disk low', 'done'),
  },
  {
    name: 'Write-Verbose is shown only with -Verbose or $VerbosePreference = Continue',
    source: 'Write-Verbose reference; about_CommonParameters (-Verbose)',
    script: `Write-Verbose 'hidden'\nWrite-Verbose 'Checking Web-01' -Verbose\n$VerbosePreference = 'Continue'\nWrite-Verbose 'now shown'\nWrite-Verbose 'off again' -Verbose:$false`,
    output: lines('VERBOSE: Checking Web-01', 'VERBOSE: now shown'),
  },
  {
    name: 'Write-Debug is shown with $DebugPreference = Continue',
    source: 'Write-Debug reference; about_Preference_Variables ($DebugPreference)',
    script: `Write-Debug 'hidden'\n$DebugPreference = 'Continue'\nWrite-Debug 'state read'`,
    output: lines('DEBUG: state read'),
  },
  {
    name: 'Write-Information is hidden by default; -InformationAction Continue shows its data',
    source: 'Write-Information reference (PowerShell 5.0); about_Preference_Variables',
    script: `Write-Information 'hidden'\nWrite-Information 'Backup started' -InformationAction Continue`,
    output: lines('Backup started'),
  },
  {
    name: 'Write-Host writes to the information stream and is shown whatever $InformationPreference says',
    source:
      'Write-Host reference ("Starting in Windows PowerShell 5.0, Write-Host is a wrapper for Write-Information")',
    script: `Write-Host 'Checkpointing' -ForegroundColor Yellow -NoNewline\nWrite-Host ' done'\nWrite-Host 'quiet' -InformationAction SilentlyContinue\nWrite-Host a b -Separator ','`,
    output: lines('Checkpointing done', 'a,b'),
  },
  {
    name: 'output written before a warning comes first',
    source: 'about_Output_Streams; Out-Default writes output as it comes',
    script: `foreach ($n in 1..2) { "vm $n"; Write-Warning "slow $n" }`,
    output: lines('vm 1', 'WARNING: slow 1', 'vm 2', 'WARNING: slow 2'),
  },
  {
    name: '2>&1 sends error records down the pipeline: "$_" is the message',
    source: 'about_Redirection (2>&1); about_Automatic_Variables ($_)',
    script: `Get-VM -Name NoSuch 2>&1 | ForEach-Object { "got: $_" }`,
    output: lines('got: Hyper-V was unable to find a virtual machine with name "NoSuch".'),
    // The pipeline wrote an error (merged or not), so $? is False (about_Automatic_Variables).
    exitCode: 1,
  },
  {
    name: 'a redirected error record keeps its members',
    source:
      'about_Redirection; ErrorRecord members (Exception, CategoryInfo, FullyQualifiedErrorId, TargetObject)',
    script: `$r = Get-VM -Name NoSuch 2>&1
$r.Exception.Message
$r.FullyQualifiedErrorId
"$($r.CategoryInfo)"
$r.CategoryInfo.Category
$r.CategoryInfo.Activity
$r.TargetObject`,
    output: lines(
      'Hyper-V was unable to find a virtual machine with name "NoSuch".',
      'InvalidParameter,Microsoft.HyperV.PowerShell.Commands.GetVM',
      'InvalidArgument: (NoSuch:String) [Get-VM], VirtualizationException',
      'InvalidArgument',
      'Get-VM',
      'NoSuch',
    ),
  },
  {
    name: 'a merged error record reaching the console is shown as an error record',
    source: 'about_Redirection; R30 (Get-VM record)',
    script: `Get-VM -Name NoSuch 2>&1`,
    output: lines(
      'Get-VM : Hyper-V was unable to find a virtual machine with name "NoSuch".',
      'At line:1 char:1',
      '+ Get-VM -Name NoSuch 2>&1',
      '+ ~~~~~~~~~~~~~~~~~~~~~~~~',
      '    + CategoryInfo          : InvalidArgument: (NoSuch:String) [Get-VM], VirtualizationException',
      '    + FullyQualifiedErrorId : InvalidParameter,Microsoft.HyperV.PowerShell.Commands.GetVM',
    ),
    exitCode: 1,
  },
  {
    name: '3>&1 and *>&1 merge warnings, verbose and information records into the output',
    source: 'about_Redirection (n>&1, *>&1)',
    script: `Write-Warning 'w' 3>&1 | ForEach-Object { "[$_]" }
& { Write-Verbose 'v' -Verbose; Write-Information 'i' -InformationAction Continue; 'out' } *>&1 | ForEach-Object { "<$_>" }`,
    output: lines('[w]', '<v>', '<i>', '<out>'),
    note: 'a script block stage gives its output after its records: commands run stage by stage here',
  },
  {
    name: '2> $null hides the record but $Error keeps it and $? is False',
    source: 'about_Redirection ($null); about_Automatic_Variables ($?, $Error)',
    script: `Write-Error 'hidden' 2> $null\n$?\n$Error.Count\n"$($Error[0])"`,
    output: lines('False', '1', 'hidden'),
  },
  {
    name: '> $null and *> $null drop the output; 3> $null drops warnings',
    source: 'about_Redirection',
    script: `Get-VM -Name Web-01 > $null\n'x' > $null\nWrite-Warning 'w' 3> $null\n& { 'o'; Write-Warning 'w2' } *> $null\n'done'`,
    output: lines('done'),
  },
  {
    name: 'the innermost redirection wins',
    source: 'about_Redirection',
    script: `& { Write-Error 'inner' 2> $null; Write-Warning 'kept' } 3>&1 | ForEach-Object { "got $_" }`,
    output: lines('got kept'),
    exitCode: 1,
  },
  {
    name: 'Out-Null drops output but not errors',
    source: 'Out-Null reference',
    script: `Get-VM -Name Web-01 | Out-Null\n'after'`,
    output: lines('after'),
  },
  {
    name: 'a stream redirected twice is a parse error',
    source: 'ParserStrings.StreamAlreadyRedirected',
    script: `Write-Error x 2> $null 2>&1`,
    output: lines(
      'At line:1 char:24',
      '+ Write-Error x 2> $null 2>&1',
      '+                        ~~~~',
      'The error stream for this command is already redirected.',
      '    + CategoryInfo          : ParserError: (:) [], ParentContainsErrorRecordException',
      '    + FullyQualifiedErrorId : StreamAlreadyRedirected',
    ),
    exitCode: 1,
  },
  {
    name: 'a redirection without a file is a parse error',
    source: 'ParserStrings.MissingFileSpecification',
    script: `Get-VM >`,
    output: lines(
      'At line:1 char:8',
      '+ Get-VM >',
      '+        ~',
      'Missing file specification after redirection operator.',
      '    + CategoryInfo          : ParserError: (:) [], ParentContainsErrorRecordException',
      '    + FullyQualifiedErrorId : MissingFileSpecification',
    ),
    exitCode: 1,
  },
  {
    name: 'a redirection to a file, in a run given no file system, is refused with this product’s own record',
    source:
      'this product (runPowerShell without RunOptions.fileSystem; files.test.ts has the real ones)',
    script: `Get-VM > vms.txt\n'after'`,
    output: (result) => {
      expect(result.errors[0]?.fullyQualifiedErrorId).toBe('FileSystemNotAvailable');
      expect(result.errors[0]?.message).toContain(
        'a limit of this product, not a PowerShell error',
      );
      expect(result.output.endsWith(lines('after'))).toBe(true);
    },
    note: 'PowerShell would write the file; a run with no file system has nowhere to write it',
  },
];

conformanceSuite('PowerShell streams and redirection', cases);

describe('common parameters that collect records (about_CommonParameters)', () => {
  test('-ErrorVariable collects a silenced error: $ev.Count is 1; +ev appends', async () => {
    const r = await run(
      `Get-VM -Name X -ErrorVariable ev -ErrorAction SilentlyContinue; $ev.Count
Get-VM -Name Y -ErrorVariable +ev -ErrorAction SilentlyContinue; $ev.Count
"$($ev[1])"`,
    );
    expect(r.output).toBe(
      lines('1', '2', 'Hyper-V was unable to find a virtual machine with name "Y".'),
    );
  });

  test('-WarningVariable, -InformationVariable and -OutVariable', async () => {
    const r = await run(
      `Write-Warning 'w' -WarningVariable wv -WarningAction SilentlyContinue
Write-Information 'i' -InformationVariable iv
Get-VM -Name Web-01 -OutVariable vms | Out-Null
"$wv|$iv|$($vms.Name)"`,
    );
    expect(r.output).toBe(lines('w|i|Web-01'));
  });

  test('short aliases -ea -ev -wa -wv -ov -iv -infa -pv -ob -vb -db are accepted', async () => {
    const r = await run(
      `Get-VM -Name X -ea SilentlyContinue -ev e1 -wa Continue -wv w1 -ov o1 -iv i1 -infa Continue -pv p1 -ob 1 -vb:$false -db:$false; $e1.Count`,
    );
    expect(r.output).toBe(lines('1'));
  });

  test('-Debug asks (Inquire) when the run has a user: Yes shows the message', async () => {
    const prompts: HostPrompt[] = [];
    const r = await run(`Write-Debug 'checking' -Debug; 'after'`, {
      prompt: (p) => {
        prompts.push(p);
        return Promise.resolve({ choice: 0 });
      },
    });
    expect(r.output).toBe(lines('DEBUG: checking', 'after'));
    expect(prompts[0]).toMatchObject({
      kind: 'choice',
      caption: 'Confirm',
      message: 'Continue with this operation?',
    });
    expect(prompts[0]?.kind === 'choice' && prompts[0].choices.map((c) => c.label)).toEqual([
      '&Yes',
      'Yes to &All',
      '&Halt Command',
      '&Suspend',
    ]);
  });

  test('-Debug on a run without a user shows the message (nobody to ask)', async () => {
    expect((await run(`Write-Debug 'checking' -Debug`)).output).toBe(lines('DEBUG: checking'));
  });
});
