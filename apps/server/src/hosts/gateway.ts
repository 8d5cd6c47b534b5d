/**
 * The gateway: this server reaching other servers of this product for the users of its console
 * (as Windows Admin Center's gateway does). It keeps each user's connections (connectionStore.ts),
 * a monitor per connection (monitor.ts), and the key that seals their tokens (secretBox.ts).
 * Each other server checks every request against its own accounts, roles and grants: the token
 * acts as the account it was issued to there, so the gateway cannot widen what the user may do.
 */
import { ErrorCode } from '@hvm/engine';
import { HttpError, HttpErrorCode } from '../http/errors.js';
import { connectionStore } from './connectionStore.js';
import type { ConnectionStore, HostConnection } from './connectionStore.js';
import { DEFAULT_RETRY_MS, HostMonitor } from './monitor.js';
import type { HostStatus, RetryDelays } from './monitor.js';
import { loadSecretBox } from './secretBox.js';
import type { SecretBox } from './secretBox.js';

export interface GatewayOptions {
  /** The data folder: the connections and the gateway's key live in its Security folder. */
  dataDir: string;
  /** Delays between reconnection attempts; default 1 s doubling to 30 s. */
  retryMs?: RetryDelays;
}

export interface Gateway {
  readonly store: ConnectionStore;
  readonly box: SecretBox;
  statusOf(connection: HostConnection): HostStatus;
  /** Starts (or restarts) watching a connection. */
  watch(connection: HostConnection): void;
  unwatch(id: string): void;
  /** A forwarded request failed to reach the server: try to reconnect now. */
  retryNow(id: string): void;
  close(): void;
}

export async function createGateway(options: GatewayOptions): Promise<Gateway> {
  const store = connectionStore(options.dataDir);
  const box = await loadSecretBox(options.dataDir);
  const retryMs = options.retryMs ?? DEFAULT_RETRY_MS;
  const monitors = new Map<string, HostMonitor>();
  const watch = (connection: HostConnection): void => {
    monitors.get(connection.id)?.stop();
    monitors.set(connection.id, new HostMonitor(connection, box, retryMs));
  };
  for (const connection of store.list()) watch(connection);
  return {
    store,
    box,
    statusOf: (connection) =>
      monitors.get(connection.id)?.current ?? {
        state: 'Connecting',
        reason: null,
        nextAttemptAt: null,
      },
    watch,
    unwatch: (id) => {
      monitors.get(id)?.stop();
      monitors.delete(id);
    },
    retryNow: (id) => monitors.get(id)?.retryNow(),
    close: () => {
      for (const monitor of monitors.values()) monitor.stop();
      monitors.clear();
    },
  };
}

/**
 * Hyper-V Manager's message for a server it cannot connect to, as users quote it: "An error
 * occurred while attempting to connect to server "NAME". Check that the Virtual Machine
 * Management service is running and that you are authorized to connect to the server."
 * [unverified: quoted from public forum transcripts, not from Microsoft documentation.]
 */
export function hostUnreachable(name: string): HttpError {
  return new HttpError(
    HttpErrorCode.HostUnreachable,
    `An error occurred while attempting to connect to server "${name}". Check that the Virtual Machine Management service is running and that you are authorized to connect to the server.`,
    { computerName: name },
  );
}

/** Ours (Hyper-V pins no certificate): the server's certificate is not the one confirmed. */
export function hostIdentityChanged(name: string, fingerprint: string): HttpError {
  return new HttpError(
    HttpErrorCode.HostIdentityChanged,
    `The server "${name}" showed a certificate other than the one you confirmed (its fingerprint is now ${fingerprint}). No credentials were sent to it. Remove the server and connect to it again if its certificate was replaced on purpose.`,
    { computerName: name, fingerprint },
  );
}

/** Ours: the other server no longer accepts the token (password changed, account removed). */
export function hostSignedOut(name: string): HttpError {
  return new HttpError(
    HttpErrorCode.HostSignedOut,
    `The server "${name}" no longer accepts your sign-in. Remove the server and connect to it again.`,
    { computerName: name },
  );
}

export function unknownHost(id: string): HttpError {
  return new HttpError(
    ErrorCode.NotFound,
    `You are not connected to a server with the ID '${id}'. Connect to it with Connect to Server.`,
    { hostId: id },
  );
}
