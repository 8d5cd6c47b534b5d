import { parseArgs } from 'node:util';
import { runScriptFuzz } from './scriptFuzz.js';

/** `npm run stress -w @hvm/powershell -- --cases 20000 --seconds 240 [--seed 7 [--case 12]]` */
const { values } = parseArgs({
  options: {
    cases: { type: 'string', default: '20000' },
    seconds: { type: 'string', default: '240' },
    seed: { type: 'string' },
    case: { type: 'string' },
    'case-budget-ms': { type: 'string', default: '120000' },
  },
});
const seed = values.seed === undefined ? Math.floor(Math.random() * 2 ** 31) : Number(values.seed);
const started = Date.now();
console.log(`PowerShell script fuzz: seed ${seed} (replay a case with --seed ${seed} --case N)`);
const report = await runScriptFuzz({
  seed,
  cases: Number(values.cases),
  seconds: Number(values.seconds),
  caseBudgetMs: Number(values['case-budget-ms']),
  maxHeapGrowthMB: 256,
  ...(values.case === undefined ? {} : { only: Number(values.case) }),
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
    `FAILURE ${failure.kind} case ${failure.index} case seed ${failure.caseSeed ?? '-'} (replay: --seed ${seed} --case ${failure.index}): ${failure.detail}`,
  );
process.exitCode = report.failures.length === 0 && report.cases > 0 ? 0 : 1;
