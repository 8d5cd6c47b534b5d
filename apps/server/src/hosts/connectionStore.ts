/**
 * The servers each user of this console connected to (Connect to Server), kept per user in
 * `<data folder>/Security/host-connections.json` (mode 0600, written atomically): the address, the
 * pinned certificate and its fingerprint, the user name on that host and the host token it issued,
 * sealed with the gateway's key (secretBox.ts). No password is kept.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sameAccountName, securityFolderName, writeFileAtomically } from '../auth/accountStore.js';
import type { SealedSecret } from './secretBox.js';

export interface HostConnection {
  id: string;
  /** The user of this console the connection belongs to. */
  owner: string;
  /** `host:port` of the other server's host-to-host port. */
  address: string;
  computerName: string;
  fingerprint: string;
  /** PEM of the pinned certificate. */
  certificate: string;
  /** The account on that host. */
  userName: string;
  token: SealedSecret;
  addedAt: string;
}

interface ConnectionsFile {
  version: 1;
  connections: HostConnection[];
}

export const connectionsFileName = 'host-connections.json';
/** Servers one user may add. */
export const MAX_CONNECTIONS_PER_USER = 16;

export interface ConnectionStore {
  list(): HostConnection[];
  of(owner: string): HostConnection[];
  get(owner: string, id: string): HostConnection | undefined;
  /** Adds a connection; replaces the owner's connection to the same address. */
  add(connection: Omit<HostConnection, 'id' | 'addedAt'>): Promise<HostConnection>;
  remove(owner: string, id: string): Promise<HostConnection | undefined>;
}

export class TooManyConnections extends Error {
  override readonly name = 'TooManyConnections';
}

export function connectionStore(dataDir: string): ConnectionStore {
  const path = join(dataDir, securityFolderName, connectionsFileName);
  let connections: HostConnection[];
  try {
    const file = JSON.parse(readFileSync(path, 'utf8')) as Partial<ConnectionsFile>;
    connections = file.version === 1 && Array.isArray(file.connections) ? file.connections : [];
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    connections = [];
  }
  let writing = Promise.resolve();
  const save = (): Promise<void> => {
    const file: ConnectionsFile = { version: 1, connections };
    const text = `${JSON.stringify(file, null, 2)}\n`;
    writing = writing.then(() => writeFileAtomically(path, text));
    return writing;
  };
  const of = (owner: string): HostConnection[] =>
    connections.filter((connection) => sameAccountName(connection.owner, owner));
  return {
    list: () => [...connections],
    of,
    get: (owner, id) => of(owner).find((connection) => connection.id === id),
    add: async (fields) => {
      const same = of(fields.owner).find(
        (connection) => connection.address.toLowerCase() === fields.address.toLowerCase(),
      );
      if (same === undefined && of(fields.owner).length >= MAX_CONNECTIONS_PER_USER) {
        throw new TooManyConnections(
          `You are connected to ${MAX_CONNECTIONS_PER_USER} servers, the most this console keeps for one user. Remove a server first.`,
        );
      }
      const connection: HostConnection = {
        ...fields,
        id: same?.id ?? randomUUID(),
        addedAt: new Date().toISOString(),
      };
      connections = [...connections.filter((c) => c !== same), connection];
      await save();
      return connection;
    },
    remove: async (owner, id) => {
      const found = of(owner).find((connection) => connection.id === id);
      if (found === undefined) return undefined;
      connections = connections.filter((connection) => connection !== found);
      await save();
      return found;
    },
  };
}
