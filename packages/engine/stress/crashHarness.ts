import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DriverJob, DriverResult } from './driver.js';
import type { FaultKind, FaultPlan } from './faultStore.js';
import { Random, caseSeed } from '@hvm/stress-support';
import {
  buildTemplate,
  copyTemplate,
  operations,
  type Operation,
  type Template,
} from './scenario.js';
import { verifyFolder } from './verify.js';

export type TrialMode = 'kill at I/O call' | 'kill after delay' | 'ENOSPC' | 'EROFS';

export interface CrashOptions {
  seed: number;
  trials: number;
  seconds: number;
  /** Only this trial (a replay). */
  only?: number;
  /** Only operations of this kind (e.g. `delete-vm`); a replay needs the same. */
  kind?: Operation['kind'];
  /** Where failing trials' folders are kept. */
  keepFailuresIn?: string;
  log?: (line: string) => void;
}

export interface TrialFailure {
  trial: number;
  op: Operation;
  mode: TrialMode;
  plan: FaultPlan | null;
  delayMs: number | null;
  problems: string[];
  keptAt: string | null;
}

export interface CrashReport {
  seed: number;
  trials: number;
  byMode: Record<TrialMode, number>;
  /** Trials whose operation survived the restart (the rest rolled back). */
  committed: number;
  rolledBack: number;
  /** Errors the operation reported to its caller on a full or read-only disk. */
  faultErrors: Record<string, number>;
  failures: TrialFailure[];
}

const here = dirname(fileURLToPath(import.meta.url));

/** `node driver.js` when compiled; from the TypeScript sources (vitest) through tsx. */
function driverCommand(): string[] {
  if (import.meta.url.endsWith('.ts')) return ['--import', 'tsx', join(here, 'driver.ts')];
  return [join(here, 'driver.js')];
}

interface DriverExit {
  result: DriverResult | null;
  signal: NodeJS.Signals | null;
  code: number | null;
  stderr: string;
  ms: number;
}

/** Runs one driver; `killAfterMs` kills it from outside (SIGKILL) after that long. */
export function runDriver(job: DriverJob, killAfterMs: number | null = null): Promise<DriverExit> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...driverCommand(), JSON.stringify(job)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer =
      killAfterMs === null ? null : setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    const hang = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (timer !== null) clearTimeout(timer);
      clearTimeout(hang);
      const last = stdout.trim().split('\n').at(-1) ?? '';
      let result: DriverResult | null;
      try {
        result = last.startsWith('{') ? (JSON.parse(last) as DriverResult) : null;
      } catch {
        result = null;
      }
      resolve({ result, signal, code, stderr, ms: Date.now() - started });
    });
  });
}

interface Profile {
  calls: number;
  ms: number;
}

/** Runs each operation once without faults: how many I/O calls it makes, how long it takes. */
async function profile(template: Template, scratch: string, op: Operation): Promise<Profile> {
  const folder = join(scratch, 'profile');
  rmSync(folder, { recursive: true, force: true });
  copyTemplate(template, folder);
  const exit = await runDriver({ folder, vmA: template.vmA, vmB: template.vmB, op, plan: null });
  rmSync(folder, { recursive: true, force: true });
  if (!exit.result?.ok)
    throw new Error(`${op.kind} fails without any fault: ${exit.result?.message ?? exit.stderr}`);
  return { calls: exit.result.calls, ms: exit.ms };
}

function pickMode(random: Random): TrialMode {
  const roll = random.next();
  if (roll < 0.6) return 'kill at I/O call';
  if (roll < 0.75) return 'kill after delay';
  if (roll < 0.9) return 'ENOSPC';
  return 'EROFS';
}

const label = (op: Operation): string =>
  'checkpoint' in op ? `${op.kind} ${op.checkpoint.slice(0, 8)}` : op.kind;

/**
 * Crash safety, tested: each trial copies a prepared data folder, runs one operation in a
 * driver process and kills it (SIGKILL at a random changing I/O call, or after a random delay) or
 * makes the disk full or read-only at a random call; then restarts the host on the folder and
 * checks it (see `verifyFolder`). Trials are seeded: trial i of seed s is always the same.
 */
export async function runCrashTrials(options: CrashOptions): Promise<CrashReport> {
  const log = options.log ?? (() => undefined);
  const scratch = mkdtempSync(join(tmpdir(), 'hvm-crash-'));
  const report: CrashReport = {
    seed: options.seed,
    trials: 0,
    byMode: { 'kill at I/O call': 0, 'kill after delay': 0, ENOSPC: 0, EROFS: 0 },
    committed: 0,
    rolledBack: 0,
    faultErrors: {},
    failures: [],
  };
  try {
    const template = await buildTemplate(join(scratch, 'template'));
    const ops = operations(template).filter(
      (op) => options.kind === undefined || op.kind === options.kind,
    );
    if (ops.length === 0) throw new Error(`no operation of kind ${options.kind ?? ''}`);
    const profiles = new Map<Operation, Profile>();
    const deadline = Date.now() + options.seconds * 1000;
    const first = options.only ?? 0;
    const last = options.only ?? options.trials - 1;
    for (let trial = first; trial <= last && Date.now() < deadline; trial += 1) {
      const random = new Random(caseSeed(options.seed, trial));
      const op = random.pick(ops);
      let known = profiles.get(op);
      if (known === undefined) {
        known = await profile(template, scratch, op);
        profiles.set(op, known);
      }
      const mode = pickMode(random);
      const kind: FaultKind = mode === 'ENOSPC' || mode === 'EROFS' ? mode : 'kill';
      const plan: FaultPlan | null =
        mode === 'kill after delay'
          ? null
          : {
              kind,
              at: 1 + random.int(known.calls),
              when: random.pick(['before', 'after', 'torn'] as const),
            };
      const delayMs = mode === 'kill after delay' ? random.int(known.ms) : null;
      const folder = join(scratch, `trial-${trial}`);
      copyTemplate(template, folder);
      const job: DriverJob = { folder, vmA: template.vmA, vmB: template.vmB, op, plan };
      const exit = await runDriver(job, delayMs);
      const problems: string[] = [];
      if (kind === 'kill') {
        if (exit.signal !== 'SIGKILL' && exit.result?.ok !== true)
          problems.push(
            `driver ended ${exit.signal ?? `with code ${exit.code ?? '?'}`}: ${exit.result?.message ?? exit.stderr}`,
          );
      } else if (exit.result === null) {
        problems.push(
          `driver crashed on ${kind} instead of failing the operation: ${exit.signal ?? exit.code ?? ''} ${exit.stderr}`,
        );
      } else {
        const code = exit.result.ok
          ? 'none (operation succeeded)'
          : (exit.result.code ?? 'UNKNOWN');
        report.faultErrors[code] = (report.faultErrors[code] ?? 0) + 1;
        // A read-only folder cannot even take back what the failed operation wrote: those files are
        // orphans until the next start removes them (checked below). A full disk must leave none.
        if (
          exit.result.checkAfterFault !== null &&
          !exit.result.checkAfterFault.ok &&
          kind === 'ENOSPC'
        )
          problems.push(
            `Check Host in the running host after ${kind}: ${exit.result.checkAfterFault.problems}`,
          );
      }
      const verdict = await verifyFolder(folder, template, op);
      problems.push(...verdict.problems);
      report.trials += 1;
      report.byMode[mode] += 1;
      if (verdict.committed === true) report.committed += 1;
      else if (verdict.committed === false) report.rolledBack += 1;
      if (problems.length > 0) {
        let keptAt: string | null = null;
        if (options.keepFailuresIn !== undefined) {
          keptAt = join(options.keepFailuresIn, `seed-${options.seed}-trial-${trial}`);
          mkdirSync(options.keepFailuresIn, { recursive: true });
          rmSync(keptAt, { recursive: true, force: true });
          cpSync(folder, keptAt, { recursive: true });
        }
        report.failures.push({ trial, op, mode, plan, delayMs, problems, keptAt });
        log(
          `FAIL trial ${trial} (replay: --seed ${options.seed} --trial ${trial}${options.kind === undefined ? '' : ` --op ${options.kind}`}): ${label(op)}, ${mode}` +
            `${plan === null ? ` after ${delayMs ?? 0} ms` : ` at call ${plan.at}/${known.calls} (${plan.when})`}\n  ${problems.join('\n  ')}`,
        );
      }
      rmSync(folder, { recursive: true, force: true });
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  return report;
}
