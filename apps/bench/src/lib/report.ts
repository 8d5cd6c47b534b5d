// The markdown report: machine, peer tool versions, each figure against its goal, and how it was measured.
import type { Config, Failed, Figures, IoKey, MergeFigures, Results } from './types.js';
import { scaleMethods, scaleRows } from './scaleReport.js';
import { MIB, fmtMs } from './util.js';
import { diskNotes } from './diskNotes.js';
import { qemuMachine, qemuMethods, qemuNotes, qemuRows } from './qemuReport.js';

const mib = (b: number): string => `${(b / MIB).toFixed(0)} MiB`;
const x = (v: number): string => `${v.toFixed(2)}×`;
const pct = (v: number): string => `${(v * 100).toFixed(0)} %`;
const verdict = (ok: boolean): string => (ok ? '✅ met' : '❌ not met');
/** The merged child's deletion, which runs after the merge reports done: shown beside it. */
const childDeletion = (m: MergeFigures): string =>
  m.childDeletion === undefined
    ? ''
    : `; then the child's deletion, timed on its own: ${fmtMs(m.childDeletion)} ms`;

function rows(f: Figures, c: Config): string[] {
  const out: string[] = [];
  const add = (what: string, against: string, measured: string, goal: string, ok: boolean | null) =>
    out.push(
      `| ${what} | ${against} | ${measured} | ${goal} | ${ok === null ? '–' : verdict(ok)} |`,
    );
  /** The section's figures; undefined when it was not run, or when it failed (then a row says so). */
  const measured = <T extends object>(e: T | Failed | undefined, what: string): T | undefined => {
    if (e === undefined) return undefined;
    if ('error' in e) {
      add(what, '–', `failed: ${e.error}`, '–', false);
      return undefined;
    }
    return e;
  };
  const k = measured(f.checkpoint, 'Checkpoint, 1 TiB vs 1 GiB disk (Off VM)');
  if (k !== undefined) {
    add(
      'Checkpoint, 1 TiB vs 1 GiB disk (Off VM)',
      'each other',
      `${fmtMs(k.big)} ms vs ${fmtMs(k.small)} ms → ${x(k.ratio)}`,
      '≤ 1.2× and < 50 ms',
      k.ratio <= 1.2 && k.big < 50 && k.small < 50,
    );
  }
  const m = measured(f.merge, `Delete checkpoint: merge of ${mib(c.mergeBytes)}`);
  if (m !== undefined) {
    const label =
      m.kind === 'product'
        ? 'mergeDisk (@hvm/vhdx)'
        : 'no mergeDisk in @hvm/vhdx yet: engine copying merge (reference)';
    const vsCp = m.pairedVsCp ?? m.vsCp ?? m.product / m.cp;
    const vsQemu = m.pairedVsQemu ?? m.vsQemu;
    add(
      `Delete checkpoint: merge of ${mib(m.bytes)} — ${label}`,
      `cp + sync ${fmtMs(m.cp)} ms; qemu-img commit ${fmtMs(m.qemu)} ms`,
      `${fmtMs(m.product)} ms → ${x(vsCp)} cp, ${x(vsQemu)} qemu-img (medians of each run's ratios; of the medians: ${x(m.product / m.cp)}, ${x(m.vsQemu)})${childDeletion(m)}`,
      '≤ 1.1× cp + sync; ≤ 0.8× qemu-img',
      m.kind === 'product' && vsCp <= 1.1 && vsQemu <= 0.8,
    );
  }
  if (f.xfs !== undefined) {
    if ('skipped' in f.xfs)
      add('Merge on XFS with reflink', '–', `skipped: ${f.xfs.skipped}`, '≤ 2× cp --reflink', null);
    else if ('error' in f.xfs)
      add('Merge on XFS with reflink', '–', `failed: ${f.xfs.error}`, '≤ 2× cp --reflink', false);
    else {
      const m = f.xfs.result;
      const reflink = m.cpReflink ?? NaN;
      add(
        `Merge of ${mib(m.bytes)} on loop-mounted XFS (reflink=1)`,
        `cp --reflink + sync ${fmtMs(reflink)} ms; cp + sync ${fmtMs(m.cp)} ms; qemu-img commit ${fmtMs(m.qemu)} ms`,
        `${fmtMs(m.product)} ms → ${x(m.product / reflink)} cp --reflink (${m.kind === 'product' ? 'mergeDisk' : 'copying merge, reference'})${childDeletion(m)}`,
        '≤ 2× cp --reflink',
        m.kind === 'product' && m.product <= 2 * reflink,
      );
    }
  }
  const io = measured(f.io, 'Chain I/O');
  if (io !== undefined) {
    // Issue 18: sequential writes and random reads against the raw file; the rest against qemu-io.
    const kinds: [IoKey, string, boolean][] = [
      ['seqWrite', 'Sequential write, 1 MiB', true],
      ['seqRead', 'Sequential read, 1 MiB', false],
      ['randWrite', 'Random write, 4 KiB', false],
      ['randRead', 'Random read, 4 KiB', true],
    ];
    for (const [k, label, againstRaw] of kinds) {
      const r = io[k];
      const raw =
        r.rawMiBs === undefined || r.vsRaw === undefined
          ? ''
          : `raw file, this process: ${r.rawMiBs.toFixed(1)} MiB/s; `;
      const promises =
        r.promiseMs === undefined || r.rawMs === undefined
          ? ''
          : ` (through \`read\` alone, a promise each: ${x(r.rawMs / r.promiseMs)} raw)`;
      const measuredText = `${r.productMiBs.toFixed(1)} MiB/s → ${r.vsRaw === undefined ? '' : `${x(r.vsRaw)} raw, `}${x(r.ratio)} qemu-io${promises}`;
      add(
        `${label}, 3-deep chain (${mib(r.bytes)})`,
        `${raw}qemu-io on base .vhdx: ${r.qemuMiBs.toFixed(1)} MiB/s`,
        measuredText,
        againstRaw ? '≥ 0.9× raw; ≥ 0.8× qemu-io' : '≥ 0.8× qemu-io',
        r.ratio >= 0.8 && (!againstRaw || (r.vsRaw ?? 0) >= 0.9),
      );
    }
  }
  const mem = measured(f.memory, 'Standard checkpoint of a running VM');
  if (mem !== undefined) {
    add(
      `Standard checkpoint, guest touched ${mem.workingSetMB} MiB: pause`,
      '–',
      `${fmtMs(mem.pauseMs)} ms`,
      '< 100 ms',
      mem.pauseMs < 100,
    );
    add(
      `Standard checkpoint, guest touched ${mem.workingSetMB} MiB: memory file rate`,
      `dd ${mem.ddMiBs.toFixed(0)} MiB/s`,
      `${mem.productMiBs.toFixed(0)} MiB/s → ${pct(mem.ofDd)} of dd`,
      '≥ 70 %',
      mem.ofDd >= 0.7,
    );
  }
  const a = measured(f.api, 'GET /api/v1/vms');
  if (a !== undefined) {
    add(
      `GET /api/v1/vms, ${a.vms} VMs (${(a.bytes / 1024).toFixed(0)} KiB JSON)`,
      `bare Express, same bytes: ${a.bareRps.toFixed(0)} req/s, p99 ${fmtMs(a.bareP99)} ms`,
      `${a.rps.toFixed(0)} req/s (${x(a.ratio)}), p99 ${fmtMs(a.p99)} ms`,
      '≥ 0.5×; p99 < 50 ms',
      a.ratio >= 0.5 && a.p99 < 50,
    );
  }
  const u = measured(f.ui, 'UI');
  if (u !== undefined) {
    add(
      'UI: open the app until the VM list shows',
      '–',
      `${fmtMs(u.openMs)} ms`,
      '< 1 s',
      u.openMs < 1000,
    );
    add(
      `UI: select a VM until its ${c.checkpoints}-checkpoint tree shows`,
      '–',
      u.selectBreakdown === undefined
        ? `${fmtMs(u.selectMs)} ms`
        : `${fmtMs(u.selectMs)} ms (request ${fmtMs(u.selectBreakdown.requestMs)} ms, of it server ${fmtMs(u.selectBreakdown.serverWaitMs)} ms; render ${fmtMs(u.selectBreakdown.domAfterResponse)} ms; Playwright's click-to-visible ${fmtMs(u.selectWallMs)} ms)`,
      '< 100 ms',
      u.selectMs < 100,
    );
    add(
      'UI: initial JavaScript, gzip -9',
      '–',
      `${(u.initialGzip / 1000).toFixed(1)} KB (all JS ${(u.allJsGzip / 1000).toFixed(1)} KB)`,
      '< 250 KB',
      u.initialGzip < 250_000,
    );
  }
  const e = measured(f.events, 'Live updates');
  if (e !== undefined) {
    add(
      'Live updates: 100 subscribers, one VM changes state',
      '–',
      `p99 ${fmtMs(e.p99)} ms (p50 ${fmtMs(e.p50)}, max ${fmtMs(e.max)}; ${e.samples} deliveries)`,
      'p99 < 50 ms',
      e.p99 < 50,
    );
  }
  const rss = measured(f.rss, 'Server RSS');
  if (rss !== undefined) {
    add(
      `Server RSS, ${c.vms} VMs × ${c.checkpoints} checkpoints, idle`,
      '–',
      `${(rss.rss / MIB).toFixed(0)} MiB (JS heap ${(rss.heapUsed / MIB).toFixed(0)} MiB)`,
      '< 500 MB',
      rss.rss < 500e6,
    );
  }
  scaleRows(f, c, add);
  qemuRows(f, add);
  return out;
}

export function renderReport(r: Results): string {
  const c = r.config;
  const f = r.figures;
  const notes = [...diskNotes(f), ...qemuNotes(f, r.machine.cpu)];
  const tools = Object.entries(r.tools).map(([k, v]) => `| ${k} | ${v} |`);
  const b = f.build;
  const build =
    b && !('error' in b)
      ? `Building such a host on real files through the product (one VM with ${b.checkpoints} checkpoints, node file store in the temp folder, real \`.vhdx\`/\`.avhdx\` files) took ${(b.perVmMs / 1000).toFixed(1)} s; ${c.vms} such VMs would take about ${(b.extrapolatedMs / 60000).toFixed(0)} min, mostly waiting for the disk's flushes. A checkpoint costs the same whatever the chain's depth${b.firstMs === undefined ? '' : ` (median of the first ${String(b.tenth)}: ${fmtMs(b.firstMs)} ms; of the last ${String(b.tenth)}: ${fmtMs(b.lastMs ?? NaN)} ms)`}: open parents stay in a \`DiskCache\`. `
      : '';
  const big = f.bigHost
    ? `The large host (${f.bigHost.vms} VMs × ${f.bigHost.checkpoints} checkpoints) was built through the engine API (\`createVm\`, \`createCheckpoint\`; ${f.bigHost.parallel ?? 1} VMs at a time, each VM's checkpoints in order) in ${(f.bigHost.buildMs / 1000).toFixed(0)} s${f.bigHost.keptFolder === true ? ' (completing a folder kept from an earlier build with `--host-dir`)' : ''} on the node file store in ${f.bigHost.folder ?? 'the temp folder'} with 4 KiB placeholder disk files (a replaced \`DiskLibrary\`): the API, UI, live-update and memory figures never read disks. `
    : '';
  return `# Benchmark report${r.quick ? ' (quick run)' : ''}
${r.note === undefined ? '' : `\n> ${r.note}\n`}
Run ${r.startedAt} → ${r.finishedAt} with \`npm run bench${r.quick ? ' -- --quick' : ''}\`.${(r.updates ?? []).map((u) => ` Sections re-measured with \`--only\`: ${u.sections.join(', ')} (${u.startedAt} → ${u.finishedAt}).`).join('')}${r.quick ? ' **Quick run:** smaller sizes and fewer runs than the goals name (see the configuration below); the full run uses 1 GiB merges, 1 GiB chain I/O and 2 GiB of guest memory.' : ''}

## Results (medians)

| what | measured against, same run | measured | goal | |
| --- | --- | --- | --- | --- |
${rows(f, c).join('\n')}

${
  notes.length === 0
    ? ''
    : `## Disk goals not met on this machine, and why

${notes.map((n) => `- ${n}`).join('\n')}

`
}## Machine

| | |
| --- | --- |
| CPU | ${r.machine.cpu} |
| memory | ${r.machine.memoryGiB} GiB |
| OS | ${r.machine.os}, ${r.machine.kernel} |
| Node.js | ${r.machine.node} |
| host name | ${r.machine.host ?? '?'} |
| temp folder | ${r.machine.tmpdir}, on ${r.machine.disk ?? '?'} |
| root | ${r.machine.root ? 'yes (page cache dropped before each timed merge/copy)' : 'no'} |

${qemuMachine(f, r.machine.cpu)}## Peer tools

| tool | version |
| --- | --- |
${tools.join('\n')}

## How each figure is measured

- **Checkpoint vs disk size**: an engine host (\`createHost\`, node file store in the temp folder, zero UI timings — the default \`timing.checkpoint\` adds 300 ms of progress display on purpose) with two Off VMs, 1 GiB and 1 TiB dynamic disks, the same ${mib(c.checkpointData)} written to each through \`@hvm/vhdx\`. \`host.createCheckpoint\` is timed ${c.checkpointRuns} times per VM, alternating, after one untimed warm-up checkpoint of each (it opens the files); every run deepens the chain by one.
- **Merge**: \`base.vhdx\` + \`child.avhdx\` with ${mib(c.mergeBytes)} written to the child; the product's \`mergeDisk\` from \`@hvm/vhdx\`. Peers on the same file system: \`qemu-img commit\` of a qcow2 overlay holding ${mib(c.mergeBytes)} (written by \`qemu-io -c "write -P 0x5a"\`), and \`cp\` + \`sync\` of a ${mib(c.mergeBytes)} file. All three are written first; then each is timed after the page cache is dropped (as root), back to back, in an order that turns from run to run. The ratios are the medians of each run's own ratios (the three of a run see the same load on a shared disk); the ratios of the medians are shown too. ${c.mergeRuns} runs.
- **XFS**: a sparse image file, \`mkfs.xfs -m reflink=1\`, loop-mounted in the temp folder (root only; \`xfsprogs\` installed by the script when missing); the merge figure repeated there with ${mib(c.xfsBytes)} (3 runs), plus \`cp --reflink=always\` + \`sync\` of the same file, also timed after the page cache is dropped; blocks are cloned with \`FICLONERANGE\` from this process (\`koffi\`). Unmounted and deleted afterwards.
- **Chain I/O**: \`base.vhdx\` ← \`mid.avhdx\` ← \`top.avhdx\` (${mib(c.ioSpan)} virtual), opened once with \`openDisk(…, { writable: true, servedToGuest: true })\` as a QEMU guest's disk is (requests up to 1 MiB, through the parents too, are made on the spot, not in the thread pool); sequential 1 MiB writes over the span + flush, sequential 1 MiB reads, ${c.ioRandom} random 4 KiB writes + flush, the same random 4 KiB reads — one request at a time; each random read is made on the spot with \`readNow\` where the chain knows the block's place from cached metadata (else \`read\`), and the same reads through the asynchronous \`read\` alone are shown alongside. Peers: the same requests, in the same order, to a new sparse raw file in this process (\`writeSync\`/\`readSync\`, \`fsync\` where the chain flushes); and \`qemu-io -t writeback\` on a \`qemu-img create -f vhdx\` base disk with the same offsets and sizes, one \`-c\` command per request (process start included). ${c.ioRuns} runs.
- **Memory checkpoint**: a VM with the \`ubuntu-22.04-postgres\` guest, ${c.memoryMB * 2} MB startup memory and a ${c.memoryMB} MiB working set, Standard checkpoints, Running; \`createCheckpoint\` + \`whenIdle\` timed (the memory file rate is ${c.memoryMB} MiB over that time). The pause is measured on the guest itself: from its \`suspend()\` to \`unsuspend()\`. Peer: \`dd if=/dev/zero bs=1M count=${c.memoryMB} conv=fsync\`. A \`sync\` before each timed step, so that neither waits for the other's writeback. ${c.memoryRuns} run(s).
- **Large host**: ${big}${build}
- **API**: the product's HTTP app (\`createApp\`) in a child process; a bare Express route serving the same JSON bytes in another child process. 8 keep-alive \`node:http\` connections (bodies read and dropped) for ${c.loadMs / 1000} s per run, alternating product and bare, ${c.loadRuns} runs after a 1 s warm-up; 127.0.0.1 only.
- **UI**: the built web app (\`apps/web/dist\`, served by the product app) in \`/usr/bin/chromium\` through playwright-core, a fresh context per run: \`goto\` until the first VM's row in the *Virtual Machines* grid is visible and the grid counts every VM (\`aria-rowcount\`; the list renders only the rows in view); then, the pointer resting on that row, click it: the figure is measured in the page with the browser's performance clock, from the \`pointerdown\` to the first animation frame after the *Checkpoint ${c.checkpoints}* tree item entered the DOM (a \`MutationObserver\`), split with the Resource Timing entry of the checkpoints request (request, server wait, render after the response); Playwright's own click-to-visible wall time, which adds its actionability checks and polling, is shown alongside. Initial JavaScript: the scripts \`index.html\` references, gzip level 9.
- **Live updates**: 100 \`GET /api/v1/events\` streams; each round posts \`start\` / \`turn-off\` for one VM and times, from the POST, each stream's first \`vm-changed\` event for it. ${c.sseRounds} rounds.
- **RSS**: \`process.memoryUsage().rss\` of the idle product child after a forced GC.
${scaleMethods(f, c)}
${qemuMethods(f, c)}

## Configuration

\`\`\`json
${JSON.stringify(c, null, 2)}
\`\`\`
`;
}
