/**
 * `-ComputerName` of another server in a PowerShell run: the command runs on the server of that
 * name among the run user's connections (Connect to Server), as `POST /api/v1/powershell` there
 * with the user's host token for it. That server checks the token's account, role and grants as
 * for any request, so a Reader there changes nothing. A name with no connection, a connection
 * that is Unreachable, Signed out or whose identity changed, or a request that fails, is a host
 * that cannot be reached.
 */
import type { RemoteErrorRecord, RemoteObjectTypes, RemoteOutcome } from '@hvm/powershell';
import type { HostConnection } from './connectionStore.js';
import type { Gateway } from './gateway.js';
import { HostConnectionState } from './monitor.js';
import { parseAddress, pinnedJson } from './remoteClient.js';

/** A remote command's wait for its answer, at most. */
export const REMOTE_COMMAND_TIMEOUT_MS = 60_000;

/** The owner's connection named by its computer name or the address it was made with. */
export function connectionNamed(
  gateway: Gateway,
  owner: string,
  name: string,
): HostConnection | undefined {
  const wanted = name.trim().toLowerCase();
  const address = parseAddress(name)?.text.toLowerCase();
  return gateway.store
    .of(owner)
    .find(
      (connection) =>
        connection.computerName.toLowerCase() === wanted ||
        connection.address.toLowerCase() === wanted ||
        (address !== undefined && connection.address.toLowerCase() === address),
    );
}

const unusable: ReadonlySet<string> = new Set([
  HostConnectionState.Unreachable,
  HostConnectionState.SignedOut,
  HostConnectionState.IdentityChanged,
]);

function recordsOf(value: unknown): RemoteErrorRecord[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((item: unknown) => {
    const record = item as Partial<RemoteErrorRecord> | null;
    return typeof record?.message === 'string'
      ? [
          {
            message: record.message,
            categoryInfo: typeof record.categoryInfo === 'string' ? record.categoryInfo : '',
            fullyQualifiedErrorId:
              typeof record.fullyQualifiedErrorId === 'string' ? record.fullyQualifiedErrorId : '',
          },
        ]
      : [];
  });
}

/** The other server's type names of its objects, `[name, count]` runs; what is not one is left out. */
function typeRunsOf(value: unknown): RemoteObjectTypes {
  if (!Array.isArray(value)) return [];
  return value.flatMap((item: unknown) => {
    if (!Array.isArray(item)) return [];
    const [name, count] = item as unknown[];
    return (typeof name === 'string' || name === null) &&
      typeof count === 'number' &&
      Number.isSafeInteger(count) &&
      count > 0
      ? [[name, count] as const]
      : [];
  });
}

export function remoteCommands(
  gateway: Gateway,
): (owner: string, computerName: string, script: string) => Promise<RemoteOutcome> {
  return async (owner, computerName, script) => {
    const connection = connectionNamed(gateway, owner, computerName);
    if (connection === undefined) return { reached: false };
    if (unusable.has(gateway.statusOf(connection).state)) return { reached: false };
    let answer: { status: number; body: unknown };
    try {
      answer = await pinnedJson(connection, {
        method: 'POST',
        path: '/api/v1/powershell',
        headers: { authorization: `Bearer ${gateway.box.open(connection.token)}` },
        json: { script },
        timeoutMs: REMOTE_COMMAND_TIMEOUT_MS,
      });
    } catch {
      gateway.retryNow(connection.id);
      return { reached: false };
    }
    if (answer.status === 401) return { reached: false };
    const body = answer.body as {
      objects?: unknown;
      objectTypes?: unknown;
      errors?: unknown;
      error?: { code?: unknown; message?: unknown };
    } | null;
    if (answer.status !== 200) {
      // The other server's refusal (a Reader may not run commands there), in its words; the
      // category and error id are ours (PowerShell remoting's own access-denied record differs).
      const message =
        typeof body?.error?.message === 'string'
          ? body.error.message
          : `The server "${connection.computerName}" answered ${answer.status}.`;
      return {
        reached: true,
        computerName: connection.computerName,
        objects: [],
        errors: [
          {
            message,
            categoryInfo: 'PermissionDenied: (:) [], VirtualizationException',
            fullyQualifiedErrorId: 'PermissionDenied',
          },
        ],
      };
    }
    return {
      reached: true,
      computerName: connection.computerName,
      objects: Array.isArray(body?.objects) ? body.objects : [],
      objectTypes: typeRunsOf(body?.objectTypes),
      errors: recordsOf(body?.errors),
    };
  };
}
