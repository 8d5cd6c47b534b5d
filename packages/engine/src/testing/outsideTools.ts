/**
 * The outside tools the engine's integration tests check our files with: `qemu-img`
 * (qemu-utils), `7zz` (7zip) and `vhdiinfo` (libvhdi-utils), and the one real guests run in,
 * `qemu-system-x86_64` (qemu-system-x86). Outside CI a missing tool skips the
 * test with a message saying what to install; in CI (`CI=true`, where `.ci/run` installs them all)
 * it fails the test, so a broken CI image can never pass by skipping every independent check.
 * Test tooling only: not exported from `@hvm/engine/testing`.
 */
import { spawnSync } from 'node:child_process';

/* eslint-disable-next-line no-restricted-properties -- tests detect CI from the environment */
export const IN_CI = process.env.CI === 'true';

export type OutsideTool = 'qemu-img' | '7zz' | 'vhdiinfo' | 'qemu-system-x86_64';

const PACKAGE_OF: Record<OutsideTool, string> = {
  'qemu-img': 'qemu-utils',
  '7zz': '7zip',
  vhdiinfo: 'libvhdi-utils',
  'qemu-system-x86_64': 'qemu-system-x86',
};

const found = new Map<OutsideTool, boolean>();

export function hasTool(tool: OutsideTool): boolean {
  let ok = found.get(tool);
  if (ok === undefined) {
    ok = spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0;
    found.set(tool, ok);
  }
  return ok;
}

/** What a missing tool says: the tools and the Debian packages that bring them. */
export function missingToolsMessage(tools: readonly OutsideTool[]): string {
  const packages = tools.map((tool) => PACKAGE_OF[tool]).join(' ');
  return `outside tool(s) not installed: ${tools.join(', ')} (apt-get install ${packages})`;
}

interface SkipContext {
  skip(note?: string): void;
}

/**
 * Every tool named is installed; otherwise the test is skipped with a message (outside CI) or
 * fails (in CI). `inCi` is for the helper's own test.
 */
export function requireOutsideTools(
  ctx: SkipContext,
  tools: readonly OutsideTool[],
  inCi: boolean = IN_CI,
  has: (tool: OutsideTool) => boolean = hasTool,
): void {
  const missing = tools.filter((tool) => !has(tool));
  if (missing.length === 0) return;
  const message = missingToolsMessage(missing);
  if (inCi) throw new Error(message);
  ctx.skip(message);
}

export interface ToolRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function runTool(tool: OutsideTool, args: readonly string[]): ToolRun {
  const r = spawnSync(tool, args, { maxBuffer: 1 << 28 });
  return {
    status: r.status,
    stdout: r.stdout?.toString() ?? '',
    stderr: (r.stderr?.toString() ?? '') + (r.error ? String(r.error) : ''),
  };
}

/**
 * `7zz t -tvhdx <file>`: 7-Zip opens the file as VHDX (its parent chain included, from the
 * parent locator) and reads every sector; throws with 7-Zip's own output when it does not end well.
 */
export function sevenZipTestVhdx(file: string): void {
  const r = runTool('7zz', ['t', '-tvhdx', file]);
  if (r.status !== 0 || !r.stdout.includes('Everything is Ok'))
    throw new Error(
      `7zz t -tvhdx ${file} failed (${String(r.status)}): ${r.stderr}\n${r.stdout.slice(-2000)}`,
    );
}
