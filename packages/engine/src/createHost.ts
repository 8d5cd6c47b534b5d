import { availableParallelism, hostname, totalmem } from 'node:os';
import type { FileStore } from '@hvm/vhdx';
import { applyCheckpoint, revertVm } from './checkpoint/applyCheckpoint.js';
import {
  checkpointTreeOf,
  findNode,
  refreshSizes,
  toCheckpoint,
} from './checkpoint/checkpointTree.js';
import { checkpointSettingsOf } from './checkpoint/checkpointSettings.js';
import { createCheckpoint } from './checkpoint/createCheckpoint.js';
import {
  convertToReferencePoint,
  createRecoveryCheckpoint,
  listReferencePoints,
  readCheckpointDisk,
} from './checkpoint/backupCheckpoint.js';
import { galleryOf, toGuestImageInfo } from './guest/gallery.js';
import { getGuestConsole } from './guest/guestConsole.js';
import { deleteCheckpoints } from './checkpoint/deleteCheckpoint.js';
import { removeOrphanDisks, startMerges } from './checkpoint/diskMerge.js';
import { renameCheckpoint } from './checkpoint/renameCheckpoint.js';
import { EngineError, ErrorCode } from './errors.js';
import type { Host } from './host/host.js';
import type { HostHypervisor } from './hypervisor/hypervisor.js';
import type { QemuGuestImageSource } from './hypervisor/qemuVm.js';
import { connectSerialConsole, typeIntoSerialConsole } from './hypervisor/qemuSerialConsole.js';
import { loadVms } from './persistence/loadHost.js';
import { DEFAULT_SNAPSHOT_FOLDER, DISK_FOLDER, VM_FOLDER } from './persistence/layout.js';
import {
  defaultTiming,
  randomIds,
  systemClock,
  type Clock,
  type HostErrorLog,
  type IdSource,
  type Timing,
} from './ports.js';
import { vhdxDiskLibrary, type DiskLibrary } from './disk/diskLibrary.js';
import type { TaskId, VmId } from './types.js';
import { createVm } from './vm/createVm.js';
import { deleteVm, finishDeletion } from './vm/deleteVm.js';
import { deleteSavedState } from './vm/deleteSavedState.js';
import { setGuestSimulation } from './guest/guestSimulation.js';
import { startVmsWithHost } from './vm/startAction.js';
import { stopRunningVmsAtClose } from './vm/stopAction.js';
import { updateVmSettings } from './vm/updateVmSettings.js';
import {
  addHardDiskDrive,
  removeHardDiskDrive,
  setHardDiskDrivePath,
} from './vm/hardDiskDrives.js';
import { changeVmState } from './vm/vmStateMachine.js';
import { toVmDetail, toVmSummary } from './vm/vmView.js';
import { deviceOperations } from './vm/deviceOperations.js';
import {
  MAX_CHECKPOINTS_PER_VM,
  emit,
  getVmRuntime,
  withVmOperation,
  type HostContext,
} from './host/hostContext.js';
import { shieldErrors } from './storage/failureReport.js';
import { seedDemoHost } from './demo/seedDemoHost.js';
import { inspectDisk, listDisks } from './disk/inspectDisk.js';
import { removeExportLeftovers } from './export/exportJournal.js';
import { exportCheckpoint, exportVm } from './export/exportVm.js';
import { checkHost } from './disk/checkHost.js';
import { attachOrphanedDisk, removeOrphanedFile } from './persistence/orphanActions.js';
import { compareVm } from './import/compareVm.js';
import { importVm } from './import/importVm.js';
import { createVirtualHardDisk, mergeVirtualHardDisk } from './disk/virtualHardDisks.js';
import { resizeVirtualHardDisk } from './disk/resizeVirtualHardDisk.js';
import { convertVirtualHardDisk, optimizeVirtualHardDisk } from './disk/editVirtualHardDisk.js';
import { Audit, auditedHost, startAutomatically, type RawHost } from './eventLog/auditedHost.js';
import { EventLog } from './eventLog/eventLog.js';
import { sameName } from './names/nameRule.js';
import { hostWithFullPaths } from './storage/hostPaths.js';
import { hostSettingsOf, loadHostSettings, updateHostSettings } from './settings/hostSettings.js';
import { busyLabel, type OperationName } from './operations/operationCatalog.js';
import {
  createVirtualSwitch,
  listVirtualSwitches,
  loadVirtualSwitches,
  removeVirtualSwitch,
  updateVirtualSwitch,
} from './network/virtualSwitches.js';

export interface HostPorts {
  store: FileStore;
  clock?: Clock;
  ids?: IdSource;
  timing?: Partial<Timing>;
  hostName?: string;
  /** The machine's logical processors and memory in bytes; default: this machine's (node:os). */
  logicalProcessorCount?: number;
  memoryCapacityBytes?: number;
  /** Shown in HostInfo: the absolute data folder, or ":memory:". */
  dataLocation?: string;
  /** Create the demo VMs when the data folder holds no VM. */
  seedDemo?: boolean;
  /** The VHDX library; replaceable in tests. */
  disks?: DiskLibrary;
  /** Who the event log records when an operation names no user; default `<host>\\Administrator`. */
  user?: string;
  /** Size of the event log file before it is rotated to `.1`; default 1 MiB. */
  eventLogMaxBytes?: number;
  /**
   * Upper bound of the rate at which deleting a checkpoint copies disk data (bytes per second), so
   * that running guests' own disk I/O is not starved by a merge. Blocks the file system clones
   * (XFS, Btrfs) move no data and do not count. Default 0: unthrottled.
   */
  mergeBytesPerSecond?: number;
  /**
   * Upper bound of the rate at which a Standard checkpoint of a running VM writes its memory file
   * (bytes per second), so that the guest, which runs on meanwhile, keeps its disk bandwidth.
   * Default 0: unthrottled.
   */
  memorySaveBytesPerSecond?: number;
  /**
   * The log port: the detail of a failure (Node's error with its absolute paths), which users never
   * see (they get Windows' words, see `storage/fileSystemError.ts`). Default: console.error.
   */
  logError?: HostErrorLog;
  /** What runs the VMs' guests; default: the simulated guests. */
  hypervisor?: HostHypervisor;
  /**
   * Where a QEMU host gets the boot files of its gallery's images (tiny-linux, tiny-linux-noagent):
   * the server gives `@hvm/guest-image`'s `ensureGuestImage`. Without it a QEMU VM cannot start.
   */
  qemuGuestImage?: QemuGuestImageSource;
}

/**
 * Opens a Hyper-V host on a data folder: loads and repairs what is there, resumes interrupted
 * merges, and then, in the background, starts the VMs whose Automatic Start Action says so.
 */
export async function createHost(ports: HostPorts): Promise<Host> {
  const hostName = ports.hostName ?? hostname().toUpperCase();
  const ctx: HostContext = {
    store: ports.store,
    clock: ports.clock ?? systemClock,
    ids: ports.ids ?? randomIds,
    timing: { ...defaultTiming, ...ports.timing },
    disks: ports.disks ?? vhdxDiskLibrary,
    hostName,
    logicalProcessorCount: ports.logicalProcessorCount ?? availableParallelism(),
    memoryCapacityBytes: ports.memoryCapacityBytes ?? totalmem(),
    dataLocation: ports.dataLocation ?? ':memory:',
    vms: new Map(),
    deletingVms: new Map(),
    tasks: new Map(),
    listeners: new Set(),
    inFlight: new Set(),
    closed: false,
    closing: new AbortController(),
    defaultUser: ports.user ?? `${hostName}\\Administrator`,
    mergeBytesPerSecond: ports.mergeBytesPerSecond ?? 0,
    memorySaveBytesPerSecond: ports.memorySaveBytesPerSecond ?? 0,
    logError:
      ports.logError ??
      ((message, error) => {
        console.error(message, error);
      }),
    hypervisor: ports.hypervisor ?? { kind: 'simulated' },
    ...(ports.qemuGuestImage === undefined ? {} : { qemuGuestImage: ports.qemuGuestImage }),
  };
  for (const folder of [VM_FOLDER, DISK_FOLDER, DEFAULT_SNAPSHOT_FOLDER])
    await ctx.store.mkdirp(folder);
  const log = await EventLog.open(
    ctx.store,
    ctx.clock,
    (entry) => emit(ctx, { type: 'event-logged', entry }),
    ports.eventLogMaxBytes,
  );
  const audit = new Audit(ctx, log);
  await loadHostSettings(ctx);
  await loadVirtualSwitches(ctx);
  await loadVms(ctx);
  await removeExportLeftovers(ctx);
  for (const vm of ctx.vms.values()) {
    await removeOrphanDisks(ctx, vm);
    startMerges(ctx, vm);
    await refreshSizes(ctx, vm);
  }
  for (const vm of ctx.deletingVms.values()) await finishDeletion(ctx, vm);
  // Views in full paths on this host (storage/hostPaths.ts); records stay relative.
  const raw = hostWithFullPaths(shieldErrors(buildHost(ctx), ctx), ctx.dataLocation);
  const host = auditedHost(raw, audit, ctx.defaultUser);
  // The demo VMs run simulated guests, which a QEMU host's gallery refuses: it opens empty.
  if (ports.seedDemo === true && ctx.vms.size === 0 && ctx.hypervisor.kind === 'simulated')
    await seedDemoHost(host);
  startVmsWithHost(ctx, (vm) => startAutomatically(raw, audit, vm.file.id));
  return host;
}

function assertOpen(ctx: HostContext): void {
  if (ctx.closed) throw new EngineError(ErrorCode.InvalidState, 'The host has been closed.', {});
}

/** The host's operations, unrecorded: `auditedHost` adds the event log and the user. */
function buildHost(ctx: HostContext): RawHost {
  const vmOf = (vmId: VmId) => getVmRuntime(ctx, vmId);
  /** Runs the operation holding the VM, under the catalogue's label for it. */
  const held = async <T>(
    vmId: VmId,
    operation: OperationName,
    fn: (vm: ReturnType<typeof vmOf>) => Promise<T>,
  ): Promise<T> => {
    assertOpen(ctx);
    const vm = vmOf(vmId);
    return withVmOperation(ctx, vm, busyLabel(operation), () => fn(vm));
  };
  const info = () => ({
    name: ctx.hostName,
    dataLocation: ctx.dataLocation,
    vmCount: ctx.vms.size,
    maxCheckpointsPerVm: MAX_CHECKPOINTS_PER_VM,
    logicalProcessorCount: ctx.logicalProcessorCount,
    memoryCapacityBytes: ctx.memoryCapacityBytes,
    virtualHardDiskPath: hostSettingsOf(ctx).virtualHardDiskPath || '.',
    virtualMachinePath: hostSettingsOf(ctx).virtualMachinePath || '.',
  });
  return {
    info,
    updateHostSettings: async (update) => {
      assertOpen(ctx);
      await updateHostSettings(ctx, update);
      return info();
    },
    listVms: () =>
      [...ctx.vms.values()]
        .map((vm) => toVmSummary(ctx, vm))
        .sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id)),
    getVm: (vmId) => toVmDetail(ctx, vmOf(vmId)),
    getVmSummary: (vmId) => toVmSummary(ctx, vmOf(vmId)),
    findVmsByName: (name) =>
      [...ctx.vms.values()]
        .filter((vm) => sameName(vm.file.name, name.trim()))
        .map((vm) => toVmSummary(ctx, vm)),
    createVm: async (input) => {
      assertOpen(ctx);
      return toVmDetail(ctx, await createVm(ctx, input));
    },
    deleteVm: (vmId) => held(vmId, 'deleteVm', (vm) => deleteVm(ctx, vm)),
    deleteSavedState: (vmId) =>
      held(vmId, 'deleteSavedState', async (vm) => {
        await deleteSavedState(ctx, vm);
        return toVmSummary(ctx, vm);
      }),
    changeVmState: async (vmId, action) => {
      assertOpen(ctx);
      return changeVmState(ctx, vmOf(vmId), action);
    },
    setGuestSimulation: (vmId, update) =>
      held(vmId, 'setGuestSimulation', async (vm) => {
        await setGuestSimulation(ctx, vm, update);
        return toVmDetail(ctx, vm);
      }),
    updateVmSettings: (vmId, update) =>
      held(vmId, 'updateVmSettings', async (vm) => {
        await updateVmSettings(ctx, vm, update);
        return toVmDetail(ctx, vm);
      }),
    addHardDiskDrive: (vmId, input) =>
      held(vmId, 'addHardDiskDrive', async (vm) => {
        await addHardDiskDrive(ctx, vm, input);
        return toVmDetail(ctx, vm);
      }),
    removeHardDiskDrive: (vmId, location) =>
      held(vmId, 'removeHardDiskDrive', async (vm) => {
        await removeHardDiskDrive(ctx, vm, location);
        return toVmDetail(ctx, vm);
      }),
    setHardDiskDrivePath: (vmId, location, path) =>
      held(vmId, 'setHardDiskDrivePath', async (vm) => {
        await setHardDiskDrivePath(ctx, vm, location, path);
        return toVmDetail(ctx, vm);
      }),
    listCheckpoints: (vmId) => checkpointTreeOf(vmOf(vmId)),
    getCheckpoint: (vmId, checkpointId) => {
      const vm = vmOf(vmId);
      const node = findNode(vm, checkpointId);
      const settings = checkpointSettingsOf(ctx, vm, node);
      return { ...toCheckpoint(vm, node), ...(settings === null ? {} : { settings }) };
    },
    createCheckpoint: (vmId, input) =>
      held(vmId, 'createCheckpoint', (vm) => createCheckpoint(ctx, vm, input)),
    renameCheckpoint: (vmId, checkpointId, newName) =>
      held(vmId, 'renameCheckpoint', (vm) => renameCheckpoint(ctx, vm, checkpointId, newName)),
    applyCheckpoint: (vmId, checkpointId, input) =>
      held(vmId, 'applyCheckpoint', (vm) => applyCheckpoint(ctx, vm, checkpointId, input)),
    revertVm: (vmId, input) => held(vmId, 'revertVm', (vm) => revertVm(ctx, vm, input)),
    deleteCheckpoint: (vmId, checkpointId) =>
      held(vmId, 'deleteCheckpoint', (vm) => deleteCheckpoints(ctx, vm, checkpointId, false)),
    deleteCheckpointSubtree: (vmId, checkpointId) =>
      held(vmId, 'deleteCheckpointSubtree', (vm) => deleteCheckpoints(ctx, vm, checkpointId, true)),
    listGuestImages: () => galleryOf(ctx.hypervisor).map(toGuestImageInfo),
    getGuestConsole: (vmId) => getGuestConsole(ctx, vmOf(vmId)),
    connectSerialConsole: (vmId, viewer) => connectSerialConsole(ctx, vmOf(vmId), viewer),
    typeIntoSerialConsole: (vmId, bytes) => typeIntoSerialConsole(ctx, vmOf(vmId), bytes),
    createRecoveryCheckpoint: (vmId) =>
      held(vmId, 'createRecoveryCheckpoint', (vm) => createRecoveryCheckpoint(ctx, vm)),
    readCheckpointDisk: (vmId, checkpointId, offset, length) => {
      assertOpen(ctx);
      return readCheckpointDisk(ctx, vmOf(vmId), checkpointId, offset, length);
    },
    convertToReferencePoint: (vmId, checkpointId) =>
      held(vmId, 'convertToReferencePoint', (vm) => convertToReferencePoint(ctx, vm, checkpointId)),
    listReferencePoints: (vmId) => listReferencePoints(vmOf(vmId)),
    exportCheckpoint: (vmId, checkpointId, input) => {
      assertOpen(ctx);
      return exportCheckpoint(ctx, vmOf(vmId), checkpointId, input);
    },
    exportVm: (vmId, input) => {
      assertOpen(ctx);
      return exportVm(ctx, vmOf(vmId), input);
    },
    compareVm: (input) => {
      assertOpen(ctx);
      return compareVm(ctx, input);
    },
    importVm: async (input) => {
      assertOpen(ctx);
      return toVmDetail(ctx, await importVm(ctx, input));
    },
    listDisks: () => listDisks(ctx),
    inspectDisk: (path) => inspectDisk(ctx, path),
    createVirtualHardDisk: (input) => {
      assertOpen(ctx);
      return createVirtualHardDisk(ctx, input);
    },
    mergeVirtualHardDisk: (input) => {
      assertOpen(ctx);
      return mergeVirtualHardDisk(ctx, input);
    },
    resizeVirtualHardDisk: (input) => {
      assertOpen(ctx);
      return resizeVirtualHardDisk(ctx, input);
    },
    convertVirtualHardDisk: (input) => {
      assertOpen(ctx);
      return convertVirtualHardDisk(ctx, input);
    },
    optimizeVirtualHardDisk: (input) => {
      assertOpen(ctx);
      return optimizeVirtualHardDisk(ctx, input);
    },
    checkHost: () => checkHost(ctx),
    removeOrphanedFile: (path) => {
      assertOpen(ctx);
      return removeOrphanedFile(ctx, path);
    },
    attachOrphanedDisk: (vmId, input) =>
      held(vmId, 'attachOrphanedDisk', async (vm) => {
        await attachOrphanedDisk(ctx, vm, input);
        return toVmDetail(ctx, vm);
      }),
    listVirtualSwitches: () => listVirtualSwitches(ctx),
    createVirtualSwitch: (input) => {
      assertOpen(ctx);
      return createVirtualSwitch(ctx, input);
    },
    updateVirtualSwitch: (switchId, update) => {
      assertOpen(ctx);
      return updateVirtualSwitch(ctx, switchId, update);
    },
    removeVirtualSwitch: (switchId) => {
      assertOpen(ctx);
      return removeVirtualSwitch(ctx, switchId);
    },
    ...deviceOperations(ctx, held),
    listTasks: () => [...ctx.tasks.values()].map((task) => ({ ...task })),
    getTask: (taskId: TaskId) => {
      const task = ctx.tasks.get(taskId);
      if (task === undefined) {
        throw new EngineError(ErrorCode.NotFound, `Unable to find a task with ID '${taskId}'.`, {
          object: 'task',
          id: taskId,
        });
      }
      return { ...task };
    },
    whenIdle: async () => {
      while (ctx.inFlight.size > 0) await Promise.allSettled([...ctx.inFlight]);
    },
    subscribe: (listener) => {
      ctx.listeners.add(listener);
      return () => {
        ctx.listeners.delete(listener);
      };
    },
    close: async () => {
      if (ctx.closed) return [];
      ctx.closed = true;
      ctx.closing.abort();
      for (const vm of [...ctx.vms.values(), ...ctx.deletingVms.values()]) vm.mergeAbort?.abort();
      while (ctx.inFlight.size > 0) await Promise.allSettled([...ctx.inFlight]);
      const stopped = await stopRunningVmsAtClose(ctx);
      // The parents kept open between operations are released with the host.
      await ctx.disks.forget?.(ctx.store);
      ctx.listeners.clear();
      return stopped;
    },
  };
}
