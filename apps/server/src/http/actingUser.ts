/**
 * Who the engine records in its event log for a request. The API routes run over one host for
 * every request; `actingHost` hands each call to `host.withActor(<the request's user>)`, the user
 * being the one `actAs` set for the request being served (carried through its async work).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Host } from '@hvm/engine';

const currentUser = new AsyncLocalStorage<string>();

/** Runs `fn` (and all it starts) on behalf of `user`. */
export function actAs<T>(user: string, fn: () => T): T {
  return currentUser.run(user, fn);
}

/** `HOST\name`, as Hyper-V writes users, unless the name already says its domain. */
export function qualifiedUserName(hostName: string, name: string): string {
  return name.includes('\\') ? name : `${hostName}\\${name}`;
}

/** Reads, the event stream and the host's life: nothing the event log records a user for. */
const unrecorded = new Set<string | symbol>([
  'info',
  'listVms',
  'getVm',
  'getVmSummary',
  'findVmsByName',
  'listCheckpoints',
  'getCheckpoint',
  'listGuestImages',
  'getGuestConsole',
  'listReferencePoints',
  'listDisks',
  'checkHost',
  'listTasks',
  'getTask',
  'whenIdle',
  'subscribe',
  'close',
  'queryEventLog',
  'withActor',
] satisfies (keyof Host)[]);

/** The host, acting for the user of the request each call is made for (the host's own default outside one). */
export function actingHost(host: Host): Host {
  const byUser = new Map<string, Host>();
  const hostFor = (user: string | undefined): Host => {
    if (user === undefined) return host;
    let acting = byUser.get(user);
    if (acting === undefined) {
      if (byUser.size >= 100) byUser.clear();
      acting = host.withActor(user);
      byUser.set(user, acting);
    }
    return acting;
  };
  return new Proxy(host, {
    get(target, property) {
      if (unrecorded.has(property)) return Reflect.get(target, property) as unknown;
      const acting = hostFor(currentUser.getStore());
      const value: unknown = Reflect.get(acting, property);
      return typeof value === 'function'
        ? (value as (...args: unknown[]) => unknown).bind(acting)
        : value;
    },
  });
}
