import type { FileStore } from '@hvm/vhdx';
import type { DiskLibrary, LiveDiskWrites } from '../disk/diskLibrary.js';
import { uptimeMsAt, type VmFile } from '../persistence/records.js';
import type { Clock } from '../ports.js';
import { reportError, type FailureReporting } from '../storage/failureReport.js';
import type { GuestBootKind, Task, VmState } from '../types.js';
import { inspectGuestDisk, recoverPages, type DiskReader } from './checker.js';
import {
  DB_OFFSET,
  DB_PAGES,
  VOLUME_OFFSET,
  encodeDbHeader,
  encodeLogRecord,
  encodePage,
  encodeVolume,
  logOffset,
  pageOfTxn,
  pageOffset,
} from './diskFormat.js';
import {
  checkReplication,
  checkVmGenerationId,
  replicate,
  type DomainControllerGuest,
} from './domainController.js';
import { findGuestImage, type GuestImage } from './gallery.js';
import {
  GuestRam,
  workingSetPages,
  type GuestMemorySnapshot,
  type GuestMemoryState,
} from './guestMemory.js';

/** The guest's clock tick: every tick its application commits and begins transactions. */
export const GUEST_TICK_MS = 1000;
/** Every so many ticks the application hands its dirty pages to the OS page cache. */
const WRITER_EVERY = 5;
/** Every so many ticks the OS writes its page cache to the disk. */
const OS_FLUSH_EVERY = 3;
/** Every so many ticks the database takes a checkpoint (all pages written, log truncated). */
const DB_CHECKPOINT_EVERY = 30;
const MAX_LINES = 40;

/**
 * What a guest needs of its host: the clock it ticks on, the disk library its writes go through,
 * and where a failed write is told. The host's context is one.
 */
export interface GuestHost extends FailureReporting {
  clock: Clock;
  store: FileStore;
  disks: DiskLibrary;
  /** The guest's disk writes join the host's operations in flight (awaited by `close()`). */
  inFlight: Set<Promise<unknown>>;
}

/** The VM a guest runs in, as the guest sees it: its record (drives, memory, uptime), its state. */
export interface GuestMachine {
  readonly file: VmFile;
  readonly state: VmState;
  /** The guest does no work while its VM's disks merge, unless the merge is live. */
  readonly mergeTask: Task | null;
  /** A live merge of the VM's disks: the guest works on and its writes go through it. */
  readonly liveMerge?: LiveDiskWrites | null;
}

interface Write {
  offset: number;
  data: Uint8Array;
}

/** A running simulated guest: its workload, its page cache and its I/O to the VM's disk. */
export class GuestRuntime {
  private timer: unknown = null;
  private io: Promise<void> = Promise.resolve();
  private suspended = 0;
  /** The guest's RAM: which tick last wrote each page of its working set. */
  private readonly ram: GuestRam;

  private constructor(
    private readonly ctx: GuestHost,
    private readonly vm: GuestMachine,
    readonly image: GuestImage,
    readonly memory: GuestMemoryState,
  ) {
    this.ram = GuestRam.of(this.workingSetMB(), vm.file.configuration.memoryStartupMB);
  }

  /** Cold boot from the disk: a clean start, or crash recovery from the commit log. */
  static async boot(ctx: GuestHost, vm: GuestMachine): Promise<GuestRuntime | null> {
    const image = findGuestImage(vm.file.configuration.guestImage);
    const drive = vm.file.drives[0];
    if (image === null || drive === undefined) return null;
    const read: DiskReader = (offset, length) =>
      ctx.disks.readDisk(ctx.store, drive.path, offset, length);
    const disk = await inspectGuestDisk(read);
    const state: GuestMemoryState = {
      v: 1,
      image: image.name,
      nextTxn: 1,
      lastCommitted: 0,
      checkpointLsn: 0,
      invocation: 1,
      mountCount: 0,
      inFlight: [],
      pages: [],
      dirty: [],
      osCache: [],
      ticks: 0,
      boot: { kind: 'no-operating-system', message: 'No operating system was loaded.' },
      lines: [],
    };
    const guest = new GuestRuntime(ctx, vm, image, state);
    if (disk.boot === null || disk.header === null || disk.volume === null) {
      guest.say(
        'Boot failure. Reboot and select proper boot device or insert boot media in the selected boot device.',
      );
      state.boot = {
        kind: 'no-operating-system',
        message: 'No bootable operating system was found on the disk.',
      };
      return guest;
    }
    const header = disk.header;
    const clean = !header.open && disk.volume.clean;
    const recovered = recoverPages(disk);
    const last = disk.log.at(-1)?.lsn ?? header.checkpointLsn;
    state.pages = recovered.pages;
    state.lastCommitted = last;
    state.checkpointLsn = last;
    state.nextTxn = last + 1;
    state.invocation = header.invocation;
    state.mountCount = disk.volume.mountCount + 1;
    guest.say(`${image.os} starting.`);
    const kind: GuestBootKind = clean ? 'clean-start' : 'crash-recovery';
    const message = clean
      ? `Clean start: ${image.application} opened its database, closed cleanly at LSN ${last}.`
      : header.writerFrozen === true
        ? `Recovery of a VSS snapshot: redid ${recovered.redone} committed transactions from the log up to LSN ${last} and rolled back ${disk.inFlight.length} transactions that were in flight when the VSS writer froze I/O.`
        : `Crash recovery: the database was not closed cleanly; redid ${recovered.redone} committed transactions from the log up to LSN ${last}; transactions in flight at the time were lost.`;
    state.boot = { kind, message };
    guest.say(message);
    // A domain controller that sees a new VM-Generation ID applies its safeguards (a new
    // invocation ID among them); one restored from a VSS image without that takes a new one too.
    const safeguarded = checkVmGenerationId(guest.dc, header.generationId ?? null);
    if (!safeguarded && image.domainController && header.backupImage) {
      state.invocation = header.invocation + 1;
      state.boot = {
        kind: 'restored-from-backup',
        message: `Restored from a VSS backup image: Active Directory took a new invocation ID (${state.invocation}) and replicates from its partner; highest USN ${last}.`,
      };
      guest.say(state.boot.message);
    }
    const writes: Write[] = [];
    for (let page = 0; page < DB_PAGES; page += 1) {
      const content = state.pages[page];
      if (!clean && content !== undefined)
        writes.push({ offset: pageOffset(page), data: encodePage(page, content) });
    }
    guest.writeHeader(writes, true, false);
    writes.push({
      offset: VOLUME_OFFSET,
      data: encodeVolume({ clean: false, mountCount: state.mountCount }),
    });
    checkReplication(guest.dc);
    guest.enqueue(writes);
    await guest.drain();
    return guest;
  }

  /** Start from a saved state: the same memory, uptime and in-flight transactions. */
  static resume(ctx: GuestHost, vm: GuestMachine, saved: GuestMemorySnapshot): GuestRuntime | null {
    const image = findGuestImage(saved.state.image);
    if (image === null) return null;
    const guest = new GuestRuntime(ctx, vm, image, structuredClone(saved.state));
    guest.ram.stamps.set(saved.stamps.subarray(0, guest.ram.pages));
    if (guest.memory.pages.length === 0) return guest;
    guest.memory.boot = {
      kind: 'resumed',
      message: `Resumed from saved state: ${saved.state.inFlight.length} in-flight transactions continue, ${saved.state.lastCommitted} committed.`,
    };
    guest.say(guest.memory.boot.message);
    // A DC resumed from a checkpoint's memory checks the VM-Generation ID before its next update.
    checkVmGenerationId(guest.dc, guest.memory.generationId ?? null);
    checkReplication(guest.dc);
    return guest;
  }

  /** The domain controller's view of this guest (its replication and safeguards). */
  get dc(): DomainControllerGuest {
    return {
      image: this.image,
      memory: this.memory,
      file: this.vm.file,
      say: (line) => this.say(line),
    };
  }

  get booted(): boolean {
    return this.memory.pages.length > 0;
  }

  /** Runs the workload on the host clock while the VM is Running. */
  startTicking(): void {
    if (this.timer !== null || !this.booted) return;
    this.timer = this.ctx.clock.setTimeout(() => {
      this.timer = null;
      this.tick();
    }, GUEST_TICK_MS);
  }

  stopTicking(): void {
    if (this.timer !== null) this.ctx.clock.clearTimeout(this.timer);
    this.timer = null;
  }

  /** Waits until every write the guest issued has reached the disk. */
  async drain(): Promise<void> {
    for (;;) {
      const pending = this.io;
      await pending;
      if (pending === this.io) return;
    }
  }

  /** The host holds the guest still (a checkpoint switching disks); ticks pass without work. */
  suspend(): void {
    this.suspended += 1;
  }

  unsuspend(): void {
    this.suspended = Math.max(0, this.suspended - 1);
  }

  /** Turn Off, Save, host close: no more ticks, outstanding writes finished. */
  async halt(): Promise<void> {
    this.stopTicking();
    await this.drain();
  }

  /**
   * VSS freeze before a production or recovery checkpoint. Either way the file systems are
   * flushed (the OS page cache written) and the volume is marked clean. An application with a VSS
   * writer (SQL Server, Active Directory) then freezes its I/O: as SQL Server's writer does, it
   * commits nothing ("Freeze: the SQL writer will call SQL Server to freeze all the database
   * I/O's"; SQL Server's "SQL Server Backup Applications - Volume Shadow Copy Service (VSS) and
   * SQL Writer"; behaviour spec R33). Its transactions in flight stay in flight: the image is "in
   * a non-recovered state" and recovery rolls them back. The model hardens the log first (a begin
   * record per transaction in flight, our simplification of SQL Server's write-ahead log, whose
   * exact content at the freeze is not documented there) and marks the header frozen by its writer,
   * so the checker and the next boot know what recovery has to roll back. Returns what it did.
   */
  async freeze(): Promise<string> {
    const s = this.memory;
    const writes: Write[] = [];
    const flushed = s.osCache.length;
    for (const page of s.osCache) this.pushPage(writes, page);
    s.osCache = [];
    let report: string;
    if (this.image.quiesce === 'application') {
      for (const id of s.inFlight)
        writes.push({
          offset: logOffset(id),
          data: encodeLogRecord({ lsn: id, page: pageOfTxn(id), delta: 0, begin: true }),
        });
      this.writeHeader(writes, true, true, true);
      report = `VSS writer of ${this.image.application}: I/O frozen at LSN ${s.lastCommitted} after the file systems were flushed (${flushed} pages); ${s.inFlight.length} transactions stay in flight, and recovery of this image rolls them back.`;
    } else {
      report = `File systems frozen after writing ${flushed} buffered pages; ${this.image.application} is not VSS-aware (${s.inFlight.length} transactions in flight, ${s.dirty.length} pages in its own buffers).`;
    }
    writes.push({
      offset: VOLUME_OFFSET,
      data: encodeVolume({ clean: true, mountCount: s.mountCount }),
    });
    this.say(report);
    this.enqueue(writes);
    await this.drain();
    return report;
  }

  /** After the checkpoint: the database and volume are in use again (on the new disk). */
  async thaw(): Promise<void> {
    const writes: Write[] = [];
    if (this.image.quiesce === 'application') this.writeHeader(writes, true, false);
    writes.push({
      offset: VOLUME_OFFSET,
      data: encodeVolume({ clean: false, mountCount: this.memory.mountCount }),
    });
    this.say('Thawed: writes resume.');
    this.enqueue(writes);
    await this.drain();
  }

  /** Shut Down: in-flight transactions roll back, every page is written, the database closes. */
  async shutDown(): Promise<void> {
    this.stopTicking();
    const s = this.memory;
    const writes: Write[] = [];
    const rolledBack = s.inFlight.length;
    s.inFlight = [];
    this.writeAllPages(writes);
    s.checkpointLsn = s.lastCommitted;
    this.writeHeader(writes, false, false);
    writes.push({
      offset: VOLUME_OFFSET,
      data: encodeVolume({ clean: true, mountCount: s.mountCount }),
    });
    this.say(
      `Shutting down: rolled back ${rolledBack} transactions, database closed at LSN ${s.lastCommitted}.`,
    );
    this.enqueue(writes);
    await this.drain();
  }

  /**
   * The guest's memory at this instant, for a saved state: a copy of its state and of its page
   * map (copy-on-write in effect: the guest may run on while the pages are written from it).
   */
  capture(): GuestMemorySnapshot {
    this.fitRam();
    return { state: structuredClone(this.memory), stamps: this.ram.snapshot() };
  }

  private fitRam(): void {
    this.ram.resize(
      workingSetPages(this.workingSetMB(), this.vm.file.configuration.memoryStartupMB),
    );
  }

  workingSetMB(): number {
    const configured = this.vm.file.configuration.workingSetMB ?? this.image.workingSetMB;
    return Math.min(configured, this.vm.file.configuration.memoryStartupMB);
  }

  /** Runs the workload for `ticks` ticks at once (the demo seeder's "some time has passed"). */
  async runTicks(ticks: number): Promise<void> {
    for (let n = 0; n < ticks; n += 1) this.work();
    await this.drain();
  }

  private tick(): void {
    if (this.vm.state !== 'Running') return;
    const merging = this.vm.mergeTask !== null || this.vm.file.merge !== null;
    if (this.suspended === 0 && (!merging || this.liveMergeOf() !== null)) {
      this.work();
    }
    this.startTicking();
  }

  private work(): void {
    const s = this.memory;
    s.ticks += 1;
    this.fitRam();
    this.ram.touch(s.ticks);
    const writes: Write[] = [];
    // Group commit: last tick's transactions commit (log record written and flushed).
    for (const id of s.inFlight) this.commit(id, writes);
    s.inFlight = [];
    for (let k = 0; k < this.image.transactionsPerTick; k += 1) s.inFlight.push(s.nextTxn++);
    if (s.ticks % DB_CHECKPOINT_EVERY === 0) {
      this.writeAllPages(writes);
      s.checkpointLsn = s.lastCommitted;
      this.writeHeader(writes, true, false);
      this.say(`Database checkpoint at LSN ${s.lastCommitted}.`);
    } else {
      if (s.ticks % WRITER_EVERY === 0) {
        s.osCache = [...new Set([...s.osCache, ...s.dirty])];
        s.dirty = [];
      }
      if (s.ticks % OS_FLUSH_EVERY === 0) {
        for (const page of s.osCache) this.pushPage(writes, page);
        s.osCache = [];
      }
    }
    replicate(this.dc);
    this.enqueue(writes);
  }

  private commit(id: number, writes: Write[]): void {
    const s = this.memory;
    const page = pageOfTxn(id);
    const content = s.pages[page];
    if (content === undefined) return;
    content.value += id;
    content.lsn = id;
    if (!s.dirty.includes(page)) s.dirty.push(page);
    s.lastCommitted = id;
    writes.push({ offset: logOffset(id), data: encodeLogRecord({ lsn: id, page, delta: id }) });
  }

  private pushPage(writes: Write[], page: number): void {
    const content = this.memory.pages[page];
    if (content !== undefined)
      writes.push({ offset: pageOffset(page), data: encodePage(page, content) });
  }

  private writeAllPages(writes: Write[]): number {
    const s = this.memory;
    const pages = [...new Set([...s.dirty, ...s.osCache])];
    for (const page of pages) this.pushPage(writes, page);
    s.dirty = [];
    s.osCache = [];
    return pages.length;
  }

  private writeHeader(
    writes: Write[],
    open: boolean,
    backupImage: boolean,
    writerFrozen = false,
  ): void {
    const s = this.memory;
    writes.push({
      offset: DB_OFFSET,
      data: encodeDbHeader({
        open,
        backupImage,
        writerFrozen,
        checkpointLsn: s.checkpointLsn,
        invocation: s.invocation,
        generationId: s.generationId ?? null,
      }),
    });
  }

  private enqueue(writes: Write[]): void {
    if (writes.length === 0) return;
    const run = this.io.then(async () => {
      const drive = this.vm.file.drives[0];
      if (drive === undefined) return;
      try {
        const live = this.liveMergeOf();
        if (live !== null) await live.write(writes);
        else await this.ctx.disks.writeDiskRanges(this.ctx.store, drive.path, writes);
      } catch (error) {
        this.say(
          `Disk write failed: ${reportError(this.ctx, `The guest of '${this.vm.file.name}'`, error)}`,
        );
      }
    });
    this.io = run;
    this.ctx.inFlight.add(run);
    void run.finally(() => this.ctx.inFlight.delete(run));
  }

  /** The live merge the guest's disk takes part in, if one is running. */
  private liveMergeOf(): LiveDiskWrites | null {
    const live = this.vm.liveMerge ?? null;
    return live !== null && live.path === this.vm.file.drives[0]?.path ? live : null;
  }

  say(line: string): void {
    const seconds = Math.floor(uptimeMsAt(this.vm.file, this.ctx.clock.now()) / 1000);
    const stamp = `${String(Math.floor(seconds / 3600)).padStart(2, '0')}:${String(Math.floor(seconds / 60) % 60).padStart(2, '0')}:${String(seconds % 60).padStart(2, '0')}`;
    this.memory.lines.push(`[${stamp}] ${line}`);
    if (this.memory.lines.length > MAX_LINES)
      this.memory.lines.splice(0, this.memory.lines.length - MAX_LINES);
  }
}
