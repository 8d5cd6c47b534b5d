import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The real-guest images this package builds. */
export const GUEST_IMAGE_NAMES = ['tiny-linux', 'tiny-linux-noagent'] as const;
export type GuestImageName = (typeof GUEST_IMAGE_NAMES)[number];

/** What QEMU needs to boot an image directly (-kernel, -initrd, -append). */
export interface GuestImage {
  kernel: string;
  initrd: string;
  cmdline: string;
  /** Whether qemu-guest-agent runs in the guest (false: the "no integration services" case). */
  agent: boolean;
}

const packageRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The build script (`npm run build:guest-image` at the repository root). */
export const BUILD_SCRIPT = path.join(packageRoot, 'build', 'build-tiny-linux.sh');

export class GuestImageBuildError extends Error {
  constructor(
    message: string,
    readonly output: string,
  ) {
    super(message);
    this.name = 'GuestImageBuildError';
  }
}

interface Manifest {
  name: string;
  agent: boolean;
  kernel: string;
  initrd: string;
  cmdline: string;
}

function isManifest(value: unknown): value is Manifest {
  if (typeof value !== 'object' || value === null) return false;
  const m = value as Record<string, unknown>;
  return (
    typeof m.name === 'string' &&
    typeof m.agent === 'boolean' &&
    typeof m.kernel === 'string' &&
    typeof m.initrd === 'string' &&
    typeof m.cmdline === 'string'
  );
}

/**
 * Runs the build script (it builds both variants, and returns at once when they are current) and
 * returns the folder it reports: \$HYPERV_GUEST_IMAGE_DIR, which the script reads, or its default.
 */
function runBuild(dir: string | undefined): Promise<string> {
  const args = dir === undefined ? [BUILD_SCRIPT] : [BUILD_SCRIPT, '--out', dir];
  return new Promise((resolve, reject) => {
    execFile('bash', args, { maxBuffer: 4 * 1024 * 1024 }, (error, stdout, stderr) => {
      const output = `${stdout}${stderr}`;
      const reported = /^HVM-GUEST-IMAGES (.+)$/m.exec(stdout)?.[1];
      if (error === null && reported !== undefined) {
        resolve(reported);
        return;
      }
      const why = stderr.trim().split('\n').pop() ?? error?.message ?? 'no output folder reported';
      reject(new GuestImageBuildError(`The guest image build failed: ${why}`, output));
    });
  });
}

const builds = new Map<string, Promise<string>>();

/** One build per output folder and process; a failed build is tried again on the next call. */
function buildOnce(dir: string | undefined): Promise<string> {
  const key = dir ?? '';
  let pending = builds.get(key);
  if (pending === undefined) {
    pending = runBuild(dir);
    builds.set(key, pending);
    pending.catch(() => builds.delete(key));
  }
  return pending;
}

export interface EnsureGuestImageOptions {
  /** The output folder; by default the script's: \$HYPERV_GUEST_IMAGE_DIR or <repo>/.cache/guest-images. */
  dir?: string;
}

/** The image's files and kernel command line, building the images first when they are missing or stale. */
export async function ensureGuestImage(
  name: GuestImageName,
  options: EnsureGuestImageOptions = {},
): Promise<GuestImage> {
  if (!GUEST_IMAGE_NAMES.includes(name)) throw new Error(`Unknown guest image ${String(name)}`);
  const dir = await buildOnce(options.dir === undefined ? undefined : path.resolve(options.dir));
  const imageDir = path.join(dir, name);
  const parsed: unknown = JSON.parse(await readFile(path.join(imageDir, 'manifest.json'), 'utf8'));
  if (!isManifest(parsed) || parsed.name !== name) {
    throw new GuestImageBuildError(`The manifest of ${name} is not valid`, '');
  }
  return {
    kernel: path.join(imageDir, parsed.kernel),
    initrd: path.join(imageDir, parsed.initrd),
    cmdline: parsed.cmdline,
    agent: parsed.agent,
  };
}
