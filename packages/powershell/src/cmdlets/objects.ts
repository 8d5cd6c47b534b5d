/** Engine DTOs as the Hyper-V module's objects (VirtualMachine, VMSnapshot), and name/object lookups. */
import type { Checkpoint, CheckpointId, Host, VmDetail, VmId, VmSummary } from '@hvm/engine';
import { nameKey, sameName, vmNotFound } from '@hvm/engine';
import { PsError } from '../errors.js';
import { hasWildcard, wildcardToRegExp } from '../runtime/evaluate.js';
import { PsObject, TimeSpan, toPsString } from '../runtime/values.js';

export const VM_TYPE = 'Microsoft.HyperV.PowerShell.VirtualMachine';
export const SNAPSHOT_TYPE = 'Microsoft.HyperV.PowerShell.VMSnapshot';
const MB = 1024 * 1024;

/**
 * The Status property: Hyper-V Manager's Status column shows a running operation's percentage
 * ("Merging disks (30%)"), the property does not: scripts poll `(Get-VM X).Status -eq "Merging
 * disks"` (behaviour spec R35).
 */
export function vmStatusProperty(status: string): string {
  return status.replace(/\s*\(\d+%\)$/, '');
}

/** `computerName`: the host's name, when the caller wrote many VMs and asked for it once. */
export function vmObject(host: Host, vm: VmSummary, computerName?: string): PsObject {
  const detail: VmDetail = host.getVm(vm.id);
  const hardware = detail.hardware;
  return new PsObject(VM_TYPE, {
    Name: detail.name,
    State: detail.state,
    CPUUsage: Math.round(detail.cpuUsage),
    MemoryAssigned: detail.memoryAssignedMB * MB,
    MemoryStartup: detail.memoryStartupMB * MB,
    MemoryMinimum: (hardware?.memoryMinimumMB ?? 512) * MB,
    MemoryMaximum: (hardware?.memoryMaximumMB ?? 1_048_576) * MB,
    DynamicMemoryEnabled: hardware?.dynamicMemoryEnabled ?? false,
    ProcessorCount: hardware?.processorCount ?? 1,
    Uptime: new TimeSpan(detail.uptimeMs),
    Status: vmStatusProperty(detail.status),
    Version: detail.configurationVersion,
    Generation: detail.generation,
    CheckpointType: detail.checkpointType,
    AutomaticCheckpointsEnabled: detail.automaticCheckpointsEnabled,
    SnapshotFileLocation: detail.snapshotFileLocation,
    ConfigurationLocation: detail.configurationLocation,
    Path: detail.configurationLocation,
    ParentSnapshotId: detail.parentCheckpointId,
    ParentSnapshotName: detail.parentCheckpointName,
    // The engine's VMHeartbeatStatus: NoContact when no guest answers (behaviour spec R34).
    Heartbeat: detail.heartbeat ?? null,
    Notes: detail.notes ?? '',
    AutomaticStartAction: detail.automaticStartAction,
    AutomaticStartDelay: detail.automaticStartDelaySeconds,
    AutomaticStopAction: detail.automaticStopAction,
    GuestImage: detail.guestImage,
    ComputerName: computerName ?? host.info().name,
    Id: detail.id,
    VMName: detail.name,
    VMId: detail.id,
  });
}

export function snapshotObject(host: Host, checkpoint: Checkpoint): PsObject {
  // A checkpoint object names its VM and its folder: the VM's summary has both.
  const vm = host.getVmSummary(checkpoint.vmId);
  const parent =
    checkpoint.parentId === null ? null : host.getCheckpoint(checkpoint.vmId, checkpoint.parentId);
  return toSnapshotObject(checkpoint, vm, parent, host.info().name);
}

/**
 * Snapshot objects for many checkpoints, asking the host once per VM (its settings, unless the
 * caller has them in `knownVms`; its checkpoint tree when a parent is not among the checkpoints)
 * and once for the computer name, not once per checkpoint: `Get-VM |
 * Get-VMSnapshot` on a host of thousands of VMs with deep chains writes as many objects.
 */
export function snapshotObjects(
  host: Host,
  checkpoints: readonly Checkpoint[],
  knownVms: readonly VmSummary[] = [],
): PsObject[] {
  if (checkpoints.length === 0) return [];
  const computerName = host.info().name;
  const vms = new Map<VmId, VmSummary>(knownVms.map((vm) => [vm.id, vm]));
  const given = new Map(checkpoints.map((c) => [c.id, c]));
  const trees = new Map<VmId, Map<CheckpointId, Checkpoint>>();
  const vmOf = (vmId: VmId): VmSummary => {
    let vm = vms.get(vmId);
    if (vm === undefined) vms.set(vmId, (vm = host.getVmSummary(vmId)));
    return vm;
  };
  const parentOf = (c: Checkpoint): Checkpoint | null => {
    if (c.parentId === null) return null;
    const known = given.get(c.parentId);
    if (known?.vmId === c.vmId) return known;
    let tree = trees.get(c.vmId);
    if (tree === undefined) {
      tree = new Map(host.listCheckpoints(c.vmId).checkpoints.map((p) => [p.id, p]));
      trees.set(c.vmId, tree);
    }
    return tree.get(c.parentId) ?? host.getCheckpoint(c.vmId, c.parentId);
  };
  return checkpoints.map((c) => toSnapshotObject(c, vmOf(c.vmId), parentOf(c), computerName));
}

function toSnapshotObject(
  checkpoint: Checkpoint,
  vm: VmSummary,
  parent: Checkpoint | null,
  computerName: string,
): PsObject {
  return new PsObject(SNAPSHOT_TYPE, {
    VMName: vm.name,
    Name: checkpoint.name,
    SnapshotType: checkpoint.snapshotType,
    CreationTime: new Date(checkpoint.createdAt),
    ParentSnapshotName: parent?.name ?? null,
    ParentSnapshotId: checkpoint.parentId,
    Id: checkpoint.id,
    VMId: checkpoint.vmId,
    IsAutomaticCheckpoint: checkpoint.isAutomaticCheckpoint,
    State: checkpoint.vmState,
    Path: vm.snapshotFileLocation,
    HardDrives: checkpoint.hardDrives,
    CheckpointKind: checkpoint.kind,
    Note: checkpoint.note,
    SizeOnDiskBytes: checkpoint.sizeOnDiskBytes,
    ComputerName: computerName,
  });
}

/**
 * A matcher for a VM or checkpoint name given to a cmdlet (wildcards allowed), comparing as the
 * engine's name rule does everywhere else (NFKC, then case-insensitive: `nameKey`), so a pattern
 * finds what the same plain name finds.
 */
export function nameMatcher(pattern: string): (name: string) => boolean {
  if (!hasWildcard(pattern)) return (name) => sameName(pattern, name);
  const matcher = wildcardToRegExp(nameKey(pattern));
  return (name) => matcher.test(nameKey(name));
}

/** VMs by name (wildcards allowed). A plain name that matches nothing is an error, as in Hyper-V. */
export function vmsByName(host: Host, names: string[]): { vms: VmSummary[]; missing: string[] } {
  const vms: VmSummary[] = [];
  const missing: string[] = [];
  for (const name of names) {
    const found = hasWildcard(name)
      ? host.listVms().filter((vm) => nameMatcher(name)(vm.name))
      : host.findVmsByName(name);
    if (found.length === 0 && !hasWildcard(name)) missing.push(name);
    for (const vm of found) if (!vms.some((v) => v.id === vm.id)) vms.push(vm);
  }
  return { vms, missing };
}

/** The VMs a cmdlet acts on: from -VM objects, or from -Name/-VMName (throws for a name not found). */
export function targetVms(
  host: Host,
  params: Record<string, unknown>,
  nameParam: string,
  onMissing: (name: string) => void,
): VmSummary[] {
  const objects = params.VM;
  if (Array.isArray(objects) || objects instanceof PsObject) {
    const list = Array.isArray(objects) ? objects : [objects];
    // Whether each VM still exists (and its summary as it is now): not its details.
    return list.map((o) => host.getVmSummary(String((o as PsObject).get('Id')) as VmId));
  }
  const names = params[nameParam];
  if (names === undefined || names === null) return host.listVms();
  const { vms, missing } = vmsByName(
    host,
    Array.isArray(names) ? names.map(String) : [toPsString(names)],
  );
  for (const name of missing) onMissing(name);
  return vms;
}

/**
 * Get-VM's record for a name it cannot find: unlike the other cmdlets it reports the name as an
 * invalid argument (R30; transcripts in kubernetes/minikube#8970 and pluralsight/PS-AutoLab-Env#133:
 * `InvalidArgument: (N1:String) [Get-VM], VirtualizationException`,
 * `InvalidParameter,Microsoft.HyperV.PowerShell.Commands.GetVM`).
 */
export function getVmNameNotFoundError(name: string): PsError {
  return new PsError(vmNotFound(name).message, {
    category: 'InvalidArgument',
    errorId: 'InvalidParameter',
    exceptionType: 'VirtualizationException',
    target: name,
    targetType: 'String',
  });
}

/**
 * Hyper-V's "unable to find a virtual machine" error record of every VM cmdlet but Get-VM:
 * `ObjectNotFound: (:) [<cmdlet>], VirtualizationException` and
 * `ObjectNotFound,Microsoft.HyperV.PowerShell.Commands.<Class>`, as public transcripts show it for
 * Set-VM and Set-VMMemory (jamesstringer90/Easy-GPU-PV#449) and Set-VMFirmware
 * (pluralsight/PS-AutoLab-Env#133). [B] For the other cmdlets (Start-VM, Stop-VM, Get-VMSnapshot,
 * ...) no transcript with the CategoryInfo lines was found; they share the module's lookup, and
 * this record is our reading that they write the same one.
 */
export function vmNotFoundError(name: string): PsError {
  return new PsError(vmNotFound(name).message, {
    category: 'ObjectNotFound',
    errorId: 'ObjectNotFound',
    exceptionType: 'VirtualizationException',
  });
}
