import { parseArgs } from 'node:util';
import { runAbuseCases } from './abuse.js';
import { runApiFuzz } from './apiFuzz.js';
import { runConcurrentClients } from './concurrency.js';
import { runServerKillTrials } from './serverKill.js';

/** `npm run stress -w @hvm/server -- --cases 3000 --seconds 90 --kill-trials 5 --abuse-requests 400 [--seed 7 [--case 12]]` */
const { values } = parseArgs({
  options: {
    cases: { type: 'string', default: '3000' },
    seconds: { type: 'string', default: '90' },
    'case-budget-ms': { type: 'string', default: '15000' },
    clients: { type: 'string', default: '50' },
    'kill-trials': { type: 'string', default: '5' },
    'abuse-requests': { type: 'string', default: '400' },
    seed: { type: 'string' },
    case: { type: 'string' },
  },
});
const seed = values.seed === undefined ? Math.floor(Math.random() * 2 ** 31) : Number(values.seed);
const log = (line: string): void => {
  console.log(line);
};
let failed = false;

console.log(`API fuzz: seed ${seed} (replay one case with --seed ${seed} --case N)`);
let started = Date.now();
const fuzz = await runApiFuzz({
  seed,
  cases: Number(values.cases),
  seconds: Number(values.seconds),
  caseBudgetMs: Number(values['case-budget-ms']),
  ...(values.case === undefined ? {} : { only: Number(values.case) }),
  log,
});
console.log(
  `${fuzz.cases} requests over ${fuzz.routes} routes in ${((Date.now() - started) / 1000).toFixed(1)} s; answers ${JSON.stringify(fuzz.byStatus)}; ${fuzz.failures.length} failures`,
);
failed ||= fuzz.failures.length > 0 || fuzz.cases === 0;

if (values.case === undefined) {
  started = Date.now();
  const clients = await runConcurrentClients({
    seed,
    clients: Number(values.clients),
    requestsPerClient: 12,
    log,
  });
  console.log(
    `${values.clients} concurrent clients on one VM: ${clients.requests} requests in ${((Date.now() - started) / 1000).toFixed(1)} s, ` +
      `${JSON.stringify(clients.byOutcome)}; ${clients.created} created, ${clients.deleted} deleted, ${clients.remaining} remain; ${clients.problems.length} problems`,
  );
  failed ||= clients.problems.length > 0;

  started = Date.now();
  const kills = await runServerKillTrials({ seed, trials: Number(values['kill-trials']), log });
  console.log(
    `Real server killed (SIGKILL) ${kills.trials} times with ${kills.requestsSent} requests in flight, in ${((Date.now() - started) / 1000).toFixed(1)} s; ${kills.problems.length} problems`,
  );
  failed ||= kills.problems.length > 0 || kills.trials === 0;

  started = Date.now();
  const abuse = await runAbuseCases({
    seed,
    requests: Number(values['abuse-requests']),
    extraConnections: 200,
    extraStreams: 20,
    diskReads: 60,
    seconds: 120,
    log,
  });
  console.log(
    `Abuse cases (forged Host, cross-site POST, connection flood, event streams, disk reads) in ${((Date.now() - started) / 1000).toFixed(1)} s; ${abuse.problems.length} problems`,
  );
  for (const problem of abuse.problems) console.log(`  ${problem}`);
  failed ||= abuse.problems.length > 0;
}
process.exitCode = failed ? 1 : 0;
