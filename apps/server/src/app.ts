/**
 * The HTTP application: the REST API under `/api/v1`, live events, the OpenAPI document and,
 * when built, the web app.
 */
import express from 'express';
import type { Host } from '@hvm/engine';
import { createAuthentication } from './auth/authentication.js';
import type { AuthOptions } from './auth/authentication.js';
import { scopedHost } from './auth/grantedVms.js';
import { withoutHostPaths } from './auth/hostPathRedaction.js';
import { requestUser } from './auth/requestUser.js';
import { Role, roleIsScopedToGrantedVms } from './auth/roles.js';
import { readCookie, SESSION_COOKIE } from './auth/cookies.js';
import { sessionRoutes } from './auth/sessionRoutes.js';
import { actAs, actingHost, qualifiedUserName } from './http/actingUser.js';
import { allowedHostNames, hostGuard, hostNameOf } from './http/allowedHosts.js';
import type { AllowedHostsOptions } from './http/allowedHosts.js';
import { crossSiteGuard } from './http/crossSite.js';
import { errorHandler, notFoundHandler } from './http/errors.js';
import type { ErrorLogger } from './http/errors.js';
import {
  BoundedSemaphore,
  concurrencyLimit,
  eventStreamLimit,
  KeyedSlots,
} from './http/requestSlots.js';
import { securityHeaders } from './http/securityHeaders.js';
import { webApp } from './http/webApp.js';
import type { Gateway } from './hosts/gateway.js';
import { gatewayRoutes } from './hosts/gatewayRoutes.js';
import { remoteCommands } from './hosts/remoteCommands.js';
import { hostTokenRoutes } from './hosts/hostTokenRoutes.js';
import { checkpointRoutes } from './routes/checkpoints.js';
import { diskRoutes } from './routes/disks.js';
import { diskEditRoutes } from './routes/diskEdits.js';
import { importRoutes } from './routes/importVm.js';
import { eventLogRoutes } from './routes/eventLog.js';
import { eventRoutes } from './routes/events.js';
import { serialConsoleRoutes } from './routes/serialConsole.js';
import { guestRoutes } from './routes/guests.js';
import { guestSimulationRoutes } from './routes/guestSimulation.js';
import { hostRoutes } from './routes/host.js';
import { openApiRoutes } from './routes/openapi.js';
import { apiPrefix } from './routes/paths.js';
import { defaultPowerShellLimits } from './powershell/limits.js';
import { PowerShellRuns } from './powershell/runs.js';
import type { PowerShellRunsOptions } from './powershell/runs.js';
import { powerShellRoutes } from './routes/powershell.js';
import { taskRoutes } from './routes/tasks.js';
import { vmRoutes } from './routes/vms.js';
import { virtualSwitchRoutes } from './routes/virtualSwitches.js';
import { vmDeviceRoutes } from './routes/vmDevices.js';
import { hostSettingsRoutes } from './routes/hostSettings.js';

export interface AppOptions {
  /** Folder of the built web app (`apps/web/dist`); ignored when it holds no `index.html`. */
  webRoot?: string;
  /** Where unexpected errors (500) are reported; default `console.error`. */
  logError?: ErrorLogger;
  /** Interval of the SSE keep-alive comment; default 15 s. */
  heartbeatMs?: number;
  /** What may wait in an event stream's socket before the stream is closed; default 1 MiB. */
  eventStreamMaxBufferedBytes?: number;
  /** What may wait in a serial console viewer's socket before it is dropped; default 256 KiB. */
  serialConsoleMaxBufferedBytes?: number;
  /** Sign-in and roles; default: off, every request acts as the local Administrator. */
  auth?: AuthOptions;
  /**
   * Express's `trust proxy`: which proxies' `X-Forwarded-For`/`X-Forwarded-Proto` to believe, for
   * the client address of the sign-in limits and for `Secure` cookies behind a TLS proxy.
   */
  trustProxy?: boolean | string;
  /** The host names served (DNS rebinding); default: those of a server on 127.0.0.1. */
  allowedHosts?: AllowedHostsOptions;
  /** Open event streams per session (per client address when sign-in is off); default 10. */
  eventStreamsPerClient?: number;
  /** Backup disk reads served at once and waiting; default 4 and 16. */
  diskReads?: { concurrent: number; queued: number };
  /** PowerShell run limits (default `defaultPowerShellLimits`), and for tests timers and the worker. */
  powerShell?: Partial<PowerShellRunsOptions> & { warmUp?: boolean };
  /**
   * This server's certificate fingerprint, when it has a host-to-host port: other servers then
   * may connect to it (`GET /host/identity`, host tokens; hosts/hostTokenRoutes.ts).
   */
  hostIdentity?: { fingerprint: string };
  /** Connect to Server: this console reaching other servers (hosts/gateway.ts); off when absent. */
  gateway?: Gateway;
}

/** One set of PowerShell runs (and script workers) for every view of the host of one app. */
const runsByOptions = new WeakMap<AppOptions, PowerShellRuns>();

function powerShellRuns(options: AppOptions): PowerShellRuns {
  let runs = runsByOptions.get(options);
  if (runs === undefined) {
    runs = new PowerShellRuns({
      limits: defaultPowerShellLimits,
      ...options.powerShell,
      ...(options.gateway ? { remote: remoteCommands(options.gateway) } : {}),
    });
    if (options.powerShell?.warmUp === true) runs.pool.warm();
    runsByOptions.set(options, runs);
  }
  return runs;
}

export const DEFAULT_EVENT_STREAMS_PER_CLIENT = 10;
export const DEFAULT_DISK_READS = { concurrent: 4, queued: 16 } as const;

/** Every route of `/api/v1` over one view of the host (the session routes aside). */
export function apiRoutes(host: Host, options: AppOptions): express.Router {
  const api = express.Router();
  // Before the common body parser: the PowerShell route reads larger bodies.
  api.use(powerShellRoutes(host, powerShellRuns(options)));
  api.use(express.json({ limit: '100kb' }));
  api.use(hostRoutes(host));
  // Before the VM routes: `/vms/:vmId/actions/export` is not a power action.
  api.use(diskRoutes(host));
  api.use(diskEditRoutes(host));
  api.use(importRoutes(host));
  api.use(virtualSwitchRoutes(host));
  api.use(vmDeviceRoutes(host));
  api.use(hostSettingsRoutes(host));
  api.use(vmRoutes(host));
  api.use(checkpointRoutes(host));
  api.use(guestRoutes(host));
  api.use(guestSimulationRoutes(host));
  api.use(taskRoutes(host));
  api.use(eventLogRoutes(host));
  api.use(eventRoutes(host, options.heartbeatMs, options.eventStreamMaxBufferedBytes));
  api.use(
    serialConsoleRoutes(host, {
      ...(options.heartbeatMs === undefined ? {} : { heartbeatMs: options.heartbeatMs }),
      ...(options.serialConsoleMaxBufferedBytes === undefined
        ? {}
        : { maxBufferedBytes: options.serialConsoleMaxBufferedBytes }),
    }),
  );
  api.use(openApiRoutes());
  return api;
}

export function createApp(host: Host, options: AppOptions = {}): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  if (options.trustProxy !== undefined) app.set('trust proxy', options.trustProxy);
  app.use(securityHeaders);
  const hostNames = options.allowedHosts ?? { listenHost: '127.0.0.1' };
  app.use(hostGuard(allowedHostNames(hostNames)));
  const proxyNames = new Set(
    (hostNames.extraHosts ?? []).flatMap((name) => hostNameOf(name) ?? []),
  );
  app.use(crossSiteGuard(proxyNames));

  const auth = createAuthentication(host, options.auth ?? { mode: 'off' });
  // Each call records the request's user in the event log.
  const acting = actingHost(host);
  const everything = apiRoutes(acting, options);
  // Everyone but an Administrator reads the host without its full paths (auth/hostPathRedaction.ts).
  const withoutPaths = apiRoutes(withoutHostPaths(acting), options);
  // A Checkpoint Operator's routes run over a view of the host holding only its VMs.
  const byGrants = new Map<string, express.Router>();
  const routesFor = (grants: readonly string[]): express.Router => {
    const key = JSON.stringify(grants);
    let routes = byGrants.get(key);
    if (routes === undefined) {
      if (byGrants.size >= 100) byGrants.clear();
      routes = apiRoutes(withoutHostPaths(scopedHost(acting, grants)), options);
      byGrants.set(key, routes);
    }
    return routes;
  };

  const api = express.Router();
  api.use(auth.guard);
  api.use(sessionRoutes(auth));
  api.use(hostTokenRoutes(auth, options.hostIdentity?.fingerprint));
  // After the guard: only a signed-in client holds stream or disk-read slots. The event streams
  // of other servers, forwarded, count with this server's own.
  const streams = new KeyedSlots(options.eventStreamsPerClient ?? DEFAULT_EVENT_STREAMS_PER_CLIENT);
  const streamLimit = eventStreamLimit(streams, (req) => {
    const session = auth.mode === 'required' ? readCookie(req, SESSION_COOKIE) : undefined;
    const bearer = req.get('Authorization');
    if (session === undefined && bearer !== undefined) return `token ${bearer}`;
    return session === undefined ? `address ${req.ip ?? ''}` : `session ${session}`;
  });
  api.get('/events', streamLimit);
  api.get('/hosts/:hostId/events', streamLimit);
  // A serial console viewer is an event stream too: it counts with the session's.
  api.get('/vms/:vmId/serial-console', streamLimit);
  api.get('/hosts/:hostId/vms/:vmId/serial-console', streamLimit);
  const diskReads = options.diskReads ?? DEFAULT_DISK_READS;
  api.get(
    '/vms/:vmId/backup/checkpoints/:checkpointId/disk',
    concurrencyLimit(
      new BoundedSemaphore(diskReads.concurrent, diskReads.queued),
      'backup disk reads',
    ),
  );
  if (options.gateway !== undefined) {
    api.use(
      gatewayRoutes(options.gateway, () => host.info().name, {
        ...(options.serialConsoleMaxBufferedBytes === undefined
          ? {}
          : { serialConsoleMaxBufferedBytes: options.serialConsoleMaxBufferedBytes }),
      }),
    );
  }
  api.use((req, res, next) => {
    const user = requestUser(req);
    const routes = roleIsScopedToGrantedVms(user.role)
      ? routesFor(user.virtualMachines)
      : user.role === Role.Administrator
        ? everything
        : withoutPaths;
    actAs(qualifiedUserName(host.info().name, user.name), () => {
      routes(req, res, next);
    });
  });
  app.use(apiPrefix, api);
  // Nothing under /api falls through to the web app.
  app.use('/api', notFoundHandler);

  const web = webApp(options.webRoot);
  if (web !== null) app.use(web);

  app.use(notFoundHandler);
  app.use(errorHandler(options.logError ?? ((error) => console.error(error))));
  return app;
}

export type { ApiErrorBody, ApiErrorCode } from './http/errors.js';
export { createHttpServer, DEFAULT_CONNECTION_LIMITS } from './http/httpServer.js';
export type { ConnectionLimits } from './http/httpServer.js';
export { defaultPowerShellLimits } from './powershell/limits.js';
export type { PowerShellLimits } from './powershell/limits.js';
// Connect to Server, for a program that runs servers of its own (the benchmarks): the gateway, a
// server's host-to-host certificate and the host tokens it issues.
export { createGateway } from './hosts/gateway.js';
export type { Gateway } from './hosts/gateway.js';
export { loadOrCreateIdentity } from './hosts/identity.js';
export { hostTokenStore } from './hosts/hostTokens.js';
