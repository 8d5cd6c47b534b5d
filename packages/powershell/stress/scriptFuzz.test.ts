import { describe, expect, it } from 'vitest';
import { runScriptFuzz } from './scriptFuzz.js';

describe('PowerShell script fuzz (short run; `npm run stress` runs 20,000 scripts)', () => {
  it('runs 250 random and mutated scripts: none throws, overruns a budget or points outside the script', async () => {
    const report = await runScriptFuzz({
      seed: 20_261_206,
      cases: 250,
      seconds: 240,
      caseBudgetMs: 120_000,
      maxHeapGrowthMB: 256,
      log: (line) => {
        console.log(line);
      },
    });
    expect(report.failures).toEqual([]);
    expect(report.cases).toBe(250);
    // The mix reaches every outcome: scripts that run, parse errors and exceeded limits.
    expect(report.ran).toBeGreaterThan(0);
    expect(report.parseErrors).toBeGreaterThan(0);
    expect(report.limitsHit).toBeGreaterThan(0);
  }, 600_000);
});
