import { spawnSync } from 'node:child_process';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { IN_CI, makeTempDir } from './externalTools.js';

export type LoopXfs = { mount: string; cleanup: () => Promise<void> } | { skip: string };

function ok(cmd: string, args: string[]): { ok: boolean; why: string } {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  return {
    ok: r.status === 0,
    why: (r.stderr || String(r.error ?? '')).trim().split('\n')[0] ?? '',
  };
}

/**
 * A small XFS with reflink on a loop-mounted image file, where block cloning can be checked.
 * Needs root and `mkfs.xfs` (Debian: xfsprogs); says why when it cannot be had (in CI a missing
 * mkfs.xfs fails instead).
 */
export async function loopXfs(sizeBytes: number): Promise<LoopXfs> {
  if (process.platform !== 'linux') return { skip: 'loop-mounted XFS needs Linux' };
  if (process.getuid?.() !== 0) return { skip: 'loop-mounting an XFS image needs root' };
  if (!ok('sh', ['-c', 'command -v mkfs.xfs']).ok) {
    // CI installs xfsprogs (.ci/run): there a missing tool is a failure, not a skip.
    if (IN_CI) throw new Error('mkfs.xfs is not installed (apt-get install xfsprogs)');
    return { skip: 'mkfs.xfs not installed (apt-get install xfsprogs)' };
  }
  const { dir, cleanup } = await makeTempDir();
  const image = join(dir, 'xfs.img');
  const mount = join(dir, 'mnt');
  await mkdir(mount);
  const made = ok('sh', [
    '-c',
    `truncate -s ${sizeBytes} '${image}' && mkfs.xfs -q -m reflink=1 '${image}'`,
  ]);
  if (!made.ok) {
    await cleanup();
    return { skip: `mkfs.xfs failed: ${made.why}` };
  }
  const mounted = ok('mount', ['-o', 'loop', image, mount]);
  if (!mounted.ok) {
    await cleanup();
    return { skip: `loop mount failed: ${mounted.why}` };
  }
  return {
    mount,
    cleanup: async () => {
      spawnSync('umount', [mount]);
      await rm(dir, { recursive: true, force: true });
    },
  };
}
