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
import { hostHypervisor } from './hypervisor.js';
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
    return { ...trust, auth: { mode: 'off', localUserName: localUserName() } };
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
    auth: { mode: 'required', accounts, sessionIdleMs: env.sessionIdleMinutes * 60_000 },
  };
}

async function main(): Promise<void> {
  const env = readEnv();
  const hypervisor = await hostHypervisor(env.hypervisor);
  const host = await createHost({
    hypervisor,
    store: nodeFileStore(env.dataDir),
    dataLocation: env.dataDir,
    seedDemo: true,
    mergeBytesPerSecond: env.mergeMBPerSecond * 1_000_000,
    memorySaveBytesPerSecond: env.memorySaveMBPerSecond * 1_000_000,
  });
  const app = createApp(host, {
    webRoot,
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

  let stopping = false;
  const stop = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: stopping`);
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    server.closeAllConnections();
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
