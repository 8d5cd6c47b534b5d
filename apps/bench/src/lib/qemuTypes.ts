// The figures of the `qemu` section: real tiny-linux guests under QEMU (qemu.ts measures them,
// qemuReport.ts renders them).

/** What the guests ran on: the accelerator, why it was chosen, and QEMU's machine. */
export interface QemuMachineDescription {
  accelerator: 'kvm' | 'tcg';
  /** Why (`acceleratorForThisHost`'s reason), or that TCG runs beside a working KVM. */
  reason: string;
  /** `qemu-system-x86_64 --version`, first line. */
  qemu: string;
  /** QEMU's `-machine` and `-cpu` values, as `@hvm/qemu` builds the command line. */
  machineType: string;
  cpuModel: string;
  processorCount: number;
  /** The guest image's kernel version (its manifest), and whether its guest agent is in. */
  guestKernel: string;
}

/** One pattern (write or read) of the disk figures: guest-measured seconds per run. */
export interface GuestThroughput {
  /** MiB/s of the median run, through the product's disk (VHDX) and on the raw file. */
  productMiBs: number;
  rawMiBs: number;
  /** Product over raw (medians of each pair's own ratio: the pair ran back to back). */
  ratio: number;
  samples: { productSeconds: number[]; rawSeconds: number[] };
}

export interface GuestDiskFigures {
  /** Bytes each `dd` moves. */
  bytes: number;
  /** How many times the file is read, one `dd` after another, in one timed read run. */
  readPasses: number;
  /** The guests' memory and the disks' size. */
  memoryMiB: number;
  diskBytes: number;
  /** How the product's guest reached its disk (the engine's `QemuGuest.diskTransport`). */
  transport: 'vhost-user-blk' | 'nbd';
  write: GuestThroughput;
  read: GuestThroughput;
}

/** A Standard checkpoint of a running guest of one memory size. */
export interface StandardPause {
  memoryMiB: number;
  /** MiB of the guest's memory filled with random bytes before the checkpoints. */
  touchedMiB: number;
  /** From QMP's STOP event to its RESUME event, as the host received them (median). */
  pauseMs: number;
  /** `QemuGuest.checkpoint('Standard', …)` from call to return (median). */
  checkpointMs: number;
  /** From the call until the memory file is whole and durable, the guest running meanwhile (median). */
  memoryWrittenMs: number;
  /** Size of the saved-state file (median). */
  savedStateBytes: number;
  samples: {
    pauseMs: number[];
    checkpointMs: number[];
    memoryWrittenMs: number[];
    savedStateBytes: number[];
  };
}

export interface StandardPauseFigures {
  sizes: StandardPause[];
  /** Least-squares slope of the pause against guest memory, ms per GiB. */
  msPerGiB: number;
  /** The same line at 0 GiB: what a pause costs whatever the memory. */
  interceptMs: number;
}

export interface ProductionFreezeFigures {
  /** `guest-fsfreeze-freeze` from sending it to its answer: the guest flushing and freezing. */
  freezeMs: number;
  /** From the freeze's answer to the thaw's answer: how long the file systems stayed frozen. */
  frozenMs: number;
  /** `QemuGuest.checkpoint('Production', …)` from call to return. */
  checkpointMs: number;
  /** STOP events QEMU sent during the checkpoints (a Production checkpoint never pauses). */
  pauses: number;
  samples: { freezeMs: number[]; frozenMs: number[]; checkpointMs: number[] };
}

/** Each part's figures, or the message it failed with. */
export type Part<T> = T | { error: string };

export interface QemuAcceleratorFigures {
  machine: QemuMachineDescription;
  /** The host's 1-minute load average when these guests started and when they ended. */
  loadAverage: { start: number; end: number };
  disk: Part<GuestDiskFigures>;
  standard: Part<StandardPauseFigures>;
  production: Part<ProductionFreezeFigures>;
}

export interface QemuFigures {
  /** One entry per accelerator measured: TCG always, KVM too when the probe says it works. */
  runs: QemuAcceleratorFigures[];
}

export interface QemuConfig {
  /** Bytes each guest `dd` writes and reads. */
  diskBytes: number;
  diskRuns: number;
  /**
   * How many times a timed read run reads the file (default 1): a 256 MiB read lasts about 0.15 s
   * of the guest's clock, whose grain is 10 ms, so one pass alone would be coarse.
   */
  diskReadPasses?: number;
  /** Guest memory sizes of the Standard checkpoint figure (two at least: the slope). */
  memorySizesMiB: number[];
  standardRuns: number;
  productionRuns: number;
  /** Only the disk figures (`--qemu-disk-only`): no checkpoint is measured. */
  diskOnly?: boolean;
}
