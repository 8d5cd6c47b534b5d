/**
 * A VM's guest run by QEMU on the VM's own disk chain. The chain is served from this process on a
 * private connection it makes (QEMU cannot open a differencing VHDX): a vhost-user-blk device, or
 * NBD for states saved before (qemuDiskTransport.ts). Every block the guest writes lands in the
 * current `.avhdx`; a checkpoint switches the disk served to a new child while the guest's
 * connection stays open. Checkpoints are taken as Hyper-V takes them (behaviour spec §1.3-§1.5):
 * - Standard: QEMU saves the running guest's memory and device state into the checkpoint's
 *   saved-state file and stops it at the end; the disk is flushed and switched at that stop, and
 *   the guest resumes. Applying it leaves the VM Saved; starting restores the
 *   state onto a new child of the checkpoint's disk and the guest goes on exactly.
 * - Production: the guest agent freezes the guest's file systems (`guest-fsfreeze-freeze`, the
 *   Backup integration service's part), the disk is switched, the file systems are thawed; no
 *   memory is saved. Without an agent that answers, Production falls back to Standard with the
 *   reason and ProductionOnly fails with the engine's ProductionCheckpointFailed error, the rules
 *   the simulated guests follow (checkpoint/checkpointKind.ts).
 */
import { QemuMachine } from '@hvm/qemu';
import { fallbackReasonText } from '../checkpoint/fallbackReasons.js';
import type { LiveDiskWrites } from '../disk/diskLibrary.js';
import { productionCheckpointFailed } from '../errors.js';
import type { ProductionFallbackReason } from '../types.js';
import type { GuestCheckpointResult, RunningGuest } from './hypervisor.js';
import { freezeOrWhyNot, thawFileSystems } from './qemuGuestBackup.js';
import { intrinsicExchangeItemsOf } from './qemuGuestExchange.js';
import { QemuGuestNetwork, networkAdapterPortsOf } from './qemuNetwork.js';
import { QemuServedDisk } from './qemuServedDisk.js';
import { bootDiskTransport, type QemuDiskTransport } from './qemuDiskTransport.js';
import { serveGuestDisk, type ServedGuestDisk } from './qemuDiskConnection.js';
import type { QemuDeviceRecord } from '../persistence/records.js';
import type { MemoryWriting, QemuGuestOptions } from './qemuGuestOptions.js';

export type { MemoryWriting, QemuGuestOptions } from './qemuGuestOptions.js';

/** Whether the log was told that QEMU cannot save memory in the background here (once per process). */
let backgroundSaveRefusalSaid = false;

/** Switches the guest's disk to Now's new child; resolves with the undo (`withNewChild`). */
type SwitchDisk = () => Promise<() => Promise<void>>;

export class QemuGuest implements RunningGuest {
  private released: Promise<void> | undefined;

  private constructor(
    private readonly options: QemuGuestOptions,
    private readonly machine: QemuMachine,
    private readonly server: ServedGuestDisk,
    private readonly disk: QemuServedDisk,
    /** The guest's network adapter devices; null for the layout of older saved states (`network`). */
    readonly networkAdapters: QemuGuestNetwork | null,
    /** How the disk reaches QEMU (qemuDiskTransport.ts). */
    readonly diskTransport: QemuDiskTransport,
  ) {
    // The guest powered itself off (or QEMU ended): release the chain.
    void machine.exited.then(() => this.release());
  }

  get currentDisk(): string {
    return this.disk.currentPath;
  }

  /** The QEMU machine, for its serial console and QMP. */
  get qemu(): QemuMachine {
    return this.machine;
  }

  /**
   * Starts the guest on `diskPath` (the VM's current disk): a fresh boot, or with `restoreFrom`
   * (a saved-state file in the store) the saved guest going on where it was. With `live` (a
   * merge of the disk's chain is running) the disk is served through the live merge.
   */
  static async start(
    options: QemuGuestOptions,
    diskPath: string,
    restoreFrom?: string,
    live: LiveDiskWrites | null = null,
  ): Promise<QemuGuest> {
    const { store } = options;
    if (store.absolutePath === undefined)
      throw new Error('a QEMU guest needs its disks in a folder on this host');
    const transport = options.diskTransport ?? bootDiskTransport();
    const disk = await QemuServedDisk.open(options.library, store, diskPath, live);
    let server: ServedGuestDisk | undefined;
    try {
      // The guest's disk connection, made here; QEMU inherits its end. It lasts as long as QEMU:
      // a checkpoint switches the file behind it.
      server = serveGuestDisk(transport, disk);
      const launching = QemuMachine.launch(
        {
          name: options.vmName,
          memoryMiB: options.memoryMiB,
          processorCount: options.processorCount,
          accelerator: options.accelerator,
          kernel: {
            kernel: options.image.kernel,
            initrd: options.image.initrd,
            cmdline: options.image.cmdline,
          },
          disk: server.machineDisk,
          ...(options.network === undefined ? {} : { network: options.network }),
          ...(options.networkAdapters === undefined
            ? {}
            : { networkAdapters: networkAdapterPortsOf(options.networkAdapters) }),
          // The port is there whether or not an agent listens in the guest, as Hyper-V's
          // integration services' devices are.
          guestAgent: true,
        },
        restoreFrom === undefined ? {} : { restoreFrom: store.absolutePath(restoreFrom) },
      );
      // QEMU holds its own copy of its end once started (or has ended): this process's goes.
      const served = server;
      const machine = await launching.finally(() => served.releaseClientDescriptor());
      const networkAdapters =
        options.networkAdapters === undefined
          ? null
          : new QemuGuestNetwork(machine.qmp, options.networkAdapters);
      try {
        await options.beforeRun?.(networkAdapters);
      } catch (error) {
        await machine.quit().catch(() => undefined);
        throw error;
      }
      const guest = new QemuGuest(options, machine, server, disk, networkAdapters, transport);
      await machine.start();
      return guest;
    } catch (error) {
      await server?.close().catch(() => undefined);
      await disk.close().catch(() => undefined);
      throw error;
    }
  }

  /**
   * The devices QEMU has now, what a state saved now restores onto: the network adapters' and the
   * disk's transport; undefined in the network layout of older saved states (whose disk is NBD's).
   */
  deviceRecord(): QemuDeviceRecord | undefined {
    const network = this.networkAdapters?.record();
    if (network === undefined) return undefined;
    return this.diskTransport === 'vhost-user-blk'
      ? { ...network, diskTransport: this.diskTransport }
      : network;
  }

  /**
   * Serves `path` to the guest from now on, through `live` when a merge of its chain runs (a live
   * merge: the guest's writes land by its rule and its reads see them), else opened as usual. The
   * guest's disk connection stays open and notices nothing: the switch waits for the requests sent
   * before it, and the disk served before is flushed and closed. Nothing happens when that is
   * already what is served, or once the guest has ended.
   */
  serveDisk(path: string, live: LiveDiskWrites | null): Promise<void> {
    if (this.released !== undefined) return Promise.resolve();
    return this.disk.serve(path, live);
  }

  /**
   * Closes the disk's connection and the chain (flushed, log emptied) once; every caller waits for it.
   * Each step runs even when one before it failed: nothing of the guest's chain stays open once
   * it has ended (`QemuServedDisk.close` lets go of the parents too).
   */
  private release(): Promise<void> {
    this.released ??= (async () => {
      try {
        await this.server.close();
      } finally {
        // A switch under way ends first: the disk it serves is the one closed here.
        await this.disk.close();
      }
    })();
    return this.released;
  }

  async pause(): Promise<void> {
    await this.machine.pause();
  }

  async resume(): Promise<void> {
    await this.machine.resume();
  }

  async save(savedStatePath: string): Promise<void> {
    await this.machine.pause();
    await this.machine.saveState(this.absolute(savedStatePath));
    await this.machine.quit();
    await this.release();
  }

  async turnOff(): Promise<void> {
    await this.machine.quit();
    await this.release();
  }

  /**
   * Asks the guest to shut down: through the agent (the Shutdown integration service's part), and
   * when no agent answers or the guest is still up after half the time, with the ACPI power
   * button; waits for QEMU to end.
   */
  async shutDown(timeoutMs: number): Promise<void> {
    const exitedWithin = (ms: number): Promise<boolean> =>
      Promise.race([
        this.machine.exited.then(() => true),
        new Promise<false>((resolve) => setTimeout(() => resolve(false), ms)),
      ]);
    const agent = this.machine.guestAgent;
    const askedAgent =
      agent !== undefined &&
      (await agent.ping(this.agentTimeout())) &&
      (await agent.executeWithoutAnswer('guest-shutdown', { mode: 'powerdown' }).then(
        () => true,
        () => false,
      ));
    let ended = askedAgent && (await exitedWithin(timeoutMs / 2));
    if (!ended) {
      await this.machine.pressPowerButton().catch(() => undefined);
      ended = await exitedWithin(askedAgent ? timeoutMs / 2 : timeoutMs);
    }
    if (!ended) throw new Error(`the guest of '${this.options.vmName}' did not shut down in time`);
    await this.release();
  }

  /** The guest's intrinsic Key-Value Pair Exchange items, from the agent (qemuGuestExchange.ts). */
  intrinsicExchangeItems(): Promise<Record<string, string>> {
    return intrinsicExchangeItemsOf(this.machine.guestAgent, this.agentTimeout());
  }

  async heartbeat(): Promise<'OK' | 'NoContact'> {
    const agent = this.machine.guestAgent;
    return agent !== undefined && (await agent.ping(this.agentTimeout())) ? 'OK' : 'NoContact';
  }

  private agentTimeout(): number {
    return this.options.agentTimeoutMs ?? 3_000;
  }

  private absolute(path: string): string {
    const { store } = this.options;
    if (store.absolutePath === undefined)
      throw new Error('a QEMU guest needs its files in a folder on this host');
    return store.absolutePath(path);
  }

  async checkpoint(
    type: 'Standard' | 'Production' | 'ProductionOnly',
    newDiskPath: string,
    savedStatePath: string,
    beforeResume: () => Promise<void> = () => Promise.resolve(),
    memory: MemoryWriting = {},
  ): Promise<GuestCheckpointResult> {
    return this.withNewChild(newDiskPath, async (switchDisk) => {
      const standard = (fallbackReason: ProductionFallbackReason | null) =>
        this.standardCheckpoint(switchDisk, savedStatePath, fallbackReason, beforeResume, memory);
      if (type === 'Standard') return standard(null);
      const reason = await this.freezeOrWhyNot();
      if (reason === null) return this.productionCheckpoint(switchDisk, beforeResume);
      if (type === 'ProductionOnly')
        throw productionCheckpointFailed(
          this.options.vmName,
          this.options.vmId,
          fallbackReasonText(reason),
        );
      return standard(reason);
    });
  }

  /**
   * Makes Now's new child `newDiskPath` of the disk served and opens it before anything holds the
   * guest (it may run and write meanwhile), then runs `work`, which switches the export to it
   * (`switchDisk`, resolving with the undo) while the guest is held; the parent, flushed by the
   * switch, is closed after that, and the answer waits for it. A child never switched to is
   * removed, whatever `work` did.
   */
  private async withNewChild<T>(
    newDiskPath: string,
    work: (switchDisk: SwitchDisk) => Promise<T>,
  ): Promise<T> {
    const child = await this.disk.prepareChild(newDiskPath);
    let switched = false;
    let parentClosed: Promise<void> = Promise.resolve();
    try {
      const result = await work(async () => {
        switched = true;
        const switchedTo = await this.disk.switchToChild(child);
        parentClosed = switchedTo.parentClosed;
        parentClosed.catch(() => undefined);
        return switchedTo.undo;
      });
      // The checkpoint's disk is closed once the guest goes on (it needs no pause).
      await parentClosed;
      return result;
    } finally {
      if (!switched) await this.disk.discardChild(child);
    }
  }

  private freezeOrWhyNot(): Promise<ProductionFallbackReason | null> {
    const { image } = this.options;
    return freezeOrWhyNot(image.agent, this.machine.guestAgent, this.agentTimeout());
  }

  /**
   * A recovery checkpoint (behaviour spec §2: backup's, never with memory): with `quiesce`, the
   * file systems are frozen through the agent while the disk switches (application-consistent, as
   * VSS in the guest makes it); without, or when the guest cannot freeze them, the guest is only
   * paused while it switches (crash-consistent) and the answer says why it was not quiesced.
   */
  async recoveryCheckpoint(
    quiesce: boolean,
    newDiskPath: string,
    beforeResume: () => Promise<void> = () => Promise.resolve(),
  ): Promise<{ quiesced: boolean; reason: ProductionFallbackReason | null }> {
    return this.withNewChild(newDiskPath, async (switchDisk) => {
      const reason = quiesce ? await this.freezeOrWhyNot() : null;
      if (quiesce && reason === null) {
        await this.productionCheckpoint(switchDisk, beforeResume);
        return { quiesced: true, reason: null };
      }
      const wasRunning = (await this.machine.status()) === 'running';
      if (wasRunning) await this.machine.pause();
      try {
        const undo = await switchDisk();
        try {
          await beforeResume();
        } catch (error) {
          await undo();
          throw error;
        }
      } finally {
        if (wasRunning) await this.machine.resume();
      }
      return { quiesced: false, reason };
    });
  }

  /**
   * A Standard checkpoint. A running guest pauses only briefly, as Hyper-V's (behaviour spec §1.3,
   * S45: pause, switch the disks, resume; the memory is not written during the pause): QEMU sends
   * its memory into `savedStatePath` while it runs (pre-copy) and stops it once the rest fits in a
   * short downtime; at that stop the disk switches to Now's new child (made before the memory is
   * sent: `withNewChild`), `beforeResume` records it, and the guest resumes, so the saved state and
   * the frozen disk are of the same instant: the flush, the switch and the record are all the
   * pause holds besides QEMU's last pass. The result's
   * `memoryWritten` resolves once the file is durable. Where QEMU cannot save a running guest so
   * (said once in the log), or the VM is Paused, the guest is paused, switched and saved, and
   * `beforeResume` runs then, as before.
   *
   * QEMU's `background-snapshot` (stateFile.ts) was measured too: with QEMU 7.2 on this host its
   * pause grows with the memory (its write-protection set-up runs while the guest is stopped),
   * which is what this avoids.
   */
  private async standardCheckpoint(
    switchDisk: SwitchDisk,
    savedStatePath: string,
    fallbackReason: ProductionFallbackReason | null,
    beforeResume: () => Promise<void>,
    memory: MemoryWriting,
  ): Promise<GuestCheckpointResult> {
    const wasRunning = (await this.machine.status()) === 'running';
    const file = this.absolute(savedStatePath);
    const progress = {
      ...(memory.onProgress === undefined ? {} : { onProgress: memory.onProgress }),
      ...(memory.maxBytesPerSecond === undefined
        ? {}
        : { maxBytesPerSecond: memory.maxBytesPerSecond }),
    };
    let memoryWritten: Promise<void> | null = null;
    if (wasRunning) {
      const save = await this.machine.saveStateWhileRunning(file, progress);
      if ('refused' in save)
        this.sayOnce(
          `QEMU cannot save a running guest's memory while it runs here (${save.refused}): the guest of '${this.options.vmName}' stays paused while its memory is written, and so will others.`,
        );
      else {
        // Handled here too: the caller may fail before it waits for it.
        save.written.catch(() => undefined);
        memoryWritten = save.written;
      }
    }
    // Stopped by QEMU at the end of its pre-copy (`postmigrate`), or paused here.
    if (wasRunning && memoryWritten === null) await this.machine.pause();
    try {
      const undo = await switchDisk();
      try {
        if (memoryWritten === null) await this.machine.saveState(file, undefined, progress);
        await beforeResume();
      } catch (error) {
        await undo();
        throw error;
      }
    } catch (error) {
      await memoryWritten?.catch(() => undefined);
      await this.options.store.unlink(savedStatePath).catch(() => undefined);
      throw error;
    } finally {
      if (wasRunning) await this.machine.resume();
    }
    return { kind: 'Standard', fallbackReason, memoryWritten };
  }

  private sayOnce(message: string): void {
    if (backgroundSaveRefusalSaid) return;
    backgroundSaveRefusalSaid = true;
    (this.options.log ?? console.warn)(message);
  }

  /** Switches the disk under the frozen file systems, then thaws them. */
  private async productionCheckpoint(
    switchDisk: SwitchDisk,
    beforeResume: () => Promise<void>,
  ): Promise<GuestCheckpointResult> {
    const agent = this.machine.guestAgent;
    if (agent === undefined) throw new Error('no guest agent port');
    // The file systems are frozen (`freezeOrWhyNot`, qemuGuestBackup.ts).
    try {
      // The frozen guest still runs; the switch waits for the requests already sent.
      const undo = await switchDisk();
      try {
        await beforeResume();
      } catch (error) {
        // Held still while the switch is undone: nothing the guest writes may reach the child.
        await this.machine.pause();
        try {
          await undo();
        } finally {
          await this.machine.resume();
        }
        throw error;
      }
    } finally {
      await thawFileSystems(agent);
    }
    return { kind: 'Production', fallbackReason: null };
  }
}
