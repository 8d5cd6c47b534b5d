import type { CheckpointTree, VmDetail } from '@hvm/engine';
import type { PowerShellResult } from '@hvm/powershell';
import request from 'supertest';
import { beforeEach, describe, expect, it } from 'vitest';
import type { ApiErrorBody } from '../http/errors.js';
import { createTestApp, createVm } from '../testing/testApp.js';
import type { TestApp } from '../testing/testApp.js';

describe('POST /api/v1/powershell', () => {
  let t: TestApp;
  let vm: VmDetail;
  beforeEach(async () => {
    t = await createTestApp();
    vm = await createVm(t.app, 'Web Server');
  });

  async function run(script: string, width?: number): Promise<PowerShellResult> {
    const response = await request(t.app)
      .post('/api/v1/powershell')
      .send(width === undefined ? { script } : { script, width });
    expect(response.status, response.text).toBe(200);
    return response.body as PowerShellResult;
  }

  it("runs the article's lines: Standard checkpoints, then a checkpoint through the pipeline", async () => {
    const set = await run(`Set-VM -Name '${vm.name}' -CheckpointType Standard`);
    expect(set).toEqual({
      status: 'completed',
      runId: expect.any(String) as unknown,
      output: '',
      objects: [],
      errors: [],
      messages: [],
      hadTerminatingError: false,
      exitCode: 0,
    });
    const detail = (await request(t.app).get(`/api/v1/vms/${vm.id}`).expect(200)).body as VmDetail;
    expect(detail.checkpointType).toBe('Standard');

    const take = await run(
      `Get-VM -Name '${vm.name}' | Checkpoint-VM -SnapshotName StandardCheckpoint`,
    );
    expect(take.hadTerminatingError).toBe(false);
    expect(take.errors).toEqual([]);
    const tree = (await request(t.app).get(`/api/v1/vms/${vm.id}/checkpoints`).expect(200))
      .body as CheckpointTree;
    expect(tree.checkpoints.map((c) => [c.name, c.kind])).toEqual([
      ['StandardCheckpoint', 'Standard'],
    ]);
  });

  it('lists the warning and verbose lines it shows, and error records merged with 2>&1 as output', async () => {
    const result = await run(
      "Write-Warning 'low disk'; Write-Verbose 'checking' -Verbose; Get-VM -Name NoSuch 2>&1 | ForEach-Object { \"got: $_\" }",
    );
    expect(result.messages).toEqual([
      { stream: 'warning', text: 'WARNING: low disk\n' },
      { stream: 'verbose', text: 'VERBOSE: checking\n' },
    ]);
    expect(result.errors).toEqual([]);
    expect(result.output).toBe(
      'WARNING: low disk\nVERBOSE: checking\ngot: Hyper-V was unable to find a virtual machine with name "NoSuch".\n',
    );
  });

  it('answers the formatted text and the output objects', async () => {
    const result = await run(`Get-VM -Name '${vm.name}'`);
    expect(result.output).toContain('Name');
    expect(result.output).toContain('Web Server');
    expect(result.objects).toHaveLength(1);
    expect(result.objects[0]).toMatchObject({ Name: 'Web Server', State: 'Off' });
  });

  it('leaves the output objects out for a client that asks so, with the same console text', async () => {
    await run(`Checkpoint-VM -Name '${vm.name}' -SnapshotName Before`);
    const script = 'Get-VM | Get-VMSnapshot; Get-VM -Name NoSuch';
    const post = async (body: object): Promise<PowerShellResult> =>
      (await request(t.app).post('/api/v1/powershell').send(body).expect(200))
        .body as PowerShellResult;
    const whole = await post({ script });
    const text = await post({ script, objects: false });
    expect(whole.objects).toHaveLength(1);
    expect(whole.objectTypes).toEqual([['Microsoft.HyperV.PowerShell.VMSnapshot', 1]]);
    expect(text.objects).toEqual([]);
    expect(text).not.toHaveProperty('objectTypes');
    expect(text.output).toBe(whole.output);
    expect(text.output).toContain('Before');
    expect(text.errors).toEqual(whole.errors);
    expect(text.exitCode).toBe(1);
  });

  it('lays tables out for the width asked', async () => {
    const narrow = await run('Get-VM | Format-Table Name, State, CPUUsage, MemoryAssigned', 40);
    const lines = narrow.output.split('\n');
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(40);
  });

  it('answers an unknown cmdlet with the PowerShell error text and a terminating error', async () => {
    const result = await run('Get-Foo');
    expect(result.hadTerminatingError).toBe(true);
    expect(result.output).toContain("The term 'Get-Foo' is not recognized as the name of a cmdlet");
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]?.fullyQualifiedErrorId).toBe('CommandNotFoundException');
  });

  it('reports a cmdlet error without a terminating error', async () => {
    const result = await run("Get-VM -Name 'Nope'");
    expect(result.hadTerminatingError).toBe(false);
    expect(result.errors[0]?.message).toContain('Nope');
    expect(result.output).toContain(result.errors[0]?.message ?? '');
  });

  it.each([
    ['no script', {}, 'script'],
    ['an empty script', { script: '' }, 'script'],
    ['a script too long', { script: 'x'.repeat(100_001) }, 'script'],
    ['a width too small', { script: 'Get-VM', width: 39 }, 'width'],
    ['a width too large', { script: 'Get-VM', width: 401 }, 'width'],
    ['a width not an integer', { script: 'Get-VM', width: 80.5 }, 'width'],
    ['an unknown field', { script: 'Get-VM', confirm: 'no' }, ''],
  ])('rejects %s with 422', async (_what, body, field) => {
    const response = await request(t.app).post('/api/v1/powershell').send(body);
    expect(response.status).toBe(422);
    const { error } = response.body as ApiErrorBody;
    expect(error.code).toBe('INVALID_ARGUMENT');
    expect((error.details.issues as { field: string }[])[0]?.field).toBe(field);
  });

  it('accepts a script of 100000 characters, more than 100 kB once escaped in JSON', async () => {
    const tail = '\nWrite-Output done';
    const script = `#${'"'.repeat(100_000 - 1 - tail.length)}${tail}`;
    expect(script).toHaveLength(100_000);
    const response = await request(t.app).post('/api/v1/powershell').send({ script });
    expect(response.status, response.text).toBe(200);
    expect((response.body as PowerShellResult).objects).toEqual(['done']);
  });

  it('rejects malformed JSON with 400', async () => {
    const response = await request(t.app)
      .post('/api/v1/powershell')
      .set('Content-Type', 'application/json')
      .send('{"script":');
    expect(response.status).toBe(400);
    expect((response.body as ApiErrorBody).error.code).toBe('INVALID_JSON');
  });

  it('runs scripts of two consoles one after the other, never interleaved', async () => {
    const names = ['A1', 'A2', 'A3'];
    const [first, second] = await Promise.all([
      run(
        `Get-VM -Name '${vm.name}' | Checkpoint-VM -SnapshotName A1; Get-VM -Name '${vm.name}' | Checkpoint-VM -SnapshotName A2; Get-VM -Name '${vm.name}' | Checkpoint-VM -SnapshotName A3`,
      ),
      run(`(Get-VMSnapshot -VMName '${vm.name}').Name`),
    ]);
    expect(first?.errors).toEqual([]);
    // The second run saw the host either before or after the whole first script.
    const seen = second?.objects ?? [];
    expect([[], names]).toContainEqual(seen);
  });
});

describe('GET /api/v1/powershell/completions', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp();
  });

  async function complete(line: string, cursor?: number): Promise<string[]> {
    const response = await request(t.app)
      .get('/api/v1/powershell/completions')
      .query(cursor === undefined ? { line } : { line, cursor });
    expect(response.status, response.text).toBe(200);
    return (response.body as { completions: string[] }).completions;
  }

  it('completes cmdlet names', async () => {
    expect(await complete('Get-VMS')).toEqual(expect.arrayContaining(['Get-VMSnapshot']));
    for (const name of await complete('Get-VMS')) expect(name.toLowerCase()).toMatch(/^get-vms/);
  });

  it('completes parameter names of the cmdlet on the line', async () => {
    expect(await complete('Set-VM -Check')).toEqual(['-CheckpointType']);
  });

  it('completes at the cursor, not at the end of the line', async () => {
    expect(await complete('Get-VMS -Name x', 7)).toContain('Get-VMSnapshot');
  });

  it('rejects a missing line and a bad cursor with 422', async () => {
    const missing = await request(t.app).get('/api/v1/powershell/completions');
    expect(missing.status).toBe(422);
    const bad = await request(t.app)
      .get('/api/v1/powershell/completions')
      .query({ line: 'Get', cursor: '-1' });
    expect(bad.status).toBe(422);
    expect((bad.body as ApiErrorBody).error.message).toBe(
      'The cursor must be a non-negative integer.',
    );
  });
});
