/**
 * Kill trials of the host process while a real guest writes through vhost-user-blk. A child Node
 * process (vhostUserHostDriver.ts) starts tiny-linux under QEMU (TCG) on a VM's chain (a base
 * `.vhdx` and a differencing `.avhdx`), its disk served from that process over vhost-user-blk. The
 * guest's workload appends records to a ledger and fsyncs them, and prints its committed count on
 * each HVM-LEDGER line only after the fsync returned (@hvm/guest-image, `sbin/hvm-ledger`). At a
 * seeded random moment of that writing the host process and its QEMU are SIGKILLed (QEMU outlives
 * its parent otherwise). The chain is then reopened as the host reopens it (the VHDX log
 * replayed) and checked with outside tools, and the guest boots again on it: its HVM-LEDGER-CHECK
 * must find the ledger consistent with at least the records last reported committed before the
 * kill. That boot is the next trial's; the last trial's check boot is killed at once.
 * A SIGKILL leaves the kernel's page cache in place, so what these trials catch is the host
 * acknowledging what it still holds in its own memory (a FLUSH answered before the VHDX's
 * metadata reached the files loses the records: tried by hand, the first check then finds 0 of 4)
 * and VHDX metadata left inconsistent; a power cut is not simulated.
 */
import { Random, caseSeed } from '@hvm/stress-support';
import { nodeFileStore } from '@hvm/engine';
import { vhdxDiskLibrary } from '@hvm/engine/testing';
import type { GuestSerialLine } from '@hvm/guest-image';
import { runTool } from '@hvm/nbd/testing';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { HostEvent } from './vhostUserHostDriver.js';
import { HostProcess } from './vhostUserHostProcess.js';

const MiB = 1024 * 1024;
/** A boot under TCG, up to the ledger check (mke2fs included on the first). */
const BOOT_MS = 150_000;
/** The ledger ticks about once a second; under TCG on a busy machine a tick may take longer. */
const TICK_MS = 60_000;
/** The kill comes this long after the first record committed in the boot, plus up to KILL_SPREAD_MS. */
const KILL_AFTER_MS = 300;
const KILL_SPREAD_MS = 6000;

export interface VhostUserKillOptions {
  folder: string;
  seed: number;
  trials: number;
  /** The pids of the host processes and QEMUs still alive, for the caller to kill if it must. */
  processes: Set<number>;
  log?: (line: string) => void;
}

/** One kill: when it came and what the guest had reported committed before it. */
export interface KillRecord {
  trial: number;
  killedAfterMs: number;
  committedBeforeKill: number;
  /** What the next boot's ledger check found (undefined when it did not pass). */
  committedAfterBoot: number | undefined;
  tornTail: boolean;
}

export interface VhostUserKillReport {
  trials: number;
  kills: KillRecord[];
  problems: string[];
}

type LedgerCheck = Extract<GuestSerialLine, { kind: 'ledger-check' }>;
type Ledger = Extract<GuestSerialLine, { kind: 'ledger' }>;

function ledgerCheckOf(event: HostEvent): LedgerCheck | undefined {
  return event.event === 'serial' && event.line.kind === 'ledger-check' ? event.line : undefined;
}

function ledgerOf(event: HostEvent): Ledger | undefined {
  return event.event === 'serial' && event.line.kind === 'ledger' ? event.line : undefined;
}

export async function runVhostUserKillTrials(
  options: VhostUserKillOptions,
): Promise<VhostUserKillReport> {
  const { folder, processes } = options;
  const store = nodeFileStore(folder);
  await vhdxDiskLibrary.createDynamicDisk(store, 'base.vhdx', 64 * MiB);
  await vhdxDiskLibrary.createDifferencingDisk(store, 'child.avhdx', 'base.vhdx');
  await vhdxDiskLibrary.forget?.(store);
  const report: VhostUserKillReport = { trials: 0, kills: [], problems: [] };
  const job = { folder, disk: 'child.avhdx' };
  const temporaryFolder = join(folder, 'tmp');
  await mkdir(temporaryFolder);

  for (let boot = 1; boot <= options.trials + 1; boot += 1) {
    const host = HostProcess.start(job, processes, temporaryFolder);
    try {
      const started = await host.waitFor((e) => (e.event === 'started' ? e : undefined), BOOT_MS);
      if (started.diskTransport !== 'vhost-user-blk') {
        report.problems.push(`boot ${boot}: the disk was served over ${started.diskTransport}`);
        break;
      }
      const check = await host.waitFor(ledgerCheckOf, BOOT_MS);
      const previous = report.kills.at(-1);
      if (previous !== undefined) {
        const problem = judgeCheck(previous, check);
        options.log?.(
          `boot ${boot} after trial ${previous.trial}'s kill: ${check.ok ? `ledger consistent, ${check.committed} records${check.tornTail ? ', a torn last record cut off' : ''}` : `ledger check failed: ${check.reason}`}`,
        );
        if (problem !== undefined) {
          report.problems.push(problem);
          break;
        }
      }
      if (boot > options.trials) break;

      // The writing phase: from the first record this boot commits, a random while.
      const startCount = check.ok ? check.committed : 0;
      await host.waitFor((e) => {
        const ledger = ledgerOf(e);
        return ledger !== undefined && ledger.committed > startCount ? ledger : undefined;
      }, TICK_MS);
      const random = new Random(caseSeed(options.seed, boot));
      const killedAfterMs = KILL_AFTER_MS + random.int(KILL_SPREAD_MS);
      await new Promise((resolve) => setTimeout(resolve, killedAfterMs));
      const lastReported = host.received
        .map(ledgerOf)
        .filter((l) => l !== undefined)
        .at(-1);
      await host.kill();
      const record: KillRecord = {
        trial: boot,
        killedAfterMs,
        committedBeforeKill: lastReported?.committed ?? 0,
        committedAfterBoot: undefined,
        tornTail: false,
      };
      report.kills.push(record);
      report.trials = boot;
      const toolProblems = await checkChainWithOutsideTools(folder, boot);
      report.problems.push(...toolProblems);
      options.log?.(
        `vhost-user kill trial ${boot}: killed ${killedAfterMs} ms into the writing, ${record.committedBeforeKill} records reported committed, ${toolProblems.length} problems from outside tools`,
      );
      if (toolProblems.length > 0) break;
    } finally {
      await host.kill();
    }
  }
  return report;
}

/** What the boot after a kill must find: a consistent ledger holding every record reported committed. */
function judgeCheck(kill: KillRecord, check: LedgerCheck): string | undefined {
  if (!check.ok)
    return `after trial ${kill.trial}'s kill the guest's ledger check failed: ${check.reason}`;
  kill.committedAfterBoot = check.committed;
  kill.tornTail = check.tornTail;
  if (check.committed < kill.committedBeforeKill)
    return `after trial ${kill.trial}'s kill the ledger holds ${check.committed} records; the guest had reported ${kill.committedBeforeKill} committed (fsynced)`;
  return undefined;
}

/**
 * Reopens the chain for writing and closes it, which replays the `.avhdx`'s VHDX log as the host
 * does when it next opens the chain, then has the outside tools check it: `qemu-img check` the
 * base, `7zz t` and `vhdiinfo` the differencing disk (its parent found through the locator).
 */
async function checkChainWithOutsideTools(folder: string, trial: number): Promise<string[]> {
  const store = nodeFileStore(folder);
  const session = await vhdxDiskLibrary.openReaderWriter?.(store, 'child.avhdx');
  if (session === undefined) throw new Error('the disk library cannot open a chain for writing');
  await session.close();
  await vhdxDiskLibrary.forget?.(store);

  const problems: string[] = [];
  const base = await runTool('qemu-img', ['check', '-f', 'vhdx', join(folder, 'base.vhdx')]);
  if (!base.output.includes('No errors were found'))
    problems.push(`trial ${trial}: qemu-img check of the base: ${base.output}`);
  const chain = await runTool('7zz', ['t', join(folder, 'child.avhdx')]);
  if (!chain.output.includes('Everything is Ok'))
    problems.push(`trial ${trial}: 7zz t of the differencing disk: ${chain.output}`);
  const info = await runTool('vhdiinfo', [join(folder, 'child.avhdx')]);
  if (info.status !== 0)
    problems.push(`trial ${trial}: vhdiinfo of the differencing disk: ${info.output}`);
  return problems;
}
