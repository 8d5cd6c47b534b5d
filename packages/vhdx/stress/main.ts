import { parseArgs } from 'node:util';
import { runReaderFuzz } from './readerFuzz.js';

/** `npm run stress -w @hvm/vhdx -- --cases 100000 --seconds 120 --seed 7` */
const { values } = parseArgs({
  options: {
    cases: { type: 'string', default: '100000' },
    seconds: { type: 'string', default: '300' },
    seed: { type: 'string' },
    case: { type: 'string' },
    'case-budget-ms': { type: 'string', default: '5000' },
  },
});
const seed = values.seed === undefined ? Math.floor(Math.random() * 2 ** 31) : Number(values.seed);
const started = Date.now();
console.log(`VHDX reader fuzz: seed ${seed} (replay a case with --seed ${seed} --case N)`);
const report = await runReaderFuzz({
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
    `FAILURE ${failure.kind} case ${failure.index} case seed ${failure.caseSeed ?? '-'} (run seed ${seed}): ${failure.detail}`,
  );
process.exitCode = report.failures.length === 0 && report.cases > 0 ? 0 : 1;
