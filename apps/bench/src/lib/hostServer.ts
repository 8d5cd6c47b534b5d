// Child process: a large host (node file store, placeholder disk files) behind the product's
// HTTP app, or a bare Express route serving fixed JSON bytes; for the console section, such a
// host on its HTTPS host-to-host port (`remote`), or a console whose gateway reaches them
// (`console`). Reports its port over IPC.
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import express from 'express';
import {
  createHost,
  nodeFileStore,
  zeroTiming,
  type DiskLibrary,
  type Host,
  type VmId,
} from '@hvm/engine';
import { runPowerShell } from '@hvm/powershell';
import {
  createApp,
  createGateway,
  createHttpServer,
  DEFAULT_CONNECTION_LIMITS,
  hostTokenStore,
  loadOrCreateIdentity,
} from '@hvm/server';
import { createServer, type Server } from 'node:http';
import type { InProcessRun } from './scaleTypes.js';

/** What the child sends its parent: its port once it listens, its memory when asked. */
export type HostServerMessage =
  | { type: 'ready'; port: number; buildMs: number }
  | { type: 'rss'; rss: number; heapUsed: number }
  | ({ type: 'ps' } & InProcessRun);

// HVM_WEB_ROOT, when relative, is taken from where `npm run bench` was started (INIT_CWD).
const webRoot =
  process.env.HVM_WEB_ROOT === undefined
    ? join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'web', 'dist')
    : resolve(process.env.INIT_CWD ?? process.cwd(), process.env.HVM_WEB_ROOT);

/** Writes a 4 KiB placeholder per disk: the API, UI and memory figures do not read disks. */
const placeholderDisks: DiskLibrary = {
  async createDynamicDisk(store, path) {
    await store.writeFileAtomic(path, new Uint8Array(4096));
  },
  async createDifferencingDisk(store, childPath) {
    await store.writeFileAtomic(childPath, new Uint8Array(4096));
  },
  writeDisk: () => Promise.resolve(),
  writeDiskRanges: () => Promise.resolve(),
  readDisk: (_store, _path, _offset, length) => Promise.resolve(new Uint8Array(length)),
  parentOf: () => Promise.resolve(null),
  // A placeholder has no content to fold into its parent: the merge only removes the child.
  mergeDisk: (store, childPath) => store.unlink(childPath),
};

/** Builds (or completes) the host through the engine API, `parallel` VMs at a time (each VM's steps in order). */
async function buildHost(
  vms: number,
  checkpoints: number,
  dir: string,
  parallel = 16,
  hostName = 'BENCH-HOST',
): Promise<{ buildMs: number; host: Host }> {
  const t0 = performance.now();
  const host = await createHost({
    store: nodeFileStore(dir),
    timing: zeroTiming,
    dataLocation: dir,
    disks: placeholderDisks,
    hostName,
  });
  // A folder that already holds part of the host (an earlier build that stopped) is completed:
  // its VMs get their missing checkpoints, then the missing VMs are made.
  const digits = String(Math.max(vms - 1, 0)).length;
  const tasks: { vmId: VmId | null; name: string; have: number }[] = host
    .listVms()
    .filter((vm) => vm.checkpointCount < checkpoints)
    .map((vm) => ({ vmId: vm.id, name: vm.name, have: vm.checkpointCount }));
  for (let v = host.listVms().length; v < vms; v++)
    tasks.push({ vmId: null, name: `VM-${String(v).padStart(digits, '0')}`, have: 0 });
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < tasks.length) {
      const task = tasks[next++];
      if (task === undefined) break;
      const vmId =
        task.vmId ??
        (
          await host.createVm({
            name: task.name,
            memoryStartupMB: 1024,
            diskSizeBytes: 64 * 1024 * 1024,
          })
        ).id;
      for (let c = task.have; c < checkpoints; c++)
        await host.createCheckpoint(vmId, { name: `Checkpoint ${c + 1}` });
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
  await host.whenIdle();
  return { buildMs: performance.now() - t0, host };
}

async function product(
  vms: number,
  checkpoints: number,
  dir: string,
  parallel = 16,
): Promise<{ app: express.Express; buildMs: number; host: Host }> {
  const { buildMs, host } = await buildHost(vms, checkpoints, dir, parallel);
  // The live-update figure opens 100 streams from this one address, standing for 100 users: the
  // server's bound of streams per client (10 by default) is raised to let them all in.
  const app = createApp(host, { webRoot, logError: () => undefined, eventStreamsPerClient: 128 });
  return { app, buildMs, host };
}

/**
 * A script timed in this process: the engine calls `Get-VM | Get-VMSnapshot` makes (the VM list,
 * then each VM's checkpoints), and the whole run through `runPowerShell` (no HTTP, no worker).
 */
async function inProcess(host: Host, script: string): Promise<InProcessRun> {
  const t0 = performance.now();
  let checkpoints = 0;
  for (const vm of host.listVms()) checkpoints += host.listCheckpoints(vm.id).checkpoints.length;
  const engineMs = performance.now() - t0;
  const t1 = performance.now();
  const result = await runPowerShell(host, script);
  const runMs = performance.now() - t1;
  const error = result.errors[0]?.message ?? (checkpoints === 0 ? 'no checkpoints' : null);
  return { engineMs, runMs, objects: result.objects.length, error };
}

function bare(file: string): { app: express.Express; buildMs: number; host: null } {
  const bytes = readFileSync(file);
  const app = express();
  app.get('/api/v1/vms', (_req, res) => {
    res.type('application/json').send(bytes);
  });
  return { app, buildMs: 0, host: null };
}

/**
 * Another server of the product for Connect to Server: the host in `dir` (loaded, none built)
 * named `name`, over HTTPS with its certificate, issuing host tokens (sign-in off: a token acts
 * as the local Administrator).
 */
async function remote(
  dir: string,
  name: string,
): Promise<{ app: express.Express; buildMs: number; host: Host; server: Server }> {
  const { buildMs, host } = await buildHost(0, 0, dir, 1, name);
  const identity = await loadOrCreateIdentity(dir, name);
  const app = createApp(host, {
    logError: () => undefined,
    auth: { mode: 'off', hostTokens: hostTokenStore(dir) },
    hostIdentity: { fingerprint: identity.fingerprint },
  });
  return { app, buildMs, host, server: createHttpServer(app, DEFAULT_CONNECTION_LIMITS, identity) };
}

/** The console the browser loads: a host of no VMs, its gateway and the web app. */
async function consoleServer(
  dir: string,
): Promise<{ app: express.Express; buildMs: number; host: Host }> {
  const { buildMs, host } = await buildHost(0, 0, dir, 1, 'BENCH-CONSOLE');
  const gateway = await createGateway({ dataDir: dir });
  return { app: createApp(host, { webRoot, logError: () => undefined, gateway }), buildMs, host };
}

async function serve(): Promise<{
  app: express.Express;
  buildMs: number;
  host: Host | null;
  server?: Server;
}> {
  if (mode === 'bare') return bare(a ?? '');
  if (mode === 'remote') return remote(a ?? '', b ?? 'BENCH-HOST');
  if (mode === 'console') return consoleServer(a ?? '');
  return product(Number(a), Number(b), c ?? '', Number(d ?? 16));
}

const [mode, a, b, c, d] = process.argv.slice(2);
const { app, buildMs, host, server: tlsServer } = await serve();
const send = (message: HostServerMessage): void => {
  process.send?.(message);
};
const server = (tlsServer ?? createServer(app)).listen(0, '127.0.0.1', () => {
  const address = server.address() as AddressInfo;
  send({ type: 'ready', port: address.port, buildMs });
});
process.on('message', (message) => {
  if (message === 'rss') {
    globalThis.gc?.();
    globalThis.gc?.();
    const m = process.memoryUsage();
    send({ type: 'rss', rss: m.rss, heapUsed: m.heapUsed });
  }
  const ask = message as { type?: string; script?: string } | null;
  if (ask?.type === 'ps' && host !== null)
    void inProcess(host, ask.script ?? '').then((r) => send({ type: 'ps', ...r }));
});
process.on('disconnect', () => process.exit(0));
