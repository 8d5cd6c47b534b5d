import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createAuthTestApp } from '../testing/authTestApp.js';
import { listen, send, errorCode } from '../testing/listening.js';
import type { Listening } from '../testing/listening.js';
import { createTestApp, createVm } from '../testing/testApp.js';
import { allowedHostNames, hostNameOf } from './allowedHosts.js';

let open: Listening[] = [];
afterEach(async () => {
  await Promise.all(open.map((server) => server.close()));
  open = [];
});

async function served(app: Parameters<typeof listen>[0]): Promise<Listening> {
  const server = await listen(app);
  open.push(server);
  return server;
}

function webRoot(): string {
  const folder = mkdtempSync(join(tmpdir(), 'hvm-web-'));
  writeFileSync(join(folder, 'index.html'), '<!doctype html><title>Hyper-V Manager</title>');
  return folder;
}

describe('DNS rebinding: only the names the server is reached by are served', () => {
  it('a page whose name was rebound to 127.0.0.1 reads nothing and deletes nothing (sign-in off)', async () => {
    const { app, host } = await createTestApp({ webRoot: webRoot() });
    await createVm(app, 'X');
    const { port } = await served(app);
    const forged = { Host: `rebind.attacker.example:${port}` };

    const list = await send(port, { path: '/api/v1/vms', headers: forged });
    expect(list.status).toBe(421);
    expect(errorCode(list)).toBe('MISDIRECTED_REQUEST');
    expect(list.text).not.toContain('"X"');

    const removal = await send(port, {
      method: 'POST',
      path: '/api/v1/powershell',
      headers: { ...forged, 'Content-Type': 'application/json' },
      body: JSON.stringify({ script: 'Remove-VM -Name X -Force' }),
    });
    expect(removal.status).toBe(421);
    expect(host.listVms().map((vm) => vm.name)).toEqual(['X']);

    const page = await send(port, { path: '/', headers: forged });
    expect(page.status).toBe(421);
    expect(page.headers['content-type']).toMatch(/^application\/json/);
    expect(page.text).not.toContain('Hyper-V Manager</title>');
  });

  it('is refused with sign-in required too, before the sign-in page is reached', async () => {
    const { app } = await createAuthTestApp([]);
    const { port } = await served(app);
    const response = await send(port, {
      path: '/api/v1/session',
      headers: { Host: 'rebind.attacker.example' },
    });
    expect(response.status).toBe(421);
    expect(response.json).toMatchObject({
      error: { code: 'MISDIRECTED_REQUEST', details: { host: 'rebind.attacker.example' } },
    });
  });

  it('a request without a Host header is refused', async () => {
    const { app } = await createTestApp();
    const { port } = await served(app);
    const response = await send(port, { path: '/api/v1/host', headers: { Host: '' } });
    expect(response.status).toBe(421);
  });

  it.each(['127.0.0.1', 'localhost', '[::1]', 'LOCALHOST.', 'localhost:1234'])(
    'Host %s (with the port or without) is served',
    async (name) => {
      const { app } = await createTestApp({ webRoot: webRoot() });
      const { port } = await served(app);
      const host = name.includes(':') && !name.startsWith('[') ? name : `${name}:${port}`;
      expect((await send(port, { path: '/api/v1/vms', headers: { Host: host } })).status).toBe(200);
      expect((await send(port, { path: '/', headers: { Host: name } })).status).toBe(200);
    },
  );

  it('serves the names of HYPERV_ALLOWED_HOSTS (a proxy) and no look-alike', async () => {
    const { app } = await createTestApp({
      allowedHosts: { listenHost: '127.0.0.1', extraHosts: ['hyperv.example.com'] },
    });
    const { port } = await served(app);
    const status = async (host: string): Promise<number> =>
      (await send(port, { path: '/api/v1/host', headers: { Host: host } })).status;
    expect(await status('hyperv.example.com')).toBe(200);
    expect(await status('HyperV.Example.com:443')).toBe(200);
    expect(await status('hyperv.example.com.attacker.example')).toBe(421);
    expect(await status('attacker.example@hyperv.example.com')).toBe(421);
  });
});

describe('allowedHostNames', () => {
  it('a loopback server answers to its address, localhost and the loopback literals only', () => {
    expect([...allowedHostNames({ listenHost: '127.0.0.1' })].sort()).toEqual([
      '127.0.0.1',
      '[::1]',
      'localhost',
    ]);
  });

  it('a server on a wildcard address also answers to this machine’s name and addresses', () => {
    const names = allowedHostNames({
      listenHost: '0.0.0.0',
      machineNames: () => ['hyperv-01', '192.168.1.20', 'fe80::1'],
    });
    for (const name of ['hyperv-01', '192.168.1.20', '[fe80::1]', 'localhost']) {
      expect(names.has(name)).toBe(true);
    }
    expect(
      allowedHostNames({ listenHost: '::', machineNames: () => ['hyperv-01'] }).has('hyperv-01'),
    ).toBe(true);
    expect(
      allowedHostNames({ listenHost: '10.0.0.5', machineNames: () => ['hyperv-01'] }).has(
        'hyperv-01',
      ),
    ).toBe(false);
  });

  it('hostNameOf strips the port and refuses what is not a host name', () => {
    expect(hostNameOf('Example.COM:8080')).toBe('example.com');
    expect(hostNameOf('[::1]:8080')).toBe('[::1]');
    expect(hostNameOf('::1')).toBe('[::1]');
    expect(hostNameOf('evil.example/path')).toBeNull();
    expect(hostNameOf('a@b')).toBeNull();
    expect(hostNameOf('')).toBeNull();
  });
});
