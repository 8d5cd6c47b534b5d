import { caseRunArguments } from '@hvm/stress-support';
import { runScriptFuzz } from './scriptFuzz.js';

/** `npm run stress -w @hvm/powershell -- --cases 20000 --seconds 240 [--seed 7 [--case 12]]` */
const run = caseRunArguments({ cases: 20_000, seconds: 240, caseBudgetMs: 120_000 });
const started = Date.now();
console.log(
  `PowerShell script fuzz: seed ${run.seed} (replay a case with --seed ${run.seed} --case N)`,
);
const report = await runScriptFuzz({
  ...run,
  maxHeapGrowthMB: 256,
  log: (line) => {
    console.log(line);
  },
});
console.log(
  `${report.cases} scripts in ${((Date.now() - started) / 1000).toFixed(1)} s: ${report.ran} ran, ` +
    `${report.parseErrors} parse errors, ${report.limitsHit} ended at a limit, ${report.failures.length} failures`,
);
for (const failure of report.failures)
  console.log(
    `FAILURE ${failure.kind} case ${failure.index} case seed ${failure.caseSeed ?? '-'} (replay: --seed ${run.seed} --case ${failure.index}): ${failure.detail}`,
  );
process.exitCode = report.failures.length === 0 && report.cases > 0 ? 0 : 1;
