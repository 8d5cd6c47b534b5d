/**
 * Conformance: background jobs (-AsJob, Get-Job, Wait-Job, Receive-Job, Stop-Job, Remove-Job),
 * Start-Sleep, Wait-VM and the console session, with the console text and exit codes Windows
 * PowerShell 5.1 gives. Every case runs in a session on a clock the test steps (no real waiting).
 *
 * Sources: about_Jobs, the job cmdlets' reference pages, PowerShell/PowerShell's
 * RemotingErrorIdStrings.resx (JobWithSpecifiedSessionIdNotFound, JobWithSpecifiedNameNotFound,
 * JobWithSpecifiedSessionIdNotCompleted) with RemoveJob.cs / WaitJob.cs for ids and categories, the
 * Hyper-V reference pages for -AsJob and Wait-VM, and the behaviour spec (R35, section 6.5).
 *
 * What is our reading and not a transcript, each case's `note` says: the job table is sized to its
 * content (a known deviation of this console), PSJobTypeName of Hyper-V's jobs is not known and is
 * left empty, and Hyper-V's Wait-VM timeout wording is not known.
 */
import type { Host } from '@hvm/engine';
import { buildVm, createTestHost, vhdxDiskLibrary } from '@hvm/engine/testing';
import { afterEach, describe, expect, test } from 'vitest';
import type { PowerShellResult } from '../index.js';
import { PowerShellSession, SteppingClock } from '../index.js';
import type { ConformanceCase } from './harness.js';
import { conformanceHost, lines, runConformance } from './harness.js';

const sessions: PowerShellSession[] = [];
afterEach(() => {
  for (const session of sessions.splice(0)) session.stopAll();
});

function newSession(clock = new SteppingClock()): PowerShellSession {
  const session = new PowerShellSession({}, clock);
  sessions.push(session);
  return session;
}

const jobTable = (...rows: string[]): string =>
  lines(
    '',
    'Id Name PSJobTypeName State     HasMoreData Location  Command',
    '-- ---- ------------- -----     ----------- --------  -------',
    ...rows,
    '',
  );

const tableNote =
  'The table is sized to its content (this console); PSJobTypeName of Hyper-V jobs is not known and is left empty.';

const cases: ConformanceCase[] = [
  {
    name: '-AsJob returns the job at once, Running',
    source: 'Start-VM reference (-AsJob: "Runs the cmdlet as a background job"); about_Jobs',
    script: 'Start-VM -Name Db-01 -AsJob',
    output: lines(
      '',
      'Id Name PSJobTypeName State   HasMoreData Location  Command',
      '-- ---- ------------- -----   ----------- --------  -------',
      '1  Job1               Running True        localhost Start-VM -Name Db-01 -AsJob',
      '',
    ),
    note: tableNote,
  },
  {
    name: 'Wait-Job waits for the job, whose state the job object reads',
    source: 'Wait-Job reference; about_Jobs',
    script: `$job = Start-VM -Name Db-01 -AsJob
$null = Wait-Job $job
$job.State
(Get-VM Db-01).State`,
    output: lines('Completed', 'Running'),
  },
  {
    name: 'Wait-Job returns the job; Get-Job lists the session\u2019s jobs',
    source: 'Wait-Job reference (outputs the finished jobs, WaitJob.cs); Get-Job reference',
    script: `Checkpoint-VM -Name Web-01 -SnapshotName Before -AsJob | Wait-Job | Out-Null
Get-Job`,
    output: jobTable(
      '1  Job1               Completed False       localhost Checkpoint-VM -Name Web-01 -SnapshotName Before -AsJob',
    ),
    note: tableNote,
  },
  {
    name: 'Receive-Job shows the error records of the job\u2019s command',
    source: 'Receive-Job reference; about_Jobs; Hyper-V not-found record (behaviour spec 6.2)',
    script: 'Start-VM -Name Nope -AsJob | Wait-Job | Receive-Job',
    output: lines(
      'Start-VM : Hyper-V was unable to find a virtual machine with name "Nope".',
      'At line:1 char:1',
      '+ Start-VM -Name Nope -AsJob | Wait-Job | Receive-Job',
      '+ ~~~~~~~~~~~~~~~~~~~~~~~~~~',
      '    + CategoryInfo          : ObjectNotFound: (:) [Start-VM], VirtualizationException',
      '    + FullyQualifiedErrorId : ObjectNotFound,Microsoft.HyperV.PowerShell.Commands.StartVM',
    ),
    exitCode: 1,
    note: 'The record keeps the position of the command that started the job (our reading: how Hyper-V jobs show their records is not documented).',
  },
  {
    name: 'Receive-Job takes the results; -Keep leaves them; HasMoreData says which',
    source: 'Receive-Job reference (-Keep); about_Jobs (HasMoreData)',
    script: `$job = Checkpoint-VM -Name Web-01 -SnapshotName A -Passthru -AsJob
$null = Wait-Job $job
$job.HasMoreData
(Receive-Job $job -Keep).Name
$job.HasMoreData
(Receive-Job $job).Name
$job.HasMoreData
@(Receive-Job $job).Count`,
    output: lines('True', 'A', 'True', 'A', 'False', '0'),
  },
  {
    name: 'Receive-Job -Wait -AutoRemoveJob waits, receives and removes the job',
    source: 'Receive-Job reference (-Wait, -AutoRemoveJob)',
    script: `$snapshot = Checkpoint-VM -Name Web-01 -SnapshotName B -Passthru -AsJob | Receive-Job -Wait -AutoRemoveJob
$snapshot.Name
@(Get-Job).Count`,
    output: lines('B', '0'),
  },
  {
    name: 'Get-Job -Id of no job',
    source:
      'RemotingErrorIdStrings.JobWithSpecifiedSessionIdNotFound; JobCmdletBase (ObjectNotFound)',
    script: 'Get-Job -Id 7',
    output: lines(
      'Get-Job : The command cannot find a job with the job ID 7. Verify the value of the Id parameter and then try the command again.',
      'At line:1 char:1',
      '+ Get-Job -Id 7',
      '+ ~~~~~~~~~~~~~',
      '    + CategoryInfo          : ObjectNotFound: (7:Int32) [Get-Job], PSArgumentException',
      '    + FullyQualifiedErrorId : JobWithSpecifiedSessionNotFound,Microsoft.PowerShell.Commands.GetJobCommand',
    ),
    exitCode: 1,
  },
  {
    name: 'Get-Job -Name of no job; a wildcard that matches nothing is no error',
    source:
      'RemotingErrorIdStrings.JobWithSpecifiedNameNotFound; RemoveJob.cs (FindJobsMatchingByName)',
    script: `Get-Job -Name Nightly*
Get-Job Nightly`,
    output: lines(
      'Get-Job : The command cannot find the job because the job name Nightly was not found. Verify the value of the Name parameter, and then try the command again.',
      'At line:2 char:1',
      '+ Get-Job Nightly',
      '+ ~~~~~~~~~~~~~~~',
      '    + CategoryInfo          : ObjectNotFound: (Nightly:String) [Get-Job], PSArgumentException',
      '    + FullyQualifiedErrorId : JobWithSpecifiedNameNotFound,Microsoft.PowerShell.Commands.GetJobCommand',
    ),
    exitCode: 1,
  },
  {
    name: 'Remove-Job refuses a running job; -Force stops and removes it',
    source:
      'RemotingErrorIdStrings.JobWithSpecifiedSessionIdNotCompleted; RemoveJob.CheckJobCanBeRemoved',
    script: `$job = Wait-VM -Name Db-01 -AsJob
Remove-Job $job
Remove-Job $job -Force
@(Get-Job).Count`,
    output: lines(
      'Remove-Job : The command cannot remove the job with the job ID 1 because the job is not finished. To remove the job, first stop the job, or use the Force parameter.',
      'At line:2 char:1',
      '+ Remove-Job $job',
      '+ ~~~~~~~~~~~~~~~',
      '    + CategoryInfo          : InvalidOperation: (:) [Remove-Job], ArgumentException',
      '    + FullyQualifiedErrorId : JobObjectNotFinishedCannotBeRemoved,Microsoft.PowerShell.Commands.RemoveJobCommand',
      '0',
    ),
    note: 'The CategoryInfo target is the job object, whose text for Hyper-V jobs is not known: left empty.',
  },
  {
    name: 'Stop-Job stops a running job',
    source: 'Stop-Job reference; about_Jobs',
    script: `$job = Wait-VM -Name Db-01 -AsJob
Stop-Job $job
$job.State
Get-Job -State Stopped | Select-Object -ExpandProperty Name`,
    output: lines('Stopped', 'Job1'),
  },
  {
    name: 'Wait-Job -Timeout returns nothing and no error when the job is still running',
    source: 'Wait-Job reference (-Timeout); WaitJob.cs (EndProcessingDoNothing)',
    script: `$job = Wait-VM -Name Db-01 -AsJob
Wait-Job $job -Timeout 2
'after'
$job.State`,
    output: lines('after', 'Running'),
  },
  {
    name: 'Wait-Job -Any returns the first job that finished',
    source: 'Wait-Job reference (-Any); WaitJob.cs (EndProcessingOutputSingleFinishedJob)',
    script: `$waiting = Wait-VM -Name Db-01 -AsJob
$checkpoint = Checkpoint-VM -Name Web-01 -AsJob
(Wait-Job $waiting, $checkpoint -Any).Id`,
    output: lines('3'),
    note: 'Job ids go 1, 3, 5: each PowerShell job has a child job that takes the id after it.',
  },
  {
    name: 'Start-Sleep waits and writes nothing',
    source: 'Start-Sleep reference',
    script: `Start-Sleep -Seconds 2
Start-Sleep -Milliseconds 250
sleep 1
'awake'`,
    output: lines('awake'),
  },
  {
    name: 'Start-Sleep refuses a negative time',
    source:
      'Start-Sleep reference ([ValidateRange]); Metadata.resx ValidateRangeSmallerThanMinRangeFailure',
    script: 'Start-Sleep -Seconds -1',
    output: (result: PowerShellResult) =>
      expect(result.errors[0]?.message).toBe(
        "Cannot validate argument on parameter 'Seconds'. The -1 argument is less than the minimum allowed range of 0. Supply an argument that is greater than or equal to 0 and then try the command again.",
      ),
    exitCode: 1,
  },
  {
    name: 'Wait-VM -Passthru returns the VM once its heartbeat answers',
    source: 'Wait-VM reference (-For Heartbeat, -Passthru; outputs VirtualMachine)',
    script: `Start-VM Db-01
(Wait-VM -Name Db-01 -For Heartbeat -Passthru).Heartbeat`,
    output: lines('OkApplicationsUnknown'),
  },
  {
    name: 'Wait-VM takes VMs from the pipeline',
    source: 'Wait-VM reference (-VM, pipeline input by value)',
    script: `Get-VM Web-01 | Wait-VM -Passthru | Select-Object -ExpandProperty Name`,
    output: lines('Web-01'),
  },
  {
    name: 'Wait-VM -Timeout ends with an error record',
    source: 'Wait-VM reference (-Timeout <Int32>, alias TimeoutSec)',
    script: 'Wait-VM -Name Db-01 -Timeout 5',
    output: lines(
      "Wait-VM : Waiting for virtual machine 'Db-01' (Heartbeat) did not end within the timeout of 5 seconds. (this product's wording: Hyper-V's is not known)",
      'At line:1 char:1',
      '+ Wait-VM -Name Db-01 -Timeout 5',
      '+ ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~',
      '    + CategoryInfo          : OperationTimeout: (Db-01:VirtualMachine) [Wait-VM], VirtualizationException',
      '    + FullyQualifiedErrorId : OperationTimeout,Microsoft.HyperV.PowerShell.Commands.WaitVM',
    ),
    exitCode: 1,
    note: "Hyper-V's wording for a Wait-VM timeout was not found; the message says it is ours.",
  },
  {
    name: 'Set-VM and Rename-VMSnapshot have no -AsJob',
    source: 'Set-VM and Rename-VMSnapshot references (no -AsJob in their syntax)',
    script: 'Set-VM -Name Web-01 -AsJob',
    output: (result: PowerShellResult) =>
      expect(result.errors[0]?.message).toBe(
        "A parameter cannot be found that matches parameter name 'AsJob'.",
      ),
    exitCode: 1,
  },
];

describe('conformance: jobs, waiting and the console session', () => {
  for (const c of cases) {
    test(`${c.name} (${c.source})`, async () => {
      const result = await runConformance(c.script, { session: newSession() });
      if (typeof c.output === 'function') c.output(result);
      else expect(result.output).toBe(c.output);
      expect(result.exitCode).toBe(c.exitCode ?? 0);
    });
  }

  test('a console session keeps variables, functions, jobs and $Error for the next command (about_Jobs; about_Scopes)', async () => {
    const host = await conformanceHost();
    const session = newSession();
    const run = (script: string): Promise<PowerShellResult> =>
      runConformance(script, { session }, host);
    await run('$vm = Get-VM Web-01; function Get-Name($x) { "name: $($x.Name)" }');
    expect((await run('$vm.State; Get-Name $vm')).output).toBe(lines('Running', 'name: Web-01'));
    await run('$job = Stop-VM -Name Web-01 -Force -AsJob');
    expect((await run('$null = Wait-Job $job; $job.State; (Get-VM Web-01).State')).output).toBe(
      lines('Completed', 'Off'),
    );
    await run('Get-VM Nope');
    expect((await run("$Error.Count; $Error[0].FullyQualifiedErrorId -like '*GetVM'")).output).toBe(
      lines('1', 'True'),
    );
  });

  test('a run without a session ends its jobs with it, as powershell.exe does at exit (about_Jobs)', async () => {
    const host = await conformanceHost();
    const result = await runConformance(
      'Wait-VM -Name Db-01 -AsJob | Out-Null; "started"',
      {},
      host,
    );
    expect(result.output).toBe(lines('started'));
    const again = await runConformance('@(Get-Job).Count', {}, host);
    expect(again.output).toBe(lines('0'));
  });

  test('a script polls Status while a checkpoint merges and goes on when it ends (R35, spec 6.5)', async () => {
    let releaseMerge: () => void = () => undefined;
    const mergeGate = new Promise<void>((resolve) => {
      releaseMerge = resolve;
    });
    const disks = vhdxDiskLibrary;
    const { host }: { host: Host } = await createTestHost({
      disks: {
        ...disks,
        mergeDisk: async (...args: Parameters<typeof disks.mergeDisk>) => {
          await mergeGate;
          return disks.mergeDisk(...args);
        },
      },
    });
    await buildVm(host, { name: 'Web-01' });
    // The merge ends during the script's third sleep.
    const clock = new SteppingClock(() => {
      if (clock.sleeps.reduce((a, b) => a + b, 0) >= 3000) releaseMerge();
    });
    const result = await runConformance(
      `Checkpoint-VM -Name Web-01 -SnapshotName Before
Remove-VMSnapshot -VMName Web-01 -Name Before -Confirm:$false
$polls = 0
while ((Get-VM Web-01).Status -like 'Merging disks*') { $polls++; Start-Sleep -Seconds 1 }
"polls: $polls"
(Get-VM Web-01).Status`,
      { session: newSession(clock) },
      host,
    );
    expect(result.output).toBe(lines('polls: 3', 'Operating normally'));
  });
});
