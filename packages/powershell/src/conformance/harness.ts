/**
 * The conformance harness: scripts an administrator writes, with the console text and exit code
 * Windows PowerShell 5.1 gives for them. Every case names its source (an about_* topic or cmdlet
 * reference page, the behaviour spec's R-number, a public transcript, or PowerShell's own resource
 * strings); a case whose expected text is our reading rather than a transcript says so in `note`.
 * Each area of the language or of the cmdlets keeps its cases in `src/conformance/<area>.test.ts`.
 */
import type { Host } from '@hvm/engine';
import { buildVm, createTestHost } from '@hvm/engine/testing';
import { describe, expect, test } from 'vitest';
import type { PowerShellResult, RunOptions } from '../index.js';
import { runPowerShell } from '../index.js';

export interface ConformanceCase {
  name: string;
  /** Where the expected behaviour comes from (documentation page, R-number, transcript). */
  source: string;
  script: string;
  /** The whole console text, or a function that checks the result itself. */
  output: string | ((result: PowerShellResult) => void);
  /** The exit code of `powershell.exe -Command <script>` (R29); 0 when unset. */
  exitCode?: number;
  /** Where the expected text is our reading and not a transcript, why. */
  note?: string;
}

/** The host every case runs on unless it brings its own: Web-01 (Running) and Db-01 (Off). */
export async function conformanceHost(): Promise<Host> {
  const { host } = await createTestHost();
  await buildVm(host, { name: 'Web-01', state: 'Running' });
  await buildVm(host, { name: 'Db-01' });
  return host;
}

export async function runConformance(
  script: string,
  options: RunOptions = {},
  host?: Host,
): Promise<PowerShellResult> {
  return runPowerShell(host ?? (await conformanceHost()), script, {
    limits: { maxSteps: 100_000 },
    ...options,
  });
}

/** Console lines, each ending in a newline, as the console prints them. */
export const lines = (...text: string[]): string => text.map((t) => `${t}\n`).join('');

/** Registers one vitest case per conformance case. */
export function conformanceSuite(title: string, cases: ConformanceCase[]): void {
  describe(title, () => {
    for (const c of cases) {
      test(`${c.name} (${c.source})`, async () => {
        const result = await runConformance(c.script);
        if (typeof c.output === 'function') c.output(result);
        else expect(result.output).toBe(c.output);
        expect(result.exitCode).toBe(c.exitCode ?? 0);
      });
    }
  });
}
