import { rmSync } from 'node:fs';
import { createHost, nodeFileStore, zeroTiming, type Host, type VmId } from '@hvm/engine';
import { faultStore, type FaultPlan } from './faultStore.js';
import { liveWritingLibrary } from './liveWrites.js';
import { EXPORT_FOLDER, IMPORTED_COPY, IMPORT_SOURCE, type Operation } from './scenario.js';

/** What the harness hands a driver (as one JSON argument). */
export interface DriverJob {
  folder: string;
  vmA: VmId;
  vmB: VmId;
  op: Operation;
  plan: FaultPlan | null;
  /** A file filling a real small file system: deleted when the operation fails, before the in-process check. */
  filler?: string;
}

/** What a driver that was not killed prints as its last line. */
export interface DriverResult {
  ok: boolean;
  code: string | null;
  message: string | null;
  /** Changing I/O calls made, host start-up included. */
  calls: number;
  /** Failed background tasks (merges, exports). */
  failedTasks: string[];
  /** After a full-disk or read-only fault: Check Host of the same, still running host once the disk is healthy again. */
  checkAfterFault: { ok: boolean; problems: string } | null;
}

export async function runOperation(host: Host, job: DriverJob): Promise<void> {
  const { op, vmA, vmB } = job;
  switch (op.kind) {
    case 'create':
      await host.createCheckpoint(vmA);
      return;
    case 'apply':
      await host.applyCheckpoint(vmA, op.checkpoint);
      return;
    case 'delete':
    case 'merge':
      await host.deleteCheckpoint(vmA, op.checkpoint);
      return;
    case 'live-merge':
      await host.changeVmState(vmA, 'start');
      await host.deleteCheckpoint(vmA, op.checkpoint);
      return;
    case 'delete-subtree':
      await host.deleteCheckpointSubtree(vmA, op.checkpoint);
      return;
    case 'export': {
      const task = await host.exportCheckpoint(vmA, op.checkpoint, { path: EXPORT_FOLDER });
      await host.whenIdle();
      const done = host.getTask(task.id);
      if (done.status === 'Failed')
        throw Object.assign(new Error(done.error?.message ?? 'export failed'), {
          code: done.error?.code,
        });
      return;
    }
    case 'save':
      await host.changeVmState(vmB, 'start');
      await host.changeVmState(vmB, 'save');
      return;
    case 'checkpoint-running':
      await host.changeVmState(vmB, 'start');
      await host.createCheckpoint(vmB);
      await host.changeVmState(vmB, 'save');
      return;
    case 'delete-vm':
      await host.deleteVm(vmA);
      return;
    case 'import-copy':
      await host.importVm({ path: IMPORT_SOURCE, mode: 'copy', newName: IMPORTED_COPY });
      return;
  }
}

function codeOf(error: unknown): string {
  return typeof error === 'object' && error !== null && 'code' in error
    ? String(error.code)
    : 'UNKNOWN';
}

async function main(): Promise<void> {
  const job = JSON.parse(process.argv[2] ?? '{}') as DriverJob;
  const store = faultStore(nodeFileStore(job.folder), job.plan);
  const result: DriverResult = {
    ok: true,
    code: null,
    message: null,
    calls: 0,
    failedTasks: [],
    checkAfterFault: null,
  };
  let host: Host | null = null;
  try {
    host = await createHost({
      store,
      timing: zeroTiming,
      hostName: 'STRESS-HOST',
      dataLocation: job.folder,
      ...(job.op.kind === 'live-merge' ? { disks: liveWritingLibrary() } : {}),
    });
    await runOperation(host, job);
    await host.whenIdle();
  } catch (error) {
    result.ok = false;
    result.code = codeOf(error);
    result.message = error instanceof Error ? error.message : String(error);
  }
  result.calls = store.calls;
  if (host !== null) {
    await host.whenIdle();
    result.failedTasks = host
      .listTasks()
      .filter((t) => t.status === 'Failed')
      .map((t) => `${t.name}: ${t.error?.code ?? ''} ${t.error?.message ?? ''}`);
    if (store.fired || (job.filler !== undefined && !result.ok)) {
      store.heal();
      if (job.filler !== undefined) rmSync(job.filler, { force: true });
      const report = await host.checkHost();
      result.checkAfterFault = {
        ok: report.ok,
        problems: JSON.stringify({
          orphanedDisks: report.orphanedDisks,
          brokenChains: report.brokenChains,
          missingFiles: report.missingFiles,
        }),
      };
    }
    await host.close().catch(() => undefined);
  }
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

await main();
