import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { createHost, memoryFileStore, zeroTiming, type Host } from '@hvm/engine';
import { createApp } from '@hvm/server';

/** A host on a memory store with two VMs and a few checkpoints, served on a loopback port. */
export interface FuzzTarget {
  host: Host;
  base: string;
  /** Errors the app reported as unexpected (each one is a 500). */
  logged: unknown[];
  close(): Promise<void>;
}

export async function startTarget(): Promise<FuzzTarget> {
  const host = await createHost({
    store: memoryFileStore(),
    timing: zeroTiming,
    hostName: 'FUZZ-HOST',
  });
  const web = await host.createVm({
    name: 'web01',
    memoryStartupMB: 1024,
    diskSizeBytes: 1024 ** 3,
    guestImage: null,
  });
  const db = await host.createVm({
    name: 'db01',
    memoryStartupMB: 2048,
    diskSizeBytes: 1024 ** 3,
    guestImage: null,
  });
  const first = await host.createCheckpoint(web.id, { name: 'Before update' });
  await host.createCheckpoint(web.id, { name: 'After update' });
  await host.applyCheckpoint(web.id, first.id);
  await host.createCheckpoint(db.id);
  const logged: unknown[] = [];
  const app = createApp(host, { logError: (error) => logged.push(error), heartbeatMs: 60_000 });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => {
      resolve(s);
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    host,
    base: `http://127.0.0.1:${port}`,
    logged,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await host.close();
    },
  };
}
