/**
 * hvps and background jobs: a script's jobs live as long as its process (powershell.exe ends its
 * jobs when it exits), so `-AsJob` and `Wait-Job` / `Receive-Job` work within one -Command, -File
 * or standard-input script, and the host's work a job started is finished before the folder closes.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHost, nodeFileStore } from '@hvm/engine';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Invocation } from './cli/args.js';
import { runInvocation } from './cli/run.js';

describe('hvps --data: jobs within one script', () => {
  let folder: string;
  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'hvps-jobs-'));
  });
  afterEach(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  async function run(script: string, via: 'command' | 'stdin' = 'command') {
    let stdout = '';
    let stderr = '';
    const invocation: Invocation = {
      kind: 'run',
      script: via === 'command' ? script : null,
      target: { kind: 'data', folder },
      width: 120,
      interactive: false,
    };
    const code = await runInvocation(invocation, {
      stdout: (text) => (stdout += text),
      stderr: (text) => (stderr += text),
      readStdin: () => Promise.resolve(script),
      readFile: () => Promise.reject(new Error('no file')),
    });
    return { code, stdout, stderr };
  }

  it('Wait-Job and Receive-Job see the job a -AsJob command of the same script started', async () => {
    const created = await run(
      "New-VM -Name 'Web Server' -MemoryStartupBytes 1GB -NewVHDSizeBytes 1GB | Out-Null",
    );
    expect(created.code, created.stderr).toBe(0);
    const result = await run(
      `$job = Checkpoint-VM -Name 'Web Server' -SnapshotName Nightly -Passthru -AsJob
$null = Wait-Job $job
$job.State
(Receive-Job $job).Name`,
      'stdin',
    );
    expect(result).toEqual({ code: 0, stdout: 'Completed\nNightly\n', stderr: '' });
    const host = await createHost({ store: nodeFileStore(folder) });
    try {
      const [vm] = host.listVms();
      if (vm === undefined) throw new Error('The VM is not in the data folder.');
      expect(host.listCheckpoints(vm.id).checkpoints.map((c) => c.name)).toEqual(['Nightly']);
    } finally {
      await host.close();
    }
  });

  it('a job started by one hvps process is gone in the next, as with powershell.exe', async () => {
    await run("New-VM -Name 'Web Server' -NewVHDSizeBytes 1GB | Out-Null");
    await run("Start-VM -Name 'Web Server' -AsJob | Out-Null");
    const listed = await run('@(Get-Job).Count');
    expect(listed.stdout).toBe('0\n');
  });
});
