/** The Hyper-V host engine's public surface. */
export { createHost } from './createHost.js';
export type { HostPorts } from './createHost.js';
export { seedDemoHost } from './demo/seedDemoHost.js';
export type { Host } from './host/host.js';
export * from './types.js';
export * from './errors.js';
export type {
  AddHardDiskDriveInput,
  ControllerType,
  DiskFileEntry,
  DiskFileInfo,
  DiskInspection,
  DiskUser,
  ExportInput,
  HardDiskDriveSlot,
  HostCheckReport,
  OrphanedFile,
  AttachOrphanedDiskInput,
  MergeVirtualHardDiskInput,
  NewVirtualHardDiskInput,
  ResizeVirtualHardDiskInput,
  ConvertVirtualHardDiskInput,
  OptimizeVirtualHardDiskInput,
  VhdCompactMode,
} from './disk/diskTypes.js';
export type {
  CompareVmInput,
  ImportMode,
  ImportVmInput,
  VmCompatibilityReport,
  VmIncompatibility,
} from './import/importTypes.js';
export { IMPORT_MODES, IncompatibilityIds } from './import/importTypes.js';
export type {
  AddNetworkAdapterInput,
  NetworkAdapter,
  ScsiController,
  NewVirtualSwitchInput,
  RemovedVirtualSwitch,
  VirtualSwitch,
  VirtualSwitchType,
  VirtualSwitchUpdate,
} from './network/switchTypes.js';
export { VIRTUAL_SWITCH_TYPES } from './network/switchTypes.js';
export { defaultTiming, zeroTiming, systemClock, randomIds } from './ports.js';
export type { Clock, IdSource, Timing } from './ports.js';
export { defaultCheckpointName } from './checkpoint/checkpointName.js';
export { fallbackReasonText, isWarnedFallback } from './checkpoint/checkpointKind.js';
export { OPERATIONS, POWER_ACTIONS } from './operations/operationCatalog.js';
export type {
  OperationCatalog,
  OperationName,
  OperationRow,
  OperationScope,
} from './operations/operationCatalog.js';
export { RequiredPermission } from './operations/requiredPermission.js';
export {
  forbiddenNameCharacter,
  forbiddenNameCharacterMessage,
  nameKey,
  sameName,
} from './names/index.js';
export type { ForbiddenNameCharacter } from './names/index.js';
export { DEFAULT_DISK_SIZE_BYTES } from './vm/createVm.js';
export type { DiskLibrary } from './disk/diskLibrary.js';
export { GUEST_GALLERY } from './guest/gallery.js';
export type { GuestSimulation, GuestSimulationUpdate } from './guestSimulationTypes.js';
export { NO_GUEST_FAULTS } from './guest/guestFaults.js';
export { checkGuestDisk } from './guest/checker.js';
export type { CheckResult, DiskReader } from './guest/checker.js';
export { nodeFileStore, memoryFileStore } from './disk/diskLibrary.js';
export type { FileStore } from '@hvm/vhdx';
export {
  AUTOMATIC_START_DELAY_MAX_SECONDS,
  allowedCheckpointActions,
  allowedVmActions,
  deleteCheckpointOutcome,
  deleteOutcomesOf,
  isTransitional,
} from '@hvm/contracts';
export type {
  CheckpointActionAvailability,
  CheckpointCommandId,
  CheckpointDeleteOutcome,
  CheckpointDeleteOutcomes,
  VmActionAvailability,
  VmCommandId,
} from '@hvm/contracts';

import type { Host } from './host/host.js';
import { createHost, type HostPorts } from './createHost.js';

/** A host seeded with the demo VMs when its data folder holds none. */
export function createDemoHost(ports: HostPorts): Promise<Host> {
  return createHost({ ...ports, seedDemo: true });
}
export * from './vmSettingsTypes.js';
export { FIRMWARE_DEFAULTS } from './vm/firmwareSettings.js';
export { QemuGuest } from './hypervisor/qemuGuest.js';
export * from './serialConsoleTypes.js';
export type { QemuGuestOptions } from './hypervisor/qemuGuest.js';
export type { QemuGuestImage, QemuGuestImageSource } from './hypervisor/qemuVm.js';
export { parseHypervisorKind, HYPERVISOR_KINDS } from './hypervisor/hypervisor.js';
export type {
  HypervisorKind,
  HostHypervisor,
  RunningGuest,
  GuestCheckpointResult,
} from './hypervisor/hypervisor.js';
