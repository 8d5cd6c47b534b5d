/**
 * Test fixture for Connect to Server: real servers of this product on loopback ports, each with its
 * own data folder (accounts, certificate, host tokens) and host, listening over HTTPS on its
 * host-to-host port; one can be stopped and started again on the same port.
 */
import { mkdtempSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Express } from 'express';
import { createTestHost } from '@hvm/engine/testing';
import type { Host, HostHypervisor } from '@hvm/engine';
import { createApp } from '../app.js';
import type { AppOptions } from '../app.js';
import { accountStore } from '../auth/accountStore.js';
import { hashPassword } from '../auth/passwords.js';
import type { Role } from '../auth/roles.js';
import { createHttpServer, DEFAULT_CONNECTION_LIMITS } from '../http/httpServer.js';
import { createGateway } from '../hosts/gateway.js';
import type { Gateway } from '../hosts/gateway.js';
import { hostTokenStore } from '../hosts/hostTokens.js';
import { loadOrCreateIdentity } from '../hosts/identity.js';
import type { HostIdentity } from '../hosts/identity.js';

export interface TestAccount {
  name: string;
  role: Role;
  password: string;
  virtualMachines?: string[];
}

export interface TestServer {
  name: string;
  dataDir: string;
  host: Host;
  app: Express;
  identity: HostIdentity;
  gateway: Gateway;
  /** `127.0.0.1:port` of the HTTPS host-to-host port. */
  address: string;
  logs: string[];
  stop(): Promise<void>;
  /** Listens again on the same port, with the same data folder and host. */
  start(): Promise<void>;
}

async function listenOn(server: Server, port: number): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return (server.address() as AddressInfo).port;
}

export interface TestServerOptions {
  /** Delays between the gateway's reconnection attempts. */
  retryMs?: { initial: number; max: number };
  /** What runs the guests (default simulated). */
  hypervisor?: HostHypervisor;
  /** More options of the app (limits). */
  app?: Partial<AppOptions>;
}

export async function startTestServer(
  name: string,
  accounts: TestAccount[],
  options: TestServerOptions = {},
): Promise<TestServer> {
  const retryMs = options.retryMs ?? { initial: 20, max: 200 };
  const dataDir = mkdtempSync(join(tmpdir(), `hvm-${name.toLowerCase()}-`));
  const { host } = await createTestHost({
    hostName: name,
    ...(options.hypervisor === undefined ? {} : { hypervisor: options.hypervisor }),
  });
  const store = accountStore(dataDir);
  const at = '2024-03-05T14:07:09.000Z';
  for (const account of accounts) {
    await store.save({
      name: account.name,
      role: account.role,
      virtualMachines: account.virtualMachines ?? [],
      password: await hashPassword(account.password),
      createdAt: at,
      passwordChangedAt: at,
    });
  }
  const identity = await loadOrCreateIdentity(dataDir, name);
  const gateway = await createGateway({ dataDir, retryMs });
  const logs: string[] = [];
  const app = createApp(host, {
    ...options.app,
    logError: (error) => logs.push(String(error)),
    auth: {
      mode: 'required',
      accounts: store,
      hostTokens: hostTokenStore(dataDir),
      log: (message) => logs.push(message),
    },
    hostIdentity: { fingerprint: identity.fingerprint },
    gateway,
  });
  let server = createHttpServer(app, DEFAULT_CONNECTION_LIMITS, identity);
  const port = await listenOn(server, 0);
  const result: TestServer = {
    name,
    dataDir,
    host,
    app,
    identity,
    gateway,
    address: `127.0.0.1:${port}`,
    logs,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
    start: async () => {
      server = createHttpServer(app, DEFAULT_CONNECTION_LIMITS, identity);
      await listenOn(server, port);
    },
  };
  return result;
}
