// A loop-mounted XFS with reflink, where block cloning can be shown; skipped cleanly elsewhere.
import { mkdirSync, rmSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import type { XfsOutcome } from './types.js';
import { median, run, timed, tryOutput } from './util.js';

export async function withXfs<T>(
  parent: string,
  sizeBytes: number,
  fn: (mount: string) => Promise<T>,
): Promise<XfsOutcome<T>> {
  if (process.getuid?.() !== 0) return { skipped: 'not running as root: no loop mount' };
  if (tryOutput('sh', ['-c', 'command -v mkfs.xfs']) === null) {
    const r = spawnSync('sh', ['-c', 'apt-get install -y -qq xfsprogs >/dev/null 2>&1'], {
      stdio: 'ignore',
    });
    if (r.status !== 0 || tryOutput('sh', ['-c', 'command -v mkfs.xfs']) === null)
      return { skipped: 'mkfs.xfs is missing and xfsprogs could not be installed' };
  }
  const image = join(parent, 'xfs.img');
  const mount = join(parent, 'xfs');
  mkdirSync(mount, { recursive: true });
  let mounted = false;
  try {
    run('truncate', ['-s', String(sizeBytes), image]);
    run('mkfs.xfs', ['-q', '-m', 'reflink=1', image]);
    try {
      run('mount', ['-o', 'loop', image, mount]);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return { skipped: `loop mount failed: ${message.split('\n')[0] ?? ''}` };
    }
    mounted = true;
    return { result: await fn(mount) };
  } finally {
    if (mounted) spawnSync('umount', [mount], { stdio: 'ignore' });
    rmSync(image, { force: true });
    rmSync(mount, { recursive: true, force: true });
  }
}

/**
 * The time of one flush on this file system: a 4 KiB write then `fdatasync`, the unit a merge's
 * crash safety is paid in (each of its flushes orders two writes a power loss must not swap).
 * The median of `count`.
 */
export async function flushTime(dir: string, count = 15): Promise<number> {
  const path = join(dir, 'flush.probe');
  const file = await open(path, 'w');
  const block = Buffer.alloc(4096, 0x5a);
  const times: number[] = [];
  try {
    for (let i = 0; i < count; i++) {
      times.push(
        (
          await timed(async () => {
            await file.write(block, 0, block.length, 0);
            await file.datasync();
          })
        ).ms,
      );
    }
  } finally {
    await file.close();
    rmSync(path, { force: true });
  }
  return median(times);
}
