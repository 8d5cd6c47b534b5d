/**
 * PowerShell's `-ComputerName` reaching other servers through Connect to Server, with real servers
 * on loopback ports: the console, ALPHA (where the user is an Administrator), BETA (a Reader) and
 * GAMMA (stopped during the test).
 */
import type { HostProbe, HostSummary } from '@hvm/contracts';
import type { PowerShellResult } from '@hvm/powershell';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Role } from '../auth/roles.js';
import { signIn } from '../testing/authTestApp.js';
import type { SignedIn } from '../testing/authTestApp.js';
import { startTestServer } from '../testing/hostServers.js';
import type { TestServer } from '../testing/hostServers.js';

let consoleServer: TestServer;
let alpha: TestServer;
let beta: TestServer;
let gamma: TestServer;
let admin: SignedIn;

async function connect(server: TestServer, userName: string, password: string): Promise<void> {
  const probe = await admin.agent
    .post('/api/v1/hosts/probe')
    .set('X-CSRF-Token', admin.csrfToken)
    .send({ address: server.address });
  expect(probe.status, probe.text).toBe(200);
  const { fingerprint } = probe.body as HostProbe;
  const response = await admin.agent
    .post('/api/v1/hosts')
    .set('X-CSRF-Token', admin.csrfToken)
    .send({ address: server.address, fingerprint, userName, password });
  expect(response.status, response.text).toBe(201);
  expect((response.body as HostSummary).computerName).toBe(server.name);
}

async function run(
  script: string,
  on: TestServer = consoleServer,
  as: SignedIn = admin,
): Promise<PowerShellResult> {
  const response = await as.agent
    .post('/api/v1/powershell')
    .set('X-CSRF-Token', as.csrfToken)
    .send({ script });
  expect(response.status, `${on.name}: ${response.text}`).toBe(200);
  return response.body as PowerShellResult;
}

beforeAll(async () => {
  [consoleServer, alpha, beta, gamma] = await Promise.all([
    startTestServer('CONSOLE', [
      { name: 'Administrator', role: Role.Administrator, password: 'console-pw' },
    ]),
    startTestServer('ALPHA', [{ name: 'alice', role: Role.Administrator, password: 'alpha-pw' }]),
    startTestServer('BETA', [
      { name: 'bob', role: Role.Reader, password: 'beta-pw' },
      { name: 'root', role: Role.Administrator, password: 'beta-root-pw' },
    ]),
    startTestServer('GAMMA', [{ name: 'gina', role: Role.Administrator, password: 'gamma-pw' }]),
  ]);
  admin = await signIn(consoleServer.app, 'Administrator', 'console-pw');
  const alice = await signIn(alpha.app, 'alice', 'alpha-pw');
  await run("New-VM -Name 'Web01' -NoVHD | Out-Null", alpha, alice);
  const root = await signIn(beta.app, 'root', 'beta-root-pw');
  await run("New-VM -Name 'Db01' -NoVHD | Out-Null", beta, root);
  await connect(alpha, 'alice', 'alpha-pw');
  await connect(beta, 'bob', 'beta-pw');
  await connect(gamma, 'gina', 'gamma-pw');
}, 60_000);

afterAll(async () => {
  for (const server of [consoleServer, alpha, beta, gamma]) {
    server.gateway.close();
    await server.stop();
  }
});

const unreachable = (name: string): string =>
  `The computer '${name}' could not be resolved. Make sure you typed the machine name correctly and that you have network access.`;

describe('-ComputerName of a connected server', () => {
  it('Get-VM lists the VMs of that server, with its name as ComputerName', async () => {
    const result = await run('Get-VM -ComputerName ALPHA | Select-Object Name, ComputerName');
    expect(result.errors).toEqual([]);
    expect(result.objects).toEqual([{ Name: 'Web01', ComputerName: 'ALPHA' }]);
  });

  it('reaches a server by the address it was connected with', async () => {
    const result = await run(`(Get-VM -ComputerName '${alpha.address}').Name`);
    expect(result.errors).toEqual([]);
    expect(result.objects).toEqual(['Web01']);
  });

  it('Get-VM -ComputerName A, B lists the VMs of both', async () => {
    const result = await run(
      'New-VM -Name \'Local01\' -NoVHD | Out-Null; Get-VM -ComputerName localhost, ALPHA | ForEach-Object { "$($_.ComputerName)/$($_.Name)" }',
    );
    expect(result.errors).toEqual([]);
    expect(result.objects).toEqual(['CONSOLE/Local01', 'ALPHA/Web01']);
  });

  it('Checkpoint-VM creates the checkpoint on that server, and Get-VMSnapshot there lists it', async () => {
    const made = await run(
      "Checkpoint-VM -ComputerName ALPHA -Name 'Web01' -SnapshotName 'Before'",
    );
    expect(made.errors).toEqual([]);
    const [vm] = alpha.host.findVmsByName('Web01');
    if (vm === undefined) throw new Error('ALPHA has no Web01');
    expect(alpha.host.listCheckpoints(vm.id).checkpoints.map((c) => c.name)).toEqual(['Before']);
    expect(consoleServer.host.findVmsByName('Web01')).toEqual([]);
    const listed = await run("(Get-VMSnapshot -ComputerName ALPHA -VMName 'Web01').Name");
    expect(listed.objects).toEqual(['Before']);
  });

  it('Start-VM and Stop-VM act on that server', async () => {
    const started = await run("Start-VM -ComputerName ALPHA -Name 'Web01'");
    expect(started.errors).toEqual([]);
    expect((await run("(Get-VM -ComputerName ALPHA -Name 'Web01').State")).objects).toEqual([
      'Running',
    ]);
    const stopped = await run("Stop-VM -ComputerName ALPHA -Name 'Web01' -TurnOff -Confirm:$false");
    expect(stopped.errors).toEqual([]);
    expect((await run("(Get-VM -ComputerName ALPHA -Name 'Web01').State")).objects).toEqual([
      'Off',
    ]);
  });

  it('a Reader on that server changes nothing there', async () => {
    const result = await run("Checkpoint-VM -ComputerName BETA -Name 'Db01' -SnapshotName 'No'");
    expect(result.errors).toHaveLength(1);
    const [vm] = beta.host.findVmsByName('Db01');
    if (vm === undefined) throw new Error('BETA has no Db01');
    expect(beta.host.listCheckpoints(vm.id).checkpoints).toEqual([]);
  });
});

describe('VM and checkpoint objects of another server', () => {
  it('Get-VM -ComputerName A | Start-VM starts the VM on A, not here', async () => {
    const started = await run("Get-VM -ComputerName ALPHA -Name 'Web01' | Start-VM");
    expect(started.errors).toEqual([]);
    expect(alpha.host.findVmsByName('Web01')[0]?.state).toBe('Running');
    const stopped = await run(
      'Get-VM -ComputerName ALPHA -Name \'Web01\' | Stop-VM -TurnOff -Confirm:$false -Passthru | ForEach-Object { "$($_.ComputerName)/$($_.Name)/$($_.State)" }',
    );
    expect(stopped.errors).toEqual([]);
    expect(stopped.objects).toEqual(['ALPHA/Web01/Off']);
    expect(alpha.host.findVmsByName('Web01')[0]?.state).toBe('Off');
  });

  it('a checkpoint piped from A is removed on A', async () => {
    await run("Checkpoint-VM -ComputerName ALPHA -Name 'Web01' -SnapshotName 'Piped'");
    const removed = await run(
      "Get-VMSnapshot -ComputerName ALPHA -VMName 'Web01' -Name 'Piped' | Remove-VMSnapshot -Confirm:$false",
    );
    expect(removed.errors).toEqual([]);
    const [vm] = alpha.host.findVmsByName('Web01');
    if (vm === undefined) throw new Error('ALPHA has no Web01');
    expect(alpha.host.listCheckpoints(vm.id).checkpoints.map((c) => c.name)).not.toContain('Piped');
  });

  it("the other server's roles apply: a Reader there checkpoints nothing through the pipeline", async () => {
    const result = await run(
      "Get-VM -ComputerName BETA -Name 'Db01' | Checkpoint-VM -SnapshotName 'No'",
    );
    expect(result.errors).toHaveLength(1);
    const [vm] = beta.host.findVmsByName('Db01');
    if (vm === undefined) throw new Error('BETA has no Db01');
    expect(beta.host.listCheckpoints(vm.id).checkpoints).toEqual([]);
  });

  it('VMs of two servers in one pipeline each act where they are', async () => {
    await run("New-VM -Name 'Here01' -NoVHD | Out-Null");
    const result = await run(
      "@(Get-VM -Name 'Here01'; Get-VM -ComputerName ALPHA -Name 'Web01') | Checkpoint-VM -SnapshotName 'Both'",
    );
    expect(result.errors).toEqual([]);
    const [here] = consoleServer.host.findVmsByName('Here01');
    const [there] = alpha.host.findVmsByName('Web01');
    if (here === undefined || there === undefined) throw new Error('a VM is missing');
    expect(consoleServer.host.listCheckpoints(here.id).checkpoints.map((c) => c.name)).toEqual([
      'Both',
    ]);
    expect(alpha.host.listCheckpoints(there.id).checkpoints.map((c) => c.name)).toContain('Both');
  });

  it('a VM of A formats as on A: the same table, its Uptime a time span', async () => {
    const alice = await signIn(alpha.app, 'alice', 'alpha-pw');
    const onAlpha = await run("Get-VM -Name 'Web01'", alpha, alice);
    const fromHere = await run("Get-VM -ComputerName ALPHA -Name 'Web01'");
    expect(fromHere.output).toBe(onAlpha.output);
    const typed = await run(
      "$vm = Get-VM -ComputerName ALPHA -Name 'Web01'; $vm.Uptime.TotalSeconds; (Get-VMSnapshot -ComputerName ALPHA -VMName 'Web01')[0].CreationTime.Year -gt 2000",
    );
    expect(typed.errors).toEqual([]);
    expect(typed.objects).toEqual([0, true]);
  });
});

describe('-ComputerName and confirmation', () => {
  it('what the other server would ask is refused there: the run there cannot ask the user', async () => {
    const start = await run("Start-VM -ComputerName ALPHA -Name 'Web01'");
    expect(start.errors).toEqual([]);
    const refused = await run("Stop-VM -ComputerName ALPHA -Name 'Web01' -TurnOff");
    expect(refused.errors.map((e) => e.message)).toEqual([
      'PowerShell is in NonInteractive mode. Read and Prompt functionality is not available.',
    ]);
    expect(alpha.host.findVmsByName('Web01')[0]?.state).toBe('Running');
  });

  it('$WhatIfPreference here holds for the other server too', async () => {
    const result = await run(
      "$WhatIfPreference = $true; Stop-VM -ComputerName ALPHA -Name 'Web01' -TurnOff -Confirm:$false",
    );
    expect(result.errors).toEqual([]);
    expect(alpha.host.findVmsByName('Web01')[0]?.state).toBe('Running');
  });
});

describe('-ComputerName of a server that cannot be reached', () => {
  it('a name with no connection gives the error, and the other names still act', async () => {
    const result = await run('(Get-VM -ComputerName NOWHERE, ALPHA).Name');
    expect(result.errors.map((e) => e.message)).toEqual([unreachable('NOWHERE')]);
    expect(result.objects).toEqual(['Web01']);
  });

  it('a stopped server gives the error', async () => {
    await gamma.stop();
    const result = await run('Get-VM -ComputerName GAMMA');
    expect(result.errors.map((e) => e.message)).toEqual([unreachable('GAMMA')]);
    expect(result.objects).toEqual([]);
  });
});
