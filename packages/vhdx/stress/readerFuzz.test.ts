import { describe, expect, it } from 'vitest';
import { runReaderFuzz } from './readerFuzz.js';

describe('VHDX reader fuzz (short run; `npm run stress` runs 100,000 cases)', () => {
  it('opens and reads 2,000 mutated real and generated disks: each reads or fails with a VhdxError', async () => {
    const report = await runReaderFuzz({
      seed: 20_240_305,
      cases: 2000,
      seconds: 120,
      caseBudgetMs: 10_000,
      maxHeapGrowthMB: 256,
      log: (line) => {
        console.log(line);
      },
    });
    if (report.skippedRealFiles !== null)
      console.log(`Real Hyper-V disks skipped: ${report.skippedRealFiles} is absent.`);
    expect(report.failures).toEqual([]);
    expect(report.cases).toBe(2000);
    expect(report.rejected).toBeGreaterThan(0);
    expect(report.read).toBeGreaterThan(0);
  });
});
