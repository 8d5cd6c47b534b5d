/**
 * What the integration tests share: temporary folders removed after each test, and the check
 * that an outside tool (qemu-img, 7zz, vhdiinfo) ended well, with its output in the failure.
 */
import { afterEach, expect } from 'vitest';
import { nodeFileStore, type FileStore } from '../index.js';
import { makeTempDir, type RunResult } from './externalTools.js';

let cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups) await cleanup();
  cleanups = [];
});

/** Runs `cleanup` after the current test. */
export function afterThisTest(cleanup: () => Promise<void>): void {
  cleanups.push(cleanup);
}

/** A temporary folder and a file store on it, both gone after the current test. */
export async function tempStore(): Promise<{ dir: string; store: FileStore }> {
  const { dir, cleanup } = await makeTempDir();
  afterThisTest(cleanup);
  return { dir, store: nodeFileStore(dir) };
}

/** The tool exited 0; otherwise the test fails with its stderr and the end of its stdout. */
export function expectToolOk(result: RunResult, what: string): void {
  expect(result.status, `${what}: ${result.stderr} ${result.stdout.toString().slice(-2000)}`).toBe(
    0,
  );
}
