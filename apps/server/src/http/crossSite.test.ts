import type { Checkpoint, VmDetail } from '@hvm/engine';
import { afterEach, describe, expect, it } from 'vitest';
import { createAuthTestApp, signIn } from '../testing/authTestApp.js';
import { errorCode, listen, send } from '../testing/listening.js';
import type { Listening, RawRequest } from '../testing/listening.js';
import { createTestApp, createVm } from '../testing/testApp.js';

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

/** What `<form method="post" enctype="text/plain">` on another site makes the browser send. */
function formPost(port: number, path: string, overrides: Partial<RawRequest> = {}): RawRequest {
  return {
    method: 'POST',
    path,
    headers: {
      Host: `127.0.0.1:${port}`,
      Origin: 'https://attacker.example',
      'Sec-Fetch-Site': 'cross-site',
      'Content-Type': 'text/plain',
    },
    body: '{"name":"pwned","ignore":"="}',
    ...overrides,
  };
}

describe('cross-site requests change nothing (sign-in off)', () => {
  it('a cross-site form POST neither creates a checkpoint nor starts the VM', async () => {
    const { app, host } = await createTestApp();
    const vm: VmDetail = await createVm(app, 'WEB-01');
    const { port } = await served(app);

    const checkpoint = await send(port, formPost(port, `/api/v1/vms/${vm.id}/checkpoints`));
    expect(checkpoint.status).toBe(403);
    expect(errorCode(checkpoint)).toBe('CROSS_SITE_REQUEST');
    const start = await send(port, formPost(port, `/api/v1/vms/${vm.id}/actions/start`));
    expect(start.status).toBe(403);

    expect(host.listCheckpoints(vm.id).checkpoints).toEqual([]);
    expect(host.getVm(vm.id).state).toBe('Off');
  });

  it.each([
    ['a foreign Origin', { Origin: 'https://attacker.example' }],
    ['another port of this machine', { Origin: 'http://127.0.0.1:1' }],
    ['an opaque Origin (sandboxed frame, file:)', { Origin: 'null' }],
    ['Sec-Fetch-Site: cross-site', { 'Sec-Fetch-Site': 'cross-site' }],
    ['Sec-Fetch-Site: same-site', { 'Sec-Fetch-Site': 'same-site' }],
  ])('a JSON POST with %s is refused with 403', async (_what, headers) => {
    const { app, host } = await createTestApp();
    const vm = await createVm(app, 'WEB-01');
    const { port } = await served(app);
    const response = await send(port, {
      method: 'POST',
      path: `/api/v1/vms/${vm.id}/checkpoints`,
      headers: { 'Content-Type': 'application/json', ...headers },
      body: JSON.stringify({ name: 'cross-site' }),
    });
    expect(response.status).toBe(403);
    expect(response.json).toMatchObject({ error: { code: 'CROSS_SITE_REQUEST' } });
    expect(host.listCheckpoints(vm.id).checkpoints).toEqual([]);
  });

  it.each([
    ['text/plain', '{"name":"x"}'],
    ['application/x-www-form-urlencoded', 'name=x'],
    [
      'multipart/form-data; boundary=b',
      '--b\r\nContent-Disposition: form-data; name="name"\r\n\r\nx\r\n--b--\r\n',
    ],
  ])('a body sent as %s is 415, even without Origin', async (contentType, body) => {
    const { app, host } = await createTestApp();
    const vm = await createVm(app, 'WEB-01');
    const { port } = await served(app);
    const response = await send(port, {
      method: 'POST',
      path: `/api/v1/vms/${vm.id}/checkpoints`,
      headers: { 'Content-Type': contentType },
      body,
    });
    expect(response.status).toBe(415);
    expect(errorCode(response)).toBe('UNSUPPORTED_MEDIA_TYPE');
    expect(host.listCheckpoints(vm.id).checkpoints).toEqual([]);
  });

  it('the web app (own Origin, same-origin) and scripts (no Origin) still change the host', async () => {
    const { app, host } = await createTestApp();
    const vm = await createVm(app, 'WEB-01');
    const { port } = await served(app);
    const fromPage = await send(port, {
      method: 'POST',
      path: `/api/v1/vms/${vm.id}/checkpoints`,
      headers: {
        Host: `localhost:${port}`,
        Origin: `http://localhost:${port}`,
        'Sec-Fetch-Site': 'same-origin',
        'Content-Type': 'application/json; charset=utf-8',
      },
      body: JSON.stringify({ name: 'from the page' }),
    });
    expect(fromPage.status, fromPage.text).toBe(201);
    // A POST without a body (a power action) needs no Content-Type.
    const start = await send(port, { method: 'POST', path: `/api/v1/vms/${vm.id}/actions/start` });
    expect(start.status, start.text).toBe(200);
    const names = host
      .listCheckpoints(vm.id)
      .checkpoints.map((checkpoint: Checkpoint) => checkpoint.name);
    expect(names).toEqual(['from the page']);
  });
});

describe('own origin behind a proxy that passes the Host header on', () => {
  it('a Host without a port matches the default port of the page’s scheme, and no other port', async () => {
    const { app, host } = await createTestApp({ allowedHosts: { listenHost: 'hyperv.lan' } });
    const vm = await host.createVm({ name: 'WEB-01', diskSizeBytes: 1024 ** 3 });
    const { port } = await served(app);
    const post = (origin: string): Promise<number> =>
      send(port, {
        method: 'POST',
        path: `/api/v1/vms/${vm.id}/checkpoints`,
        headers: { Host: 'hyperv.lan', Origin: origin, 'Content-Type': 'application/json' },
        body: JSON.stringify({ name: origin }),
      }).then((response) => response.status);
    expect(await post('https://hyperv.lan')).toBe(201);
    expect(await post('http://hyperv.lan')).toBe(201);
    expect(await post('https://hyperv.lan:8443')).toBe(403);
    expect(await post('https://other.lan')).toBe(403);
    expect(host.listCheckpoints(vm.id).checkpoints).toHaveLength(2);
  });
});

describe('cross-site requests with sign-in required', () => {
  it('the sign-in route takes JSON only, and a cross-site sign-in is refused', async () => {
    const { app } = await createAuthTestApp([
      { name: 'olivia', role: 'administrator', password: 'correct horse battery' },
    ]);
    const { port } = await served(app);
    const asForm = await send(port, {
      method: 'POST',
      path: '/api/v1/session',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'userName=olivia&password=correct+horse+battery',
    });
    expect(asForm.status).toBe(415);
    expect(asForm.headers['set-cookie']).toBeUndefined();
    const crossSite = await send(port, {
      method: 'POST',
      path: '/api/v1/session',
      headers: { 'Content-Type': 'application/json', Origin: 'https://attacker.example' },
      body: JSON.stringify({ userName: 'olivia', password: 'correct horse battery' }),
    });
    expect(crossSite.status).toBe(403);
    expect(crossSite.headers['set-cookie']).toBeUndefined();
  });

  it('a cross-site POST carrying the session cookie and token is still refused', async () => {
    const { app, host } = await createAuthTestApp([
      { name: 'olivia', role: 'administrator', password: 'correct horse battery' },
    ]);
    const signedIn = await signIn(app, 'olivia', 'correct horse battery');
    const vm = await host.createVm({ name: 'WEB-01', diskSizeBytes: 1024 ** 3 });
    const { port } = await served(app);
    const response = await send(port, {
      method: 'POST',
      path: `/api/v1/vms/${vm.id}/checkpoints`,
      headers: {
        Cookie: signedIn.cookie.split(';')[0] ?? '',
        'X-CSRF-Token': signedIn.csrfToken,
        'Content-Type': 'application/json',
        'Sec-Fetch-Site': 'cross-site',
      },
      body: JSON.stringify({ name: 'cross-site' }),
    });
    expect(response.status).toBe(403);
    expect(errorCode(response)).toBe('CROSS_SITE_REQUEST');
    expect(host.listCheckpoints(vm.id).checkpoints).toEqual([]);
  });
});
