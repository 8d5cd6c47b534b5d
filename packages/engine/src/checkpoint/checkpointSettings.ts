/**
 * A checkpoint's Settings...: the VM's settings as the checkpoint froze them (its configuration
 * file's `configuration`, and its frozen disks), for Hyper-V Manager's read-only Settings dialog of
 * a checkpoint (behaviour spec §3: "the settings of a checkpoint can be viewed but not changed").
 */
import type { HostContext, VmRuntime } from '../host/hostContext.js';
import { toNetworkAdapter } from '../network/switchRegistry.js';
import { adapterRecordsOf, scsiControllersOf } from '../vm/vmDevices.js';
import type { CheckpointNode, DriveSlot } from '../persistence/records.js';
import type { CheckpointSettings } from '../types.js';
import { hardwareOf } from '../vm/hardwareSettings.js';
import { firmwareOf, securityOf } from '../vm/firmwareSettings.js';

/** Null when the checkpoint's configuration file was not loaded (it is read at load). */
export function checkpointSettingsOf(
  ctx: HostContext,
  vm: VmRuntime,
  node: CheckpointNode,
): CheckpointSettings | null {
  const file = vm.checkpointFiles.get(node.id);
  if (file === undefined) return null;
  const configuration = file.configuration;
  const drives: DriveSlot[] = node.disks.map((path, index) => ({
    controllerLocation: file.controllerLocations[index] ?? `SCSI 0:${index}`,
    path,
    virtualSizeBytes: file.virtualSizes[index] ?? 0,
  }));
  return {
    generation: configuration.generation,
    memoryStartupMB: configuration.memoryStartupMB,
    hardware: hardwareOf(configuration),
    integrationServices: { ...configuration.integrationServices },
    firmware: firmwareOf(configuration, drives),
    security: securityOf(configuration),
    hardDrives: drives,
    networkAdapters: adapterRecordsOf(configuration, vm.file.id).map((r) =>
      toNetworkAdapter(ctx, r),
    ),
    scsiControllers: scsiControllersOf(configuration, drives),
  };
}
