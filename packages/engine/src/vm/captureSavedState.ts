import type { Throttle } from '@hvm/vhdx';
import type { HostContext, VmRuntime } from '../host/hostContext.js';
import {
  decodeGuestMemory,
  guestMemoryImage,
  type GuestMemorySnapshot,
} from '../guest/guestMemory.js';
import {
  EMPTY_IMAGE,
  guestStatePage,
  imageOfPages,
  openSavedState,
  writeSavedState,
  type SavedState,
} from '../persistence/savedState.js';
import { currentUptimeMs } from './vmView.js';

const MIB = 1024 * 1024;

/**
 * The memory and device state of a running or paused VM, as Save writes it: the guest's memory
 * (its state and page map, copied now; the pages are produced from the copy when written) or,
 * without a guest, a page describing the idle VM. The caller drains the guest's I/O first so that
 * disk and memory belong to the same instant.
 */
export function captureSavedState(
  ctx: HostContext,
  vm: VmRuntime,
  snapshot: GuestMemorySnapshot | null = vm.guest?.booted === true ? vm.guest.capture() : null,
): SavedState {
  const uptimeMs = currentUptimeMs(ctx, vm);
  const savedAt = ctx.clock.now().toISOString();
  const { guestImage } = vm.file.configuration;
  const memoryBytes = vm.file.configuration.memoryStartupMB * MIB;
  const image =
    snapshot !== null
      ? guestMemoryImage(snapshot, memoryBytes)
      : imageOfPages(
          new Map([[0, guestStatePage({ vmId: vm.file.id, guestImage, uptimeMs, savedAt })]]),
        );
  return { meta: { savedAt, uptimeMs, guestImage }, memoryBytes, image };
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
    image: EMPTY_IMAGE,
  };
}

export async function writeVmSavedState(
  ctx: HostContext,
  path: string,
  state: SavedState,
  onProgress?: (written: number) => void,
  rate?: Throttle,
): Promise<void> {
  await writeSavedState(ctx.store, path, state, ctx.ids.newGuid(), onProgress, rate);
}

/** The guest memory a saved-state file holds, or null (no memory, no guest, unreadable). */
export async function readGuestMemory(
  ctx: HostContext,
  path: string,
): Promise<GuestMemorySnapshot | null> {
  try {
    const state = await openSavedState(ctx.store, path);
    try {
      return await decodeGuestMemory(state);
    } finally {
      await state.close();
    }
  } catch {
    return null;
  }
}
