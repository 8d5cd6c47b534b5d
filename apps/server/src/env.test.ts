import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readEnv } from './env.js';

describe('readEnv', () => {
  it('defaults to 127.0.0.1:8080 and hyperv-data under the working directory', () => {
    expect(readEnv({}, '/repo')).toEqual({
      port: 8080,
      host: '127.0.0.1',
      dataDir: resolve('/repo', 'hyperv-data'),
    });
  });

  it('reads PORT, HOST and HYPERV_DATA_DIR', () => {
    expect(readEnv({ PORT: '3000', HOST: '0.0.0.0', HYPERV_DATA_DIR: 'data/x' }, '/repo')).toEqual({
      port: 3000,
      host: '0.0.0.0',
      dataDir: resolve('/repo', 'data/x'),
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
});
