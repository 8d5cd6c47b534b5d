import { describe, expect, it } from 'vitest';
import { runAbuseCases } from './abuse.js';
import { runApiFuzz } from './apiFuzz.js';
import { runConcurrentClients } from './concurrency.js';
import { runServerKillTrials } from './serverKill.js';

const log = (line: string): void => {
  console.log(line);
};

describe('API stress (short run; `npm run stress` runs thousands of requests)', () => {
  it('every route answers random and malformed requests with a success or a JSON 4xx, in time', async () => {
    const report = await runApiFuzz({
      seed: 20_240_305,
      cases: 300,
      seconds: 120,
      caseBudgetMs: 15_000,
      log,
    });
    expect(report.failures).toEqual([]);
    expect(report.cases).toBe(300);
  }, 180_000);

  it('50 clients creating, applying and deleting checkpoints on one VM at once leave a consistent host', async () => {
    const report = await runConcurrentClients({
      seed: 20_240_305,
      clients: 50,
      requestsPerClient: 3,
      log,
    });
    expect(report.problems).toEqual([]);
    expect(report.byOutcome['409 OPERATION_IN_PROGRESS']).toBeGreaterThan(0);
  }, 180_000);

  it('the real server killed during checkpoint requests restarts with a clean Check Host', async () => {
    const report = await runServerKillTrials({ seed: 20_240_305, trials: 1, log });
    expect(report.problems).toEqual([]);
    expect(report.trials).toBe(1);
  }, 300_000);

  it('forged Hosts, cross-site form POSTs, a connection flood, many event streams and disk reads, and scripts that once froze it leave the server serving', async () => {
    const report = await runAbuseCases({
      seed: 20_240_305,
      requests: 40,
      extraConnections: 20,
      extraStreams: 3,
      diskReads: 12,
      seconds: 120,
      log,
    });
    expect(report.problems).toEqual([]);
    expect(report.byCase['forged Host']).toEqual({ '421 MISDIRECTED_REQUEST': 40 });
    expect(report.byCase['event streams']).toEqual({ '200': 4, '429 TOO_MANY_REQUESTS': 3 });
  }, 180_000);
});
