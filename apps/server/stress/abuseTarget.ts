import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHost, memoryFileStore, zeroTiming, type Host } from '@hvm/engine';
import { createApp, createHttpServer, defaultPowerShellLimits } from '@hvm/server';
import type { ConnectionLimits } from '@hvm/server';

/**
 * The bounds the abuse run configures: small, so that a short run reaches every one of them, yet
 * above the event-loop stalls of a busy 2-core machine: Node counts a request head that arrived but
 * was not parsed yet against its timeouts, so a 500 ms bound answered honest requests 408 there.
 */
export const ABUSE_LIMITS: ConnectionLimits = {
  maxConnections: 400,
  maxConnectionsPerAddress: 40,
  headersTimeoutMs: 2_000,
  requestTimeoutMs: 5_000,
  keepAliveTimeoutMs: 500,
};
export const ABUSE_EVENT_STREAMS = 4;
export const ABUSE_DISK_READS = { concurrent: 2, queued: 4 };
/** A short wall-clock limit, so that an endless script ends within the case's budget. */
export const ABUSE_SCRIPT_TIME_LIMIT_MS = 3_000;

export interface AbuseTarget {
  host: Host;
  port: number;
  server: Server;
  vmId: string;
  backupCheckpointId: string;
  /** Backup disk reads in flight now, and the most seen at once. */
  diskReads: { inFlight: number; most: number };
  /** Errors the app reported as unexpected (each one is a 500). */
  logged: unknown[];
  close(): Promise<void>;
}

/** Counts backup disk reads in flight (through `withActor` too: the routes read as the user). */
function countingDiskReads(host: Host, counts: AbuseTarget['diskReads']): Host {
  return {
    ...host,
    withActor: (user) => countingDiskReads(host.withActor(user), counts),
    readCheckpointDisk: async (...args) => {
      counts.inFlight += 1;
      counts.most = Math.max(counts.most, counts.inFlight);
      try {
        return await host.readCheckpointDisk(...args);
      } finally {
        counts.inFlight -= 1;
      }
    },
  };
}

/** A host with one running SQL VM and a recovery checkpoint, served on 127.0.0.1 with small bounds. */
export async function startAbuseTarget(): Promise<AbuseTarget> {
  const host = await createHost({
    store: memoryFileStore(),
    timing: zeroTiming,
    hostName: 'ABUSE-HOST',
  });
  const vm = await host.createVm({
    name: 'sql01',
    memoryStartupMB: 1024,
    diskSizeBytes: 64 * 1024 * 1024,
    guestImage: 'windows-server-2016-sql',
  });
  await host.changeVmState(vm.id, 'start');
  const backup = await host.createRecoveryCheckpoint(vm.id);
  const diskReads = { inFlight: 0, most: 0 };
  const logged: unknown[] = [];
  const app = createApp(countingDiskReads(host, diskReads), {
    logError: (error) => logged.push(error),
    heartbeatMs: 60_000,
    eventStreamsPerClient: ABUSE_EVENT_STREAMS,
    diskReads: ABUSE_DISK_READS,
    powerShell: {
      limits: { ...defaultPowerShellLimits, timeLimitMs: ABUSE_SCRIPT_TIME_LIMIT_MS },
      warmUp: true,
    },
  });
  const server = createHttpServer(app, ABUSE_LIMITS);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    host,
    port,
    server,
    vmId: vm.id,
    backupCheckpointId: backup.id,
    diskReads,
    logged,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await host.close();
    },
  };
}

export {
  errorCodeOf as codeOf,
  sendRawRequest as sendRaw,
  type RawResponse as Answer,
} from '@hvm/stress-support';
