/** The session's bounds and the waits' budget: what holds a hostile script to its limits. */
import { buildVm, createTestHost } from '@hvm/engine/testing';
import { describe, expect, test } from 'vitest';
import { runPowerShell } from '../index.js';
import type { HostPrompter } from '../index.js';
import { SteppingClock } from './clock.js';
import { PowerShellSession } from './session.js';
import { WAIT_TICK_MS } from './services.js';

async function host() {
  const { host } = await createTestHost();
  await buildVm(host, { name: 'Web-01', state: 'Running' });
  await buildVm(host, { name: 'Db-01' });
  return host;
}

describe('the session holds a bounded number of jobs and job items', () => {
  test('a job past the most jobs is refused with a record of this product, nothing started', async () => {
    const session = new PowerShellSession({ maxJobs: 2 }, new SteppingClock());
    const h = await host();
    const result = await runPowerShell(
      h,
      'Start-VM Db-01 -AsJob | Out-Null; Wait-VM Db-01 -AsJob | Out-Null; Suspend-VM Web-01 -AsJob',
      { session },
    );
    expect(result.errors[0]?.message).toContain('already holds 2 jobs');
    expect(result.errors[0]?.message).toContain('not a PowerShell error');
    expect(session.jobs).toHaveLength(2);
    expect(h.listVms().find((vm) => vm.name === 'Web-01')?.state).toBe('Running');
    session.stopAll();
  });

  test('a job keeps at most maxJobItems items for Receive-Job and counts the rest as dropped', () => {
    const session = new PowerShellSession({ maxJobItems: 3 });
    const job = session.createJob('Get-VM');
    for (let i = 0; i < 10; i++) job.write({ kind: 'output', value: i });
    expect(job.unreceived).toHaveLength(3);
    expect(job.dropped).toBe(7);
  });

  test('job ids go 1, 3, 5 and names follow them', () => {
    const session = new PowerShellSession();
    expect([1, 2, 3].map(() => session.createJob('x').name)).toEqual(['Job1', 'Job3', 'Job5']);
  });

  test('a stopped job takes no more output from an operation already under way', () => {
    const job = new PowerShellSession().createJob('x');
    job.finish('Stopped');
    job.write({ kind: 'output', value: 1 });
    job.finish('Completed');
    expect(job.state).toBe('Stopped');
    expect(job.unreceived).toHaveLength(0);
  });
});

describe('waiting stays inside the run budget', () => {
  test('every look of a wait is a step: Start-Sleep cannot outlast the step limit', async () => {
    const clock = new SteppingClock();
    const result = await runPowerShell(await host(), 'Start-Sleep -Seconds 100000', {
      session: new PowerShellSession({}, clock),
      limits: { maxSteps: 50 },
    });
    expect(result.errors[0]?.fullyQualifiedErrorId).toMatch(/^ScriptLimitExceeded,/);
    expect(clock.sleeps.length).toBeLessThanOrEqual(50);
  });

  test('Ctrl+C stops Start-Sleep at its next look, with nothing printed', async () => {
    let stop = false;
    const clock = new SteppingClock(() => {
      stop = clock.sleeps.length >= 3;
    });
    const result = await runPowerShell(await host(), 'Start-Sleep -Seconds 60; "not reached"', {
      session: new PowerShellSession({}, clock),
      shouldStop: () => (stop ? 'stopped' : null),
    });
    expect(result.output).toBe('');
    expect(clock.sleeps).toHaveLength(3);
  });

  test('Start-Sleep looks at the run every WAIT_TICK_MS of its clock', async () => {
    const clock = new SteppingClock();
    await runPowerShell(await host(), 'Start-Sleep -Milliseconds 250', {
      session: new PowerShellSession({}, clock),
    });
    expect(clock.sleeps).toEqual([WAIT_TICK_MS, WAIT_TICK_MS, 250 - 2 * WAIT_TICK_MS]);
  });

  test('Wait-Job without -Timeout ends at the time limit of the run (its stop reason)', async () => {
    const session = new PowerShellSession({}, new SteppingClock());
    let looks = 0;
    const result = await runPowerShell(
      await host(),
      '$job = Wait-VM Db-01 -AsJob; Wait-Job $job; "not reached"',
      { session, shouldStop: () => (++looks > 40 ? 'timeout' : null) },
    );
    expect(result.errors[0]?.message).toContain('time limit');
    expect(result.output).not.toMatch(/^not reached$/m);
    session.stopAll();
  });
});

describe('questions of a job', () => {
  test('the foreground part asks; the background part cannot, its question fails in the job', async () => {
    const h = await host();
    await buildVm(h, { name: 'Old-01' });
    await buildVm(h, { name: 'Old-02' });
    const asked: string[] = [];
    const session = new PowerShellSession({}, new SteppingClock());
    const prompt: HostPrompter = (question) => {
      asked.push(question.message);
      return Promise.resolve({ choice: 0 });
    };
    const started = await runPowerShell(h, '$job = Remove-VM -Name Old-01, Old-02 -AsJob', {
      session,
      prompt,
    });
    expect(started.output).toBe('');
    expect(asked).toHaveLength(1);
    const received = await runPowerShell(
      h,
      '$null = Wait-Job $job; $job.State; Receive-Job $job -ErrorAction Continue',
      { session, prompt },
    );
    expect(asked).toHaveLength(1);
    expect(received.output).toMatch(/^Failed\n/);
    expect(received.errors[0]?.message).toBe(
      'PowerShell is in NonInteractive mode. Read and Prompt functionality is not available.',
    );
    expect(h.listVms().map((vm) => vm.name)).toContain('Old-02');
    expect(h.listVms().map((vm) => vm.name)).not.toContain('Old-01');
  });
});

describe('Receive-Job and -ErrorAction', () => {
  test('SilentlyContinue hides the job\u2019s records (kept in $Error); Stop ends the script', async () => {
    const h = await host();
    const session = new PowerShellSession({}, new SteppingClock());
    await runPowerShell(h, '$a = Start-VM Nope -AsJob; $b = Start-VM Nope -AsJob', { session });
    const quiet = await runPowerShell(
      h,
      '$null = Wait-Job $a, $b; Receive-Job $a -ErrorAction SilentlyContinue; $Error.Count',
      { session },
    );
    expect(quiet.output).toBe('1\n');
    const stopped = await runPowerShell(h, 'Receive-Job $b -ErrorAction Stop; "not reached"', {
      session,
    });
    expect(stopped.errors).toHaveLength(1);
    expect(stopped.output).not.toMatch(/^not reached$/m);
  });
});
