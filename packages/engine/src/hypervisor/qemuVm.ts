/**
 * A VM of a QEMU host whose guest is one of the QEMU gallery's images: its guest runs as a
 * `QemuGuest` on the VM's current disk. The state machine (vm/vmStateMachine.ts) calls these for
 * such a VM instead of the simulated guest's; everything else about the VM (its record, its
 * checkpoints while Off) is the host's as for any VM.
 */
import { EngineError, ErrorCode } from '../errors.js';
import type { HostContext, VmRuntime } from '../host/hostContext.js';
import { QEMU_GUEST_GALLERY } from '../guest/gallery.js';
import { vmSavedStatePath } from '../persistence/layout.js';
import { QemuGuest } from './qemuGuest.js';
import { serialConsoleFeedOf } from './serialConsoleFeed.js';
import type { QemuVmGuest } from './qemuVmTypes.js';

export type { QemuGuestImage, QemuGuestImageSource, QemuVmGuest } from './qemuVmTypes.js';

/** How often the heartbeat asks the guest agent while the VM runs. */
const HEARTBEAT_INTERVAL_MS = 5_000;

/** Whether the VM's guest runs under QEMU: a QEMU host, and one of its gallery's images. */
export function runsUnderQemu(ctx: HostContext, vm: VmRuntime): boolean {
  const image = vm.file.configuration.guestImage;
  return (
    ctx.hypervisor.kind === 'qemu' &&
    image !== null &&
    QEMU_GUEST_GALLERY.some((entry) => entry.name === image)
  );
}

/** Whether the QEMU gallery's image of the VM has integration services (a guest agent); null: not a QEMU image. */
export function qemuImageHasIntegrationServices(vm: VmRuntime): boolean | null {
  const image = QEMU_GUEST_GALLERY.find((entry) => entry.name === vm.file.configuration.guestImage);
  return image?.integrationServices ?? null;
}

/**
 * Starts the VM's guest under QEMU on its current disk (the first drive): a fresh boot, or from
 * the VM's saved state. The heartbeat asks the guest agent every few seconds. When QEMU ends on
 * its own (the guest shut itself down), `onPoweredOff` is told.
 */
export async function startQemuGuest(
  ctx: HostContext,
  vm: VmRuntime,
  fromSaved: boolean,
  onPoweredOff: () => void,
): Promise<void> {
  const { hypervisor } = ctx;
  if (hypervisor.kind !== 'qemu') throw new Error('this host does not run QEMU guests');
  const name = vm.file.configuration.guestImage;
  const drive = vm.file.drives[0];
  if (name === null || drive === undefined)
    throw new EngineError(
      ErrorCode.InvalidState,
      // This host's words: Hyper-V boots a VM without a disk to its firmware.
      `'${vm.file.name}' cannot start: its guest image needs a virtual hard disk on the first drive.`,
      { vmName: vm.file.name },
    );
  if (ctx.qemuGuestImage === undefined)
    throw new Error('this host has no source of QEMU guest images');
  const image = await ctx.qemuGuestImage(name);
  const guest = await QemuGuest.start(
    {
      vmName: vm.file.name,
      vmId: vm.file.id,
      library: ctx.disks,
      store: ctx.store,
      image,
      memoryMiB: vm.file.configuration.memoryStartupMB,
      processorCount: vm.file.configuration.processorCount ?? 1,
      accelerator: hypervisor.accelerator,
    },
    drive.path,
    fromSaved ? vmSavedStatePath(vm.file.id) : undefined,
  );
  serialConsoleFeedOf(vm).follow(guest.qemu.console);
  const running: QemuVmGuest = { guest, heartbeat: 'NoContact', stopHeartbeat: () => undefined };
  let asking = false;
  const timer = setInterval(() => {
    if (asking) return;
    asking = true;
    void guest
      .heartbeat()
      .then((status) => (running.heartbeat = status))
      .catch(() => (running.heartbeat = 'NoContact'))
      .finally(() => (asking = false));
  }, HEARTBEAT_INTERVAL_MS);
  timer.unref();
  running.stopHeartbeat = () => clearInterval(timer);
  vm.qemu = running;
  // The guest powered itself off (or QEMU ended) while nothing else held the VM: it is Off.
  void guest.qemu.exited.then(() => {
    if (vm.qemu !== running || ctx.closed || vm.busy !== null) return;
    onPoweredOff();
  });
}

/** Takes the VM's QEMU guest away from it (the caller stops it); null when it has none. */
function detach(vm: VmRuntime): QemuGuest | null {
  const running = vm.qemu ?? null;
  vm.qemu = null;
  running?.stopHeartbeat();
  return running?.guest ?? null;
}

/** Turn Off: QEMU stops at once. */
export async function turnOffQemuGuest(vm: VmRuntime): Promise<void> {
  await detach(vm)?.turnOff();
}

/** Save: the guest's memory and device state go to the VM's saved-state file, and QEMU ends. */
export async function saveQemuGuest(vm: VmRuntime): Promise<void> {
  const guest = vm.qemu?.guest;
  if (guest === undefined) return;
  await guest.save(vmSavedStatePath(vm.file.id));
  detach(vm);
}

/** Shut Down: the guest's operating system is asked to shut down, and QEMU ends with it. */
export async function shutDownQemuGuest(vm: VmRuntime, timeoutMs: number): Promise<void> {
  const guest = vm.qemu?.guest;
  if (guest === undefined) return;
  await guest.shutDown(timeoutMs);
  detach(vm);
}

/**
 * While checkpoints of a running QEMU guest are not taken through it, nothing changes the disks
 * of a VM that QEMU runs, has paused or has saved (its saved state belongs to those disks).
 * These are this host's words, not Hyper-V's: Hyper-V has no such limit.
 */
export function refuseWhileQemuHoldsDisks(
  ctx: HostContext,
  vm: VmRuntime,
  operation: string,
): void {
  if (!runsUnderQemu(ctx, vm) || vm.state === 'Off') return;
  throw new EngineError(
    ErrorCode.InvalidState,
    `Cannot ${operation} for '${vm.file.name}' while it is ${vm.state}: this host changes the disks of a virtual machine that QEMU runs only while the virtual machine is off. Turn it off first.`,
    { vmName: vm.file.name, actual: vm.state, operation, reason: 'qemu-guest-holds-disks' },
  );
}
