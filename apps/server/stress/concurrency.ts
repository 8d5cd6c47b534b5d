import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHost, nodeFileStore, type Host } from '@hvm/engine';
import { createApp } from '@hvm/server';
import { Random, caseSeed } from '@hvm/stress-support';

export interface ConcurrencyOptions {
  seed: number;
  clients: number;
  /** Requests each client sends, one after the other. */
  requestsPerClient: number;
  log?: (line: string) => void;
}

export interface ConcurrencyReport {
  seed: number;
  requests: number;
  byOutcome: Record<string, number>;
  created: number;
  deleted: number;
  remaining: number;
  problems: string[];
}

/** Answers a client may get when others hold the VM or removed its checkpoint first. */
const EXPECTED_REFUSALS = new Set([
  '409 OPERATION_IN_PROGRESS',
  '409 INVALID_STATE',
  '404 NOT_FOUND',
  '409 LIMIT_EXCEEDED',
]);

async function openHost(folder: string): Promise<Host> {
  return createHost({
    store: nodeFileStore(folder),
    hostName: 'CONCURRENCY-HOST',
    dataLocation: folder,
    timing: {
      checkpoint: 10,
      apply: 10,
      start: 0,
      save: 0,
      shutDown: 0,
      pause: 0,
      resume: 0,
      reset: 0,
    },
  });
}

/**
 * 50 clients at once on one VM over HTTP: each creates, applies and deletes checkpoints. Every
 * answer must be a success or a clear refusal (409 OPERATION_IN_PROGRESS or INVALID_STATE, 404
 * for a checkpoint another client deleted); afterwards Check Host must be clean, every checkpoint
 * reported created and not reported deleted must be in the tree (and nothing else), before and
 * after a restart of the host.
 */
export async function runConcurrentClients(
  options: ConcurrencyOptions,
): Promise<ConcurrencyReport> {
  const folder = mkdtempSync(join(tmpdir(), 'hvm-concurrency-'));
  const report: ConcurrencyReport = {
    seed: options.seed,
    requests: 0,
    byOutcome: {},
    created: 0,
    deleted: 0,
    remaining: 0,
    problems: [],
  };
  let host = await openHost(folder);
  try {
    const vm = await host.createVm({
      name: 'CONTENDED',
      memoryStartupMB: 1024,
      diskSizeBytes: 1024 ** 3,
      guestImage: null,
    });
    const app = createApp(host, {
      logError: (error) => report.problems.push(`server error: ${String(error)}`),
    });
    const server = app.listen(0, '127.0.0.1');
    await new Promise<void>((resolve) => server.once('listening', () => resolve()));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1/vms/${vm.id}`;
    const created = new Set<string>();
    const deleted = new Set<string>();
    const known: string[] = [];

    const client = async (index: number): Promise<void> => {
      const random = new Random(caseSeed(options.seed, index));
      for (let i = 0; i < options.requestsPerClient; i += 1) {
        const roll = random.next();
        const target =
          known.length > 0 ? random.pick(known) : '00000000-0000-4000-8000-000000000000';
        let method = 'POST';
        let url = `${base}/checkpoints`;
        let what = 'create';
        if (roll >= 0.45 && roll < 0.7) {
          url = `${base}/checkpoints/${target}/actions/apply`;
          what = 'apply';
        } else if (roll >= 0.7) {
          method = 'DELETE';
          url = `${base}/checkpoints/${target}`;
          what = 'delete';
        }
        const response = await fetch(url, {
          method,
          headers: { 'content-type': 'application/json' },
          ...(method === 'POST' ? { body: '{}' } : {}),
        });
        const text = await response.text();
        report.requests += 1;
        let outcome: string;
        if (response.ok) {
          outcome = `${what} ${response.status}`;
          if (what === 'create') {
            const id = (JSON.parse(text) as { id: string }).id;
            created.add(id);
            known.push(id);
          } else if (what === 'delete') deleted.add(target);
        } else {
          let code = 'no error body';
          try {
            code = (JSON.parse(text) as { error: { code: string } }).error.code;
          } catch {
            // Reported below.
          }
          outcome = `${response.status} ${code}`;
          if (!EXPECTED_REFUSALS.has(outcome))
            report.problems.push(`${what} answered ${response.status}: ${text.slice(0, 300)}`);
        }
        report.byOutcome[outcome] = (report.byOutcome[outcome] ?? 0) + 1;
        // Clients come back at random moments, as people clicking would.
        await new Promise((resolve) => setTimeout(resolve, random.int(30)));
      }
    };
    await Promise.all(Array.from({ length: options.clients }, (_, i) => client(i)));
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await host.whenIdle();

    const check = async (when: string): Promise<void> => {
      const report2 = await host.checkHost();
      if (!report2.ok) report.problems.push(`Check Host ${when}: ${JSON.stringify(report2)}`);
      const tree = new Set<string>(host.listCheckpoints(vm.id).checkpoints.map((c) => c.id));
      for (const id of created)
        if (!deleted.has(id) && !tree.has(id))
          report.problems.push(
            `checkpoint ${id} was reported created, never deleted, and is gone ${when}`,
          );
      for (const id of tree)
        if (!created.has(id) || deleted.has(id))
          report.problems.push(
            `checkpoint ${id} is in the tree ${when} though ${created.has(id) ? 'reported deleted' : 'never reported created'}`,
          );
      report.remaining = tree.size;
    };
    await check('after the clients finished');
    await host.close();
    host = await openHost(folder);
    await host.whenIdle();
    await check('after a restart');
    report.created = created.size;
    report.deleted = deleted.size;
  } finally {
    await host.close();
    rmSync(folder, { recursive: true, force: true });
  }
  for (const problem of report.problems)
    options.log?.(`FAIL concurrency (seed ${options.seed}): ${problem}`);
  return report;
}
