import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { EventLogPage } from '@hvm/engine';
import { createTestHost } from '@hvm/engine/testing';
import { runPowerShell } from '@hvm/powershell';
import type { ErrorRecord, PowerShellResult } from '@hvm/powershell';
import request from 'supertest';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ApiErrorBody } from '../http/errors.js';
import { defaultPowerShellLimits } from '../powershell/limits.js';
import type { PowerShellLimits } from '../powershell/limits.js';
import type { RunAnswer } from '../powershell/runs.js';
import { ManualTimers } from '../powershell/testing/manualTimers.js';
import { createTestApp, createVm } from '../testing/testApp.js';
import type { TestApp } from '../testing/testApp.js';

const timeLimitMs = 123_000;
const stopGraceMs = 4_000;
const promptTimeoutMs = 77_000;

/** A script that would run for hours: 8192 × 8192 pipeline items. */
const endless = [
  '$a = 1, 2',
  ...Array.from({ length: 12 }, () => '$a = @($a; $a)'),
  "'started'",
  '$a | ForEach-Object { $a | ForEach-Object { $_ } | Out-Null }',
].join('\n');

function limits(overrides: Partial<PowerShellLimits> = {}): PowerShellLimits {
  return {
    ...defaultPowerShellLimits,
    run: { ...defaultPowerShellLimits.run, maxSteps: 1e12 },
    timeLimitMs,
    stopGraceMs,
    promptTimeoutMs,
    ...overrides,
  };
}

const workerUrl = (name: string): URL =>
  new URL(`../powershell/testing/${name}.ts`, import.meta.url);

/** A host of its own with a VM of that name, for comparing with an in-process run. */
async function createTestHostWithVm(name: string) {
  const made = await createTestHost();
  await made.host.createVm({ name, memoryStartupMB: 1024, diskSizeBytes: 1024 ** 3 });
  return made;
}

/** Records without VM ids (GUIDs differ between hosts). */
function withoutIds(record: ErrorRecord): string {
  return JSON.stringify(record).replace(/[0-9a-f]{8}-[0-9a-f-]{27}/gi, '<id>');
}

let t: TestApp;
let timers: ManualTimers;
async function appWith(overrides: Partial<PowerShellLimits> = {}, worker?: string) {
  timers = new ManualTimers();
  t = await createTestApp({
    auth: { mode: 'off', localUserName: 'olivia' },
    powerShell: {
      limits: limits(overrides),
      timers,
      ...(worker === undefined ? {} : { workerUrl: workerUrl(worker) }),
    },
  });
  return t;
}

function post(body: Record<string, unknown>): Promise<request.Response> {
  return request(t.app).post('/api/v1/powershell').send(body).then();
}

/** Resolves once the server knows the run (it answers 409 "not waiting" rather than 404). */
async function untilRunExists(runId: string): Promise<void> {
  await vi.waitFor(
    async () => {
      const response = await request(t.app)
        .post(`/api/v1/powershell/runs/${runId}/answer`)
        .send({ answer: { choice: 0 } });
      expect(response.status).toBe(409);
    },
    { timeout: 30_000, interval: 20 },
  );
}

/** Resolves once the worker runs the script (its time-limit timer is armed). */
async function untilRunning(): Promise<void> {
  await vi.waitFor(() => expect(timers.count(timeLimitMs)).toBe(1), {
    timeout: 30_000,
    interval: 20,
  });
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('a script cannot freeze the server', () => {
  it('other requests are answered while a script loops, and the stop API ends it with the output so far', async () => {
    await appWith();
    const vm = await createVm(t.app, 'Loop VM');
    const runId = randomUUID();
    let settled = false;
    // The checkpoint tells the test that the script got past 'started' into its loop.
    const script = endless.replace(
      "'started'",
      `'started'\nCheckpoint-VM -Name '${vm.name}' -SnapshotName InLoop`,
    );
    const running = post({ script, runId }).then((response) => {
      settled = true;
      return response;
    });
    await vi.waitFor(
      async () => {
        const tree = await request(t.app).get(`/api/v1/vms/${vm.id}/checkpoints`).expect(200);
        expect((tree.body as { checkpoints: unknown[] }).checkpoints).toHaveLength(1);
      },
      { timeout: 30_000, interval: 20 },
    );
    for (let i = 0; i < 3; i++) {
      const host = await request(t.app).get('/api/v1/host');
      expect(host.status).toBe(200);
    }
    expect(settled).toBe(false);

    const stop = await request(t.app).post(`/api/v1/powershell/runs/${runId}/stop`);
    expect(stop.status, stop.text).toBe(200);
    expect(stop.body).toEqual({ runId, status: 'stopped' });
    const response = await running;
    expect(response.status).toBe(200);
    const body = response.body as RunAnswer;
    // PowerShell's Ctrl+C: the pipeline stops, what was printed stays, no error record.
    expect(body).toMatchObject({ status: 'stopped', runId, output: 'started\n', errors: [] });
    // The run is gone; the worker serves the next run.
    const gone = await request(t.app).post(`/api/v1/powershell/runs/${runId}/stop`);
    expect(gone.status).toBe(404);
    expect((await post({ script: "'next'" })).body).toMatchObject({ objects: ['next'] });
  });

  it('the wall-clock limit ends a looping script with a terminating record of its own', async () => {
    await appWith();
    const running = post({ script: endless });
    await untilRunning();
    expect(timers.fire(timeLimitMs)).toBe(1);
    const body = (await running).body as RunAnswer & { errors: { message: string }[] };
    expect(body.status).toBe('completed');
    expect(body).toMatchObject({ hadTerminatingError: true });
    expect(body.errors[0]?.message).toBe(
      'The script ran longer than its time limit. (a limit of this server, not a PowerShell error)',
    );
  });

  it('a script stuck inside one step is ended with its worker, which is replaced', async () => {
    await appWith({}, 'stuckScriptWorker');
    const vm = await createVm(t.app, 'Stuck VM');
    const running = post({
      script: `'printed before'\nCheckpoint-VM -Name '${vm.name}' -SnapshotName Stuck\nhang`,
    });
    // The checkpoint tells the test that the script printed and got to its endless step.
    await vi.waitFor(
      async () => {
        const tree = await request(t.app).get(`/api/v1/vms/${vm.id}/checkpoints`).expect(200);
        expect((tree.body as { checkpoints: unknown[] }).checkpoints).toHaveLength(1);
      },
      { timeout: 30_000, interval: 20 },
    );
    timers.fire(timeLimitMs);
    // The script cannot see the request; after the grace period its worker is ended.
    await vi.waitFor(() => expect(timers.count(stopGraceMs)).toBe(1));
    timers.fire(stopGraceMs);
    const body = (await running).body as RunAnswer & { errors: { message: string }[] };
    expect(body.errors[0]?.message).toContain(
      `ran longer than its time limit of ${timeLimitMs / 1000} seconds and was ended`,
    );
    // What the script printed before it got stuck was passed on as it ran, and is kept.
    expect((body as { output: string }).output).toMatch(/^printed before\n.*time limit/s);
    const next = await post({ script: "'after'" });
    expect(next.body).toMatchObject({ status: 'completed', objects: ['after'] });
  });

  it('a client that closes its connection stops its run', async () => {
    await appWith();
    const server = t.app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const runId = randomUUID();
      const client = http.request({
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/api/v1/powershell',
        headers: { 'content-type': 'application/json' },
      });
      client.on('error', () => undefined);
      client.end(JSON.stringify({ script: endless, runId }));
      await untilRunExists(runId);
      await untilRunning();
      client.destroy();
      // The run ends: the server forgets it.
      await vi.waitFor(
        async () => {
          const stop = await request(t.app).post(`/api/v1/powershell/runs/${runId}/stop`);
          expect(stop.status).toBe(404);
        },
        { timeout: 30_000, interval: 20 },
      );
    } finally {
      server.close();
    }
  });

  it('runs beyond the waiting bound are refused with 429 and Retry-After', async () => {
    await appWith({ maxQueuedRuns: 1 });
    const first = randomUUID();
    const second = randomUUID();
    const running = post({ script: endless, runId: first });
    await untilRunExists(first);
    const waiting = post({ script: "'waited'", runId: second });
    await untilRunExists(second);
    const refused = await post({ script: "'third'" });
    expect(refused.status).toBe(429);
    expect(refused.headers['retry-after']).toBe('5');
    expect((refused.body as ApiErrorBody).error.code).toBe('TOO_MANY_REQUESTS');
    await request(t.app).post(`/api/v1/powershell/runs/${first}/stop`).expect(200);
    expect((await running).body).toMatchObject({ status: 'stopped' });
    expect((await waiting).body).toMatchObject({ status: 'completed', objects: ['waited'] });
  });

  it('a run stopped while it waits for its turn ends at once; the running one goes on', async () => {
    await appWith();
    const first = randomUUID();
    const second = randomUUID();
    const running = post({ script: endless, runId: first });
    await untilRunExists(first);
    const waiting = post({ script: "'never'", runId: second });
    await untilRunExists(second);
    await request(t.app).post(`/api/v1/powershell/runs/${second}/stop`).expect(200);
    expect((await waiting).body).toMatchObject({ status: 'stopped', objects: [], output: '' });
    await request(t.app).post(`/api/v1/powershell/runs/${first}/stop`).expect(200);
    expect((await running).body).toMatchObject({ status: 'stopped' });
  });

  it('refuses a run id already in use with 409 and an unknown one with 404', async () => {
    await appWith();
    const runId = randomUUID();
    const running = post({ script: endless, runId });
    await untilRunExists(runId);
    const again = await post({ script: "'x'", runId });
    expect(again.status).toBe(409);
    const unknown = await request(t.app).post(`/api/v1/powershell/runs/${randomUUID()}/stop`);
    expect(unknown.status).toBe(404);
    const malformed = await request(t.app).post('/api/v1/powershell/runs/nope/stop');
    expect(malformed.status).toBe(422);
    await request(t.app).post(`/api/v1/powershell/runs/${runId}/stop`).expect(200);
    await running;
  });
});

describe('the scripts that froze or crashed the server', () => {
  it("'aaa…a!' -match '(a+)+$' answers False at once", async () => {
    await appWith();
    const result = await post({ script: `'${'a'.repeat(30_000)}!' -match '(a+)+$'` });
    expect(result.body).toMatchObject({ status: 'completed', objects: [false], errors: [] });
  });

  it('2000 nested parentheses are a parse error (200), not a stack overflow (500)', async () => {
    await appWith();
    const result = await post({ script: `${'('.repeat(2000)}1${')'.repeat(2000)}` });
    expect(result.status).toBe(200);
    expect(result.body).toMatchObject({ hadTerminatingError: true });
    expect(
      (result.body as { errors: { fullyQualifiedErrorId: string }[] }).errors[0],
    ).toMatchObject({ fullyQualifiedErrorId: 'ScriptNestedTooDeeply' });
    expect(t.logged).toEqual([]);
  });

  it('doubling an array ends at the collection limit', async () => {
    await appWith({ run: { ...defaultPowerShellLimits.run, maxCollectionItems: 5000 } });
    const script = ['$a = 1, 2', ...Array.from({ length: 40 }, () => '$a = @($a; $a)')].join('\n');
    const result = await post({ script });
    expect((result.body as { errors: { message: string }[] }).errors[0]?.message).toContain(
      'an array of more than 5000 items',
    );
  });
});

describe('the worker reaches the host of the request', () => {
  it('engine errors arrive as PowerShell error records, and changes are recorded for the user', async () => {
    await appWith();
    const vm = await createVm(t.app, 'Proxy VM');
    const result = await post({
      script: `Checkpoint-VM -Name '${vm.name}' -SnapshotName A\nRename-VMSnapshot -VMName '${vm.name}' -Name Nope -NewName B`,
    });
    expect(result.body).toMatchObject({ status: 'completed' });
    const body = result.body as { errors: { categoryInfo: string; message: string }[] };
    expect(body.errors).toHaveLength(1);
    expect(body.errors[0]?.categoryInfo).not.toContain('RuntimeException');

    // An EngineError thrown on the main thread (checkpoints disabled) reaches the cmdlet as an
    // EngineError: the record is the one an in-process run makes.
    const disabled = `Set-VM -Name '${vm.name}' -CheckpointType Disabled\nCheckpoint-VM -Name '${vm.name}'`;
    const viaWorker = (await post({ script: disabled })).body as PowerShellResult;
    const inProcess = await runPowerShell((await createTestHostWithVm(vm.name)).host, disabled);
    expect(inProcess.errors).toHaveLength(1);
    expect(viaWorker.errors.map(withoutIds)).toEqual(inProcess.errors.map(withoutIds));
    const tree = await request(t.app).get(`/api/v1/vms/${vm.id}/checkpoints`).expect(200);
    expect((tree.body as { checkpoints: { name: string }[] }).checkpoints).toHaveLength(1);
    const log = (await request(t.app).get('/api/v1/event-log').expect(200)).body as EventLogPage;
    const created = log.entries.find((e) => e.message.includes("'A'"));
    expect(created?.user).toMatch(/\\olivia$/);
  });
});

describe('interactive runs answer at each prompt', () => {
  it('a choice prompt comes back with the output so far, and the answer continues the run', async () => {
    await appWith({}, 'promptingScriptWorker');
    const first = await post({ script: "'before'", interactive: true });
    expect(first.status).toBe(200);
    const prompt = first.body as Extract<RunAnswer, { status: 'prompt' }>;
    expect(prompt).toMatchObject({
      status: 'prompt',
      output: 'before\n',
      prompt: { kind: 'choice', caption: 'Confirm', defaultChoice: 0 },
    });
    const answered = await request(t.app)
      .post(`/api/v1/powershell/runs/${prompt.runId}/answer`)
      .send({ answer: { choice: 2 } });
    expect(answered.status, answered.text).toBe(200);
    // Only what came after the prompt: the console already shows the rest.
    expect(answered.body).toMatchObject({
      status: 'completed',
      output: 'choice 2\n',
      objects: ['before', 'choice 2'],
    });
  });

  it('the wall-clock limit does not run while a prompt waits for its answer', async () => {
    await appWith({}, 'promptingScriptWorker');
    const first = (await post({ script: "'before'", interactive: true })).body as RunAnswer;
    expect(first.status).toBe('prompt');
    expect(timers.count(timeLimitMs)).toBe(0);
    expect(timers.count(promptTimeoutMs)).toBe(1);
    const answered = request(t.app)
      .post(`/api/v1/powershell/runs/${first.runId}/answer`)
      .send({ answer: { choice: 0 } })
      .then();
    expect((await answered).body).toMatchObject({ status: 'completed', output: 'choice 0\n' });
  });

  it('a text prompt takes a line per field', async () => {
    await appWith({}, 'promptingScriptWorker');
    const first = (await post({ script: '#text', interactive: true })).body as RunAnswer;
    expect(first).toMatchObject({
      status: 'prompt',
      prompt: { kind: 'text', fields: ['Name[0]'] },
    });
    const answered = await request(t.app)
      .post(`/api/v1/powershell/runs/${first.runId}/answer`)
      .send({ answer: { text: ['Web'] } });
    expect(answered.body).toMatchObject({ status: 'completed', output: 'text Web\n' });
  });

  it('a run without interactive gets no prompter (PowerShell -NonInteractive)', async () => {
    await appWith({}, 'promptingScriptWorker');
    const result = (await post({ script: "'before'" })).body as RunAnswer;
    expect(result).toMatchObject({ status: 'completed', hadTerminatingError: true });
    expect((result as { output: string }).output).toContain('NonInteractive mode');
  });

  it('an unanswered prompt ends its run after the prompt timeout', async () => {
    await appWith({}, 'promptingScriptWorker');
    const first = (await post({ script: "'before'", interactive: true })).body as RunAnswer;
    expect(first.status).toBe('prompt');
    expect(timers.fire(promptTimeoutMs)).toBe(1);
    await vi.waitFor(async () => {
      const late = await request(t.app)
        .post(`/api/v1/powershell/runs/${first.runId}/answer`)
        .send({ answer: { choice: 0 } });
      expect(late.status).toBe(404);
    });
  });

  it('Ctrl+C at a prompt stops the run; an answer when none is asked is refused', async () => {
    await appWith({}, 'promptingScriptWorker');
    const first = (await post({ script: "'before'", interactive: true })).body as RunAnswer;
    const cancelled = await request(t.app)
      .post(`/api/v1/powershell/runs/${first.runId}/answer`)
      .send({ answer: { cancelled: true } });
    expect(cancelled.body).toMatchObject({ status: 'stopped', output: '' });
    const bad = await request(t.app)
      .post(`/api/v1/powershell/runs/${first.runId}/answer`)
      .send({ answer: { choice: 'yes' } });
    expect(bad.status).toBe(404);
  });
});
