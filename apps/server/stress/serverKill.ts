import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Random, caseSeed } from '@hvm/stress-support';

export interface ServerKillOptions {
  seed: number;
  trials: number;
  log?: (line: string) => void;
}

export interface ServerKillReport {
  seed: number;
  trials: number;
  requestsSent: number;
  problems: string[];
}

/** apps/server/dist/main.js, found from the sources or from the compiled stress folder. */
function serverMain(): string {
  let folder = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(folder, 'dist', 'main.js')) && dirname(folder) !== folder)
    folder = dirname(folder);
  return join(folder, 'dist', 'main.js');
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() =>
        resolve(typeof address === 'object' && address !== null ? address.port : 0),
      );
    });
  });
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function getJson<T>(url: string): Promise<{ status: number; body: T }> {
  const response = await fetch(url, { signal: AbortSignal.timeout(30_000) });
  return { status: response.status, body: (await response.json()) as T };
}

interface Started {
  child: ChildProcess;
  output: () => string;
}

async function startServer(dataDir: string, port: number): Promise<Started> {
  const child = spawn(process.execPath, [serverMain()], {
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      HYPERV_DATA_DIR: dataDir,
      HYPERV_AUTH: 'auto',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`the server exited with ${child.exitCode}: ${output}`);
    try {
      if ((await fetch(`http://127.0.0.1:${port}/api/v1/host`)).ok)
        return { child, output: () => output };
    } catch {
      // Not listening yet.
    }
    await sleep(100);
  }
  child.kill('SIGKILL');
  throw new Error(`the server did not start within 120 s: ${output}`);
}

function kill(started: Started): Promise<void> {
  return new Promise((resolve) => {
    if (started.child.exitCode !== null || started.child.signalCode !== null) {
      resolve();
      return;
    }
    started.child.once('exit', () => resolve());
    started.child.kill('SIGKILL');
  });
}

interface VmRow {
  id: string;
  name: string;
  state: string;
}
interface TreeBody {
  checkpoints: { id: string }[];
}
interface TaskRow {
  status: string;
  name: string;
  error: { message: string } | null;
}

/**
 * The real server (apps/server/dist/main.js on a data folder): each trial sends a few checkpoint
 * requests (create, apply, delete, save) and kills the process with SIGKILL at a random moment,
 * then starts it again and checks that it comes up, finishes its merges and that Check Host
 * (`GET /api/v1/host/check`) is clean.
 */
export async function runServerKillTrials(options: ServerKillOptions): Promise<ServerKillReport> {
  const report: ServerKillReport = { seed: options.seed, trials: 0, requestsSent: 0, problems: [] };
  const dataDir = mkdtempSync(join(tmpdir(), 'hvm-server-kill-'));
  const port = await freePort();
  const api = `http://127.0.0.1:${port}/api/v1`;
  let server = await startServer(dataDir, port);
  try {
    for (let trial = 0; trial < options.trials; trial += 1) {
      const random = new Random(caseSeed(options.seed, trial));
      const vms = (await getJson<VmRow[]>(`${api}/vms`)).body;
      const inFlight: Promise<unknown>[] = [];
      for (let i = 1 + random.int(4); i > 0; i -= 1) {
        const vm = random.pick(vms);
        const tree = (await getJson<TreeBody>(`${api}/vms/${vm.id}/checkpoints`)).body;
        const checkpoint = tree.checkpoints.length > 0 ? random.pick(tree.checkpoints).id : null;
        const roll = random.next();
        const [method, path] =
          roll < 0.4 || checkpoint === null
            ? ['POST', `/vms/${vm.id}/checkpoints`]
            : roll < 0.6
              ? ['POST', `/vms/${vm.id}/checkpoints/${checkpoint}/actions/apply`]
              : roll < 0.85
                ? ['DELETE', `/vms/${vm.id}/checkpoints/${checkpoint}`]
                : ['POST', `/vms/${vm.id}/actions/${vm.state === 'Running' ? 'save' : 'start'}`];
        report.requestsSent += 1;
        inFlight.push(
          fetch(`${api}${path}`, {
            method,
            headers: { 'content-type': 'application/json' },
            ...(method === 'POST' ? { body: '{}' } : {}),
          }).then(
            (r) => r.text(),
            () => undefined,
          ),
        );
      }
      await sleep(random.int(1500));
      await kill(server);
      await Promise.allSettled(inFlight);
      server = await startServer(dataDir, port);
      const deadline = Date.now() + 120_000;
      let tasks = (await getJson<TaskRow[]>(`${api}/tasks`)).body;
      while (tasks.some((t) => t.status === 'Running') && Date.now() < deadline) {
        await sleep(200);
        tasks = (await getJson<TaskRow[]>(`${api}/tasks`)).body;
      }
      for (const task of tasks)
        if (task.status === 'Failed')
          report.problems.push(
            `trial ${trial}: task '${task.name}' failed after restart: ${task.error?.message ?? ''}`,
          );
      const check = await getJson<{ ok: boolean }>(`${api}/host/check`);
      if (check.status !== 200 || !check.body.ok)
        report.problems.push(
          `trial ${trial}: Check Host after the restart: ${JSON.stringify(check.body)}`,
        );
      for (const vm of (await getJson<VmRow[]>(`${api}/vms`)).body) {
        const tree = await getJson<TreeBody>(`${api}/vms/${vm.id}/checkpoints`);
        if (tree.status !== 200)
          report.problems.push(
            `trial ${trial}: the checkpoints of ${vm.name} answer ${tree.status}`,
          );
      }
      report.trials += 1;
    }
  } catch (error) {
    report.problems.push(
      `the server trials stopped: ${error instanceof Error ? error.message : String(error)}`,
    );
  } finally {
    await kill(server);
    rmSync(dataDir, { recursive: true, force: true });
  }
  for (const problem of report.problems)
    options.log?.(`FAIL real server (seed ${options.seed}): ${problem}`);
  return report;
}
