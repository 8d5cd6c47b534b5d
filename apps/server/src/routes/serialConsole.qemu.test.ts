/**
 * Virtual Machine Connection of a real guest: tiny-linux under QEMU (TCG) started through the
 * API, its serial console read through the server's stream until `HVM-READY`, then a command
 * typed through the server runs in the guest's shell and its answer comes back on the stream.
 */
import { spawnSync } from 'node:child_process';
import { get } from 'node:http';
import type { IncomingMessage, Server } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { nodeFileStore, type Host } from '@hvm/engine';
import { ensureGuestImage, type GuestImageName } from '@hvm/guest-image';
import { afterEach, describe, expect, it } from 'vitest';
import { Role } from '../auth/roles.js';
import { createAuthTestApp, signIn } from '../testing/authTestApp.js';

const IN_CI = process.env.CI === 'true';
const BOOT_MS = 120_000;
const admin = { name: 'Administrator', role: Role.Administrator, password: 'Pa$$w0rd-admin' };

let root: string | undefined;
let host: Host | undefined;
let server: Server | undefined;
let stream: IncomingMessage | undefined;
afterEach(async () => {
  stream?.destroy();
  server?.closeAllConnections();
  server?.close();
  // The host's close saves the running guest: QEMU ends.
  await host?.close();
  if (root !== undefined) await rm(root, { recursive: true, force: true });
  [root, host, server, stream] = [undefined, undefined, undefined, undefined];
});

/** The guest's screen so far: the bytes of every whole `backlog` and `output` event. */
function screenOf(text: string): string {
  return text
    .slice(0, text.lastIndexOf('\n\n') + 1)
    .split('\n\n')
    .filter((block) => /^event: (backlog|output)$/m.test(block))
    .map((block) => Buffer.from(/^data: (.*)$/m.exec(block)?.[1] ?? '', 'base64'))
    .reduce((all, bytes) => all + bytes.toString('utf8'), '');
}

describe(
  'Virtual Machine Connection of a tiny-linux guest under QEMU',
  { timeout: 240_000 },
  () => {
    it('shows the console live through the server and runs what is typed', async (ctx) => {
      if (spawnSync('sh', ['-c', 'command -v qemu-system-x86_64']).status !== 0) {
        const message = 'qemu-system-x86_64 is not installed (apt-get install qemu-system-x86)';
        if (IN_CI) throw new Error(message);
        ctx.skip(message);
      }
      await ensureGuestImage('tiny-linux');
      root = await mkdtemp(join(tmpdir(), 'hvm-serial-console-'));
      const t = await createAuthTestApp([admin], {
        store: nodeFileStore(root),
        hypervisor: { kind: 'qemu', accelerator: 'tcg' },
        qemuGuestImage: (name) => ensureGuestImage(name as GuestImageName),
      });
      host = t.host;
      const as = await signIn(t.app, admin.name, admin.password);
      const vm = await t.host.createVm({
        name: 'Ledger VM',
        memoryStartupMB: 192,
        diskSizeBytes: 64 * 1024 * 1024,
        guestImage: 'tiny-linux',
      });
      const listening = t.app.listen(0, '127.0.0.1');
      server = listening;
      await new Promise<void>((resolve) => listening.once('listening', () => resolve()));
      const { port } = listening.address() as AddressInfo;

      // Connected before Start: the viewer sees the boot from its first line.
      let text = '';
      const waiters: (() => void)[] = [];
      const opened = await new Promise<IncomingMessage>((resolve, reject) => {
        get(
          `http://127.0.0.1:${port}/api/v1/vms/${vm.id}/serial-console`,
          { headers: { Cookie: as.cookie.split(';')[0] ?? '' } },
          resolve,
        ).on('error', reject);
      });
      stream = opened;
      expect(opened.statusCode).toBe(200);
      opened.setEncoding('utf8');
      opened.on('data', (chunk: string) => {
        text += chunk;
        for (const waiter of waiters.splice(0)) waiter();
      });
      const screenShows = (pattern: RegExp, timeoutMs: number) =>
        new Promise<void>((resolve, reject) => {
          const timer = setTimeout(
            () => reject(new Error(`the screen did not show ${pattern}:\n${screenOf(text)}`)),
            timeoutMs,
          );
          const check = () => {
            if (pattern.test(screenOf(text))) {
              clearTimeout(timer);
              resolve();
            } else waiters.push(check);
          };
          check();
        });

      const started = await as.agent
        .post(`/api/v1/vms/${vm.id}/actions/start`)
        .set('X-CSRF-Token', as.csrfToken)
        .send();
      expect(started.status, started.text).toBe(200);
      await screenShows(/^HVM-READY\r?$/m, BOOT_MS);

      const type = (typed: string) =>
        as.agent
          .post(`/api/v1/vms/${vm.id}/serial-console/input`)
          .set('X-CSRF-Token', as.csrfToken)
          .send({ text: typed });
      // Enter wakes the console's shell; the command's answer is worked out in the guest.
      expect((await type('\r')).status).toBe(204);
      expect((await type('echo "typed: $((6 * 7)) on $(uname -s)"\r')).status).toBe(204);
      await screenShows(/^typed: 42 on Linux\r?$/m, 60_000);
    });
  },
);
