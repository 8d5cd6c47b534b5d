import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EnvError, invocationDirectory, readEnv } from './env.js';
import { defaultPowerShellLimits } from './powershell/limits.js';

describe('readEnv', () => {
  it('defaults to 127.0.0.1:8080 and hyperv-data under the working directory', () => {
    expect(readEnv({}, '/repo')).toEqual({
      port: 8080,
      host: '127.0.0.1',
      dataDir: resolve('/repo', 'hyperv-data'),
      auth: 'off',
      sessionIdleMinutes: 30,
      mergeMBPerSecond: 0,
      memorySaveMBPerSecond: 0,
      allowedHosts: [],
      connectionLimits: {
        maxConnections: 1000,
        maxConnectionsPerAddress: 200,
        headersTimeoutMs: 10_000,
        requestTimeoutMs: 30_000,
        keepAliveTimeoutMs: 310_000,
      },
      eventStreamsPerClient: 10,
      diskReads: { concurrent: 4, queued: 16 },
      powerShell: defaultPowerShellLimits,
      hostPort: null,
      hypervisor: 'simulated',
    });
  });

  it('reads HYPERV_HYPERVISOR: simulated (default) or qemu, and refuses anything else', () => {
    expect(readEnv({ HYPERV_HYPERVISOR: 'qemu' }, '/repo').hypervisor).toBe('qemu');
    expect(readEnv({ HYPERV_HYPERVISOR: 'simulated' }, '/repo').hypervisor).toBe('simulated');
    expect(() => readEnv({ HYPERV_HYPERVISOR: 'hyperv' }, '/repo')).toThrow(EnvError);
    expect(() => readEnv({ HYPERV_HYPERVISOR: 'hyperv' }, '/repo')).toThrow(/simulated, qemu/);
  });

  it('reads the allowed host names and the connection, stream and disk-read limits', () => {
    expect(
      readEnv(
        {
          HYPERV_ALLOWED_HOSTS: ' hyperv.example.com, 10.0.0.5:8443 ,,[fe80::1]',
          HYPERV_MAX_CONNECTIONS: '50',
          HYPERV_MAX_CONNECTIONS_PER_ADDRESS: '7',
          HYPERV_HEADERS_TIMEOUT_SECONDS: '3',
          HYPERV_REQUEST_TIMEOUT_SECONDS: '4',
          HYPERV_KEEP_ALIVE_TIMEOUT_SECONDS: '2',
          HYPERV_EVENT_STREAMS_PER_CLIENT: '3',
          HYPERV_CONCURRENT_DISK_READS: '2',
          HYPERV_QUEUED_DISK_READS: '0',
        },
        '/repo',
      ),
    ).toMatchObject({
      allowedHosts: ['hyperv.example.com', '10.0.0.5:8443', '[fe80::1]'],
      connectionLimits: {
        maxConnections: 50,
        maxConnectionsPerAddress: 7,
        headersTimeoutMs: 3000,
        requestTimeoutMs: 4000,
        keepAliveTimeoutMs: 2000,
      },
      eventStreamsPerClient: 3,
      diskReads: { concurrent: 2, queued: 0 },
    });
  });

  it.each([
    [{ HYPERV_ALLOWED_HOSTS: 'evil.example/path' }, /HYPERV_ALLOWED_HOSTS must be/],
    [{ HYPERV_MAX_CONNECTIONS: '0' }, /HYPERV_MAX_CONNECTIONS must be a whole number from 1/],
    [{ HYPERV_HEADERS_TIMEOUT_SECONDS: 'soon' }, /HYPERV_HEADERS_TIMEOUT_SECONDS must be/],
    [
      { HYPERV_HEADERS_TIMEOUT_SECONDS: '20', HYPERV_REQUEST_TIMEOUT_SECONDS: '10' },
      /HYPERV_REQUEST_TIMEOUT_SECONDS must be at least HYPERV_HEADERS_TIMEOUT_SECONDS/,
    ],
    [{ HYPERV_CONCURRENT_DISK_READS: '65' }, /HYPERV_CONCURRENT_DISK_READS must be/],
  ])('refuses %o with a clear message', (source, message) => {
    expect(() => readEnv(source, '/repo')).toThrow(message);
  });

  it('reads PORT, HOST and HYPERV_DATA_DIR', () => {
    expect(
      readEnv({ PORT: '3000', HOST: '0.0.0.0', HYPERV_DATA_DIR: 'data/x' }, '/repo'),
    ).toMatchObject({
      port: 3000,
      host: '0.0.0.0',
      dataDir: resolve('/repo', 'data/x'),
      auth: 'required',
      sessionIdleMinutes: 30,
    });
    expect(readEnv({ HYPERV_DATA_DIR: '/abs' }, '/repo').dataDir).toBe('/abs');
  });

  it.each(['abc', '-1', '70000', '80.5'])('refuses PORT=%s with a clear message', (port) => {
    expect(() => readEnv({ PORT: port }, '/repo')).toThrow(
      /PORT must be a whole number from 0 to 65535/,
    );
  });

  it('refuses a HOST with spaces', () => {
    expect(() => readEnv({ HOST: 'my host' }, '/repo')).toThrow(/HOST must be/);
  });

  it.each(['127.0.0.1', '127.5.0.1', 'localhost', '::1', '[::1]'])(
    'leaves sign-in off on the loopback address %s unless HYPERV_AUTH=required',
    (host) => {
      expect(readEnv({ HOST: host }, '/repo').auth).toBe('off');
      expect(readEnv({ HOST: host, HYPERV_AUTH: 'auto' }, '/repo').auth).toBe('off');
      expect(readEnv({ HOST: host, HYPERV_AUTH: 'Required' }, '/repo').auth).toBe('required');
    },
  );

  it.each(['0.0.0.0', '192.168.1.20', '::', 'hyperv01.contoso.com'])(
    'requires sign-in when listening on %s',
    (host) => {
      expect(readEnv({ HOST: host }, '/repo').auth).toBe('required');
    },
  );

  it('refuses to turn sign-in off, or an unknown HYPERV_AUTH', () => {
    expect(() => readEnv({ HOST: '0.0.0.0', HYPERV_AUTH: 'off' }, '/repo')).toThrow(
      /HYPERV_AUTH must be "auto" or "required".*cannot be turned off/,
    );
    expect(() => readEnv({ HYPERV_AUTH: 'yes' }, '/repo')).toThrow(/HYPERV_AUTH must be/);
  });

  it('reads HYPERV_TRUST_PROXY as true, false or a list of addresses', () => {
    expect(readEnv({}, '/repo').trustProxy).toBeUndefined();
    expect(readEnv({ HYPERV_TRUST_PROXY: 'false' }, '/repo').trustProxy).toBeUndefined();
    expect(readEnv({ HYPERV_TRUST_PROXY: 'true' }, '/repo').trustProxy).toBe(true);
    expect(readEnv({ HYPERV_TRUST_PROXY: 'loopback, 10.0.0.0/8' }, '/repo').trustProxy).toBe(
      'loopback, 10.0.0.0/8',
    );
    expect(() => readEnv({ HYPERV_TRUST_PROXY: 'a;b' }, '/repo')).toThrow(/HYPERV_TRUST_PROXY/);
  });

  it('reads HYPERV_SESSION_IDLE_MINUTES from 1 to 1440', () => {
    expect(readEnv({ HYPERV_SESSION_IDLE_MINUTES: '5' }, '/repo').sessionIdleMinutes).toBe(5);
    for (const bad of ['0', '1441', 'ten']) {
      expect(() => readEnv({ HYPERV_SESSION_IDLE_MINUTES: bad }, '/repo')).toThrow(
        /HYPERV_SESSION_IDLE_MINUTES must be a whole number from 1 to 1440/,
      );
    }
  });

  it('reads the merge and memory-save rate limits in MB/s (0: none)', () => {
    const env = readEnv(
      { HYPERV_MERGE_MB_PER_SECOND: '200', HYPERV_MEMORY_SAVE_MB_PER_SECOND: '0' },
      '/repo',
    );
    expect([env.mergeMBPerSecond, env.memorySaveMBPerSecond]).toEqual([200, 0]);
    for (const bad of ['-1', '1.5', 'fast', '1000001']) {
      expect(() => readEnv({ HYPERV_MERGE_MB_PER_SECOND: bad }, '/repo')).toThrow(
        /HYPERV_MERGE_MB_PER_SECOND must be a whole number from 0 \(no limit\) to 1000000/,
      );
    }
  });

  it('finds the folder an npm script was started from in INIT_CWD', () => {
    expect(invocationDirectory({ INIT_CWD: '/repo' }, '/repo/apps/server')).toBe('/repo');
    expect(invocationDirectory({}, '/repo/apps/server')).toBe('/repo/apps/server');
  });

  it('reads the host-to-host port of Connect to Server', () => {
    expect(readEnv({ HYPERV_HOST_PORT: '8443' }, '/repo').hostPort).toBe(8443);
    expect(() => readEnv({ HYPERV_HOST_PORT: '70000' }, '/repo')).toThrow(/HYPERV_HOST_PORT/);
  });
});
