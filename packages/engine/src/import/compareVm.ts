import { readDiskChain } from '../disk/diskLibrary.js';
import { validateName } from '../checkpoint/checkpointName.js';
import { invalidArgument } from '../errors.js';
import type { HostContext } from '../host/hostContext.js';
import { vmIdSuffix } from '../eventLog/eventCatalog.js';
import { checkpointConfigPath, checkpointSavedStatePath } from '../persistence/layout.js';
import type { VmId } from '../types.js';
import {
  IMPORT_MODES,
  IncompatibilityIds,
  type CompareVmInput,
  type ImportMode,
  type VmCompatibilityReport,
  type VmIncompatibility,
} from './importTypes.js';
import { readImportSource, sourceSavedStatePath, type ImportSource } from './importSource.js';

/**
 * Compare-VM -Path (and the wizard's check before Summary): what in an export keeps it from being
 * imported in a mode. Hyper-V reports each as an incompatibility of a VMCompatibilityReport
 * (Compare-VM reference: "Compares a virtual machine and a virtual machine host for
 * compatibility, returning a compatibility report"), which Import-VM -CompatibilityReport then
 * takes. Checked here: every file the configuration names is there, each differencing disk's
 * parent is the one the configuration names and still carries the identifier (DataWriteGuid) the
 * child was linked to ([MS-VHDX] 2.6.2.6 parent_linkage), no chain loops, no disk is another VM's,
 * and, for register and restore, no VM of this host has the ID (Msvm_VirtualSystemManagementService
 * .ImportVirtualSystem: "clients must ensure that the unique identifier is not already in use").
 * The messages are ours (Hyper-V's texts for these cases are not known); like Hyper-V's they end
 * with the VM's name and ID.
 */
export function checkImportMode(mode: unknown): ImportMode {
  if (mode === undefined) return 'register';
  if (typeof mode === 'string' && (IMPORT_MODES as readonly string[]).includes(mode))
    return mode as ImportMode;
  throw invalidArgument('mode', `The import type must be one of ${IMPORT_MODES.join(', ')}.`);
}

/** How the vhdx library names what went wrong with a chain (`VhdxError.code`). */
function chainProblem(error: unknown): string | null {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : null;
}

async function diskIncompatibilities(
  ctx: HostContext,
  source: ImportSource,
  about: string,
): Promise<VmIncompatibility[]> {
  const found: VmIncompatibility[] = [];
  const { disks } = source.file;
  // Paths are relative to the data folder: they name no host folder.
  const shown = (path: string) => path;
  for (const [path, { parent }] of Object.entries(disks)) {
    if (!(await ctx.store.exists(path))) {
      found.push({
        message: `Could not find the virtual hard disk '${shown(path)}' of '${about}'.`,
        messageId: IncompatibilityIds.VirtualHardDiskMissing,
        source: path,
      });
      continue;
    }
    if (parent !== null && !(await ctx.store.exists(parent))) continue; // reported on its own.
    try {
      const info = await readDiskChain(ctx.store, path);
      const actual = info.parentPath;
      if ((actual ?? null)?.toLowerCase() !== parent?.toLowerCase()) {
        found.push({
          message: `The virtual hard disk '${shown(path)}' of '${about}' names the parent '${actual === null ? 'none' : shown(actual)}', not '${parent === null ? 'none' : shown(parent)}'.`,
          messageId: IncompatibilityIds.ParentDiskMissing,
          source: path,
        });
      }
    } catch (error) {
      const problem = chainProblem(error);
      const [messageId, why] =
        problem === 'PARENT_MISMATCH'
          ? [
              IncompatibilityIds.ParentIdentifierMismatch,
              `its parent '${parent === null ? '' : shown(parent)}' has been modified: the parent identifier does not match the one the differencing disk was created against`,
            ]
          : problem === 'PARENT_MISSING'
            ? [IncompatibilityIds.ParentDiskMissing, 'its parent disk cannot be found']
            : problem === 'CHAIN_CYCLE'
              ? [IncompatibilityIds.DiskChainCycle, 'its chain of parents loops back on itself']
              : [IncompatibilityIds.DiskUnreadable, 'the file is not a valid virtual hard disk'];
      found.push({
        message: `The virtual hard disk '${shown(path)}' of '${about}' cannot be used: ${why}.`,
        messageId,
        source: path,
      });
    }
  }
  // A registry loop (a hostile configuration) is refused even where the files would not loop.
  for (const start of Object.keys(disks)) {
    let at: string | null = start;
    for (let steps = 0; at !== null; steps += 1) {
      at = disks[at]?.parent ?? null;
      if (steps > Object.keys(disks).length) {
        found.push({
          message: `The virtual hard disks of '${about}' form a chain that loops back on itself.`,
          messageId: IncompatibilityIds.DiskChainCycle,
          source: start,
        });
        break;
      }
    }
  }
  for (const vm of ctx.vms.values()) {
    for (const path of Object.keys(disks)) {
      if (Object.keys(vm.file.disks).some((own) => own.toLowerCase() === path.toLowerCase())) {
        found.push({
          message: `The virtual hard disk '${shown(path)}' is in use by the virtual machine '${vm.file.name}'.`,
          messageId: IncompatibilityIds.DiskInUse,
          source: path,
        });
      }
    }
  }
  return found;
}

async function fileIncompatibilities(
  ctx: HostContext,
  source: ImportSource,
  about: string,
): Promise<VmIncompatibility[]> {
  const found: VmIncompatibility[] = [];
  const folder = source.file.snapshotFileLocation;
  for (const node of source.file.checkpoints) {
    const record = source.checkpointFiles.get(node.id);
    if (record === undefined) {
      found.push({
        message: `The configuration of checkpoint '${node.name}' of '${about}' was not found or cannot be read.`,
        messageId: IncompatibilityIds.CheckpointConfigurationMissing,
        source: checkpointConfigPath(folder, node.id),
      });
    } else if (
      record.hasSavedState &&
      !(await ctx.store.exists(checkpointSavedStatePath(folder, node.id)))
    ) {
      found.push({
        message: `The saved state of checkpoint '${node.name}' of '${about}' was not found.`,
        messageId: IncompatibilityIds.SavedStateMissing,
        source: checkpointSavedStatePath(folder, node.id),
      });
    }
  }
  if (source.file.state === 'Saved' && !(await ctx.store.exists(sourceSavedStatePath(source)))) {
    found.push({
      message: `The saved state of '${about}' was not found.`,
      messageId: IncompatibilityIds.SavedStateMissing,
      source: sourceSavedStatePath(source),
    });
  }
  return found;
}

/** The report for an export already read; `newId`/`newName` when a copy gets them. */
export async function compareSource(
  ctx: HostContext,
  source: ImportSource,
  mode: ImportMode,
  target: { id: VmId; name: string },
): Promise<VmCompatibilityReport> {
  const about = target.name;
  const found = [
    ...(await fileIncompatibilities(ctx, source, about)),
    ...(await diskIncompatibilities(ctx, source, about)),
  ];
  if (mode !== 'copy' && ctx.vms.has(target.id)) {
    found.push({
      message: `A virtual machine with the ID ${target.id.toUpperCase()} already exists on this host: import '${target.name}' as a copy with a new ID.`,
      messageId: IncompatibilityIds.VmIdExists,
      source: 'Id',
    });
  }
  // A VM of the same name is no incompatibility: Hyper-V knows VMs by ID and allows several of one
  // name (behaviour spec R36), so Import-VM -Copy keeps the name and gives a new ID.
  return {
    mode,
    path: source.configPath,
    vm: {
      id: target.id,
      name: target.name,
      checkpointCount: source.file.checkpoints.length,
      state: source.file.state === 'Saved' ? 'Saved' : 'Off',
    },
    incompatibilities: found.map((item) => ({
      ...item,
      message: `${item.message} ${vmIdSuffix(target.id)}`,
    })),
  };
}

/** Compare-VM -Path [-Register | -Copy [-GenerateNewId]]. */
export async function compareVm(
  ctx: HostContext,
  input: CompareVmInput,
): Promise<VmCompatibilityReport> {
  const mode = checkImportMode(input.mode);
  const source = await readImportSource(ctx, input.path);
  const id = (mode === 'copy' ? ctx.ids.newGuid() : source.file.id) as VmId;
  const name = validateName('newName', input.newName ?? source.file.name, 'virtual machine');
  return compareSource(ctx, source, mode, { id, name });
}
