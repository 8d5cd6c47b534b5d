import { refreshSizes } from '../checkpoint/checkpointTree.js';
import { validateName } from '../checkpoint/checkpointName.js';
import { copySparseFile, reparentDisk } from '../disk/diskLibrary.js';
import { EngineError, ErrorCode, invalidArgument, operationInProgress } from '../errors.js';
import { persistVm, unlinkQuietly, type HostContext, type VmRuntime } from '../host/hostContext.js';
import { markPendingDisks, settlePendingDisks } from '../persistence/pendingDisks.js';
import {
  VM_FOLDER,
  checkpointConfigPath,
  checkpointSavedStatePath,
  vmConfigPath,
  vmSavedStatePath,
} from '../persistence/layout.js';
import type { CheckpointFile, DiskRegistry, VmFile } from '../persistence/records.js';
import { newVmDiskFolder, newVmSnapshotFolder } from '../settings/hostSettings.js';
import { confinePath, isUnder } from '../storage/storageRoots.js';
import type { CheckpointId, VmId } from '../types.js';
import { newRuntime } from '../vm/createVm.js';
import { filesOfVm } from '../vm/deleteVm.js';
import { emitVmChanged } from '../vm/vmView.js';
import { parentsFirst } from '../export/exportChain.js';
import { checkImportMode, compareSource } from './compareVm.js';
import { readImportSource, sourceSavedStatePath, type ImportSource } from './importSource.js';
import type { ImportMode, ImportVmInput, VmCompatibilityReport } from './importTypes.js';

/**
 * Import-VM / the Import Virtual Machine wizard (see `importTypes.ts` for the three import types).
 * The export is read as a hostile input (`importSource.ts`) and checked first (`compareVm.ts`);
 * with any incompatibility nothing is written.
 *
 * Crash safety. Register writes one file, the VM's configuration, atomically (after copying its
 * saved state, an unreferenced `.vmrs` the next load removes). Restore and copy write the new
 * configuration first marked "provisioning", naming every file they are about to create, then
 * copy, then commit by rewriting it "ready": a load that finds a VM still provisioning removes it
 * and exactly those files (`persistence/loadHost.ts`), so after a kill at any point there is no VM
 * or a complete one, and no file the record does not name.
 */

/** Imports in progress, by VM id and by export folder: a second import of either waits its turn. */
const importing = new WeakMap<HostContext, Set<string>>();

function importsOf(ctx: HostContext): Set<string> {
  let set = importing.get(ctx);
  if (set === undefined) {
    set = new Set();
    importing.set(ctx, set);
  }
  return set;
}

/**
 * Import-VM's error when Compare-VM would report something, as Hyper-V says it ("Unable to import
 * virtual machine due to configuration errors. Please use Compare-VM to repair the virtual
 * machine.", quoted in MicrosoftDocs/microsoft-365-docs#374), followed by the incompatibilities.
 */
export function importIncompatible(report: VmCompatibilityReport): EngineError {
  const list = report.incompatibilities.map((item) => item.message).join(' ');
  return new EngineError(
    ErrorCode.InvalidState,
    `Unable to import virtual machine due to configuration errors. Please use Compare-VM to repair the virtual machine. ${list}`,
    { vmName: report.vm.name, incompatibilities: report.incompatibilities.length },
  );
}

/** A destination folder: inside the data folder, never the host's `Virtual Machines`. */
async function destinationFolder<T extends string | null>(
  ctx: HostContext,
  input: unknown,
  field: string,
  fallback: T,
): Promise<string | T> {
  if (input === undefined) return fallback;
  if (typeof input === 'string' && /^\s*\.[\\/]?\s*$/.test(input)) return '';
  const folder = await confinePath(ctx, input, field);
  if (isUnder(folder, VM_FOLDER))
    throw invalidArgument(
      field,
      `The path '${folder}' is inside the host's '${VM_FOLDER}' folder.`,
    );
  return folder;
}

const join = (folder: string, name: string) => (folder === '' ? name : `${folder}/${name}`);
const nameOf = (path: string) => path.slice(path.lastIndexOf('/') + 1);
const GUID_TAIL = /_[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/i;

/** New names for the copied disks: the `.vhdx` names kept unless taken, `.avhdx` named after their base. */
async function copiedDiskPaths(
  ctx: HostContext,
  disks: DiskRegistry,
  folder: string,
  newIds: boolean,
): Promise<Map<string, string>> {
  const renamed = new Map<string, string>();
  const used = new Set<string>();
  const free = async (stem: string, extension: string) => {
    for (let n = 1; ; n += 1) {
      const path = join(folder, `${n === 1 ? stem : `${stem}_${n}`}${extension}`);
      if (!used.has(path.toLowerCase()) && !(await ctx.store.exists(path))) {
        used.add(path.toLowerCase());
        return path;
      }
    }
  };
  const stems = new Map<string, string>();
  for (const path of parentsFirst(disks)) {
    const name = nameOf(path);
    const dot = name.lastIndexOf('.');
    const stem = dot > 0 ? name.slice(0, dot) : name;
    const extension = dot > 0 ? name.slice(dot) : '';
    const parent = disks[path]?.parent ?? null;
    const baseStem = parent === null ? null : stems.get(parent);
    let target: string;
    if (baseStem !== undefined && baseStem !== null && GUID_TAIL.test(stem)) {
      // `<base disk>_<GUID>.avhdx`, as Hyper-V names differencing disks, after the copied base.
      const guid = newIds ? ctx.ids.newGuid().toUpperCase() : stem.slice(-36);
      target = await free(`${baseStem}_${guid}`, extension);
    } else {
      target = await free(stem, extension);
    }
    renamed.set(path, target);
    const targetName = nameOf(target);
    stems.set(
      path,
      (baseStem ?? targetName.slice(0, targetName.lastIndexOf('.'))).replace(GUID_TAIL, ''),
    );
  }
  return renamed;
}

function withoutHostRecords(file: VmFile): VmFile {
  const rest: VmFile = { ...file };
  delete rest.replicationPartner;
  delete rest.referencePoints;
  delete rest.runningAtHostStop;
  // Imported, copied or cloned: a new VM-Generation ID (guest/vmGenerationId.ts, R32).
  delete rest.vmGenerationId;
  return rest;
}

async function commit(
  ctx: HostContext,
  vm: VmRuntime,
  records: Map<string, CheckpointFile>,
): Promise<VmRuntime> {
  for (const [id, record] of records) vm.checkpointFiles.set(id as CheckpointId, record);
  ctx.vms.set(vm.file.id, vm);
  await refreshSizes(ctx, vm);
  emitVmChanged(ctx, vm);
  return vm;
}

/** Register in place: the files stay in the export folder; only the configuration is written. */
async function registerInPlace(
  ctx: HostContext,
  source: ImportSource,
  name: string,
): Promise<VmRuntime> {
  const file: VmFile = { ...withoutHostRecords(source.file), name, lifecycle: 'ready' };
  if (file.state === 'Saved') {
    // This host keeps a VM's saved state beside its configuration: it is copied there.
    const target = vmSavedStatePath(file.id);
    // Marked as the host's until the configuration names it: a load after a crash removes it.
    await markPendingDisks(ctx, [target]);
    await unlinkQuietly(ctx, target);
    await copySparseFile(ctx.store, sourceSavedStatePath(source), target);
  }
  const vm = newRuntime(file);
  await persistVm(ctx, vm);
  await settlePendingDisks(ctx, [vmSavedStatePath(file.id)]);
  return commit(ctx, vm, source.checkpointFiles);
}

/** Restore and copy: every file copied into the host's (or the given) folders. */
async function copyIn(
  ctx: HostContext,
  source: ImportSource,
  input: ImportVmInput,
  mode: ImportMode,
  target: { id: VmId; name: string },
): Promise<VmRuntime> {
  const diskFolder = await destinationFolder(
    ctx,
    input.vhdDestinationPath,
    'vhdDestinationPath',
    newVmDiskFolder(ctx),
  );
  const vmFolder = await destinationFolder(
    ctx,
    input.virtualMachinePath,
    'virtualMachinePath',
    null,
  );
  const snapshotFolder = await destinationFolder(
    ctx,
    input.snapshotFilePath,
    'snapshotFilePath',
    vmFolder === null ? newVmSnapshotFolder(ctx) : join(vmFolder, 'Snapshots'),
  );
  const newIds = mode === 'copy';
  const renamed = await copiedDiskPaths(ctx, source.file.disks, diskFolder, newIds);
  const to = (path: string) => renamed.get(path) ?? path;
  const ids = new Map<string, CheckpointId>();
  for (const node of source.file.checkpoints)
    ids.set(node.id, (newIds ? ctx.ids.newGuid() : node.id) as CheckpointId);
  const idOf = (id: CheckpointId | null) => (id === null ? null : (ids.get(id) ?? id));
  const disks: DiskRegistry = {};
  for (const [path, entry] of Object.entries(source.file.disks))
    disks[to(path)] = { parent: entry.parent === null ? null : to(entry.parent) };
  const file: VmFile = {
    ...withoutHostRecords(source.file),
    id: target.id,
    name: target.name,
    snapshotFileLocation: snapshotFolder,
    drives: source.file.drives.map((drive) => ({ ...drive, path: to(drive.path) })),
    checkpoints: source.file.checkpoints.map((node) => ({
      ...node,
      id: idOf(node.id) ?? node.id,
      parentId: idOf(node.parentId),
      disks: node.disks.map(to),
    })),
    parentCheckpointId: idOf(source.file.parentCheckpointId),
    disks,
    lifecycle: 'provisioning',
  };
  const vm = newRuntime(file);
  // The record names every file before the first is written (see the crash safety note above).
  await persistVm(ctx, vm);
  try {
    if (diskFolder !== '') await ctx.store.mkdirp(diskFolder);
    await ctx.store.mkdirp(snapshotFolder);
    for (const path of parentsFirst(source.file.disks)) {
      await copySparseFile(ctx.store, path, to(path));
      const parent = source.file.disks[path]?.parent ?? null;
      if (parent !== null) await reparentDisk(ctx.store, to(path), to(parent));
    }
    const records = new Map<string, CheckpointFile>();
    for (const node of source.file.checkpoints) {
      const record = source.checkpointFiles.get(node.id);
      const id = idOf(node.id) ?? node.id;
      if (record === undefined) continue;
      const copied: CheckpointFile = { ...record, id, vmId: target.id };
      await ctx.store.writeFileAtomic(
        checkpointConfigPath(snapshotFolder, id),
        new TextEncoder().encode(`${JSON.stringify(copied, null, 2)}\n`),
      );
      if (record.hasSavedState)
        await copySparseFile(
          ctx.store,
          checkpointSavedStatePath(source.file.snapshotFileLocation, node.id),
          checkpointSavedStatePath(snapshotFolder, id),
        );
      records.set(id, copied);
    }
    if (file.state === 'Saved')
      await copySparseFile(ctx.store, sourceSavedStatePath(source), vmSavedStatePath(target.id));
    file.lifecycle = 'ready';
    await persistVm(ctx, vm);
    return await commit(ctx, vm, records);
  } catch (error) {
    // Failed, not killed: the same clean-up a load would do for a VM still provisioning.
    if (!ctx.closed) {
      for (const path of filesOfVm({ ...file, lifecycle: 'provisioning' }))
        await unlinkQuietly(ctx, path);
      await unlinkQuietly(ctx, vmConfigPath(target.id));
    }
    throw error;
  }
}

/** Import-VM: registers, restores or copies the export at `input.path`; the VM it created. */
export async function importVm(ctx: HostContext, input: ImportVmInput): Promise<VmRuntime> {
  const mode = checkImportMode(input.mode);
  if (
    mode === 'register' &&
    (input.vhdDestinationPath ?? input.virtualMachinePath ?? input.snapshotFilePath) !== undefined
  ) {
    // Import-VM's -Register parameter set has no destination folders (Import-VM reference).
    throw invalidArgument(
      'mode',
      'A virtual machine registered in place keeps its files where they are; destination folders apply to restore and copy.',
    );
  }
  const source = await readImportSource(ctx, input.path);
  const name = validateName('newName', input.newName ?? source.file.name, 'virtual machine');
  const id = (mode === 'copy' ? ctx.ids.newGuid() : source.file.id) as VmId;
  const keys = [`id:${id.toLowerCase()}`, `path:${source.root.toLowerCase()}`];
  const inFlight = importsOf(ctx);
  if (keys.some((key) => inFlight.has(key))) throw operationInProgress(name, 'Import');
  for (const key of keys) inFlight.add(key);
  try {
    const report = await compareSource(ctx, source, mode, { id, name });
    if (report.incompatibilities.length > 0) throw importIncompatible(report);
    return mode === 'register'
      ? await registerInPlace(ctx, source, name)
      : await copyIn(ctx, source, input, mode, { id, name });
  } finally {
    for (const key of keys) inFlight.delete(key);
  }
}
