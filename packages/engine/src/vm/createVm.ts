import { invalidArgument } from '../errors.js';
import {
  CONFIGURATION_VERSION,
  nowIso,
  persistVm,
  type HostContext,
  type VmRuntime,
} from '../host/hostContext.js';
import { safeFileName } from '../persistence/layout.js';
import { newVmDiskFolder, newVmSnapshotFolder } from '../settings/hostSettings.js';
import { VM_FORMAT_VERSION, type VmFile } from '../persistence/records.js';
import type { CreateVmInput, IntegrationServices, VmId } from '../types.js';
import { validateName } from '../checkpoint/checkpointName.js';
import { emitVmChanged } from './vmView.js';
import { findGuestImage, validateGuestImage } from '../guest/gallery.js';
import { installGuest } from '../guest/installGuest.js';

/** 127 GB, the size Hyper-V Manager's New Virtual Machine wizard offers. */
export const DEFAULT_DISK_SIZE_BYTES = 136_365_211_648;
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

async function freeDiskPath(ctx: HostContext, name: string): Promise<string> {
  const base = safeFileName(name);
  const folder = newVmDiskFolder(ctx);
  for (let n = 1; ; n += 1) {
    const file = `${n === 1 ? base : `${base}_${n}`}.vhdx`;
    const path = folder === '' ? file : `${folder}/${file}`;
    const used = [...ctx.vms.values()].some((vm) => path in vm.file.disks);
    if (!used && !(await ctx.store.exists(path))) return path;
  }
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

/**
 * New Virtual Machine: a configuration and a new dynamic `.vhdx`. The configuration is written
 * first marked "provisioning", so that a crash before the disk exists is cleaned up on load.
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
  const size = input.diskSizeBytes ?? DEFAULT_DISK_SIZE_BYTES;
  if (
    !Number.isSafeInteger(size) ||
    size < 3 * 1024 * 1024 ||
    size % 512 !== 0 ||
    size > 64 * 1024 ** 4
  ) {
    throw invalidArgument(
      'diskSizeBytes',
      'The disk size must be a multiple of 512 bytes between 3 MB and 64 TB.',
    );
  }
  const image = findGuestImage(validateGuestImage(extra.guestImage ?? input.guestImage ?? null));
  const workingSetMB =
    input.guestWorkingSetMB === undefined
      ? undefined
      : validateWorkingSet(input.guestWorkingSetMB, memoryStartupMB);
  const id = ctx.ids.newGuid() as VmId;
  const diskPath = await freeDiskPath(ctx, name);
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
      guestImage: image?.name ?? null,
      ...(workingSetMB === undefined ? {} : { workingSetMB }),
    },
    checkpointType: 'Production',
    automaticCheckpointsEnabled: false,
    snapshotFileLocation: newVmSnapshotFolder(ctx),
    drives: [
      {
        controllerLocation: generation === 2 ? 'SCSI 0:0' : 'IDE 0:0',
        path: diskPath,
        virtualSizeBytes: size,
      },
    ],
    state: 'Off',
    uptimeMs: 0,
    runningSince: null,
    savedState: null,
    parentCheckpointId: null,
    checkpoints: [],
    disks: { [diskPath]: { parent: null } },
    merge: null,
    lifecycle: 'provisioning',
  };
  const vm = newRuntime(file);
  ctx.vms.set(id, vm);
  try {
    await persistVm(ctx, vm);
    const diskFolder = newVmDiskFolder(ctx);
    if (diskFolder !== '') await ctx.store.mkdirp(diskFolder);
    await ctx.disks.createDynamicDisk(ctx.store, diskPath, size);
    if (image !== null) await installGuest(ctx, diskPath, image, generation, size);
    file.lifecycle = 'ready';
    await persistVm(ctx, vm);
  } catch (error) {
    ctx.vms.delete(id);
    throw error;
  }
  emitVmChanged(ctx, vm);
  return vm;
}
