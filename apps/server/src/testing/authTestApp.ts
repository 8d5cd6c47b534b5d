/** Test fixture: the app with sign-in required, accounts in a temporary folder, a clock tests move. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Express } from 'express';
import type { FileStore, Host, HostHypervisor, QemuGuestImageSource } from '@hvm/engine';
import { createTestHost } from '@hvm/engine/testing';
import request from 'supertest';
import { expect } from 'vitest';
import { createApp } from '../app.js';
import type { AppOptions } from '../app.js';
import { accountStore } from '../auth/accountStore.js';
import type { AccountStore } from '../auth/accountStore.js';
import type { AuthOptions } from '../auth/authentication.js';
import { hashPassword } from '../auth/passwords.js';
import type { Role } from '../auth/roles.js';
import type { SessionInfo } from '../auth/sessionRoutes.js';

export interface TestAccount {
  name: string;
  role: Role;
  password: string;
  virtualMachines?: string[];
}

export interface AuthTestApp {
  app: Express;
  host: Host;
  store: AccountStore;
  dataDir: string;
  /** Everything the server logged: sign-in messages and unexpected errors. */
  logs: string[];
  /** Moves the authentication clock forward. */
  advance: (ms: number) => void;
}

export async function createAuthTestApp(
  accounts: TestAccount[],
  options: {
    auth?: Partial<AuthOptions>;
    app?: AppOptions;
    store?: FileStore;
    /** The absolute data folder the host reports (with `store` on that folder). */
    dataLocation?: string;
    /** What runs the guests (default simulated), and where a QEMU host gets its images. */
    hypervisor?: HostHypervisor;
    qemuGuestImage?: QemuGuestImageSource;
  } = {},
): Promise<AuthTestApp> {
  const { host } = await createTestHost({
    ...(options.store === undefined ? {} : { store: options.store }),
    ...(options.dataLocation === undefined ? {} : { dataLocation: options.dataLocation }),
    ...(options.hypervisor === undefined ? {} : { hypervisor: options.hypervisor }),
    ...(options.qemuGuestImage === undefined ? {} : { qemuGuestImage: options.qemuGuestImage }),
  });
  const dataDir = mkdtempSync(join(tmpdir(), 'hvm-auth-'));
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
  let now = Date.parse(at);
  const logs: string[] = [];
  const app = createApp(host, {
    logError: (error) =>
      logs.push(error instanceof Error ? (error.stack ?? error.message) : String(error)),
    ...options.app,
    auth: {
      mode: 'required',
      accounts: store,
      clock: () => now,
      log: (message) => logs.push(message),
      ...options.auth,
    },
  });
  return {
    app,
    host,
    store,
    dataDir,
    logs,
    advance: (ms) => {
      now += ms;
    },
  };
}

export interface SignedIn {
  agent: request.Agent;
  csrfToken: string;
  session: SessionInfo;
  cookie: string;
}

/** Signs in through POST /session; the agent keeps the cookie, `csrfToken` goes in X-CSRF-Token. */
export async function signIn(app: Express, userName: string, password: string): Promise<SignedIn> {
  const agent = request.agent(app);
  const response = await agent.post('/api/v1/session').send({ userName, password });
  expect(response.status, response.text).toBe(200);
  const session = response.body as SessionInfo;
  expect(session.csrfToken).toBeTypeOf('string');
  const cookies = response.headers['set-cookie'] as unknown as string[];
  return { agent, csrfToken: session.csrfToken ?? '', session, cookie: cookies[0] ?? '' };
}
