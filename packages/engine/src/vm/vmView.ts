import { guestFaultsOf } from '../guest/guestFaults.js';
import { heartbeatStatus, integrationServicesInContact } from '../guest/heartbeat.js';
import { emit, type HostContext, type VmRuntime } from '../host/hostContext.js';
import { uptimeMsAt, type DiskRegistry } from '../persistence/records.js';
import type { VmDetail, VmSummary } from '../types.js';
import { hardwareOf } from './hardwareSettings.js';
import { firmwareOf, securityOf } from './firmwareSettings.js';
import { networkAdaptersOf } from '../network/switchRegistry.js';
import { scsiControllersOf } from './vmDevices.js';

/** The guest's uptime as of now: frozen while Paused, counting while Running. */
export function currentUptimeMs(ctx: HostContext, vm: VmRuntime): number {
  return uptimeMsAt(vm.file, ctx.clock.now());
}

/** A plausible, slowly varying CPU figure for a running guest; 0 otherwise. */
export function simulatedCpuUsage(ctx: HostContext, vm: VmRuntime): number {
  if (vm.state !== 'Running') return 0;
  const bucket = Math.floor(ctx.clock.now().getTime() / 3000);
  let hash = bucket;
  for (const char of vm.file.id) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  const base = vm.file.configuration.guestImage === null ? 0 : 1;
  return base + (hash % (vm.file.configuration.guestImage === null ? 2 : 9));
}

/** A disk and its parents, child first; a loop in the registry ends the walk (a Set: chains are 50 deep). */
export function chainOf(registry: DiskRegistry, path: string): string[] {
  const seen = new Set<string>();
  let current: string | null = path;
  while (current !== null && !seen.has(current)) {
    seen.add(current);
    current = registry[current]?.parent ?? null;
  }
  return [...seen];
}

export function statusOf(vm: VmRuntime): string {
  if (vm.progress !== null) return vm.progress;
  const merge = vm.mergeTask;
  if (merge !== null) return `Merging disks (${merge.percentComplete}%)`;
  return 'Operating normally';
}

export function toVmSummary(ctx: HostContext, vm: VmRuntime): VmSummary {
  const { file } = vm;
  const parent =
    file.parentCheckpointId === null
      ? undefined
      : file.checkpoints.find((c) => c.id === file.parentCheckpointId);
  const withMemory = vm.state !== 'Off' && vm.state !== 'Saved' && vm.state !== 'Starting';
  return {
    id: file.id,
    name: file.name,
    generation: file.configuration.generation,
    state: vm.state,
    cpuUsage: simulatedCpuUsage(ctx, vm),
    memoryStartupMB: file.configuration.memoryStartupMB,
    memoryAssignedMB: withMemory ? file.configuration.memoryStartupMB : 0,
    uptimeMs: currentUptimeMs(ctx, vm),
    observedAt: ctx.clock.now().toISOString(),
    status: statusOf(vm),
    configurationVersion: file.configurationVersion,
    checkpointType: file.checkpointType,
    automaticCheckpointsEnabled: file.automaticCheckpointsEnabled,
    snapshotFileLocation: file.snapshotFileLocation,
    parentCheckpointId: parent?.id ?? null,
    parentCheckpointName: parent?.name ?? null,
    checkpointCount: file.checkpoints.length,
    guestImage: file.configuration.guestImage,
    createdAt: file.createdAt,
  };
}

export function toVmDetail(ctx: HostContext, vm: VmRuntime): VmDetail {
  const { file } = vm;
  return {
    ...toVmSummary(ctx, vm),
    integrationServices: { ...file.configuration.integrationServices },
    hardDrives: file.drives.map((drive) => ({
      controllerLocation: drive.controllerLocation,
      path: drive.path,
      chain: chainOf(file.disks, drive.path),
      virtualSizeBytes: drive.virtualSizeBytes,
    })),
    configurationLocation: 'Virtual Machines',
    automaticStartAction: file.automaticStartAction ?? 'StartIfRunning',
    automaticStartDelaySeconds: file.automaticStartDelaySeconds ?? 0,
    automaticStopAction: file.automaticStopAction ?? 'Save',
    hardware: hardwareOf(file.configuration),
    notes: file.notes ?? '',
    heartbeat: heartbeatStatus(vm),
    integrationServicesInContact: integrationServicesInContact(vm),
    ...(file.vmGenerationId === undefined ? {} : { vmGenerationId: file.vmGenerationId }),
    guestSimulation: guestFaultsOf(file),
    firmware: firmwareOf(file.configuration, file.drives),
    security: securityOf(file.configuration),
    networkAdapters: networkAdaptersOf(ctx, file),
    guestIpAddresses: vm.qemu === undefined || vm.qemu === null ? null : [...vm.qemu.ipAddresses],
    guestAdapterIpAddresses:
      vm.qemu === undefined || vm.qemu === null
        ? null
        : Object.fromEntries(
            Object.entries(vm.qemu.adapterIpAddresses).map(([id, list]) => [id, [...list]]),
          ),
    scsiControllers: scsiControllersOf(file.configuration, file.drives),
  };
}

/** One event for every listener (a hundred browsers share its summary and its JSON). */
export function emitVmChanged(ctx: HostContext, vm: VmRuntime): void {
  // A deleted VM whose disks still merge is not announced again.
  if (ctx.listeners.size === 0 || !ctx.vms.has(vm.file.id)) return;
  emit(ctx, { type: 'vm-changed', vm: toVmSummary(ctx, vm) });
}
