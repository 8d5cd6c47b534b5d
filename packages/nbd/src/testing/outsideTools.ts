import { execFile, spawnSync } from 'node:child_process';

/* eslint-disable-next-line no-restricted-properties -- a missing outside tool fails in CI, skips elsewhere */
const IN_CI = process.env.CI === 'true';

/**
 * Skips the test when `tool` is missing (fails instead under CI=true); the message names the
 * Debian package that brings it. Also `@hvm/nbd/testing`, for the packages that test over NBD.
 */
export function requireTool(
  ctx: { skip(note?: string): void },
  tool: string,
  debianPackage = 'qemu-utils',
): void {
  if (spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0) return;
  const message = `${tool} is not installed (apt-get install ${debianPackage})`;
  if (IN_CI) throw new Error(message);
  ctx.skip(message);
}

/**
 * Runs an outside tool without blocking the event loop (the server under test answers it from this
 * process); resolves with its exit status and output.
 */
export function runTool(
  command: string,
  args: string[],
): Promise<{ status: number; output: string }> {
  return new Promise((resolve) => {
    execFile(command, args, { timeout: 120_000, maxBuffer: 1 << 26 }, (error, stdout, stderr) => {
      const status = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
      resolve({ status, output: `${stdout}${stderr}${error === null ? '' : error.message}` });
    });
  });
}
