/**
 * Starts the product: the host over the data folder, the API and the built web app.
 * Configuration comes from env.ts (PORT, HOST, HYPERV_DATA_DIR, HYPERV_AUTH, ...).
 */
import { userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createHost, nodeFileStore } from '@hvm/engine';
import { createApp } from './app.js';
import type { AppOptions } from './app.js';
import { accountStore, AccountsFileError } from './auth/accountStore.js';
import { ensureFirstAdministrator } from './auth/firstAdministrator.js';
import { EnvError, readEnv } from './env.js';
import { createHttpServer } from './http/httpServer.js';
import { createGateway } from './hosts/gateway.js';
import { hostTokenStore } from './hosts/hostTokens.js';
import { loadOrCreateIdentity } from './hosts/identity.js';
import { hostHypervisor, qemuGuestImage } from './hypervisor.js';
import { SCRIPT_FILES_FOLDER } from './powershell/scriptFiles.js';

const webRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'web', 'dist');

function localUserName(): string {
  try {
    return userInfo().username;
  } catch {
    return 'Administrator';
  }
}

async function authOptions(env: ReturnType<typeof readEnv>): Promise<AppOptions> {
  const trust = env.trustProxy === undefined ? {} : { trustProxy: env.trustProxy };
  if (env.auth === 'off') {
    console.log('Sign-in is off: the server listens on a loopback address only.');
    return {
      ...trust,
      auth: {
        mode: 'off',
        localUserName: localUserName(),
        hostTokens: hostTokenStore(env.dataDir),
      },
    };
  }
  const accounts = accountStore(env.dataDir);
  const passwordFile = await ensureFirstAdministrator(accounts);
  if (passwordFile !== null) {
    console.log(`Created the account "Administrator"; its password is in ${passwordFile}`);
  }
  if (env.trustProxy === undefined) {
    console.log(
      'Sign-in is required. Serve the server through a TLS proxy (HYPERV_TRUST_PROXY) so that passwords and cookies travel encrypted.',
    );
  }
  return {
    ...trust,
    auth: {
      mode: 'required',
      accounts,
      sessionIdleMs: env.sessionIdleMinutes * 60_000,
      hostTokens: hostTokenStore(env.dataDir),
    },
  };
}

async function main(): Promise<void> {
  const env = readEnv();
  const hypervisor = await hostHypervisor(env.hypervisor);
  const host = await createHost({
    hypervisor,
    qemuGuestImage,
    store: nodeFileStore(env.dataDir),
    dataLocation: env.dataDir,
    seedDemo: true,
    mergeBytesPerSecond: env.mergeMBPerSecond * 1_000_000,
    memorySaveBytesPerSecond: env.memorySaveMBPerSecond * 1_000_000,
  });
  const identity = await loadOrCreateIdentity(env.dataDir, host.info().name);
  const gateway = await createGateway({ dataDir: env.dataDir });
  const app = createApp(host, {
    webRoot,
    gateway,
    ...(env.hostPort === null ? {} : { hostIdentity: { fingerprint: identity.fingerprint } }),
    ...(await authOptions(env)),
    allowedHosts: { listenHost: env.host, extraHosts: env.allowedHosts },
    eventStreamsPerClient: env.eventStreamsPerClient,
    diskReads: env.diskReads,
    powerShell: {
      limits: env.powerShell,
      warmUp: true,
      filesRoot: join(env.dataDir, SCRIPT_FILES_FOLDER),
    },
  });
  const server = createHttpServer(app, env.connectionLimits);
  server.listen(env.port, env.host);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  console.log(`Hyper-V Manager listening on http://${env.host}:${env.port} (data: ${env.dataDir})`);
  // The host-to-host port: other consoles connect here (Connect to Server), over TLS.
  const hostServer =
    env.hostPort === null ? null : createHttpServer(app, env.connectionLimits, identity);
  if (hostServer !== null) {
    hostServer.listen(env.hostPort ?? 0, env.host);
    await new Promise<void>((resolve, reject) => {
      hostServer.once('listening', resolve);
      hostServer.once('error', reject);
    });
    console.log(
      `Other consoles connect to this server at ${env.host}:${env.hostPort ?? 0}; certificate fingerprint ${identity.fingerprint}`,
    );
  }

  let stopping = false;
  const stop = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: stopping`);
    gateway.close();
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    server.closeAllConnections();
    hostServer?.close();
    hostServer?.closeAllConnections();
    await closed;
    await host.close();
    process.exit(0);
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      stop(signal).catch((error: unknown) => {
        console.error(error);
        process.exit(1);
      });
    });
  }
}

main().catch((error: unknown) => {
  console.error(
    error instanceof EnvError || error instanceof AccountsFileError ? error.message : error,
  );
  process.exit(1);
});
