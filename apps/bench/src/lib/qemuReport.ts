// The report's rows, machine table and method notes for the `qemu` section (qemu.ts): real
// tiny-linux guests on the product's VHDX disk against the same QEMU on a raw file.
import type { AddRow, Config, Figures } from './types.js';
import type { Part, QemuAcceleratorFigures } from './qemuTypes.js';
import { MIB, fmtMs } from './util.js';

const x = (v: number): string => `${v.toFixed(2)}×`;
/** Milliseconds, signed (a line's intercept may fall below zero). */
const ms = (v: number): string => (v < 0 ? `−${fmtMs(-v)}` : fmtMs(v));
const mib = (b: number): string => `${(b / MIB).toFixed(0)} MiB`;
const transportName = (t: 'vhost-user-blk' | 'nbd'): string =>
  t === 'nbd' ? 'NBD' : 'vhost-user-blk';
const failed = <T extends object>(p: Part<T>): p is { error: string } =>
  Object.keys(p).length === 1 && 'error' in p;

function acceleratorRows(r: QemuAcceleratorFigures, add: AddRow): void {
  const on = r.machine.accelerator.toUpperCase();
  if (failed(r.disk))
    add(`QEMU guest disk (${on})`, '–', `failed: ${r.disk.error}`, '≥ 0.8×', false);
  else {
    const d = r.disk;
    for (const [label, t] of [
      ['write', d.write],
      ['read', d.read],
    ] as const)
      add(
        `QEMU guest (${on}): sequential 1 MiB ${label}s, O_DIRECT, ${mib(d.bytes)}${label === 'read' && d.readPasses > 1 ? ` read ${d.readPasses} times` : ''}, through ${transportName(d.transport)} + VHDX`,
        `same QEMU, raw file: ${t.rawMiBs.toFixed(1)} MiB/s`,
        `${t.productMiBs.toFixed(1)} MiB/s → ${x(t.ratio)} (runs' own ratios: ${t.samples.productSeconds.map((p, i) => x((t.samples.rawSeconds[i] ?? NaN) / p)).join(', ')})`,
        '≥ 0.8× raw',
        t.ratio >= 0.8,
      );
  }
  if (failed(r.standard))
    add(`QEMU Standard checkpoint pause (${on})`, '–', `failed: ${r.standard.error}`, '–', false);
  else {
    const s = r.standard;
    const points = s.sizes
      .map(
        (p) =>
          `${p.memoryMiB} MiB → ${fmtMs(p.pauseMs)} ms, ${mib(p.savedStateBytes)} saved in ${fmtMs(p.memoryWrittenMs)} ms`,
      )
      .join('; ');
    add(
      `QEMU Standard checkpoint (${on}): pause per GiB of guest memory, ${Math.round(s.sizes[0] === undefined ? 0 : (100 * s.sizes[0].touchedMiB) / s.sizes[0].memoryMiB)} % of it touched`,
      '–',
      `${ms(s.msPerGiB)} ms/GiB, ${ms(s.interceptMs)} ms at 0 GiB (${points})`,
      'no figure in issue 19',
      null,
    );
  }
  if (failed(r.production))
    add(`QEMU Production checkpoint (${on})`, '–', `failed: ${r.production.error}`, '–', false);
  else {
    const p = r.production;
    add(
      `QEMU Production checkpoint (${on}): file systems frozen, freeze answered → thaw answered`,
      '–',
      `${fmtMs(p.frozenMs)} ms (the freeze itself ${fmtMs(p.freezeMs)} ms; whole checkpoint ${fmtMs(p.checkpointMs)} ms; the guest paused ${p.pauses} times)`,
      'the guest never paused (no figure in issue 19)',
      p.pauses === 0,
    );
  }
}

export function qemuRows(f: Figures, add: AddRow): void {
  const q = f.qemu;
  if (q === undefined) return;
  if (failed(q)) {
    add('QEMU guests', '–', `failed: ${q.error}`, '–', false);
    return;
  }
  for (const r of q.runs) acceleratorRows(r, add);
}

/** The machine the guests ran on: a table per accelerator, after the host's own. */
export function qemuMachine(f: Figures, cpu: string): string {
  const cores = cpu.split(' × ').at(-1) ?? '?';
  const q = f.qemu;
  if (q === undefined || failed(q)) return '';
  const tables = q.runs.map(
    ({ machine: m, loadAverage }) => `| | |
| --- | --- |
| accelerator | ${m.accelerator.toUpperCase()} (${m.reason}) |
| QEMU | ${m.qemu} |
| machine | \`-machine ${m.machineType}\`, \`-cpu ${m.cpuModel}\`, ${m.processorCount} virtual processor(s) |
| guest | tiny-linux (\`@hvm/guest-image\`), kernel ${m.guestKernel} |
| host load | 1-minute load average ${loadAverage.start.toFixed(1)} at the start, ${loadAverage.end.toFixed(1)} at the end, on ${cores} cores |`,
  );
  return `## QEMU guests

${tables.join('\n\n')}

`;
}

export function qemuMethods(f: Figures, c: Config): string {
  const q = c.qemu;
  if (f.qemu === undefined || q === undefined) return '';
  return `- **QEMU guests**: tiny-linux (\`npm run build:guest-image\`) booted by \`qemu-system-x86_64\` under each accelerator measured (TCG always; KVM as well only when \`@hvm/qemu\`'s probe ran the guest's kernel under it). *Disk*: two guests of ${q.diskBytes / MIB + 192} MiB disks and ${q.memorySizesMiB[0] ?? '?'} MiB of memory run at once, each with its ledger workload: the product's (the engine's \`QemuGuest\`: a dynamic \`.vhdx\` on the transport a guest that boots gets, named in the row: *vhost-user-blk*, QEMU's \`vhost-user-blk-pci\` device with the guest's memory shared (\`memory-backend-memfd,share=on\`), its ring read and its requests served by \`@hvm/vhost-user\` in this process, on one end of a socket pair whose other end QEMU inherits; or *NBD*, where that cannot be served: a \`virtio-blk-pci\` device on QEMU's NBD client and \`@hvm/nbd\`) and the same QEMU command line (\`@hvm/qemu\`'s \`QemuMachine\`) with a sparse raw file opened by QEMU's own \`file\` driver (host page cache, as the product's files are) on a \`virtio-blk-pci\` device with QEMU's defaults (queue size 256). The vhost-user ring has 256 entries, as the raw guest's (254 segments per request): the guest sends each 1 MiB \`dd\` request whole on either disk, the \`dd\` buffer's pages merging into large segments. An I/O thread for the raw disk was tried (with the NBD transport) and left out, as it did not measure better; \`cache.direct\` and \`aio=native\` were not used, as they would take the raw file off the host page cache while the product's files stay on it. In each, through the guest agent's \`guest-exec\`, busybox \`dd\` writes \`/data/bench.bin\` (ext4 on the disk) with \`bs=1M count=${q.diskBytes / MIB} oflag=direct conv=fsync,notrunc\` from \`/dev/zero\`, then reads it back with \`iflag=direct\`, ${q.diskReadPasses ?? 1} time(s) in a row in one timed run (one 256 MiB read lasts about 0.15 s, against a clock read to hundredths of a second); timed by the guest's own clock (\`/proc/uptime\`, read right before and after), so the figure is the throughput the guest sees. The file is written once untimed first (its blocks allocated in ext4 and in the disk below); the guests take turns, in an order that turns from run to run; ${q.diskRuns} runs; the ratio is the median of each run's pair. *Standard checkpoint*: a guest of each memory size (${q.memorySizesMiB.join(', ')} MiB) fills 60 % of its memory with random bytes in a tmpfs (QEMU saves a zero page as a mark only), then \`QemuGuest.checkpoint('Standard', …)\` (Now's new \`.avhdx\` made and opened first, while the guest runs; then QMP \`migrate\` of the running guest into the \`.vmrs\`, pre-copy, the file made durable every 16 MiB as it comes, until QEMU stops it with at most 50 ms of memory left to send; then flush and switch the disk served to the new \`.avhdx\`, record, and resume; the checkpoint's disk is closed after the resume) ${q.standardRuns} time(s); the pause is from QMP's \`STOP\` event to its \`RESUME\` event as this process received them; the slope is a least-squares line through the sizes' medians. *Production checkpoint*: ${q.productionRuns} \`QemuGuest.checkpoint('Production', …)\` of the product's disk guest after the disk runs (the raw guest has ended; the first memory size's Standard checkpoints follow on the same guest); the guest agent's client is wrapped to note when \`guest-fsfreeze-freeze\` and \`guest-fsfreeze-thaw\` were sent and answered; frozen is from the freeze's answer to the thaw's answer; QMP \`STOP\` events are counted.`;
}

/** A load average above the number of cores: some runnable work waits for a core. */
function busy(loadAverage: number, cores: string): boolean {
  const count = Number(cores);
  return Number.isFinite(count) && loadAverage > count;
}

/** Why a guest disk goal was not met in this run, with the run's own figures. */
export function qemuNotes(f: Figures, cpu: string): string[] {
  const q = f.qemu;
  if (q === undefined || failed(q)) return [];
  const cores = cpu.split(' × ').at(-1) ?? '?';
  return q.runs.flatMap((r) => {
    if (failed(r.disk) || (r.disk.write.ratio >= 0.8 && r.disk.read.ratio >= 0.8)) return [];
    const d = r.disk;
    const ratios = (t: typeof d.write): string =>
      t.samples.productSeconds.map((p, i) => x((t.samples.rawSeconds[i] ?? NaN) / p)).join(', ');
    return [
      `**QEMU guest disk (${r.machine.accelerator.toUpperCase()})**: the product's guest reached its disk through ${transportName(d.transport)}. With vhost-user-blk, a request goes from the guest's ring to this process and its data moves once, between guest memory (mapped here) and the page cache, as the raw file's does in QEMU; what this path adds, per 1 MiB request: the kick's eventfd wakes a thread of this process's pool (\`poll\`), which wakes the main thread (32 µs median measured alone), and the completion's eventfd goes through QEMU's main loop, which injects the interrupt (under TCG QEMU has no irqfd); measured in this process, 0.6 ms (median) passed from one completion to the next request, and the copy into guest memory took 0.17–0.48 ms (\`@hvm/vhost-user\`'s README). With NBD (the transport before, and still where vhost-user cannot be served), the last report measured 0.67× raw for writes and 0.50× for reads (one read pass per run): each MiB crossed a socket and was copied three times. With a 1-minute load average of ${r.loadAverage.start.toFixed(1)} to ${r.loadAverage.end.toFixed(1)} on ${cores} cores during these guests' runs${busy(r.loadAverage.end, cores) ? ', more runnable work than cores, so every wake-up may wait its turn' : ''}. The runs' own ratios (writes ${ratios(d.write)}; reads ${ratios(d.read)}) show how far one run lies from the next.`,
    ];
  });
}
