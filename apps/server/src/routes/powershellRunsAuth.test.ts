import { randomUUID } from 'node:crypto';
import type { EventLogPage } from '@hvm/engine';
import { describe, expect, it, vi } from 'vitest';
import { Role } from '../auth/roles.js';
import { defaultPowerShellLimits } from '../powershell/limits.js';
import { ManualTimers } from '../powershell/testing/manualTimers.js';
import { createAuthTestApp, signIn } from '../testing/authTestApp.js';
import type { SignedIn } from '../testing/authTestApp.js';

const accounts = {
  alice: { name: 'Alice', role: Role.Administrator, password: 'Pa$$w0rd-alice' },
  ada: { name: 'Ada', role: Role.Administrator, password: 'Pa$$w0rd-ada' },
  olivia: { name: 'Olivia', role: Role.Reader, password: 'Pa$$w0rd-olivia' },
};

const endless = [
  '$a = 1, 2',
  ...Array.from({ length: 12 }, () => '$a = @($a; $a)'),
  '$a | ForEach-Object { $a | ForEach-Object { $_ } | Out-Null }',
].join('\n');

function post(who: SignedIn, path: string, body: object = {}) {
  return who.agent.post(`/api/v1${path}`).set('X-CSRF-Token', who.csrfToken).send(body);
}

async function signedInWorld() {
  const t = await createAuthTestApp(Object.values(accounts), {
    app: {
      powerShell: {
        limits: {
          ...defaultPowerShellLimits,
          run: { ...defaultPowerShellLimits.run, maxSteps: 1e12 },
        },
        timers: new ManualTimers(),
      },
    },
  });
  const as = {
    alice: await signIn(t.app, accounts.alice.name, accounts.alice.password),
    ada: await signIn(t.app, accounts.ada.name, accounts.ada.password),
    olivia: await signIn(t.app, accounts.olivia.name, accounts.olivia.password),
  };
  return { ...t, as };
}

describe('who may stop a PowerShell run', () => {
  it('a Reader is refused (403); another Administrator may stop it', async () => {
    const { as } = await signedInWorld();
    const runId = randomUUID();
    const running = post(as.alice, '/powershell', { script: endless, runId }).then();
    await vi.waitFor(
      async () => {
        // 409 "not waiting for an answer": the run exists.
        const probe = await post(as.alice, `/powershell/runs/${runId}/answer`, {
          answer: { choice: 0 },
        });
        expect(probe.status).toBe(409);
      },
      { timeout: 30_000, interval: 20 },
    );
    const byReader = await post(as.olivia, `/powershell/runs/${runId}/stop`);
    expect(byReader.status).toBe(403);
    const byAdministrator = await post(as.ada, `/powershell/runs/${runId}/stop`);
    expect(byAdministrator.status, byAdministrator.text).toBe(200);
    expect((await running).body).toMatchObject({ status: 'stopped', runId });
  });

  it("the worker's host calls act as the signed-in user", async () => {
    const { as, host } = await signedInWorld();
    await host.createVm({ name: 'Audit', memoryStartupMB: 1024, diskSizeBytes: 1024 ** 3 });
    const run = await post(as.ada, '/powershell', {
      script: 'Checkpoint-VM -Name Audit -SnapshotName ByAda',
    });
    expect(run.body).toMatchObject({ status: 'completed', errors: [] });
    const log = (await as.ada.agent.get('/api/v1/event-log').expect(200)).body as EventLogPage;
    const entry = log.entries.find((e) => e.message.includes('ByAda'));
    expect(entry?.user).toMatch(/\\Ada$/);
  });
});
