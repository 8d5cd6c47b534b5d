// Child process: a large host (node file store, placeholder disk files) behind the product's
// HTTP app, or a bare Express route serving fixed JSON bytes. Reports its port over IPC.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import express from 'express';
import { createHost, nodeFileStore, zeroTiming } from '@hvm/engine';
import { createApp } from '@hvm/server';

const webRoot =
  process.env.HVM_WEB_ROOT ??
  join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'apps', 'web', 'dist');

/** Writes a 4 KiB placeholder per disk: the API, UI and memory figures do not read disks. */
const placeholderDisks = {
  async createDynamicDisk(store, path) {
    await store.writeFileAtomic(path, new Uint8Array(4096));
  },
  async createDifferencingDisk(store, childPath) {
    await store.writeFileAtomic(childPath, new Uint8Array(4096));
  },
  writeDisk: () => Promise.resolve(),
  writeDiskRanges: () => Promise.resolve(),
  async readDisk(_store, _path, _offset, length) {
    return new Uint8Array(length);
  },
  async parentOf() {
    return null;
  },
  async mergeDisk() {
    throw new Error('no merges on placeholder disks');
  },
  canMerge: false,
};

/** Builds the host through the engine API, `parallel` VMs at a time (each VM's steps in order). */
async function product(vms, checkpoints, dir, parallel = 16) {
  const t0 = performance.now();
  const host = await createHost({
    store: nodeFileStore(dir),
    timing: zeroTiming,
    dataLocation: dir,
    disks: placeholderDisks,
    hostName: 'BENCH-HOST',
  });
  let next = 0;
  const worker = async () => {
    while (next < vms) {
      const v = next++;
      const vm = await host.createVm({
        name: `VM-${String(v).padStart(3, '0')}`,
        memoryStartupMB: 1024,
        diskSizeBytes: 64 * 1024 * 1024,
      });
      for (let c = 0; c < checkpoints; c++)
        await host.createCheckpoint(vm.id, { name: `Checkpoint ${c + 1}` });
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
  const buildMs = performance.now() - t0;
  return { app: createApp(host, { webRoot, logError: () => undefined }), buildMs };
}

function bare(file) {
  const bytes = readFileSync(file);
  const app = express();
  app.get('/api/v1/vms', (_req, res) => {
    res.type('application/json').send(bytes);
  });
  return { app, buildMs: 0 };
}

const [mode, a, b, c, d] = process.argv.slice(2);
const { app, buildMs } =
  mode === 'bare' ? bare(a) : await product(Number(a), Number(b), c, Number(d ?? 16));
const server = app.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.send?.({ type: 'ready', port: address.port, buildMs });
});
process.on('message', (message) => {
  if (message === 'rss') {
    globalThis.gc?.();
    globalThis.gc?.();
    const m = process.memoryUsage();
    process.send?.({ type: 'rss', rss: m.rss, heapUsed: m.heapUsed });
  }
});
process.on('disconnect', () => process.exit(0));
