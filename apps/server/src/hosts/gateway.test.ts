/**
 * Connect to Server with real servers on loopback ports: a console (the gateway) and two other
 * servers, each with its own accounts, certificate and roles.
 */
import { readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { HostList, HostProbe, HostSummary } from '@hvm/contracts';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { accountStore, securityFolderName } from '../auth/accountStore.js';
import { Role } from '../auth/roles.js';
import type { ApiErrorBody } from '../http/errors.js';
import { signIn } from '../testing/authTestApp.js';
import type { SignedIn } from '../testing/authTestApp.js';
import { startTestServer } from '../testing/hostServers.js';
import { listen } from '../testing/listening.js';
import type { TestServer } from '../testing/hostServers.js';
import { connectionsFileName } from './connectionStore.js';
import { createGateway } from './gateway.js';
import { hostTokensFileName } from './hostTokens.js';

let consoleServer: TestServer;
let alpha: TestServer;
let beta: TestServer;
let admin: SignedIn;

beforeAll(async () => {
  [consoleServer, alpha, beta] = await Promise.all([
    startTestServer('CONSOLE', [
      { name: 'Administrator', role: Role.Administrator, password: 'console-pw' },
      { name: 'Reader', role: Role.Reader, password: 'reader-pw' },
    ]),
    startTestServer('ALPHA', [{ name: 'alice', role: Role.Administrator, password: 'alpha-pw' }]),
    startTestServer('BETA', [{ name: 'bob', role: Role.Reader, password: 'beta-pw' }]),
  ]);
  admin = await signIn(consoleServer.app, 'Administrator', 'console-pw');
});

afterAll(async () => {
  for (const server of [consoleServer, alpha, beta]) {
    server.gateway.close();
    await server.stop();
  }
});

async function probe(address: string): Promise<HostProbe> {
  const response = await admin.agent
    .post('/api/v1/hosts/probe')
    .set('X-CSRF-Token', admin.csrfToken)
    .send({ address });
  expect(response.status, response.text).toBe(200);
  return response.body as HostProbe;
}

async function connect(
  server: TestServer,
  userName: string,
  password: string,
): Promise<HostSummary> {
  const shown = await probe(server.address);
  const response = await admin.agent
    .post('/api/v1/hosts')
    .set('X-CSRF-Token', admin.csrfToken)
    .send({ address: server.address, fingerprint: shown.fingerprint, userName, password });
  expect(response.status, response.text).toBe(201);
  return response.body as HostSummary;
}

async function hosts(agent = admin.agent): Promise<HostSummary[]> {
  const response = await agent.get('/api/v1/hosts');
  expect(response.status, response.text).toBe(200);
  return (response.body as HostList).hosts;
}

async function stateOf(id: string): Promise<string | undefined> {
  return (await hosts()).find((host) => host.id === id)?.state;
}

describe('Connect to Server', () => {
  let alphaId = '';
  let betaId = '';

  it('shows the name and certificate fingerprint a server presents, before any credential', async () => {
    const shown = await probe(alpha.address);
    expect(shown).toEqual({
      address: alpha.address,
      computerName: 'ALPHA',
      fingerprint: alpha.identity.fingerprint,
    });
    expect(alpha.logs.filter((line) => line.includes('sign'))).toEqual([]);
  });

  it('sends no credentials to a server whose certificate is not the one confirmed', async () => {
    const response = await admin.agent
      .post('/api/v1/hosts')
      .set('X-CSRF-Token', admin.csrfToken)
      .send({
        address: alpha.address,
        fingerprint: beta.identity.fingerprint,
        userName: 'alice',
        password: 'alpha-pw',
      });
    expect(response.status).toBe(502);
    expect((response.body as ApiErrorBody).error.code).toBe('HOST_IDENTITY_CHANGED');
    expect(alpha.logs.join('\n')).not.toContain('alice');
  });

  it("refuses a wrong password with the other server's own message", async () => {
    const shown = await probe(alpha.address);
    const response = await admin.agent
      .post('/api/v1/hosts')
      .set('X-CSRF-Token', admin.csrfToken)
      .send({
        address: shown.address,
        fingerprint: shown.fingerprint,
        userName: 'alice',
        password: 'wrong',
      });
    expect(response.status).toBe(401);
    expect((response.body as ApiErrorBody).error.message).toBe(
      'The user name or password is incorrect.',
    );
    expect(await hosts()).toHaveLength(1);
  });

  it('lists this server and each connected server in the left pane, connected', async () => {
    alphaId = (await connect(alpha, 'alice', 'alpha-pw')).id;
    betaId = (await connect(beta, 'bob', 'beta-pw')).id;
    await vi.waitFor(async () => {
      expect(await stateOf(alphaId)).toBe('Connected');
      expect(await stateOf(betaId)).toBe('Connected');
    });
    const list = await hosts();
    expect(list.map((host) => [host.computerName, host.local, host.userName])).toEqual([
      ['CONSOLE', true, 'Administrator'],
      ['ALPHA', false, 'alice'],
      ['BETA', false, 'bob'],
    ]);
  });

  it("acts on the selected server with that server's rights", async () => {
    const created = await admin.agent
      .post(`/api/v1/hosts/${alphaId}/vms`)
      .set('X-CSRF-Token', admin.csrfToken)
      .send({ name: 'Alpha VM' });
    expect(created.status, created.text).toBe(201);
    expect(alpha.host.listVms().map((vm) => vm.name)).toContain('Alpha VM');
    expect(consoleServer.host.listVms().map((vm) => vm.name)).not.toContain('Alpha VM');

    const listed = await admin.agent.get(`/api/v1/hosts/${alphaId}/vms`);
    expect(listed.status).toBe(200);
    expect(JSON.stringify(listed.body)).toContain('Alpha VM');

    // bob is a Reader on BETA: the console's Administrator gains nothing there.
    const refused = await admin.agent
      .post(`/api/v1/hosts/${betaId}/vms`)
      .set('X-CSRF-Token', admin.csrfToken)
      .send({ name: 'Beta VM' });
    expect(refused.status).toBe(403);
    expect((refused.body as ApiErrorBody).error.message).toContain("for the computer 'BETA'");
    expect(beta.host.listVms()).toEqual([]);
  });

  it("passes the other server's list through in gzip, with its ETag: unchanged, it answers 304", async () => {
    for (const name of ['Alpha Web', 'Alpha Db'])
      await alpha.host.createVm({ name, memoryStartupMB: 512, diskSizeBytes: 1024 ** 3 });
    const zipped = await admin.agent
      .get(`/api/v1/hosts/${alphaId}/vms`)
      .set('Accept-Encoding', 'gzip');
    expect(zipped.status).toBe(200);
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect((zipped.body as { name: string }[]).map((vm) => vm.name)).toEqual(
      expect.arrayContaining(['Alpha Web', 'Alpha Db']),
    );
    const etag = String(zipped.headers.etag);
    const again = await admin.agent.get(`/api/v1/hosts/${alphaId}/vms`).set('If-None-Match', etag);
    expect(again.status).toBe(304);
  });

  it('still needs the CSRF token of the console session to change a remote host', async () => {
    const response = await admin.agent
      .post(`/api/v1/hosts/${alphaId}/vms`)
      .send({ name: 'Forged' });
    expect(response.status).toBe(403);
    expect((response.body as ApiErrorBody).error.code).toBe('CSRF_TOKEN_INVALID');
  });

  it('forwards the event stream of the selected server', async () => {
    const listening = await listen(consoleServer.app);
    const abort = new AbortController();
    try {
      const response = await fetch(
        `http://127.0.0.1:${listening.port}/api/v1/hosts/${alphaId}/events`,
        { headers: { cookie: admin.cookie.split(';')[0] ?? '' }, signal: abort.signal },
      );
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toContain('text/event-stream');
      const reader = response.body?.getReader();
      let text = '';
      while (reader !== undefined && !text.includes(': connected')) {
        const chunk = await reader.read();
        if (chunk.done) break;
        text += new TextDecoder().decode(chunk.value as Uint8Array);
      }
      expect(text).toContain(': connected');
    } finally {
      abort.abort();
      await listening.close();
    }
  });

  it('keeps the connections per user, with no password and no token in clear', async () => {
    const reader = await signIn(consoleServer.app, 'Reader', 'reader-pw');
    expect((await hosts(reader.agent)).map((host) => host.computerName)).toEqual(['CONSOLE']);
    const notMine = await reader.agent.get(`/api/v1/hosts/${alphaId}/vms`);
    expect(notMine.status).toBe(404);

    const file = join(consoleServer.dataDir, securityFolderName, connectionsFileName);
    const text = readFileSync(file, 'utf8');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(text).not.toContain('alpha-pw');
    expect(text).not.toContain('hvt_');
    const issued = readFileSync(
      join(alpha.dataDir, securityFolderName, hostTokensFileName),
      'utf8',
    );
    expect(issued).not.toContain('hvt_');

    // A console started again over the same data folder has them.
    const again = await createGateway({ dataDir: consoleServer.dataDir });
    try {
      expect(again.store.of('administrator').map((c) => c.computerName)).toEqual(['ALPHA', 'BETA']);
    } finally {
      again.close();
    }
  });

  it('shows a server that goes away as unreachable, and reconnects when it is back', async () => {
    await alpha.stop();
    await vi.waitFor(async () => expect(await stateOf(alphaId)).toBe('Unreachable'));
    const failed = await admin.agent.get(`/api/v1/hosts/${alphaId}/vms`);
    expect(failed.status).toBe(502);
    expect((failed.body as ApiErrorBody).error.message).toBe(
      'An error occurred while attempting to connect to server "ALPHA". Check that the Virtual Machine Management service is running and that you are authorized to connect to the server.',
    );
    // BETA is unaffected.
    expect(await stateOf(betaId)).toBe('Connected');

    await alpha.start();
    await vi.waitFor(async () => expect(await stateOf(alphaId)).toBe('Connected'), {
      timeout: 10_000,
    });
    const listed = await admin.agent.get(`/api/v1/hosts/${alphaId}/vms`);
    expect(listed.status).toBe(200);
  });

  it("stops acting on a server once the account's password changed there", async () => {
    const accounts = accountStore(alpha.dataDir);
    const alice = accounts.find('alice');
    if (alice === undefined) throw new Error('no alice');
    await accounts.save({ ...alice, passwordChangedAt: '2025-01-01T00:00:00.000Z' });
    const refused = await admin.agent.get(`/api/v1/hosts/${alphaId}/vms`);
    expect(refused.status).toBe(502);
    expect((refused.body as ApiErrorBody).error.code).toBe('HOST_SIGNED_OUT');
    // The console's own session is untouched.
    expect((await admin.agent.get('/api/v1/session')).body).toMatchObject({ signedIn: true });
  });

  it('removes a server and revokes its token there', async () => {
    const response = await admin.agent
      .delete(`/api/v1/hosts/${betaId}`)
      .set('X-CSRF-Token', admin.csrfToken);
    expect(response.status).toBe(204);
    expect((await hosts()).map((host) => host.computerName)).toEqual(['CONSOLE', 'ALPHA']);
    await vi.waitFor(() => {
      const tokens = JSON.parse(
        readFileSync(join(beta.dataDir, securityFolderName, hostTokensFileName), 'utf8'),
      ) as { tokens: unknown[] };
      expect(tokens.tokens).toEqual([]);
    });
  });

  it('lets one user make only two connection attempts at once', async () => {
    // A server that accepts connections and never answers the TLS handshake.
    let accepted = 0;
    const silent = createServer(() => {
      accepted += 1;
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const address = `127.0.0.1:${(silent.address() as AddressInfo).port}`;
    try {
      const send = () =>
        admin.agent
          .post('/api/v1/hosts/probe')
          .set('X-CSRF-Token', admin.csrfToken)
          .send({ address })
          .then((response) => response);
      const first = send();
      const second = send();
      // Both attempts hold their TLS handshakes open.
      await vi.waitFor(() => expect(accepted).toBe(2));
      const third = await send();
      expect(third.status).toBe(429);
      expect(accepted).toBe(2);
      expect((await first).status).toBe(502);
      expect((await second).status).toBe(502);
    } finally {
      silent.close();
    }
  }, 30_000);
});
