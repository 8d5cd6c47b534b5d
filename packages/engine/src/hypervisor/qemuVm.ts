/**
 * A VM of a QEMU host whose guest is one of the QEMU gallery's images: its guest runs as a
 * `QemuGuest` on the VM's current disk. The state machine (vm/vmStateMachine.ts) calls these for
 * such a VM instead of the simulated guest's; everything else about the VM (its record, its
 * checkpoints while Off) is the host's as for any VM.
 */
import { EngineError, ErrorCode } from '../errors.js';
import { EventIds, vmIdSuffix } from '../eventLog/eventCatalog.js';
import type { LiveDiskWrites } from '../disk/diskLibrary.js';
import type { HostContext, VmRuntime } from '../host/hostContext.js';
import { QEMU_GUEST_GALLERY } from '../guest/gallery.js';
import { vmSavedStatePath } from '../persistence/layout.js';
import type { SavedStateRecord } from '../persistence/records.js';
import type { MachineExit } from '@hvm/qemu';
import { QemuGuest, type QemuGuestOptions } from './qemuGuest.js';
import { bootDiskTransport, savedDiskTransport } from './qemuDiskTransport.js';
import { bootDeviceRecord, guestAddressesOf, legacyNetworkOf, macKey } from './qemuNetwork.js';
import { wantedAdaptersOf } from './qemuWantedAdapters.js';
import { serialConsoleFeedOf } from './serialConsoleFeed.js';
import type { QemuVmGuest } from './qemuVmTypes.js';

export type { QemuGuestImage, QemuGuestImageSource, QemuVmGuest } from './qemuVmTypes.js';

/** How often the heartbeat asks the guest agent while the VM runs. */
const HEARTBEAT_INTERVAL_MS = 5_000;

/** How long the agent has to list the guest's interfaces with each heartbeat. */
const ADDRESSES_TIMEOUT_MS = 3_000;

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

/** How QEMU ended on its own: the guest powered off, or the process ended unexpectedly. */
export type QemuGuestEnd = { kind: 'powered-off' } | { kind: 'unexpected'; detail: string };

/** How a QEMU process's exit reads: code 0 is the guest powering off; a signal or error code is not. */
export function qemuEndOf(exit: MachineExit): QemuGuestEnd {
  if (exit.signal === null && exit.code === 0) return { kind: 'powered-off' };
  return {
    kind: 'unexpected',
    detail: exit.signal !== null ? `signal ${exit.signal}` : `exit code ${String(exit.code)}`,
  };
}

/** How often a QEMU end seen during an operation on the VM looks again for the operation's end. */
const BUSY_RECHECK_MS = 50;

/**
 * Starts the VM's guest under QEMU on its current disk (the first drive): a fresh boot, or from
 * the VM's saved state. The heartbeat asks the guest agent every few seconds. When QEMU ends on
 * its own (the guest shut itself down, or the process was killed), `onEnded` is told, after the
 * operation that holds the VM at that moment, unless that operation took the guest away.
 */
export async function startQemuGuest(
  ctx: HostContext,
  vm: VmRuntime,
  fromSaved: boolean,
  onEnded: (end: QemuGuestEnd) => void,
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
  const launched = QemuGuest.start(
    {
      vmName: vm.file.name,
      vmId: vm.file.id,
      library: ctx.disks,
      store: ctx.store,
      image,
      memoryMiB: vm.file.configuration.memoryStartupMB,
      processorCount: vm.file.configuration.processorCount ?? 1,
      accelerator: hypervisor.accelerator,
      ...guestNetworkOf(ctx, vm, fromSaved),
      diskTransport: fromSaved
        ? savedDiskTransport(vm.file.savedState?.qemuDevices)
        : bootDiskTransport(),
    },
    drive.path,
    fromSaved ? vmSavedStatePath(vm.file.id) : undefined,
    liveMergeOf(vm),
  );
  // A merge that begins while QEMU comes up waits for it (see `mergeAll`), then finds it in `vm.qemu`.
  const starting = launched.then(
    () => undefined,
    () => undefined,
  );
  vm.qemuStarting = starting;
  let guest: QemuGuest;
  try {
    guest = await launched;
  } finally {
    if (vm.qemuStarting === starting) vm.qemuStarting = null;
  }
  serialConsoleFeedOf(vm).follow(guest.qemu.console);
  const running: QemuVmGuest = {
    guest,
    heartbeat: 'NoContact',
    ipAddresses: [],
    adapterIpAddresses: {},
    stopHeartbeat: () => undefined,
  };
  let asking = false;
  const timer = setInterval(() => {
    if (asking) return;
    asking = true;
    void guest
      .heartbeat()
      .then(async (status) => {
        running.heartbeat = status;
        // Key-Value Pair Exchange: the addresses come with the heartbeat (Wait-VM -For IPAddress),
        // each adapter's matched by its device's MAC address.
        const addresses =
          status === 'OK'
            ? await guestAddressesOf(
                guest.qemu.guestAgent,
                guest.networkAdapters?.adaptersByMacAddress() ?? olderLayoutAdapterOf(ctx, vm),
                ADDRESSES_TIMEOUT_MS,
              )
            : { all: [], byAdapter: {} };
        running.ipAddresses = addresses.all;
        running.adapterIpAddresses = addresses.byAdapter;
      })
      .catch(() => (running.heartbeat = 'NoContact'))
      .finally(() => (asking = false));
  }, HEARTBEAT_INTERVAL_MS);
  timer.unref();
  running.stopHeartbeat = () => clearInterval(timer);
  vm.qemu = running;
  // A merge that ended (or began) while QEMU came up: the guest follows its disk now.
  await serveQemuGuestDisk(vm);
  // The guest powered itself off, or QEMU ended: once nothing else holds the VM, it is Off.
  void guest.qemu.exited.then(async (exit) => {
    while (vm.qemu === running && !ctx.closed && vm.busy !== null)
      await new Promise((resolve) => setTimeout(resolve, BUSY_RECHECK_MS));
    if (vm.qemu !== running || ctx.closed) return;
    onEnded(qemuEndOf(exit));
  });
}

/**
 * The network devices of the VM's guest (qemuNetwork.ts): a boot gets one for every adapter, its
 * link down when Not connected; a restore gets those its saved state recorded (a state saved
 * before they were recorded: the first adapter, when connected, as then). Every switch is QEMU's
 * restricted user-mode network here: the guest reaches no network beyond it.
 */
function guestNetworkOf(
  ctx: HostContext,
  vm: VmRuntime,
  fromSaved: boolean,
): Pick<QemuGuestOptions, 'network' | 'networkAdapters' | 'beforeRun'> {
  const wanted = wantedAdaptersOf(ctx, vm);
  const recorded = fromSaved ? vm.file.savedState?.qemuDevices : bootDeviceRecord(wanted);
  if (recorded === undefined) {
    const network = legacyNetworkOf(wanted);
    return network === undefined ? {} : { network };
  }
  return {
    networkAdapters: recorded,
    beforeRun: async (network) => {
      await network?.setLinks(wanted);
    },
  };
}

/**
 * In the layout of older saved states the guest's one device is the first adapter's (with the MAC
 * address it has now: it could not change while the VM was not Off).
 */
function olderLayoutAdapterOf(ctx: HostContext, vm: VmRuntime): Map<string, string> {
  const first = wantedAdaptersOf(ctx, vm)[0];
  return new Map(first === undefined ? [] : [[macKey(first.macAddress), first.adapterId]]);
}

/** The live merge that the VM's current disk takes part in, if one runs (see `mergeAll`). */
function liveMergeOf(vm: VmRuntime): LiveDiskWrites | null {
  const live = vm.liveMerge ?? null;
  return live !== null && live.path === vm.file.drives[0]?.path ? live : null;
}

/**
 * Serves the VM's current disk to its QEMU guest, through the live merge while one runs on it
 * (behaviour spec §4.6: merges run live while the VM runs): called when a merge begins and ends.
 * A VM without a QEMU guest has nothing to switch; one that is coming up is waited for.
 */
export async function serveQemuGuestDisk(vm: VmRuntime): Promise<void> {
  await vm.qemuStarting;
  const running = vm.qemu ?? null;
  const drive = vm.file.drives[0]?.path;
  if (running === null || drive === undefined) return;
  await running.guest.serveDisk(drive, liveMergeOf(vm));
}

/**
 * How the VM's QEMU process ended, when it has (within `withinMs`, for an end that a failed QMP
 * command has just announced); null while it runs or when the VM has no QEMU guest.
 */
export async function qemuGuestEnded(
  vm: VmRuntime,
  withinMs: number,
): Promise<QemuGuestEnd | null> {
  const guest = vm.qemu?.guest;
  if (guest === undefined) return null;
  let timer: NodeJS.Timeout | undefined;
  const exit = await Promise.race([
    guest.qemu.exited,
    new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), withinMs))),
  ]);
  clearTimeout(timer);
  return exit === null ? null : qemuEndOf(exit);
}

/**
 * The event-log entry for a QEMU process that ended without being asked. Hyper-V's own message
 * for a worker process that ends is not known: these words are this host's.
 */
export function recordQemuGuestEnd(ctx: HostContext, vm: VmRuntime, detail: string): void {
  const ref = { id: vm.file.id, name: vm.file.name };
  ctx.recordEvent?.({
    level: 'Error',
    eventId: EventIds.VmEndedUnexpectedly,
    vm: ref,
    operation: 'Turn Off',
    outcome: 'Failed',
    message: `'${ref.name}' was turned off: its QEMU process ended unexpectedly (${detail}). ${vmIdSuffix(ref.id)}`,
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

/**
 * Save: the guest's memory and device state go to the VM's saved-state file, and QEMU ends.
 * Returns the saved state's record: its uptime, and the devices it was saved with.
 */
export async function saveQemuGuest(vm: VmRuntime, uptimeMs: number): Promise<SavedStateRecord> {
  const guest = vm.qemu?.guest;
  if (guest === undefined) return { uptimeMs };
  const qemuDevices = guest.deviceRecord();
  await guest.save(vmSavedStatePath(vm.file.id));
  detach(vm);
  return qemuDevices === undefined ? { uptimeMs } : { uptimeMs, qemuDevices };
}

/** Shut Down: the guest's operating system is asked to shut down, and QEMU ends with it. */
export async function shutDownQemuGuest(vm: VmRuntime, timeoutMs: number): Promise<void> {
  const guest = vm.qemu?.guest;
  if (guest === undefined) return;
  await guest.shutDown(timeoutMs);
  detach(vm);
}
