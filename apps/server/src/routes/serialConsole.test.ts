/**
 * The serial console of a QEMU guest over HTTP, without QEMU: the host is a QEMU host and its
 * VM's console is fed as if the guest printed (`printOnSerialConsole`); typing into a running
 * guest is in serialConsole.qemu.test.ts. Sign-in is required, as on a network.
 */
import { get } from 'node:http';
import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SERIAL_CONSOLE_BACKLOG_BYTES, type VmId } from '@hvm/engine';
import { printOnSerialConsole } from '@hvm/engine/testing';
import request from 'supertest';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ApiErrorBody } from '../http/errors.js';
import { Role } from '../auth/roles.js';
import { createAuthTestApp, signIn } from '../testing/authTestApp.js';
import type { AuthTestApp, SignedIn } from '../testing/authTestApp.js';

const accounts = {
  admin: { name: 'Administrator', role: Role.Administrator, password: 'Pa$$w0rd-admin' },
  reader: { name: 'Olivia', role: Role.Reader, password: 'Pa$$w0rd-reader' },
  operator: {
    name: 'Oscar',
    role: Role.CheckpointOperator,
    password: 'Pa$$w0rd-operator',
    virtualMachines: ['Granted'],
  },
};

const servers: Server[] = [];
afterEach(() => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    server.close();
  }
});

interface World extends AuthTestApp {
  vm: VmId;
  granted: VmId;
  as: Record<keyof typeof accounts, SignedIn>;
  port: number;
}

async function world(app: { serialConsoleMaxBufferedBytes?: number } = {}): Promise<World> {
  const t = await createAuthTestApp(Object.values(accounts), {
    hypervisor: { kind: 'qemu', accelerator: 'tcg' },
    app,
  });
  const make = async (name: string) =>
    (
      await t.host.createVm({
        name,
        memoryStartupMB: 192,
        diskSizeBytes: 64 * 1024 * 1024,
        guestImage: 'tiny-linux',
      })
    ).id;
  const vm = await make('Ledger');
  const granted = await make('Granted');
  const as = {
    admin: await signIn(t.app, accounts.admin.name, accounts.admin.password),
    reader: await signIn(t.app, accounts.reader.name, accounts.reader.password),
    operator: await signIn(t.app, accounts.operator.name, accounts.operator.password),
  };
  const server = t.app.listen(0, '127.0.0.1');
  servers.push(server);
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  return { ...t, vm, granted, as, port: (server.address() as AddressInfo).port };
}

const cookieOf = (signedIn: SignedIn) => signedIn.cookie.split(';')[0] ?? '';
const errorOf = (response: request.Response) => (response.body as ApiErrorBody).error;

interface ConsoleStream {
  response: IncomingMessage;
  /** The bytes of every `backlog` and `output` event so far, in order. */
  screen(): string;
  until(predicate: (screen: string) => boolean): Promise<string>;
}

/** GET /vms/:vmId/serial-console with these headers, read as a terminal would. */
function openConsole(
  w: World,
  vmId: VmId,
  headers: Record<string, string>,
): Promise<ConsoleStream> {
  return new Promise((resolve, reject) => {
    get(`http://127.0.0.1:${w.port}/api/v1/vms/${vmId}/serial-console`, { headers }, (response) => {
      response.setEncoding('utf8');
      let text = '';
      let waiters: (() => void)[] = [];
      const screen = () =>
        text
          .split('\n\n')
          .filter((block) => /^event: (backlog|output)$/m.test(block))
          .map((block) => /^data: (.*)$/m.exec(block)?.[1] ?? '')
          .map((data) => Buffer.from(data, 'base64').toString('utf8'))
          .join('');
      response.on('data', (chunk: string) => {
        text += chunk;
        const now = waiters;
        waiters = [];
        for (const waiter of now) waiter();
      });
      resolve({
        response,
        screen,
        until: (predicate) =>
          new Promise((done) => {
            const check = () => {
              if (predicate(screen())) done(screen());
              else waiters.push(check);
            };
            check();
          }),
      });
    }).on('error', reject);
  });
}

const print = (w: World, vmId: VmId, text: string) =>
  printOnSerialConsole(w.host, vmId, Buffer.from(text, 'utf8'));

describe('GET /vms/:vmId/serial-console', () => {
  it('shows a new viewer what the guest printed before, then what it prints, and logs the connection and its end', async () => {
    const w = await world();
    print(w, w.vm, 'HVM-READY\r\n~ # ');
    const stream = await openConsole(w, w.vm, { Cookie: cookieOf(w.as.admin) });
    expect(stream.response.statusCode).toBe(200);
    expect(stream.response.headers['content-type']).toContain('text/event-stream');
    await stream.until((screen) => screen === 'HVM-READY\r\n~ # ');
    print(w, w.vm, 'uname -s\r\nLinux ✓\r\n');
    await stream.until((screen) => screen.endsWith('Linux ✓\r\n'));
    stream.response.destroy();
    await vi.waitFor(async () => {
      const { entries } = await w.host.queryEventLog({ vmId: w.vm });
      expect(entries.map((e) => e.message)).toEqual([
        expect.stringMatching(
          /^'TEST-HOST\\Administrator' disconnected from the serial console of 'Ledger'\./,
        ),
        expect.stringMatching(
          /^'TEST-HOST\\Administrator' connected to the serial console of 'Ledger'\./,
        ),
        expect.stringMatching(/created/),
      ]);
    });
  });

  it('keeps a bounded backlog: a late viewer sees the most recent output only', async () => {
    const w = await world();
    for (let i = 0; i < 20_000; i += 1) print(w, w.vm, `line ${i}\r\n`);
    const stream = await openConsole(w, w.vm, { Cookie: cookieOf(w.as.admin) });
    const screen = await stream.until((s) => s.endsWith('\r\n'));
    expect(screen.length).toBeLessThanOrEqual(SERIAL_CONSOLE_BACKLOG_BYTES);
    expect(screen.endsWith('line 19999\r\n')).toBe(true);
    expect(screen).not.toContain('line 0\r\n');
    stream.response.destroy();
  });

  it('drops a viewer that does not read, so what waits for it stays bounded', async () => {
    const w = await world({ serialConsoleMaxBufferedBytes: 64 * 1024 });
    const stream = await openConsole(w, w.vm, { Cookie: cookieOf(w.as.admin) });
    stream.response.pause();
    let dropped = false;
    const stop = w.host.subscribe((event) => {
      if (event.type === 'event-logged' && /^'[^']+' disconnected from/.test(event.entry.message))
        dropped = true;
    });
    const chunk = 'x'.repeat(64 * 1024);
    // Far more than the sockets' buffers hold: the server stops sending and drops the viewer
    // (whose paused socket does not notice; the host's event log does).
    for (let i = 0; i < 4096 && !dropped; i += 1) {
      print(w, w.vm, chunk);
      await new Promise((resolve) => setImmediate(resolve));
    }
    stop();
    expect(dropped).toBe(true);
    stream.response.destroy();
  });

  it('answers only through the server’s own host name and to its own pages', async () => {
    const w = await world();
    const misdirected = await request(w.app)
      .get(`/api/v1/vms/${w.vm}/serial-console`)
      .set('Host', 'attacker.example')
      .set('Cookie', cookieOf(w.as.admin));
    expect(misdirected.status).toBe(421);
    const crossSite = await request(w.app)
      .get(`/api/v1/vms/${w.vm}/serial-console`)
      .set('Cookie', cookieOf(w.as.admin))
      .set('Origin', 'http://attacker.example')
      .set('Sec-Fetch-Site', 'cross-site')
      .set('Sec-Fetch-Mode', 'cors');
    expect(crossSite.status).toBe(403);
    const typedFromElsewhere = await w.as.admin.agent
      .post(`/api/v1/vms/${w.vm}/serial-console/input`)
      .set('X-CSRF-Token', w.as.admin.csrfToken)
      .set('Origin', 'http://attacker.example')
      .send({ text: 'reboot\r' });
    expect(typedFromElsewhere.status).toBe(403);
    expect(errorOf(typedFromElsewhere).code).toBe('CROSS_SITE_REQUEST');
    const noSession = await request(w.app).get(`/api/v1/vms/${w.vm}/serial-console`);
    expect(noSession.status).toBe(401);
    const noCsrfToken = await w.as.admin.agent
      .post(`/api/v1/vms/${w.vm}/serial-console/input`)
      .send({ text: 'ls\r' });
    expect(noCsrfToken.status).toBe(403);
  });
});

describe('who may watch and who may type', () => {
  it('lets a Reader watch but not type into the guest', async () => {
    const w = await world();
    print(w, w.vm, '~ # ');
    const stream = await openConsole(w, w.vm, { Cookie: cookieOf(w.as.reader) });
    expect(stream.response.statusCode).toBe(200);
    await stream.until((screen) => screen === '~ # ');
    const typed = await w.as.reader.agent
      .post(`/api/v1/vms/${w.vm}/serial-console/input`)
      .set('X-CSRF-Token', w.as.reader.csrfToken)
      .send({ text: 'rm -rf /data\r' });
    expect(typed.status).toBe(403);
    expect(errorOf(typed).code).toBe('ACCESS_DENIED');
    stream.response.destroy();
  });

  it('lets a Checkpoint Operator watch its granted VMs only, and type into none', async () => {
    const w = await world();
    const other = await openConsole(w, w.vm, { Cookie: cookieOf(w.as.operator) });
    expect(other.response.statusCode).toBe(404);
    other.response.destroy();
    const granted = await openConsole(w, w.granted, { Cookie: cookieOf(w.as.operator) });
    expect(granted.response.statusCode).toBe(200);
    granted.response.destroy();
    const typed = await w.as.operator.agent
      .post(`/api/v1/vms/${w.granted}/serial-console/input`)
      .set('X-CSRF-Token', w.as.operator.csrfToken)
      .send({ text: 'ls\r' });
    expect(typed.status).toBe(403);
  });

  it('lets an Administrator type only into a running guest, and only text of a bounded size', async () => {
    const w = await world();
    const off = await w.as.admin.agent
      .post(`/api/v1/vms/${w.vm}/serial-console/input`)
      .set('X-CSRF-Token', w.as.admin.csrfToken)
      .send({ text: 'ls\r' });
    expect(off.status).toBe(409);
    expect(errorOf(off)).toMatchObject({
      code: 'INVALID_STATE',
      message: "Cannot type into the console of 'Ledger' while it is Off.",
    });
    const tooMuch = await w.as.admin.agent
      .post(`/api/v1/vms/${w.vm}/serial-console/input`)
      .set('X-CSRF-Token', w.as.admin.csrfToken)
      .send({ text: 'x'.repeat(5000) });
    expect(tooMuch.status).toBe(422);
  });

  it('has no serial console for a simulated guest', async () => {
    const t = await createAuthTestApp([accounts.admin]);
    const admin = await signIn(t.app, accounts.admin.name, accounts.admin.password);
    const vm = await t.host.createVm({ name: 'Sim', memoryStartupMB: 512, diskSizeBytes: 1 << 26 });
    const response = await admin.agent.get(`/api/v1/vms/${vm.id}/serial-console`);
    expect(response.status).toBe(409);
    expect(errorOf(response).code).toBe('INVALID_STATE');
  });
});
