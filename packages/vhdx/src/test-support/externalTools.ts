import { spawnSync } from 'node:child_process';
import { createReadStream, createWriteStream, existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { createGunzip } from 'node:zlib';

const PACKAGE_DIR = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');

/* eslint-disable no-restricted-properties -- tests locate shared test data and detect CI from the environment */
const ENV_TESTDATA = process.env.HYPERV_SHARED_TESTDATA;
export const IN_CI = process.env.CI === 'true';
/* eslint-enable no-restricted-properties */

/** `<repo>/../shared/testdata/vhdx`, or `$HYPERV_SHARED_TESTDATA`. */
export const TESTDATA_DIR = ENV_TESTDATA ?? resolve(PACKAGE_DIR, '../../../shared/testdata/vhdx');
export const HAS_TESTDATA = existsSync(TESTDATA_DIR);
export const TESTDATA_MISSING = `real Hyper-V test data not found at ${TESTDATA_DIR} (set HYPERV_SHARED_TESTDATA)`;

/** Debian's interpreter: the one that has the pyvhdi module. */
export const DEBIAN_PYTHON = '/usr/bin/python3';

const toolCache = new Map<string, boolean>();

function hasTool(name: string): boolean {
  let ok = toolCache.get(name);
  if (ok === undefined) {
    ok =
      name === 'pyvhdi'
        ? spawnSync(DEBIAN_PYTHON, ['-c', 'import pyvhdi']).status === 0
        : spawnSync('sh', ['-c', `command -v ${name}`]).status === 0;
    toolCache.set(name, ok);
  }
  return ok;
}

interface SkipContext {
  skip(note?: string): void;
}

/**
 * Returns true when every tool is installed. Outside CI a missing tool skips the test with a
 * message; in CI it fails the test.
 */
export function requireTools(ctx: SkipContext, ...names: string[]): void {
  const missing = names.filter((n) => !hasTool(n));
  if (missing.length === 0) return;
  const message = `external tool(s) not installed: ${missing.join(', ')} (apt-get install qemu-utils libvhdi-utils python3-libvhdi 7zip)`;
  if (IN_CI) throw new Error(message);
  ctx.skip(message);
}

export interface RunResult {
  status: number | null;
  stdout: Buffer;
  stderr: string;
}

export function run(cmd: string, args: string[], input?: string): RunResult {
  const r = spawnSync(cmd, args, { maxBuffer: 1 << 30, ...(input === undefined ? {} : { input }) });
  return {
    status: r.status,
    stdout: r.stdout,
    stderr: r.stderr.toString() + (r.error ? String(r.error) : ''),
  };
}

export async function makeTempDir(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'vhdx-test-'));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** Decompresses `<testdata>/<name>.gz` into `destDir`; returns the file name. */
export async function gunzipTestFile(gzName: string, destDir: string): Promise<string> {
  const out = basename(gzName, '.gz');
  await pipeline(
    createReadStream(join(TESTDATA_DIR, gzName)),
    createGunzip(),
    createWriteStream(join(destDir, out)),
  );
  return out;
}
