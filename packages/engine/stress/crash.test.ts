import { describe, expect, it } from 'vitest';
import { runCrashTrials } from './crashHarness.js';
import { runFullDiskTrials } from './fullDisk.js';

describe('crash safety (short run; `npm run stress` runs hundreds of trials)', () => {
  it('after a SIGKILL, a full disk or a read-only folder at a random point, the host restarts consistent', async () => {
    const report = await runCrashTrials({
      seed: 20_240_305,
      trials: 6,
      seconds: 240,
      log: (line) => {
        console.log(line);
      },
    });
    expect(report.failures).toEqual([]);
    expect(report.trials).toBe(6);
  }, 300_000);

  it('a real full file system fails an operation cleanly and loses nothing', async () => {
    const report = await runFullDiskTrials({ seed: 7, trials: 2 });
    if (report.skipped !== null) {
      console.log(`Real full-disk trials skipped: ${report.skipped}`);
      return;
    }
    expect(report.failures).toEqual([]);
    expect(report.trials).toBe(2);
  }, 300_000);
});
