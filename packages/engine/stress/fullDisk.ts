import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runDriver } from './crashHarness.js';
import { Random, caseSeed } from '@hvm/stress-support';
import { buildTemplate, copyTemplate, operations, type Operation } from './scenario.js';
import { verifyFolder } from './verify.js';

export interface FullDiskReport {
  /** Why the trials did not run (not root, mount refused); null when they ran. */
  skipped: string | null;
  trials: number;
  failedCleanly: number;
  succeeded: number;
  errors: Record<string, number>;
  failures: string[];
}

function mountTmpfs(folder: string, megabytes: number): string | null {
  if (process.getuid?.() !== 0) return 'not running as root: cannot mount a small tmpfs';
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${megabytes}m`, 'tmpfs', folder], {
      stdio: 'pipe',
    });
    return null;
  } catch (error) {
    return `mount -t tmpfs refused: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`;
  }
}

/** Fills the file system at `folder` until `leave` bytes are free. */
function fill(folder: string, leave: number): string {
  const stats = statfsSync(folder);
  const free = stats.bavail * stats.bsize;
  const path = join(folder, 'filler.bin');
  const chunk = Buffer.alloc(1024 * 1024, 0x5a);
  let left = Math.max(0, free - leave);
  const parts: Buffer[] = [];
  while (left > 0) {
    const n = Math.min(left, chunk.length);
    parts.push(n === chunk.length ? chunk : chunk.subarray(0, n));
    left -= n;
  }
  writeFileSync(path, Buffer.concat(parts));
  return path;
}

/**
 * A real full disk: each trial copies the prepared data folder onto a small tmpfs, fills it to a
 * random few hundred KiB, runs one operation and expects success or a clean failure; the filler
 * then goes, Check Host of the still-running host must be clean, and the restart check
 * (`verifyFolder`) must pass. Needs root (CI runs as root); otherwise it says why it skipped.
 */
export async function runFullDiskTrials(options: {
  seed: number;
  trials: number;
  /** Only operations of this kind (e.g. `delete-vm`). */
  kind?: Operation['kind'];
  log?: (line: string) => void;
}): Promise<FullDiskReport> {
  const log = options.log ?? (() => undefined);
  const report: FullDiskReport = {
    skipped: null,
    trials: 0,
    failedCleanly: 0,
    succeeded: 0,
    errors: {},
    failures: [],
  };
  const scratch = mkdtempSync(join(tmpdir(), 'hvm-full-'));
  const mount = join(scratch, 'small-disk');
  mkdirSync(mount);
  const refused = mountTmpfs(mount, 48);
  if (refused !== null) {
    rmSync(scratch, { recursive: true, force: true });
    report.skipped = refused;
    return report;
  }
  try {
    const template = await buildTemplate(join(scratch, 'template'));
    const ops: Operation[] = operations(template).filter(
      (op) => options.kind === undefined || op.kind === options.kind,
    );
    for (let trial = 0; trial < options.trials; trial += 1) {
      const random = new Random(caseSeed(options.seed, trial));
      const op = random.pick(ops);
      const folder = join(mount, `trial-${trial}`);
      copyTemplate(template, folder);
      const filler = fill(mount, random.int(192 * 1024));
      const exit = await runDriver({
        folder,
        vmA: template.vmA,
        vmB: template.vmB,
        op,
        plan: null,
        filler,
      });
      rmSync(filler, { force: true });
      const problems: string[] = [];
      if (exit.result === null)
        problems.push(
          `the operation crashed the process: ${exit.signal ?? exit.code ?? ''} ${exit.stderr}`,
        );
      else if (exit.result.ok) report.succeeded += 1;
      else {
        report.failedCleanly += 1;
        const code = exit.result.code ?? 'UNKNOWN';
        report.errors[code] = (report.errors[code] ?? 0) + 1;
        if (exit.result.checkAfterFault !== null && !exit.result.checkAfterFault.ok)
          problems.push(`Check Host once space was freed: ${exit.result.checkAfterFault.problems}`);
      }
      problems.push(...(await verifyFolder(folder, template, op)).problems);
      report.trials += 1;
      if (problems.length > 0) {
        const line = `FAIL full-disk trial ${trial} (seed ${options.seed}): ${op.kind}\n  ${problems.join('\n  ')}`;
        report.failures.push(line);
        log(line);
      }
      rmSync(folder, { recursive: true, force: true });
    }
  } finally {
    try {
      execFileSync('umount', [mount], { stdio: 'pipe' });
    } catch {
      execFileSync('umount', ['-l', mount], { stdio: 'pipe' });
    }
    rmSync(scratch, { recursive: true, force: true });
  }
  return report;
}
