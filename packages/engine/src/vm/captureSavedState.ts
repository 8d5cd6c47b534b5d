import type { HostContext, VmRuntime } from '../host/hostContext.js';
import { decodeGuestMemory, encodeGuestMemory } from '../guest/guestMemory.js';
import type { GuestMemoryState } from '../guest/guestRuntime.js';
import {
  guestStatePage,
  readSavedState,
  writeSavedState,
  type SavedState,
} from '../persistence/savedState.js';
import { currentUptimeMs } from './vmView.js';

const MIB = 1024 * 1024;

/**
 * The memory and device state of a running or paused VM, as Save writes it: the guest's memory
 * (its state and working set) or, without a guest, a page describing the idle VM. The caller
 * drains the guest's I/O first so that disk and memory belong to the same instant.
 */
export function captureSavedState(ctx: HostContext, vm: VmRuntime): SavedState {
  const uptimeMs = currentUptimeMs(ctx, vm);
  const savedAt = ctx.clock.now().toISOString();
  const { guestImage } = vm.file.configuration;
  const memoryBytes = vm.file.configuration.memoryStartupMB * MIB;
  const guest = vm.guest;
  const pages =
    guest?.booted === true
      ? encodeGuestMemory(guest.capture(), guest.workingSetMB(), memoryBytes)
      : new Map([[0, guestStatePage({ vmId: vm.file.id, guestImage, uptimeMs, savedAt })]]);
  return { meta: { savedAt, uptimeMs, guestImage }, memoryBytes, pages };
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

/** The guest memory a saved-state file holds, or null (no memory, no guest, unreadable). */
export async function readGuestMemory(
  ctx: HostContext,
  path: string,
): Promise<GuestMemoryState | null> {
  try {
    const state = await readSavedState(ctx.store, path);
    return state.memoryBytes === 0 ? null : decodeGuestMemory(state.pages);
  } catch {
    return null;
  }
}
