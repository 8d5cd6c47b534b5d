/**
 * The server's configuration. This is the only module that reads `process.env`.
 *
 * - `PORT`: TCP port, 0-65535 (default 8080).
 * - `HOST`: interface to listen on (default 127.0.0.1).
 * - `HYPERV_DATA_DIR`: the host data folder holding VM configurations, disks and checkpoints.
 *   A relative path resolves against the working directory of the start command; the default is
 *   `hyperv-data`, i.e. `<repository>/hyperv-data` when started with `npm start` from the root.
 */
import { resolve } from 'node:path';

export interface ServerEnv {
  port: number;
  host: string;
  dataDir: string;
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

/** Reads and validates the configuration; throws an EnvError with a clear message when it is wrong. */
export function readEnv(source: EnvSource = process.env, cwd: string = process.cwd()): ServerEnv {
  return {
    port: readPort(source.PORT),
    host: readHost(source.HOST),
    dataDir: readDataDir(source.HYPERV_DATA_DIR, cwd),
  };
}
