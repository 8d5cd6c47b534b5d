import { caseRunArguments } from '@hvm/stress-support';
import { runReaderFuzz } from './readerFuzz.js';

/** `npm run stress -w @hvm/vhdx -- --cases 100000 --seconds 120 [--seed 7 [--case 12]]` */
const run = caseRunArguments({ cases: 100_000, seconds: 300, caseBudgetMs: 5000 });
const started = Date.now();
console.log(`VHDX reader fuzz: seed ${run.seed} (replay a case with --seed ${run.seed} --case N)`);
const report = await runReaderFuzz({
  ...run,
  maxHeapGrowthMB: 256,
  log: (line) => {
    console.log(line);
  },
});
if (report.skippedRealFiles !== null)
  console.log(
    `Real Hyper-V files skipped: ${report.skippedRealFiles} is absent; generated files only.`,
  );
console.log(
  `${report.cases} cases in ${((Date.now() - started) / 1000).toFixed(1)} s over ${report.seeds.join(', ')}: ` +
    `${report.read} read, ${report.rejected} rejected with a VhdxError, largest single read ${report.largestRead} bytes, ` +
    `${report.failures.length} failures`,
);
for (const failure of report.failures)
  console.log(
    `FAILURE ${failure.kind} case ${failure.index} case seed ${failure.caseSeed ?? '-'} (replay: --seed ${run.seed} --case ${failure.index}): ${failure.detail}`,
  );
process.exitCode = report.failures.length === 0 && report.cases > 0 ? 0 : 1;
