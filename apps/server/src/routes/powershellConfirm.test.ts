/**
 * The guard rails of Hyper-V's cmdlets through the real server: the real script worker, the real
 * cmdlets, a real host. Remove-VM asks first (ShouldProcess, behaviour spec R28) and a missing
 * mandatory -Name is asked for (R27) in an interactive run; a plain API call is non-interactive.
 */
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import type { RunAnswer } from '../powershell/runs.js';
import { createTestApp, createVm } from '../testing/testApp.js';
import type { TestApp } from '../testing/testApp.js';

let t: TestApp;

async function run(app: TestApp, body: Record<string, unknown>): Promise<RunAnswer> {
  const response = await request(app.app).post('/api/v1/powershell').send(body);
  expect(response.status, response.text).toBe(200);
  return response.body as RunAnswer;
}

async function answer(app: TestApp, runId: string, body: unknown): Promise<RunAnswer> {
  const response = await request(app.app)
    .post(`/api/v1/powershell/runs/${runId}/answer`)
    .send({ answer: body });
  expect(response.status, response.text).toBe(200);
  return response.body as RunAnswer;
}

async function vmNames(app: TestApp): Promise<string[]> {
  const response = await request(app.app).get('/api/v1/vms');
  return (response.body as { name: string }[]).map((vm) => vm.name);
}

describe('PowerShell asks before it destroys, through the server', () => {
  it('Remove-VM in the console asks Confirm; No keeps the VM, Yes removes it', async () => {
    t = await createTestApp();
    await createVm(t.app, 'Keep Me');
    const first = await run(t, { script: "Remove-VM -Name 'Keep Me'", interactive: true });
    expect(first).toMatchObject({
      status: 'prompt',
      prompt: { kind: 'choice', caption: 'Confirm' },
    });
    const labels = (first as { prompt: { choices: { label: string }[] } }).prompt.choices.map(
      (c) => c.label,
    );
    expect(labels).toEqual(['&Yes', 'Yes to &All', '&No', 'No to A&ll', '&Suspend']);
    const declined = await answer(t, first.runId, { choice: 2 });
    expect(declined.status).toBe('completed');
    expect(await vmNames(t)).toContain('Keep Me');

    const again = await run(t, { script: "Remove-VM -Name 'Keep Me'", interactive: true });
    expect(again.status).toBe('prompt');
    const accepted = await answer(t, again.runId, { choice: 0 });
    expect(accepted).toMatchObject({ status: 'completed', hadTerminatingError: false });
    expect(await vmNames(t)).not.toContain('Keep Me');
  });

  it('a plain API call is non-interactive: Remove-VM fails and the VM stays', async () => {
    t = await createTestApp();
    await createVm(t.app, 'Still Here');
    const result = await run(t, { script: "Remove-VM -Name 'Still Here'" });
    expect(result).toMatchObject({ status: 'completed' });
    expect((result as { output: string }).output).toContain(
      'PowerShell is in NonInteractive mode. Read and Prompt functionality is not available.',
    );
    expect(await vmNames(t)).toContain('Still Here');
  });

  it('Checkpoint-VM without -Name asks for it in the console and checkpoints only that VM', async () => {
    t = await createTestApp();
    await createVm(t.app, 'Alpha');
    await createVm(t.app, 'Beta');
    const first = await run(t, { script: 'Checkpoint-VM -SnapshotName Asked', interactive: true });
    expect(first).toMatchObject({ status: 'prompt', prompt: { kind: 'text' } });
    const next = await answer(t, first.runId, { text: ['Alpha'] });
    // PowerShell asks for Name[1] until an empty line ends the list.
    const done = next.status === 'prompt' ? await answer(t, next.runId, { text: [''] }) : next;
    expect(done).toMatchObject({ status: 'completed', hadTerminatingError: false });
    const listed = await run(t, { script: 'Get-VM | Get-VMSnapshot | Select-Object VMName, Name' });
    expect((listed as { output: string }).output).toMatch(/Alpha\s+Asked/);
    expect((listed as { output: string }).output).not.toMatch(/Beta/);
  });

  it('Checkpoint-VM without -Name from the API fails with the missing-parameter error', async () => {
    t = await createTestApp();
    await createVm(t.app, 'Gamma');
    const result = await run(t, { script: 'Checkpoint-VM' });
    expect((result as { output: string }).output).toContain(
      'Cannot process command because of one or more missing mandatory parameters: Name.',
    );
    const listed = await run(t, { script: 'Get-VM | Get-VMSnapshot' });
    expect((listed as { output: string }).output.trim()).toBe('');
  });
});
