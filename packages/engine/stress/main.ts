import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { runCrashTrials } from './crashHarness.js';
import { runFullDiskTrials } from './fullDisk.js';
import type { Operation } from './scenario.js';

/** `npm run stress -w @hvm/engine -- --trials 300 --seconds 120 [--seed 7 [--trial 12]] [--op delete-vm]` */
const { values } = parseArgs({
  options: {
    trials: { type: 'string', default: '400' },
    seconds: { type: 'string', default: '200' },
    seed: { type: 'string' },
    trial: { type: 'string' },
    'full-disk-trials': { type: 'string', default: '30' },
    op: { type: 'string' },
  },
});
const seed = values.seed === undefined ? Math.floor(Math.random() * 2 ** 31) : Number(values.seed);
const started = Date.now();
const keep = join(process.cwd(), '.cache', 'stress-failures');
console.log(
  `Crash, full-disk and read-only trials: seed ${seed} (replay one with --seed ${seed} --trial N)`,
);
const report = await runCrashTrials({
  seed,
  trials: Number(values.trials),
  seconds: Number(values.seconds),
  ...(values.trial === undefined ? {} : { only: Number(values.trial) }),
  ...(values.op === undefined ? {} : { kind: values.op as Operation['kind'] }),
  keepFailuresIn: keep,
  log: (line) => {
    console.log(line);
  },
});
console.log(
  `${report.trials} trials in ${((Date.now() - started) / 1000).toFixed(1)} s: ` +
    Object.entries(report.byMode)
      .map(([mode, n]) => `${n} ${mode}`)
      .join(', ') +
    `; ${report.committed} operations survived, ${report.rolledBack} rolled back; ` +
    `errors on a full or read-only disk: ${JSON.stringify(report.faultErrors)}; ${report.failures.length} failures` +
    (report.failures.length > 0 ? ` (folders kept in ${keep})` : ''),
);
const full = await runFullDiskTrials({
  seed,
  trials: values.trial === undefined ? Number(values['full-disk-trials']) : 0,
  ...(values.op === undefined ? {} : { kind: values.op as Operation['kind'] }),
  log: (line) => {
    console.log(line);
  },
});
if (full.skipped !== null) console.log(`Real full-disk trials SKIPPED: ${full.skipped}`);
else
  console.log(
    `${full.trials} trials on a full tmpfs: ${full.succeeded} operations succeeded, ${full.failedCleanly} failed cleanly ` +
      `(${JSON.stringify(full.errors)}); ${full.failures.length} failures`,
  );
process.exitCode =
  report.failures.length === 0 && report.trials > 0 && full.failures.length === 0 ? 0 : 1;
