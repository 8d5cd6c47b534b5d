/**
 * Virtual Machine Connection of a QEMU guest on another server, through the gateway, with real
 * servers on loopback ports: the console (the gateway) and REMOTE (a QEMU host whose VM's console
 * is fed as if the guest printed). Each console user is connected to REMOTE with another of its
 * accounts, so REMOTE's own roles and grants decide who watches and who types.
 */
import { get } from 'node:http';
import type { IncomingMessage } from 'node:http';
import type { HostProbe, HostSummary } from '@hvm/contracts';
import type { VmId } from '@hvm/engine';
import { printOnSerialConsole } from '@hvm/engine/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Role } from '../auth/roles.js';
import type { ApiErrorBody } from '../http/errors.js';
import { signIn } from '../testing/authTestApp.js';
import type { SignedIn } from '../testing/authTestApp.js';
import { startTestServer } from '../testing/hostServers.js';
import type { TestServer } from '../testing/hostServers.js';
import { listen } from '../testing/listening.js';
import type { Listening } from '../testing/listening.js';

let consoleServer: TestServer;
let remote: TestServer;
let consoleHttp: Listening;
/** Console users, each connected to REMOTE as: alice (Administrator), rita (Reader), oscar (Checkpoint Operator of 'Granted'). */
const as: Record<'admin' | 'reader' | 'operator', { user: SignedIn; hostId: string }> = {
  admin: { user: undefined as unknown as SignedIn, hostId: '' },
  reader: { user: undefined as unknown as SignedIn, hostId: '' },
  operator: { user: undefined as unknown as SignedIn, hostId: '' },
};
let ledger: VmId;
let granted: VmId;

/** The gateway drops a console viewer with more than this waiting in its socket (set low here). */
const GATEWAY_MAX_BUFFERED = 64 * 1024;
/** Event streams per session on the console: fewer than REMOTE allows one token (10). */
const CONSOLE_STREAMS_PER_SESSION = 4;

async function connect(user: SignedIn, userName: string, password: string): Promise<string> {
  const probe = await user.agent
    .post('/api/v1/hosts/probe')
    .set('X-CSRF-Token', user.csrfToken)
    .send({ address: remote.address });
  expect(probe.status, probe.text).toBe(200);
  const { fingerprint } = probe.body as HostProbe;
  const response = await user.agent
    .post('/api/v1/hosts')
    .set('X-CSRF-Token', user.csrfToken)
    .send({ address: remote.address, fingerprint, userName, password });
  expect(response.status, response.text).toBe(201);
  return (response.body as HostSummary).id;
}

beforeAll(async () => {
  [consoleServer, remote] = await Promise.all([
    startTestServer(
      'CONSOLE',
      [
        { name: 'Administrator', role: Role.Administrator, password: 'console-pw' },
        { name: 'Robin', role: Role.Administrator, password: 'robin-pw' },
        { name: 'Olga', role: Role.Administrator, password: 'olga-pw' },
      ],
      {
        app: {
          serialConsoleMaxBufferedBytes: GATEWAY_MAX_BUFFERED,
          eventStreamsPerClient: CONSOLE_STREAMS_PER_SESSION,
        },
      },
    ),
    startTestServer(
      'REMOTE',
      [
        { name: 'alice', role: Role.Administrator, password: 'alice-pw' },
        { name: 'rita', role: Role.Reader, password: 'rita-pw' },
        {
          name: 'oscar',
          role: Role.CheckpointOperator,
          password: 'oscar-pw',
          virtualMachines: ['Granted'],
        },
      ],
      {
        hypervisor: { kind: 'qemu', accelerator: 'tcg' },
        // REMOTE itself would let a slow reader queue far more: only the gateway's bound is tested.
        app: { serialConsoleMaxBufferedBytes: 256 * 1024 * 1024 },
      },
    ),
  ]);
  const make = async (name: string) =>
    (
      await remote.host.createVm({
        name,
        memoryStartupMB: 192,
        diskSizeBytes: 64 * 1024 * 1024,
        guestImage: 'tiny-linux',
      })
    ).id;
  ledger = await make('Ledger');
  granted = await make('Granted');
  as.admin.user = await signIn(consoleServer.app, 'Administrator', 'console-pw');
  as.reader.user = await signIn(consoleServer.app, 'Robin', 'robin-pw');
  as.operator.user = await signIn(consoleServer.app, 'Olga', 'olga-pw');
  as.admin.hostId = await connect(as.admin.user, 'alice', 'alice-pw');
  as.reader.hostId = await connect(as.reader.user, 'rita', 'rita-pw');
  as.operator.hostId = await connect(as.operator.user, 'oscar', 'oscar-pw');
  consoleHttp = await listen(consoleServer.app);
}, 60_000);

afterAll(async () => {
  await consoleHttp.close();
  for (const server of [consoleServer, remote]) {
    server.gateway.close();
    await server.stop();
  }
});

interface ConsoleStream {
  response: IncomingMessage;
  /** The bytes of every `backlog` and `output` event so far, in order. */
  screen(): string;
  /** Everything received so far. */
  text(): string;
  /** Every event so far, as `[name, data]`. */
  events(): [string, string][];
  until(predicate: () => boolean): Promise<void>;
  ended: Promise<void>;
}

/** GET /hosts/{hostId}/vms/{vmId}/serial-console on the console, read as the web app reads it. */
function openConsole(who: keyof typeof as, vmId: VmId): Promise<ConsoleStream> {
  const { user, hostId } = as[who];
  const path = `/api/v1/hosts/${hostId}/vms/${vmId}/serial-console`;
  return new Promise((resolve, reject) => {
    get(
      `http://127.0.0.1:${consoleHttp.port}${path}`,
      { headers: { cookie: user.cookie.split(';')[0] ?? '', accept: 'text/event-stream' } },
      (response) => {
        response.setEncoding('utf8');
        let text = '';
        let waiters: (() => void)[] = [];
        const events = (): [string, string][] =>
          text
            .split('\n\n')
            .filter((block) => /^event: /m.test(block))
            .map((block) => [
              /^event: (.*)$/m.exec(block)?.[1] ?? '',
              /^data: (.*)$/m.exec(block)?.[1] ?? '',
            ]);
        const screen = () =>
          events()
            .filter(([name]) => name === 'backlog' || name === 'output')
            .map(([, data]) => Buffer.from(data, 'base64').toString('utf8'))
            .join('');
        const wake = () => {
          const now = waiters;
          waiters = [];
          for (const waiter of now) waiter();
        };
        response.on('data', (chunk: string) => {
          text += chunk;
          wake();
        });
        const ended = new Promise<void>((done) => {
          response.once('close', () => {
            done();
            wake();
          });
        });
        resolve({
          response,
          screen,
          events,
          text: () => text,
          ended,
          until: (predicate) =>
            new Promise((done) => {
              const check = () => {
                if (predicate()) done();
                else waiters.push(check);
              };
              check();
            }),
        });
      },
    ).on('error', reject);
  });
}

const print = (vmId: VmId, text: string) =>
  printOnSerialConsole(remote.host, vmId, Buffer.from(text, 'utf8'));

const type = (who: keyof typeof as, vmId: VmId, text: string, csrf = true) => {
  const { user, hostId } = as[who];
  const sent = user.agent.post(`/api/v1/hosts/${hostId}/vms/${vmId}/serial-console/input`);
  return (csrf ? sent.set('X-CSRF-Token', user.csrfToken) : sent).send({ text });
};

const consoleLog = async (vmId: VmId) =>
  (await remote.host.queryEventLog({ vmId })).entries.map((entry) => entry.message);

describe('the serial console of a VM on another server, through the gateway', () => {
  it('shows what the guest printed before and what it prints, from the server the VM lives on', async () => {
    print(ledger, 'HVM-READY\r\n~ # ');
    const stream = await openConsole('admin', ledger);
    expect(stream.response.statusCode).toBe(200);
    expect(stream.response.headers['content-type']).toContain('text/event-stream');
    await stream.until(() => stream.screen().endsWith('HVM-READY\r\n~ # '));
    print(ledger, 'uname -s\r\nLinux ✓\r\n');
    await stream.until(() => stream.screen().endsWith('Linux ✓\r\n'));
    stream.response.destroy();
    // REMOTE logs the connection as its own account, the one the token was issued to.
    await vi.waitFor(async () =>
      expect(await consoleLog(ledger)).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^'REMOTE\\alice' connected to the serial console of 'Ledger'\./),
          expect.stringMatching(
            /^'REMOTE\\alice' disconnected from the serial console of 'Ledger'\./,
          ),
        ]),
      ),
    );
  });

  it("types through the gateway where REMOTE's role allows it: REMOTE answers for its guest", async () => {
    const typed = await type('admin', ledger, 'ls\r');
    // alice may type; the guest is Off on REMOTE, so REMOTE refuses it in its own words.
    expect(typed.status).toBe(409);
    expect((typed.body as ApiErrorBody).error).toMatchObject({
      code: 'INVALID_STATE',
      message: "Cannot type into the console of 'Ledger' while it is Off.",
    });
  });

  it('lets a Reader on REMOTE watch but not type, whatever its role on the console', async () => {
    print(ledger, '~ # ');
    const stream = await openConsole('reader', ledger);
    expect(stream.response.statusCode).toBe(200);
    await stream.until(() => stream.screen().endsWith('~ # '));
    const typed = await type('reader', ledger, 'rm -rf /data\r');
    expect(typed.status).toBe(403);
    expect((typed.body as ApiErrorBody).error.code).toBe('ACCESS_DENIED');
    expect((typed.body as ApiErrorBody).error.message).toContain("for the computer 'REMOTE'");
    stream.response.destroy();
  });

  it('lets a Checkpoint Operator on REMOTE watch only the VMs REMOTE grants it, and type into none', async () => {
    const other = await openConsole('operator', ledger);
    expect(other.response.statusCode).toBe(404);
    other.response.destroy();
    const mine = await openConsole('operator', granted);
    expect(mine.response.statusCode).toBe(200);
    mine.response.destroy();
    expect((await type('operator', granted, 'ls\r')).status).toBe(403);
  });

  it("counts another server's console viewers with the session's own event streams", async () => {
    const open: ConsoleStream[] = [];
    try {
      // CONSOLE_STREAMS_PER_SESSION on the console (REMOTE allows more to the token).
      for (let i = 0; i < CONSOLE_STREAMS_PER_SESSION; i += 1) {
        const stream = await openConsole('reader', ledger);
        open.push(stream);
        expect(stream.response.statusCode).toBe(200);
      }
      const refused = await openConsole('reader', ledger);
      open.push(refused);
      expect(refused.response.statusCode).toBe(429);
      await refused.ended;
      expect(refused.text()).toContain(`at most ${CONSOLE_STREAMS_PER_SESSION} per session`);
    } finally {
      for (const stream of open) stream.response.destroy();
    }
  });

  it("keeps the console's own checks: the session's CSRF token for typing", async () => {
    const forged = await type('admin', ledger, 'reboot\r', false);
    expect(forged.status).toBe(403);
    expect((forged.body as ApiErrorBody).error.code).toBe('CSRF_TOKEN_INVALID');
  });

  it('drops a viewer that does not read, so what the gateway holds for it stays bounded', async () => {
    const stream = await openConsole('admin', ledger);
    await stream.until(() => stream.events().some(([name]) => name === 'backlog'));
    stream.response.pause();
    const disconnections = async () =>
      (await consoleLog(ledger)).filter((m) => m.startsWith("'REMOTE\\alice' disconnected")).length;
    const before = await disconnections();
    const chunk = 'x'.repeat(64 * 1024);
    // REMOTE would queue up to 256 MiB for the gateway: only the gateway's bound ends this.
    let dropped = false;
    for (let i = 0; i < 2048 && !dropped; i += 1) {
      print(ledger, chunk);
      await new Promise((resolve) => setTimeout(resolve, 1));
      if (i % 32 === 31) dropped = (await disconnections()) > before;
    }
    await vi.waitFor(async () => expect(await disconnections()).toBeGreaterThan(before));
    stream.response.destroy();
  }, 60_000);

  it('ends the stream with the reason when REMOTE goes away, and connects again once it is back', async () => {
    print(ledger, '\r\n~ # ');
    const stream = await openConsole('admin', ledger);
    await stream.until(() => stream.screen().endsWith('~ # '));
    await remote.stop();
    await stream.ended;
    const last = stream.events().at(-1);
    expect(last?.[0]).toBe('host-unreachable');
    expect(JSON.parse(last?.[1] ?? '{}')).toEqual({
      code: 'HOST_UNREACHABLE',
      message:
        'An error occurred while attempting to connect to server "REMOTE". Check that the Virtual Machine Management service is running and that you are authorized to connect to the server.',
    });
    // Meanwhile a new viewer gets the gateway's error answer, not a stream.
    const refused = await openConsole('admin', ledger);
    expect(refused.response.statusCode).toBe(502);
    refused.response.destroy();

    await remote.start();
    await vi.waitFor(
      async () => {
        const again = await openConsole('admin', ledger);
        again.response.destroy();
        expect(again.response.statusCode).toBe(200);
      },
      { timeout: 10_000 },
    );
    const again = await openConsole('admin', ledger);
    await again.until(() => again.screen().endsWith('~ # '));
    again.response.destroy();
  }, 30_000);
});
