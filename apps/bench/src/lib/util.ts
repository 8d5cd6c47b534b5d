// Shared helpers of the benchmark: statistics, timing, external commands, temporary folders.
import {
  execFileSync,
  spawnSync,
  type SpawnSyncOptionsWithStringEncoding,
} from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, hostname, totalmem, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Machine } from './types.js';

export const KIB = 1024;
export const MIB = 1024 * KIB;
export const GIB = 1024 * MIB;
export const TIB = 1024 * GIB;

export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const mid = Math.floor(s.length / 2);
  const at = (i: number): number => s[i] ?? NaN;
  return s.length % 2 === 1 ? at(mid) : (at(mid - 1) + at(mid)) / 2;
}

export function percentile(values: readonly number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] ?? NaN;
}

export async function timed<T>(fn: () => T | Promise<T>): Promise<{ ms: number; value: T }> {
  const t0 = performance.now();
  const value = await fn();
  return { ms: performance.now() - t0, value };
}

/** Runs a command; returns its wall time in ms. Throws with its stderr when it fails. */
export function run(
  cmd: string,
  args: readonly string[],
  options: Omit<SpawnSyncOptionsWithStringEncoding, 'encoding'> = {},
): { ms: number; stdout: string } {
  const t0 = performance.now();
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 256 * MIB, ...options });
  const ms = performance.now() - t0;
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr || r.stdout}`);
  return { ms, stdout: r.stdout };
}

export function tryOutput(cmd: string, args: readonly string[]): string | null {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  } catch {
    return null;
  }
}

/** Drops clean page-cache pages when allowed (root), so that runs start alike. */
export function dropCaches(): void {
  spawnSync('sh', ['-c', 'sync; echo 1 > /proc/sys/vm/drop_caches'], { stdio: 'ignore' });
}

export async function withTempDir<T>(
  prefix: string,
  fn: (dir: string) => T | Promise<T>,
  parent = tmpdir(),
): Promise<T> {
  const dir = mkdtempSync(join(parent, prefix));
  try {
    return await fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A fixed pseudo-random sequence (xorshift32), so every tool gets the same offsets. */
export function prng(seed = 0x9e3779b9): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 0x100000000;
  };
}

/** One MiB of incompressible-looking bytes; repeated for "the same data". */
export function patternChunk(size = MIB, seed = 7): Buffer {
  const next = prng(seed);
  const buf = Buffer.alloc(size);
  for (let i = 0; i < size; i += 4) buf.writeUInt32LE(Math.floor(next() * 0x100000000), i);
  return buf;
}

export function machine(): Machine {
  const cpu = cpus();
  const fsType = tryOutput('df', ['--output=fstype', tmpdir()])?.split('\n').pop() ?? '?';
  const device = tryOutput('findmnt', ['-no', 'SOURCE', '-T', tmpdir()]) ?? '?';
  const disk = tryOutput('lsblk', ['-ndo', 'SIZE,ROTA,MODEL', device])?.trim().split(/\s+/) ?? [];
  return {
    cpu: `${cpu[0]?.model ?? '?'} × ${cpu.length}`,
    memoryGiB: Math.round(totalmem() / GIB),
    kernel: tryOutput('uname', ['-sr']) ?? '?',
    os: tryOutput('sh', ['-c', '. /etc/os-release && echo "$PRETTY_NAME"']) ?? '?',
    node: process.version,
    tmpdir: `${tmpdir()} (${fsType})`,
    host: hostname(),
    disk: `${device}${disk.length === 0 ? '' : ` (${disk[0] ?? '?'}, ${disk[1] === '1' ? 'rotational, as the kernel reports it' : 'not rotational'}${disk.length > 2 ? `, ${disk.slice(2).join(' ')}` : ''})`}`,
    root: process.getuid?.() === 0,
  };
}

export function toolVersions(): Record<string, string> {
  const first = (s: string | null): string =>
    s === null ? 'not installed' : (s.split('\n')[0] ?? '');
  return {
    'qemu-img': first(tryOutput('qemu-img', ['--version'])),
    'qemu-io': first(tryOutput('qemu-io', ['--version'])),
    'qemu-system-x86_64': first(tryOutput('qemu-system-x86_64', ['--version'])),
    dd: first(tryOutput('dd', ['--version'])),
    cp: first(tryOutput('cp', ['--version'])),
    'mkfs.xfs': first(tryOutput('mkfs.xfs', ['-V'])),
    chromium: first(tryOutput('/usr/bin/chromium', ['--version'])),
  };
}

export const fmtMs = (ms: number): string =>
  ms < 10 ? ms.toFixed(2) : ms < 100 ? ms.toFixed(1) : ms.toFixed(0);
export const fmtRate = (bytes: number, ms: number): string =>
  `${(bytes / MIB / (ms / 1000)).toFixed(0)} MiB/s`;
