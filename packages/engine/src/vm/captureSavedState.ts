import type { HostContext, VmRuntime } from '../host/hostContext.js';
import { guestStatePage, writeSavedState, type SavedState } from '../persistence/savedState.js';
import { currentUptimeMs } from './vmView.js';

const MIB = 1024 * 1024;

/** The memory and device state of a running or paused VM, as Save writes it. */
export function captureSavedState(ctx: HostContext, vm: VmRuntime): SavedState {
  const uptimeMs = currentUptimeMs(ctx, vm);
  const savedAt = ctx.clock.now().toISOString();
  const { guestImage } = vm.file.configuration;
  return {
    meta: { savedAt, uptimeMs, guestImage },
    memoryBytes: vm.file.configuration.memoryStartupMB * MIB,
    pages: new Map([[0, guestStatePage({ vmId: vm.file.id, guestImage, uptimeMs, savedAt })]]),
  };
}

/** A runtime-state file without memory (Production checkpoints, checkpoints of an Off VM). */
export function emptySavedState(ctx: HostContext, vm: VmRuntime): SavedState {
  return {
    meta: {
      savedAt: ctx.clock.now().toISOString(),
      uptimeMs: 0,
      guestImage: vm.file.configuration.guestImage,
    },
    memoryBytes: 0,
    pages: new Map(),
  };
}

export async function writeVmSavedState(
  ctx: HostContext,
  path: string,
  state: SavedState,
): Promise<void> {
  await writeSavedState(ctx.store, path, state, ctx.ids.newGuid());
}
