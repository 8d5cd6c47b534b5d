import { createCheckpoint } from '../checkpoint/createCheckpoint.js';
import { deleteCheckpoints } from '../checkpoint/deleteCheckpoint.js';
import type { HostContext, VmRuntime } from '../host/hostContext.js';
import type { CheckpointId } from '../types.js';
import { checkpointPointChainSource, nowChainSource, type ChainSource } from './exportChain.js';

/** Where a chain export's content comes from: taken when the export starts, released when it ends. */
export interface ExportChain {
  take(): Promise<ChainSource>;
  release(): Promise<void>;
}

/** An Off or Saved VM: its files as they are. */
export function staticChain(vm: VmRuntime): ExportChain {
  return { take: () => Promise.resolve(nowChainSource(vm)), release: () => Promise.resolve() };
}

/**
 * The name of the checkpoint a live export takes. Hyper-V's name for it (if it shows one) is not
 * known; this is ours.
 */
export const LIVE_EXPORT_CHECKPOINT_NAME = 'Export point in time';

/**
 * Live export of a Running or Paused VM (behaviour spec §8.3: Export "yes (live export)" while
 * Running). The consistent point is a checkpoint, as Hyper-V's: Export-VM of a running VM fails with
 * "Failed to export virtual machine. Can not create an application consistent checkpoint." when its
 * Production checkpoint cannot be made (Digressive/HyperV-Backup-Utility#34), and Export-VM's
 * -CaptureLiveState (Windows Server 2019+: saved state, crash-consistent, or data-consistent through
 * Production checkpoint technology) says what that point holds. Here the VM's own checkpoint type
 * decides (Standard: Saved with its memory; Production: Off with application-consistent disks); the
 * guest runs on while the files are copied, and the checkpoint is deleted (its disk merged, as any
 * Delete Checkpoint) when the export ends, either way.
 */
export function liveChain(ctx: HostContext, vm: VmRuntime): ExportChain {
  let pointId: CheckpointId | null = null;
  return {
    take: async () => {
      const point = await createCheckpoint(ctx, vm, { name: LIVE_EXPORT_CHECKPOINT_NAME });
      pointId = point.id;
      return checkpointPointChainSource(vm, point.id);
    },
    release: async () => {
      if (pointId === null || ctx.closed) return;
      await deleteCheckpoints(ctx, vm, pointId, false);
    },
  };
}
