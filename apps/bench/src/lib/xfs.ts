// A loop-mounted XFS with reflink, where block cloning can be shown; skipped cleanly elsewhere.
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import type { XfsOutcome } from './types.js';
import { run, tryOutput } from './util.js';

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
