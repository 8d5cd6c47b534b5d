// The `qemu` section: real tiny-linux guests (`@hvm/guest-image`) run by the engine's QemuGuest
// on VHDX chains served from this process (vhost-user-blk where it can, else NBD), against the
// same QEMU on a raw file. TCG always; KVM beside it only when `@hvm/qemu`'s accelerator probe
// says KVM runs the guest's kernel.
import { readFileSync } from 'node:fs';
import { truncate, writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { QemuGuest, nodeFileStore, type QemuGuestOptions } from '@hvm/engine';
import { vhdxDiskLibrary } from '@hvm/engine/testing';
import { ensureGuestImage, type GuestImage } from '@hvm/guest-image';
import { QemuMachine, acceleratorForThisHost, qemuArguments, type Accelerator } from '@hvm/qemu';
import { guestReady, guestSeconds, guestShell } from './guestShell.js';
import { measureProduction, measureStandard, pausePerGiB } from './qemuCheckpoints.js';
import type {
  GuestDiskFigures,
  GuestThroughput,
  Part,
  QemuAcceleratorFigures,
  QemuConfig,
  QemuFigures,
  QemuMachineDescription,
  StandardPause,
} from './qemuTypes.js';
import { MIB, median, tryOutput, withTempDir } from './util.js';

/** Boot to a running workload and an answering agent; generous, as TCG on a loaded host is slow. */
const BOOT_MS = 240_000;
/** The disk guests have the first memory size of the Standard checkpoint figure. */
const diskGuestMemory = (config: QemuConfig): number => config.memorySizesMiB[0] ?? 256;
const seconds = (ms: number): string => (ms / 1000).toFixed(1);
const PROCESSORS = 1;

type Log = (message: string) => void;

function describeMachine(
  accelerator: Accelerator,
  reason: string,
  image: GuestImage,
): QemuMachineDescription {
  const args = qemuArguments(
    { name: 'bench', memoryMiB: 256, processorCount: PROCESSORS, accelerator, guestAgent: false },
    { qmp: 'qmp.sock', guestAgent: 'qga.sock' },
  );
  const value = (option: string): string => args[args.indexOf(option) + 1] ?? '?';
  let guestKernel = '?';
  try {
    const manifest = JSON.parse(
      readFileSync(join(dirname(image.kernel), 'manifest.json'), 'utf8'),
    ) as { kernelVersion?: string };
    guestKernel = manifest.kernelVersion ?? '?';
  } catch {
    // An image without a manifest: the kernel's version stays unknown.
  }
  return {
    accelerator,
    reason,
    qemu: tryOutput('qemu-system-x86_64', ['--version'])?.split('\n')[0] ?? 'not installed',
    machineType: value('-machine'),
    cpuModel: value('-cpu'),
    processorCount: PROCESSORS,
    guestKernel,
  };
}

function guestOptions(
  dir: string,
  image: GuestImage,
  accelerator: Accelerator,
  memoryMiB: number,
): QemuGuestOptions {
  return {
    vmName: 'Bench VM',
    vmId: '3c9a3f7e-1b2d-4e5f-8a9b-0c1d2e3f4a5b',
    library: vhdxDiskLibrary,
    store: nodeFileStore(dir),
    image,
    memoryMiB,
    processorCount: PROCESSORS,
    accelerator,
  };
}

async function attempt<T>(what: string, log: Log, fn: () => Promise<T>): Promise<Part<T>> {
  try {
    return await fn();
  } catch (error) {
    log(`${what} failed: ${error instanceof Error ? error.message : String(error)}`);
    return { error: error instanceof Error ? error.message : String(error) };
  }
}

function throughput(bytes: number, product: number[], raw: number[]): GuestThroughput {
  const rate = (seconds: number): number => bytes / MIB / seconds;
  return {
    productMiBs: rate(median(product)),
    rawMiBs: rate(median(raw)),
    ratio: median(product.map((p, i) => (raw[i] ?? NaN) / p)),
    samples: { productSeconds: product, rawSeconds: raw },
  };
}

/**
 * Sequential 1 MiB writes and reads of one file on the guest's data disk, with O_DIRECT (the
 * guest's page cache left out), timed by the guest's own clock; the two guests take turns.
 */
async function measureDisks(
  product: QemuMachine,
  raw: QemuMachine,
  config: QemuConfig,
  guests: Pick<GuestDiskFigures, 'memoryMiB' | 'diskBytes' | 'transport'>,
  log: Log,
): Promise<GuestDiskFigures> {
  const count = config.diskBytes / MIB;
  const write = `dd if=/dev/zero of=/data/bench.bin bs=1M count=${count} oflag=direct conv=fsync,notrunc 2>/dev/null`;
  const readPasses = config.diskReadPasses ?? 1;
  const readOnce = `dd if=/data/bench.bin of=/dev/null bs=1M count=${count} iflag=direct 2>/dev/null`;
  const read = Array.from({ length: readPasses }, () => readOnce).join(' && ');
  // Untimed: the file's blocks are allocated in the guest's file system and in the disk below.
  await guestShell(product, write);
  await guestShell(raw, write);
  const times = {
    write: { product: [] as number[], raw: [] as number[] },
    read: { product: [] as number[], raw: [] as number[] },
  };
  const last = (values: number[]): string => (values.at(-1) ?? NaN).toFixed(2);
  for (let run = 0; run < config.diskRuns; run++) {
    const productFirst = run % 2 === 0;
    for (const [pattern, into] of [
      [write, times.write],
      [read, times.read],
    ] as const) {
      const order = productFirst ? (['product', 'raw'] as const) : (['raw', 'product'] as const);
      for (const which of order)
        into[which].push(await guestSeconds(which === 'product' ? product : raw, pattern));
    }
    log(
      `qemu: disk run ${run + 1}: write ${last(times.write.product)} s (raw ${last(times.write.raw)} s), read ${last(times.read.product)} s (raw ${last(times.read.raw)} s)`,
    );
  }
  return {
    bytes: config.diskBytes,
    readPasses,
    ...guests,
    write: throughput(config.diskBytes, times.write.product, times.write.raw),
    read: throughput(config.diskBytes * readPasses, times.read.product, times.read.raw),
  };
}

/**
 * The product's guest (vhost-user-blk + VHDX) and the same QEMU on a raw file, both running at once, take
 * turns for the disk figures; the raw guest then ends, and the product's guest goes on with the
 * Production checkpoints and the Standard ones of the first memory size.
 */
async function diskGuests(
  dir: string,
  image: GuestImage,
  accelerator: Accelerator,
  config: QemuConfig,
  log: Log,
): Promise<Pick<QemuAcceleratorFigures, 'disk' | 'production'> & { first: Part<StandardPause> }> {
  const memoryMiB = diskGuestMemory(config);
  const diskBytes = config.diskBytes + 192 * MIB;
  const options = guestOptions(dir, image, accelerator, memoryMiB);
  await vhdxDiskLibrary.createDynamicDisk(options.store, 'disk.vhdx', diskBytes);
  const rawFile = join(dir, 'disk.raw');
  await writeFile(rawFile, '');
  await truncate(rawFile, diskBytes);
  const product = await QemuGuest.start(options, 'disk.vhdx');
  let raw: QemuMachine | undefined;
  try {
    const started = performance.now();
    raw = await QemuMachine.launch({
      name: 'Bench raw peer',
      memoryMiB,
      processorCount: PROCESSORS,
      accelerator,
      kernel: { kernel: image.kernel, initrd: image.initrd, cmdline: image.cmdline },
      disk: { rawFile },
      guestAgent: true,
    });
    await raw.start();
    const rawMachine = raw;
    await Promise.all([guestReady(product.qemu, BOOT_MS), guestReady(rawMachine, BOOT_MS)]);
    log(`qemu: both disk guests run after ${seconds(performance.now() - started)} s`);
    const disk = await attempt('qemu disk', log, () =>
      measureDisks(
        product.qemu,
        rawMachine,
        config,
        { memoryMiB, diskBytes, transport: product.diskTransport },
        log,
      ),
    );
    await raw.quit();
    if (config.diskOnly === true) {
      const skipped = { error: 'not measured (--qemu-disk-only)' };
      return { disk, production: skipped, first: skipped };
    }
    const production = await attempt('qemu production', log, () =>
      measureProduction(product, config.productionRuns, log),
    );
    const first = await attempt('qemu standard', log, () =>
      measureStandard(product, options.store, memoryMiB, config.standardRuns, log),
    );
    return { disk, production, first };
  } finally {
    await product.turnOff().catch(() => undefined);
    await raw?.quit().catch(() => undefined);
  }
}

/** A guest of `memoryMiB` booted for its Standard checkpoints alone. */
async function standardGuest(
  dir: string,
  image: GuestImage,
  accelerator: Accelerator,
  memoryMiB: number,
  runs: number,
  log: Log,
): Promise<StandardPause> {
  const options = guestOptions(dir, image, accelerator, memoryMiB);
  await vhdxDiskLibrary.createDynamicDisk(options.store, 'disk.vhdx', 64 * MIB);
  const guest = await QemuGuest.start(options, 'disk.vhdx');
  try {
    await guestReady(guest.qemu, BOOT_MS);
    return await measureStandard(guest, options.store, memoryMiB, runs, log);
  } finally {
    await guest.turnOff().catch(() => undefined);
  }
}

export async function qemuGuests(dir: string, config: QemuConfig, log: Log): Promise<QemuFigures> {
  if (config.memorySizesMiB.length < 2)
    throw new Error('the Standard checkpoint pause needs two memory sizes at least');
  const image = await ensureGuestImage('tiny-linux');
  const choice = await acceleratorForThisHost({ probeKernel: image.kernel, log });
  const accelerators: { accelerator: Accelerator; reason: string }[] = [
    {
      accelerator: 'tcg',
      reason:
        choice.accelerator === 'tcg'
          ? choice.reason
          : 'measured beside KVM, which ran the probe kernel',
    },
  ];
  if (choice.accelerator === 'kvm') accelerators.push(choice);
  const runs: QemuAcceleratorFigures[] = [];
  for (const { accelerator, reason } of accelerators) {
    log(`qemu: ${accelerator.toUpperCase()}`);
    const machine = describeMachine(accelerator, reason, image);
    const loadAtStart = loadavg()[0] ?? NaN;
    const { disk, production, first } = await withTempDir(
      'hvm-bench-qemu-',
      (d) => diskGuests(d, image, accelerator, config, log),
      dir,
    );
    const standard = await attempt('qemu standard', log, async () => {
      if ('error' in first) throw new Error(first.error);
      if (config.diskOnly === true) throw new Error('not measured (--qemu-disk-only)');
      const sizes = [first];
      for (const memoryMiB of config.memorySizesMiB.slice(1))
        sizes.push(
          await withTempDir(
            'hvm-bench-qemu-',
            (d) => standardGuest(d, image, accelerator, memoryMiB, config.standardRuns, log),
            dir,
          ),
        );
      return pausePerGiB(sizes);
    });
    runs.push({
      machine,
      loadAverage: { start: loadAtStart, end: loadavg()[0] ?? NaN },
      disk,
      standard,
      production,
    });
  }
  return { runs };
}
