import { spawnSync } from 'node:child_process';

/** The Debian packages the image is built from and the guest tests use. */
export const GUEST_PACKAGES = [
  'qemu-system-x86',
  'linux-image-amd64',
  'busybox-static',
  'qemu-guest-agent',
  'cpio',
  'e2fsprogs',
] as const;

export function onPath(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v '${command}'`]).status === 0;
}

function installed(pkg: string): boolean {
  const result = spawnSync('dpkg-query', ['-W', '-f=${Status}', pkg], { encoding: 'utf8' });
  return result.status === 0 && result.stdout.includes('ok installed');
}

/** Why the guest tests cannot run here, or undefined when they can. */
export function missingGuestTools(): string | undefined {
  if (!onPath('dpkg-query'))
    return 'dpkg-query is missing (the image is built from Debian packages)';
  const missing = GUEST_PACKAGES.filter((pkg) => !installed(pkg));
  if (missing.length > 0) return `Debian packages missing: ${missing.join(', ')}`;
  if (!onPath('qemu-system-x86_64')) return 'qemu-system-x86_64 is not on PATH';
  return undefined;
}

/** In CI a missing tool is a failure; elsewhere the tests skip and say why. */
/* eslint-disable-next-line no-restricted-properties -- a missing outside tool fails in CI, skips elsewhere */
export const inCi = process.env.CI === 'true';
