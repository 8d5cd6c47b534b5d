/**
 * Console sessions over real HTTP requests: a session keeps its jobs, variables and functions from
 * one command to the next; it is its user's alone; it is bounded (in all, per user, idle time); and
 * it goes on, empty, after a command ended with its worker.
 */
import { randomUUID } from 'node:crypto';
import type { EventLogPage } from '@hvm/engine';
import request from 'supertest';
import { describe, expect, it, vi } from 'vitest';
import { Role } from '../auth/roles.js';
import { defaultPowerShellLimits } from '../powershell/limits.js';
import type { PowerShellLimits } from '../powershell/limits.js';
import { ManualTimers } from '../powershell/testing/manualTimers.js';
import { createAuthTestApp, signIn } from '../testing/authTestApp.js';
import type { SignedIn } from '../testing/authTestApp.js';
import { createTestApp, createVm } from '../testing/testApp.js';
import type { TestApp } from '../testing/testApp.js';

const accounts = {
  alice: { name: 'Alice', role: Role.Administrator, password: 'Pa$$w0rd-alice' },
  ada: { name: 'Ada', role: Role.Administrator, password: 'Pa$$w0rd-ada' },
};

const idleMs = 600_000;
const timeLimitMs = 123_000;
const stopGraceMs = 4_000;

function limits(overrides: Partial<PowerShellLimits> = {}): PowerShellLimits {
  return {
    ...defaultPowerShellLimits,
    run: { ...defaultPowerShellLimits.run, maxSteps: 1e12 },
    sessionIdleMs: idleMs,
    timeLimitMs,
    stopGraceMs,
    ...overrides,
  };
}

function post(who: SignedIn, path: string, body: object = {}) {
  return who.agent.post(`/api/v1${path}`).set('X-CSRF-Token', who.csrfToken).send(body);
}

function closeSession(who: SignedIn, sessionId: string) {
  return who.agent
    .delete(`/api/v1/powershell/sessions/${sessionId}`)
    .set('X-CSRF-Token', who.csrfToken);
}

async function openSession(who: SignedIn): Promise<string> {
  const created = await post(who, '/powershell/sessions');
  expect(created.status, created.text).toBe(201);
  expect(created.body).toMatchObject({ idleTimeoutSeconds: idleMs / 1000 });
  return (created.body as { sessionId: string }).sessionId;
}

async function inSession(who: SignedIn, sessionId: string, script: string) {
  const answer = await post(who, '/powershell', { script, sessionId });
  expect(answer.status, answer.text).toBe(200);
  return answer.body as { status: string; output: string; exitCode: number };
}

async function signedInWorld(overrides: Partial<PowerShellLimits> = {}) {
  const timers = new ManualTimers();
  const t = await createAuthTestApp(Object.values(accounts), {
    app: { powerShell: { limits: limits(overrides), timers } },
  });
  const as = {
    alice: await signIn(t.app, accounts.alice.name, accounts.alice.password),
    ada: await signIn(t.app, accounts.ada.name, accounts.ada.password),
  };
  await t.host.createVm({ name: 'Web-01', memoryStartupMB: 1024, diskSizeBytes: 1024 ** 3 });
  return { ...t, as, timers };
}

describe('a console session keeps what one command leaves for the next', () => {
  it('variables and functions stay; a run without the session has none of them', async () => {
    const { as } = await signedInWorld();
    const sessionId = await openSession(as.alice);
    await inSession(as.alice, sessionId, '$vm = Get-VM Web-01; function Hello { "hello" }');
    const next = await inSession(as.alice, sessionId, '$vm.Name; Hello');
    expect(next.output).toBe('Web-01\nhello\n');
    const outside = await post(as.alice, '/powershell', { script: '$vm -eq $null' });
    expect((outside.body as { output: string }).output).toBe('True\n');
  });

  it("a job started by one command is there for the next, and acts as the session's user", async () => {
    const { as } = await signedInWorld();
    const sessionId = await openSession(as.alice);
    const started = await inSession(
      as.alice,
      sessionId,
      '$job = Checkpoint-VM -Name Web-01 -SnapshotName ByJob -Passthru -AsJob; $job.Name',
    );
    expect(started.output).toBe('Job1\n');
    const received = await inSession(
      as.alice,
      sessionId,
      '$null = Wait-Job $job; $job.State; (Receive-Job $job).Name; (Get-Job).Count',
    );
    expect(received.output).toBe('Completed\nByJob\n1\n');
    const log = (await as.alice.agent.get('/api/v1/event-log').expect(200)).body as EventLogPage;
    expect(log.entries.find((e) => e.message.includes('ByJob'))?.user).toMatch(/\\Alice$/);
  });
});

describe('a run without a session', () => {
  it('ends its jobs with it; the next run starts with none', async () => {
    const { as } = await signedInWorld();
    const first = await post(as.alice, '/powershell', {
      script: '$job = Wait-VM -Name Web-01 -For Reboot -AsJob; $job.State',
    });
    expect((first.body as { output: string }).output).toBe('Running\n');
    const next = await post(as.alice, '/powershell', { script: '@(Get-Job).Count' });
    expect((next.body as { output: string }).output).toBe('0\n');
  });
});

describe('a session is its user\u2019s alone', () => {
  it('another user, an Administrator too, gets 404 for it and cannot close it', async () => {
    const { as } = await signedInWorld();
    const sessionId = await openSession(as.alice);
    await inSession(as.alice, sessionId, '$secret = 42');
    const run = await post(as.ada, '/powershell', { script: '$secret', sessionId });
    expect(run.status).toBe(404);
    expect((run.body as { error: { message: string } }).error.message).toBe(
      `Unable to find a PowerShell session with ID '${sessionId}'.`,
    );
    expect((await closeSession(as.ada, sessionId)).status).toBe(404);
    // Ada's own session does not see Alice's variables or jobs either.
    const adas = await openSession(as.ada);
    expect((await inSession(as.ada, adas, '$secret -eq $null; @(Get-Job).Count')).output).toBe(
      'True\n0\n',
    );
    expect((await inSession(as.alice, sessionId, '$secret')).output).toBe('42\n');
  });

  it('a closed session is gone: its id starts a new, empty one', async () => {
    const { as } = await signedInWorld();
    const sessionId = await openSession(as.alice);
    await inSession(as.alice, sessionId, '$x = 1');
    expect((await closeSession(as.alice, sessionId)).status).toBe(204);
    expect((await closeSession(as.alice, sessionId)).status).toBe(404);
    expect((await inSession(as.alice, sessionId, '$x -eq $null')).output).toBe('True\n');
  });

  it('a session id the client picks opens a session for that user only', async () => {
    const { as } = await signedInWorld();
    const sessionId = randomUUID();
    await inSession(as.alice, sessionId, '$mine = 1');
    expect((await post(as.ada, '/powershell', { script: '$mine', sessionId })).status).toBe(404);
    expect((await inSession(as.alice, sessionId, '$mine')).output).toBe('1\n');
  });
});

describe('sessions are bounded', () => {
  it("a user's session past the per-user limit ends that user's least recently used one", async () => {
    const { as } = await signedInWorld({ sessionsPerUser: 2 });
    const first = await openSession(as.alice);
    const second = await openSession(as.alice);
    await inSession(as.alice, first, '$x = 1');
    await inSession(as.alice, second, '$x = 2');
    await inSession(as.alice, first, '$x');
    await openSession(as.alice);
    expect((await closeSession(as.alice, second)).status).toBe(404);
    expect((await inSession(as.alice, first, '$x')).output).toBe('1\n');
  });

  it('past the server-wide limit a new session is refused with 429 and Retry-After', async () => {
    const { as } = await signedInWorld({ maxSessions: 1 });
    await openSession(as.alice);
    const refused = await post(as.ada, '/powershell/sessions');
    expect(refused.status).toBe(429);
    expect(refused.headers['retry-after']).toBeDefined();
  });

  it('an idle session ends after the idle time', async () => {
    const { as, timers } = await signedInWorld();
    const sessionId = await openSession(as.alice);
    await inSession(as.alice, sessionId, '$x = 1');
    expect(timers.fire(idleMs)).toBe(1);
    expect((await closeSession(as.alice, sessionId)).status).toBe(404);
    expect((await inSession(as.alice, sessionId, '$x -eq $null')).output).toBe('True\n');
  });
});

describe('a session after a command ended with its worker', () => {
  it('goes on, empty, and the record says what was lost', async () => {
    const timers = new ManualTimers();
    const t: TestApp = await createTestApp({
      auth: { mode: 'off', localUserName: 'olivia' },
      powerShell: {
        limits: limits(),
        timers,
        workerUrl: new URL('../powershell/testing/stuckScriptWorker.ts', import.meta.url),
      },
    });
    const vm = await createVm(t.app, 'Stuck VM');
    const created = await request(t.app).post('/api/v1/powershell/sessions').send({});
    const { sessionId } = created.body as { sessionId: string };
    await request(t.app)
      .post('/api/v1/powershell')
      .send({ script: '$kept = 1', sessionId })
      .expect(200);
    const running = request(t.app)
      .post('/api/v1/powershell')
      .send({ script: `Checkpoint-VM -Name '${vm.name}' -SnapshotName Stuck\nhang`, sessionId })
      .then();
    await vi.waitFor(
      async () => {
        const tree = await request(t.app).get(`/api/v1/vms/${vm.id}/checkpoints`).expect(200);
        expect((tree.body as { checkpoints: unknown[] }).checkpoints).toHaveLength(1);
      },
      { timeout: 30_000, interval: 20 },
    );
    timers.fire(timeLimitMs);
    await vi.waitFor(() => expect(timers.count(stopGraceMs)).toBe(1));
    timers.fire(stopGraceMs);
    const ended = (await running).body as { errors: { message: string }[] };
    expect(ended.errors[0]?.message).toContain(
      'Its console session lost its variables, functions and jobs',
    );
    const after = await request(t.app)
      .post('/api/v1/powershell')
      .send({ script: '$kept -eq $null', sessionId })
      .expect(200);
    expect((after.body as { output: string }).output).toBe('True\n');
  });
});
