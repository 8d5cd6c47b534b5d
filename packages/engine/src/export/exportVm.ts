import {
  EngineError,
  ErrorCode,
  invalidArgument,
  invalidState,
  operationInProgress,
} from '../errors.js';
import { confinePath, isUnder } from '../storage/storageRoots.js';
import type { ExportInput } from '../disk/diskTypes.js';
import { findNode } from '../checkpoint/checkpointTree.js';
import { refuseWhileMerging, type HostContext, type VmRuntime } from '../host/hostContext.js';
import { reportError } from '../storage/failureReport.js';
import {
  DISK_FOLDER,
  VM_FOLDER,
  baseNameOf,
  checkpointSavedStatePath,
  safeFileName,
  vmConfigPath,
  vmSavedStatePath,
} from '../persistence/layout.js';
import type { DriveSlot, VmConfiguration, VmFile } from '../persistence/records.js';
import { busyLabel } from '../operations/operationCatalog.js';
import { runTask, type TaskProgress } from '../tasks/taskRunner.js';
import type { CheckpointId, Task } from '../types.js';
import { chainOf } from '../vm/vmView.js';
import { isTransitional } from '../vm/vmStates.js';
import { beginExport, endExport, isExportInFlight } from './exportJournal.js';
import { copySparseFile, flattenDisk } from '../disk/diskLibrary.js';
import { OFF_OR_SAVED } from '@hvm/contracts';
import { writeChainExport } from './exportChain.js';
import { liveChain, staticChain, type ExportChain } from './liveExport.js';

/** What an export writes: a configuration as a VM, its disks (flattened) and its saved state. */
interface ExportSource {
  configuration: VmConfiguration;
  drives: DriveSlot[];
  /** The saved state to copy and the uptime it holds; null for an Off configuration. */
  savedState: { path: string; uptimeMs: number } | null;
  createdAt: string;
  /** Export-VM in Hyper-V's layout: the chain and the checkpoints as they are (`exportChain.ts`). */
  chain?: ExportChain;
}

function checkpointSource(vm: VmRuntime, checkpointId: CheckpointId): ExportSource {
  const node = findNode(vm, checkpointId);
  const record = vm.checkpointFiles.get(node.id);
  if (record === undefined) {
    throw new EngineError(
      ErrorCode.CorruptDisk,
      `The configuration of checkpoint '${node.name}' cannot be read; it cannot be exported.`,
      { vmName: vm.file.name, checkpoint: node.name },
    );
  }
  const drives = node.disks.map((path, i) => ({
    controllerLocation: record.controllerLocations[i] ?? `SCSI 0:${i}`,
    path,
    virtualSizeBytes: record.virtualSizes[i] ?? vm.file.drives[i]?.virtualSizeBytes ?? 0,
  }));
  return {
    configuration: record.configuration,
    drives,
    savedState: record.hasSavedState
      ? {
          path: checkpointSavedStatePath(vm.file.snapshotFileLocation, node.id),
          uptimeMs: record.savedUptimeMs,
        }
      : null,
    createdAt: record.createdAt,
  };
}

function nowSource(vm: VmRuntime): ExportSource {
  if (!OFF_OR_SAVED.includes(vm.state)) throw invalidState(vm.file.name, vm.state, 'export');
  return {
    configuration: vm.file.configuration,
    drives: vm.file.drives.map((d) => ({ ...d })),
    savedState:
      vm.state === 'Saved' && vm.file.savedState !== null
        ? { path: vmSavedStatePath(vm.file.id), uptimeMs: vm.file.savedState.uptimeMs }
        : null,
    createdAt: vm.file.createdAt,
  };
}

/** `<path>/<VM name>`, checked: inside the data folder, not in the host's configuration store, not taken. */
async function exportTarget(ctx: HostContext, vm: VmRuntime, input: ExportInput): Promise<string> {
  const folder = await confinePath(ctx, input.path, 'path');
  if (isUnder(folder, VM_FOLDER)) {
    throw invalidArgument(
      'path',
      `The path '${input.path}' is inside the host's '${VM_FOLDER}' folder; choose another folder, for example 'Exports'.`,
    );
  }
  const target = `${folder}/${safeFileName(vm.file.name)}`;
  if (isExportInFlight(ctx, `${target}.partial`))
    throw operationInProgress(vm.file.name, busyLabel('exportVm'));
  if (await ctx.store.exists(target)) {
    const stat = await ctx.store.stat(target);
    if (!stat.isDirectory || (await ctx.store.list(target)).length > 0) {
      throw new EngineError(
        ErrorCode.NameConflict,
        `Failed to export virtual machine '${vm.file.name}': the folder '${target}' already exists and is not empty. Choose another folder or remove the earlier export.`,
        { vmName: vm.file.name, path: target },
      );
    }
  }
  return target;
}

/** One file name per drive: the chain's base disk name, made unique. */
function exportedDiskNames(vm: VmRuntime, drives: DriveSlot[]): string[] {
  const used = new Set<string>();
  return drives.map((drive) => {
    const chain = chainOf(vm.file.disks, drive.path);
    const base = baseNameOf(chain[chain.length - 1] ?? drive.path).replace(
      /_[0-9A-F]{8}-[0-9A-F-]{27}$/i,
      '',
    );
    let name = `${base}.vhdx`;
    for (let n = 2; used.has(name.toLowerCase()); n += 1) name = `${base}_${n}.vhdx`;
    used.add(name.toLowerCase());
    return name;
  });
}

function exportedVmFile(vm: VmRuntime, source: ExportSource, diskNames: string[]): VmFile {
  const drives = source.drives.map((drive, i) => ({
    ...drive,
    path: `${DISK_FOLDER}/${diskNames[i] ?? `disk${i}.vhdx`}`,
  }));
  const disks: VmFile['disks'] = {};
  for (const drive of drives) disks[drive.path] = { parent: null };
  // The replication partner, backup reference points and the host-stop record stay with the source VM.
  const rest: VmFile = { ...vm.file };
  delete rest.replicationPartner;
  delete rest.referencePoints;
  delete rest.runningAtHostStop;
  return {
    ...rest,
    createdAt: source.createdAt,
    configuration: { ...source.configuration },
    snapshotFileLocation: 'Snapshots',
    drives,
    state: source.savedState === null ? 'Off' : 'Saved',
    uptimeMs: 0,
    runningSince: null,
    savedState: source.savedState === null ? null : { uptimeMs: source.savedState.uptimeMs },
    parentCheckpointId: null,
    checkpoints: [],
    disks,
    merge: null,
    lifecycle: 'ready',
  };
}

/**
 * Export (behaviour spec §4.7): writes `<path>/<VM name>/` in Hyper-V's export layout —
 * `Virtual Machines/<VMId>.json` (the configuration as a VM), `Virtual Hard Disks/<disk>.vhdx`
 * (standalone dynamic disks with the full content, flattened from the chains) and the saved
 * state `.vmrs` when there is one. Runs as an "Exporting virtual machine" task holding the VM;
 * everything is written into `<target>.partial`, renamed at the end, and removed on the next load
 * when the host stops first.
 */
async function startExport(
  ctx: HostContext,
  vm: VmRuntime,
  input: ExportInput,
  sourceOf: () => ExportSource,
): Promise<Task> {
  if (vm.busy !== null) {
    if (isTransitional(vm.state)) throw invalidState(vm.file.name, vm.state, 'export');
    throw operationInProgress(vm.file.name, vm.busy);
  }
  refuseWhileMerging(vm);
  const source = sourceOf();
  const target = await exportTarget(ctx, vm, input);
  if (vm.busy !== null) throw operationInProgress(vm.file.name, vm.busy);
  vm.busy = busyLabel('exportVm');
  const partial = `${target}.partial`;
  const { task } = runTask(ctx, {
    kind: 'export',
    vm,
    show: (running) => {
      vm.progress = `${running.name} (${running.percentComplete}%)`;
    },
    work: async (progress) => {
      let journaled = false;
      try {
        await beginExport(ctx, partial);
        journaled = true;
        await writeExport(ctx, vm, source, partial, target, progress);
      } catch (error) {
        // Stopped by the host: the journal keeps the leftovers for the next load's clean-up.
        if (journaled && !ctx.closed) {
          await ctx.store.removeTree(partial).catch(() => undefined);
          await endExport(ctx, partial).catch(() => undefined);
        }
        throw error;
      }
    },
    describeFailure: (error) =>
      `Failed to export virtual machine '${vm.file.name}': ${reportError(ctx, `The export of '${vm.file.name}'`, error)}`,
    ended: () => {
      vm.busy = null;
      vm.progress = null;
    },
  });
  return { ...task };
}

/** Writes the export into `<target>.partial` and renames it to `<target>` at the end. */
async function writeExport(
  ctx: HostContext,
  vm: VmRuntime,
  source: ExportSource,
  partial: string,
  target: string,
  progress: TaskProgress,
): Promise<void> {
  await ctx.store.removeTree(partial);
  await ctx.store.mkdirp(`${partial}/${VM_FOLDER}`);
  await ctx.store.mkdirp(`${partial}/${DISK_FOLDER}`);
  const stopped = () =>
    new EngineError(ErrorCode.Cancelled, 'The host stopped; the export was abandoned.', {
      vmName: vm.file.name,
    });
  if (source.chain !== undefined) {
    const chain = await source.chain.take();
    try {
      await writeChainExport(ctx, chain, partial, progress, stopped);
    } finally {
      await source.chain.release();
    }
    await commitExport(ctx, partial, target, stopped);
    return;
  }
  const names = exportedDiskNames(vm, source.drives);
  for (const [i, drive] of source.drives.entries()) {
    await flattenDisk(ctx.store, drive.path, `${partial}/${DISK_FOLDER}/${names[i] ?? ''}`, {
      signal: ctx.closing.signal,
      onProgress: (fraction) => {
        progress.advance(Math.floor(((i + fraction) / source.drives.length) * 95));
      },
    }).catch((error: unknown) => {
      throw ctx.closed ? stopped() : error;
    });
  }
  if (source.savedState !== null)
    await copySparseFile(
      ctx.store,
      source.savedState.path,
      `${partial}/${vmSavedStatePath(vm.file.id)}`,
    );
  const config = exportedVmFile(vm, source, names);
  await ctx.store.writeFileAtomic(
    `${partial}/${vmConfigPath(vm.file.id)}`,
    new TextEncoder().encode(`${JSON.stringify(config, null, 2)}\n`),
  );
  await commitExport(ctx, partial, target, stopped);
}

/** The commit: the finished export appears under its name at once. */
async function commitExport(
  ctx: HostContext,
  partial: string,
  target: string,
  stopped: () => Error,
): Promise<void> {
  if (ctx.closed) throw stopped();
  if (await ctx.store.exists(target)) await ctx.store.removeTree(target);
  await ctx.store.rename(partial, target);
  await endExport(ctx, partial);
}

/** Export-VMSnapshot: the checkpoint's configuration, disks and saved state as a VM. */
export function exportCheckpoint(
  ctx: HostContext,
  vm: VmRuntime,
  checkpointId: CheckpointId,
  input: ExportInput,
): Promise<Task> {
  return startExport(ctx, vm, input, () => checkpointSource(vm, checkpointId));
}

/**
 * Export-VM: the VM as it is now in Hyper-V's layout, its checkpoints and disk chain as they are
 * (`exportChain.ts`); a Running or Paused VM as a checkpoint froze it (`liveExport.ts`). With
 * `flatten` (Off or Saved only), Now's disks flattened and no checkpoints.
 */
export function exportVm(ctx: HostContext, vm: VmRuntime, input: ExportInput): Promise<Task> {
  return startExport(ctx, vm, input, () => {
    if (input.flatten === true) return nowSource(vm);
    if (vm.state === 'Running' || vm.state === 'Paused') {
      // Live export (`liveExport.ts`): the consistent point is a checkpoint taken as the task starts.
      return {
        configuration: vm.file.configuration,
        drives: vm.file.drives.map((d) => ({ ...d })),
        savedState: null,
        createdAt: vm.file.createdAt,
        chain: liveChain(ctx, vm),
      };
    }
    return { ...nowSource(vm), chain: staticChain(vm) };
  });
}
