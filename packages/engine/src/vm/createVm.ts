import { EngineError, ErrorCode, invalidArgument } from '../errors.js';
import {
  CONFIGURATION_VERSION,
  nowIso,
  persistVm,
  type HostContext,
  type VmRuntime,
} from '../host/hostContext.js';
import { newVmSnapshotFolder } from '../settings/hostSettings.js';
import { VM_FORMAT_VERSION, type VmConfiguration, type VmFile } from '../persistence/records.js';
import { findSwitch } from '../network/virtualSwitches.js';
import { applyHardwareUpdate } from './hardwareSettings.js';
import type { CreateVmInput, IntegrationServices, VmId } from '../types.js';
import { validateName } from '../checkpoint/checkpointName.js';
import { emitVmChanged } from './vmView.js';
import { findGuestImage, galleryOf, validateGuestImage } from '../guest/gallery.js';
import { installGuest } from '../guest/installGuest.js';
import { withPaths } from '../disk/virtualHardDisks.js';
import { assertChainFree, newVmDisk, type NewVmDisk } from './newVmDisk.js';
import type { DriveSlot } from '../persistence/records.js';

export { DEFAULT_DISK_SIZE_BYTES } from './newVmDisk.js';
export const MIN_MEMORY_MB = 32;
export const MAX_MEMORY_MB = 1_048_576;

/** Behaviour spec §7.2: every integration service on except Guest services. */
export function defaultIntegrationServices(): IntegrationServices {
  return {
    operatingSystemShutdown: true,
    timeSynchronization: true,
    dataExchange: true,
    heartbeat: true,
    backup: true,
    guestServices: false,
  };
}

export function validateMemory(raw: unknown): number {
  if (
    typeof raw !== 'number' ||
    !Number.isInteger(raw) ||
    raw < MIN_MEMORY_MB ||
    raw > MAX_MEMORY_MB
  ) {
    throw invalidArgument(
      'memoryStartupMB',
      `Startup memory must be a whole number of MB between ${MIN_MEMORY_MB} and ${MAX_MEMORY_MB}.`,
    );
  }
  return raw;
}

/** The guest's working set: 1 MB up to its startup memory. */
export function validateWorkingSet(raw: unknown, memoryStartupMB: number): number {
  if (typeof raw !== 'number' || !Number.isInteger(raw) || raw < 1 || raw > memoryStartupMB) {
    throw invalidArgument(
      'guestWorkingSetMB',
      `The guest working set must be a whole number of MB between 1 and the startup memory (${memoryStartupMB} MB).`,
    );
  }
  return raw;
}

export function newRuntime(file: VmFile): VmRuntime {
  return {
    file,
    checkpointFiles: new Map(),
    state: file.state,
    busy: null,
    progress: null,
    cancelTransition: null,
    mergeTask: null,
    mergeDone: null,
    mergeAbort: null,
    sizes: new Map(),
    writeChain: Promise.resolve(),
    committed: null,
    guest: null,
  };
}

function folderOf(path: string): string {
  const at = path.lastIndexOf('/');
  return at === -1 ? '' : path.slice(0, at);
}

/** The VM's drives and disk registry for its disk choice: none, or one drive on the first slot. */
function drivesOf(disk: NewVmDisk, generation: 1 | 2): Pick<VmFile, 'drives' | 'disks'> {
  if (disk.kind === 'none') return { drives: [], disks: {} };
  const drive: DriveSlot = {
    controllerLocation: generation === 2 ? 'SCSI 0:0' : 'IDE 0:0',
    path: disk.path,
    virtualSizeBytes: disk.sizeBytes,
  };
  const disks: VmFile['disks'] =
    disk.kind === 'new'
      ? { [disk.path]: { parent: null } }
      : Object.fromEntries(disk.chain.map((d) => [d.path, { parent: d.parent }]));
  return { drives: [drive], disks };
}

/**
 * New Virtual Machine with a new dynamic `.vhdx`, an existing disk, or none. With a new disk the
 * configuration is written first marked "provisioning", so that a crash before the disk exists is
 * cleaned up on load (the new file with it). An existing disk or none is one atomic write of a
 * ready configuration: a "provisioning" record would have a crash's clean-up delete the user's
 * own disk file.
 */
export async function createVm(
  ctx: HostContext,
  input: CreateVmInput,
  extra: { guestImage?: string | null; integrationServices?: Partial<IntegrationServices> } = {},
): Promise<VmRuntime> {
  // Hyper-V identifies a VM by its ID: another VM may have the same name (behaviour spec R36).
  const name = validateName('name', input.name, 'virtual machine');
  const generation = input.generation ?? 2;
  if (generation !== 1 && generation !== 2)
    throw invalidArgument('generation', 'Generation must be 1 or 2.');
  const memoryStartupMB = validateMemory(input.memoryStartupMB ?? 1024);
  if (memoryStartupMB % 2 !== 0) {
    // Hyper-V's words for memory that is not a multiple of 2 MB (New-VM in kubernetes/minikube#6973).
    throw invalidArgument(
      'memoryStartupMB',
      `Invalid memory value assigned for '${name}'. Memory values must be properly aligned.`,
    );
  }
  const choices = newVmChoices(ctx, input, name, memoryStartupMB);
  const imageName = extra.guestImage ?? input.guestImage ?? null;
  const disk = await newVmDisk(ctx, { ...input, guestImage: imageName }, name);
  const guestImage = validateGuestImage(imageName, galleryOf(ctx.hypervisor));
  // Only a simulated guest is installed on the new disk; a QEMU guest formats its own.
  const image = findGuestImage(guestImage);
  const workingSetMB =
    input.guestWorkingSetMB === undefined
      ? undefined
      : validateWorkingSet(input.guestWorkingSetMB, memoryStartupMB);
  const id = ctx.ids.newGuid() as VmId;
  const file: VmFile = {
    formatVersion: VM_FORMAT_VERSION,
    id,
    name,
    createdAt: nowIso(ctx),
    configurationVersion: CONFIGURATION_VERSION,
    configuration: {
      generation,
      memoryStartupMB,
      integrationServices: { ...defaultIntegrationServices(), ...extra.integrationServices },
      guestImage,
      ...(workingSetMB === undefined ? {} : { workingSetMB }),
      ...choices,
    },
    checkpointType: 'Production',
    automaticCheckpointsEnabled: false,
    snapshotFileLocation: newVmSnapshotFolder(ctx),
    ...drivesOf(disk, generation),
    state: 'Off',
    uptimeMs: 0,
    runningSince: null,
    savedState: null,
    parentCheckpointId: null,
    checkpoints: [],
    merge: null,
    lifecycle: disk.kind === 'new' ? 'provisioning' : 'ready',
  };
  if (disk.kind === 'new') {
    await withPaths(ctx, [disk.path], () => provisionNewDisk(ctx, file, disk, generation, image));
  } else {
    // No await between this check and the registration: two requests cannot both take the disk.
    if (disk.kind === 'existing') assertChainFree(ctx, disk.chain);
    const vm = newRuntime(file);
    ctx.vms.set(id, vm);
    try {
      await persistVm(ctx, vm);
    } catch (error) {
      ctx.vms.delete(id);
      throw error;
    }
  }
  const vm = ctx.vms.get(id);
  if (vm === undefined)
    throw new EngineError(ErrorCode.NotFound, `The virtual machine '${name}' was not created.`);
  emitVmChanged(ctx, vm);
  return vm;
}

/**
 * The wizard's Assign Memory and Configure Networking choices, checked before anything is
 * written: Dynamic Memory as the Memory page checks it (minimum <= startup <= maximum), and a
 * switch that exists (null: "Not connected"; absent: the Default Switch, as the record says).
 */
function newVmChoices(
  ctx: HostContext,
  input: CreateVmInput,
  name: string,
  memoryStartupMB: number,
): Pick<VmConfiguration, 'dynamicMemoryEnabled' | 'networkSwitchId'> {
  const choices: Pick<VmConfiguration, 'dynamicMemoryEnabled' | 'networkSwitchId'> = {};
  if (input.dynamicMemoryEnabled !== undefined) {
    const probe: VmConfiguration = {
      generation: 2,
      memoryStartupMB,
      integrationServices: defaultIntegrationServices(),
      guestImage: null,
    };
    applyHardwareUpdate(
      probe,
      { dynamicMemoryEnabled: input.dynamicMemoryEnabled },
      'Off',
      name,
      Number.MAX_SAFE_INTEGER,
    );
    if (probe.dynamicMemoryEnabled === true) choices.dynamicMemoryEnabled = true;
  }
  if (input.switchId !== undefined)
    choices.networkSwitchId = input.switchId === null ? null : findSwitch(ctx, input.switchId).id;
  return choices;
}

async function provisionNewDisk(
  ctx: HostContext,
  file: VmFile,
  disk: Extract<NewVmDisk, { kind: 'new' }>,
  generation: 1 | 2,
  image: ReturnType<typeof findGuestImage>,
): Promise<void> {
  const vm = newRuntime(file);
  ctx.vms.set(file.id, vm);
  try {
    await persistVm(ctx, vm);
    const diskFolder = folderOf(disk.path);
    if (diskFolder !== '') await ctx.store.mkdirp(diskFolder);
    await ctx.disks.createDynamicDisk(ctx.store, disk.path, disk.sizeBytes);
    if (image !== null) await installGuest(ctx, disk.path, image, generation, disk.sizeBytes);
    file.lifecycle = 'ready';
    await persistVm(ctx, vm);
  } catch (error) {
    ctx.vms.delete(file.id);
    throw error;
  }
}
