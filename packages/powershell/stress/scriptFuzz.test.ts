import { describe, expect, it } from 'vitest';
import { caseScript, positionProblems } from './scriptCase.js';
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

describe('the fuzzer checks positions against the script', () => {
  it('flags a position past the line or past the script, and lets the known CRLF one through', () => {
    const record = (line: number, char: number): string => `At line:${line} char:${char}\n`;
    expect(positionProblems('abc\ndef', record(2, 4))).toEqual([]);
    expect(positionProblems('abc\ndef', record(2, 5))).toEqual([
      'At line:2 char:5 is outside a line of 3 characters',
    ]);
    expect(positionProblems('abc', record(2, 1))).toEqual([
      "At line:2 is past the script's 1 lines",
    ]);
    expect(positionProblems('abc\r\ndef', record(1, 5))).toEqual([]);
    expect(positionProblems('abc\r\ndef', record(1, 6))).toHaveLength(1);
  });

  it('replays: the same seed gives the same script', () => {
    expect(caseScript(12_345)).toEqual(caseScript(12_345));
    expect(caseScript(12_345).script).not.toBe(caseScript(12_346).script);
  });
});
