/**
 * The server's configuration. This is the only module that reads `process.env`.
 *
 * - `PORT`: TCP port, 0-65535 (default 8080).
 * - `HOST`: interface to listen on (default 127.0.0.1).
 * - `HYPERV_DATA_DIR`: the host data folder holding VM configurations, disks and checkpoints.
 *   A relative path resolves against the working directory of the start command; the default is
 *   `hyperv-data`, i.e. `<repository>/hyperv-data` when started with `npm start` from the root.
 * - `HYPERV_AUTH`: `auto` (default): sign-in is required unless `HOST` is a loopback address;
 *   `required`: sign-in is required on loopback too. Listening elsewhere always requires it.
 * - `HYPERV_TRUST_PROXY`: Express's `trust proxy` for a TLS proxy in front of the server, e.g.
 *   `loopback` or `10.0.0.5`: the client address and `X-Forwarded-Proto` (HTTPS, hence `Secure`
 *   cookies) come from that proxy's headers. `true` trusts any proxy. Unset: no proxy is trusted.
 * - `HYPERV_SESSION_IDLE_MINUTES`: a session ends after this many idle minutes, 1-1440 (default 30).
 * - `HYPERV_MERGE_MB_PER_SECOND`: the most a disk merge (Delete Checkpoint) copies per second, in
 *   MB (10^6 bytes), so that running guests keep their disk bandwidth; 0 (default): no limit.
 * - `HYPERV_MEMORY_SAVE_MB_PER_SECOND`: the same for the memory file a Standard checkpoint of a
 *   running VM writes while the guest runs on; 0 (default): no limit.
 * - `HYPERV_ALLOWED_HOSTS`: comma-separated host names served besides `HOST`, `localhost`,
 *   127.0.0.1 and [::1] (and, when `HOST` is 0.0.0.0 or ::, this machine's name and addresses),
 *   e.g. the public name of a TLS proxy. Other `Host` headers are answered 421.
 * - `HYPERV_MAX_CONNECTIONS` (default 1000) and `HYPERV_MAX_CONNECTIONS_PER_ADDRESS` (default 200):
 *   open connections in all and from one client address; beyond, a new connection is closed.
 * - `HYPERV_HEADERS_TIMEOUT_SECONDS` (default 10): time to send a request's headers (a connection
 *   that sends nothing is closed after it); `HYPERV_REQUEST_TIMEOUT_SECONDS` (default 30): time to
 *   send a whole request; `HYPERV_KEEP_ALIVE_TIMEOUT_SECONDS` (default 5): idle keep-alive time.
 * - `HYPERV_EVENT_STREAMS_PER_CLIENT` (default 10): open event streams per session (per client
 *   address when sign-in is off).
 * - `HYPERV_CONCURRENT_DISK_READS` (default 4) and `HYPERV_QUEUED_DISK_READS` (default 16): backup
 *   disk reads served at once and waiting; beyond, 503 with Retry-After.
 * - `HYPERV_POWERSHELL_*`: the limits of PowerShell runs (powershell/limits.ts).
 * - `HYPERV_HOST_PORT`: the HTTPS port (on `HOST`) other servers' consoles connect to with
 *   Connect to Server, with this server's self-signed certificate; none when unset.
 * - `HYPERV_HYPERVISOR`: what runs the VMs' guests: `simulated` (default), the engine's simulated
 *   guests, or `qemu`, a qemu-system-x86_64 process per running VM on its own disk chain.
 */
import { resolve } from 'node:path';
import { parseHypervisorKind, type HypervisorKind } from '@hvm/engine';
import { hostNameOf } from './http/allowedHosts.js';
import { DEFAULT_CONNECTION_LIMITS, type ConnectionLimits } from './http/httpServer.js';
import { PowerShellLimitsError, readPowerShellLimits } from './powershell/limits.js';
import type { PowerShellLimits } from './powershell/limits.js';

export interface ServerEnv {
  port: number;
  host: string;
  dataDir: string;
  /** Whether requests need a signed-in account (else they act as the local Administrator). */
  auth: 'required' | 'off';
  /** Express's `trust proxy`; undefined when no proxy is trusted. */
  trustProxy?: boolean | string;
  sessionIdleMinutes: number;
  /** Copy-rate limit of disk merges in MB/s; 0: none. */
  mergeMBPerSecond: number;
  /** Write-rate limit of checkpoint memory files in MB/s; 0: none. */
  memorySaveMBPerSecond: number;
  /** `HYPERV_ALLOWED_HOSTS`, as written. */
  allowedHosts: string[];
  connectionLimits: ConnectionLimits;
  eventStreamsPerClient: number;
  diskReads: { concurrent: number; queued: number };
  /** Limits of PowerShell runs. */
  powerShell: PowerShellLimits;
  /** `HYPERV_HOST_PORT`: the host-to-host HTTPS port; null when unset. */
  hostPort: number | null;
  /** What runs the VMs' guests. */
  hypervisor: HypervisorKind;
}

export class EnvError extends Error {
  override readonly name = 'EnvError';
}

type EnvSource = Readonly<Record<string, string | undefined>>;

function readPort(raw: string | undefined): number {
  if (raw === undefined || raw.trim() === '') return 8080;
  const value = raw.trim();
  if (!/^\d+$/.test(value) || Number(value) > 65535) {
    throw new EnvError(`PORT must be a whole number from 0 to 65535, got "${raw}".`);
  }
  return Number(value);
}

function readHost(raw: string | undefined): string {
  if (raw === undefined || raw.trim() === '') return '127.0.0.1';
  const value = raw.trim();
  if (/\s/.test(value) || value.includes('/')) {
    throw new EnvError(`HOST must be a host name or an IP address, got "${raw}".`);
  }
  return value;
}

function readDataDir(raw: string | undefined, cwd: string): string {
  if (raw === undefined || raw.trim() === '') return resolve(cwd, 'hyperv-data');
  if (raw.includes('\0')) throw new EnvError('HYPERV_DATA_DIR must be a folder path.');
  return resolve(cwd, raw.trim());
}

/** 127.0.0.0/8, ::1 and `localhost`: addresses only this computer can reach. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (bare === 'localhost' || bare === '::1' || bare === '0:0:0:0:0:0:0:1') return true;
  const v4 = bare.replace(/^::ffff:/, '');
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4);
}

function readAuth(raw: string | undefined, host: string): ServerEnv['auth'] {
  const value = raw?.trim().toLowerCase() ?? '';
  if (value === '' || value === 'auto') return isLoopbackHost(host) ? 'off' : 'required';
  if (value === 'required') return 'required';
  throw new EnvError(
    `HYPERV_AUTH must be "auto" or "required", got "${raw}". Sign-in cannot be turned off when HOST is not a loopback address.`,
  );
}

function readTrustProxy(raw: string | undefined): ServerEnv['trustProxy'] {
  const value = raw?.trim() ?? '';
  if (value === '' || value.toLowerCase() === 'false') return undefined;
  if (value.toLowerCase() === 'true') return true;
  if (!/^[\w.:/,\s-]+$/.test(value)) {
    throw new EnvError(
      `HYPERV_TRUST_PROXY must be true, false, "loopback" or a comma-separated list of addresses or subnets, got "${raw}".`,
    );
  }
  return value;
}

function readSessionIdleMinutes(raw: string | undefined): number {
  if (raw === undefined || raw.trim() === '') return 30;
  const value = raw.trim();
  if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > 1440) {
    throw new EnvError(
      `HYPERV_SESSION_IDLE_MINUTES must be a whole number from 1 to 1440, got "${raw}".`,
    );
  }
  return Number(value);
}

function readRate(name: string, raw: string | undefined): number {
  if (raw === undefined || raw.trim() === '') return 0;
  const value = raw.trim();
  if (!/^\d+$/.test(value) || Number(value) > 1_000_000) {
    throw new EnvError(
      `${name} must be a whole number from 0 (no limit) to 1000000 (MB per second), got "${raw}".`,
    );
  }
  return Number(value);
}

function readWholeNumber(
  name: string,
  raw: string | undefined,
  fallback: number,
  min: number,
  max: number,
): number {
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = raw.trim();
  if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
    throw new EnvError(`${name} must be a whole number from ${min} to ${max}, got "${raw}".`);
  }
  return Number(value);
}

function readAllowedHosts(raw: string | undefined): string[] {
  const names = (raw ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
  for (const name of names) {
    if (hostNameOf(name) === null) {
      throw new EnvError(
        `HYPERV_ALLOWED_HOSTS must be a comma-separated list of host names or addresses, got "${name}".`,
      );
    }
  }
  return names;
}

function readConnectionLimits(source: EnvSource): ConnectionLimits {
  const seconds = (name: string, fallback: number, max: number): number =>
    readWholeNumber(name, source[name], fallback, 1, max) * 1000;
  const headersTimeoutMs = seconds('HYPERV_HEADERS_TIMEOUT_SECONDS', 10, 600);
  const requestTimeoutMs = seconds('HYPERV_REQUEST_TIMEOUT_SECONDS', 30, 3600);
  if (requestTimeoutMs < headersTimeoutMs) {
    throw new EnvError(
      'HYPERV_REQUEST_TIMEOUT_SECONDS must be at least HYPERV_HEADERS_TIMEOUT_SECONDS: the whole request includes its headers.',
    );
  }
  return {
    maxConnections: readWholeNumber(
      'HYPERV_MAX_CONNECTIONS',
      source.HYPERV_MAX_CONNECTIONS,
      1000,
      1,
      1_000_000,
    ),
    maxConnectionsPerAddress: readWholeNumber(
      'HYPERV_MAX_CONNECTIONS_PER_ADDRESS',
      source.HYPERV_MAX_CONNECTIONS_PER_ADDRESS,
      200,
      1,
      1_000_000,
    ),
    headersTimeoutMs,
    requestTimeoutMs,
    keepAliveTimeoutMs: seconds(
      'HYPERV_KEEP_ALIVE_TIMEOUT_SECONDS',
      DEFAULT_CONNECTION_LIMITS.keepAliveTimeoutMs / 1000,
      600,
    ),
  };
}

function readPowerShellLimitsOrFail(source: EnvSource): PowerShellLimits {
  try {
    return readPowerShellLimits(source);
  } catch (error) {
    if (error instanceof PowerShellLimitsError) throw new EnvError(error.message);
    throw error;
  }
}

function readHypervisor(raw: string | undefined): HypervisorKind {
  try {
    return parseHypervisorKind(raw);
  } catch (error) {
    throw new EnvError(error instanceof Error ? error.message : String(error));
  }
}

/** Reads and validates the configuration; throws an EnvError with a clear message when it is wrong. */
export function readEnv(source: EnvSource = process.env, cwd: string = process.cwd()): ServerEnv {
  const host = readHost(source.HOST);
  const trustProxy = readTrustProxy(source.HYPERV_TRUST_PROXY);
  return {
    port: readPort(source.PORT),
    host,
    dataDir: readDataDir(source.HYPERV_DATA_DIR, cwd),
    auth: readAuth(source.HYPERV_AUTH, host),
    ...(trustProxy === undefined ? {} : { trustProxy }),
    sessionIdleMinutes: readSessionIdleMinutes(source.HYPERV_SESSION_IDLE_MINUTES),
    mergeMBPerSecond: readRate('HYPERV_MERGE_MB_PER_SECOND', source.HYPERV_MERGE_MB_PER_SECOND),
    memorySaveMBPerSecond: readRate(
      'HYPERV_MEMORY_SAVE_MB_PER_SECOND',
      source.HYPERV_MEMORY_SAVE_MB_PER_SECOND,
    ),
    allowedHosts: readAllowedHosts(source.HYPERV_ALLOWED_HOSTS),
    connectionLimits: readConnectionLimits(source),
    eventStreamsPerClient: readWholeNumber(
      'HYPERV_EVENT_STREAMS_PER_CLIENT',
      source.HYPERV_EVENT_STREAMS_PER_CLIENT,
      10,
      1,
      1000,
    ),
    diskReads: {
      concurrent: readWholeNumber(
        'HYPERV_CONCURRENT_DISK_READS',
        source.HYPERV_CONCURRENT_DISK_READS,
        4,
        1,
        64,
      ),
      queued: readWholeNumber(
        'HYPERV_QUEUED_DISK_READS',
        source.HYPERV_QUEUED_DISK_READS,
        16,
        0,
        10_000,
      ),
    },
    powerShell: readPowerShellLimitsOrFail(source),
    hostPort:
      source.HYPERV_HOST_PORT === undefined || source.HYPERV_HOST_PORT.trim() === ''
        ? null
        : readWholeNumber('HYPERV_HOST_PORT', source.HYPERV_HOST_PORT, 8443, 1, 65_535),
    hypervisor: readHypervisor(source.HYPERV_HYPERVISOR),
  };
}

/**
 * The folder a command was started from: npm runs workspace scripts in the workspace's folder but
 * says where it was invoked in `INIT_CWD`, so that `npm run accounts -w @hvm/server` from the
 * repository root finds `./hyperv-data` as `npm start` does.
 */
export function invocationDirectory(
  source: EnvSource = process.env,
  cwd: string = process.cwd(),
): string {
  const initCwd = source.INIT_CWD?.trim();
  return initCwd === undefined || initCwd === '' ? cwd : resolve(initCwd);
}
