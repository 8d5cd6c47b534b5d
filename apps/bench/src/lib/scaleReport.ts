// The report's rows and method notes for the scale sections (scale.ts): `Get-VM | Get-VMSnapshot`
// on the large host and ten hosts side by side.
import type { ConsoleHostFigures } from './scaleTypes.js';
import type { AddRow, Config, Failed, Figures } from './types.js';
import { MIB, fmtMs } from './util.js';

/** A section that threw (its figures have no `each` list or timings, only the message). */
const failed = (e: object): e is Failed => Object.keys(e).length === 1 && 'error' in e;

export function scaleRows(f: Figures, c: Config, add: AddRow): void {
  const p = f.powershell;
  if (p !== undefined) {
    const what = `PowerShell: \`Get-VM | Get-VMSnapshot\`, ${c.vms} VMs × ${c.checkpoints} checkpoints`;
    if (failed(p)) add(what, '–', `failed: ${p.error}`, '< 2 s', false);
    else
      add(
        what,
        `engine calls alone ${fmtMs(p.engineMs)} ms; in the server's process ${fmtMs(p.runMs)} ms`,
        `web console (\`POST /api/v1/powershell\`, \`objects: false\`) ${fmtMs(p.consoleRequestMs)} ms (${(p.outputChars / MIB).toFixed(1)} MiB of console text, answer ${(p.consoleAnswerBytes / MIB).toFixed(1)} MiB); with the output objects ${fmtMs(p.requestMs)} ms (${p.objects} checkpoints, answer ${(p.answerBytes / MIB).toFixed(1)} MiB)`,
        '< 2 s',
        p.error === null && p.objects === c.vms * c.checkpoints && p.consoleRequestMs < 2000,
      );
    if (!failed(p) && p.error !== null)
      add(
        `${what}: refused`,
        '–',
        `the run ended with: ${p.error} (after ${p.objects} objects, ${(p.outputChars / MIB).toFixed(1)} MiB of text)`,
        'the whole list',
        false,
      );
  }
  consoleRows(f, add);
  const h = f.hosts;
  if (h !== undefined) {
    if (failed(h)) {
      add('Ten hosts side by side', '–', `failed: ${h.error}`, '–', false);
      return;
    }
    const name = `${h.hosts} hosts of ${h.vmsEach} VMs × ${h.checkpointsEach} checkpoints side by side`;
    add(
      `${name}: total RSS`,
      '–',
      `${(h.totalRss / MIB).toFixed(0)} MiB (the largest ${(Math.max(...h.each.map((e) => e.rss)) / MIB).toFixed(0)} MiB; each started in ${fmtMs(Math.max(...h.each.map((e) => e.startMs)))} ms at most)`,
      '< 500 MB per host',
      h.each.every((e) => e.rss < 500e6),
    );
    add(
      `${name}: each one's GET /api/v1/vms`,
      '–',
      `slowest ${fmtMs(h.worstListMs)} ms alone, ${fmtMs(h.worstListAllAtOnceMs)} ms all ${h.hosts} at once`,
      '< 1 s (the VM list opens in under 1 s)',
      h.worstListAllAtOnceMs < 1000 && h.each.every((e) => e.vms === h.vmsEach),
    );
  }
}

/** The console connected to ten hosts through its gateway (consoleHosts.ts). */
function consoleRows(f: Figures, add: AddRow): void {
  const k = f.console;
  if (k === undefined) return;
  if (failed(k)) {
    add('Console connected to ten hosts', '–', `failed: ${k.error}`, '–', false);
    return;
  }
  const name = `Console connected to ${k.hosts} hosts of ${k.vmsEach} VMs × ${k.checkpointsEach} checkpoints (gateway)`;
  const worst = (pick: (e: ConsoleHostFigures) => number): number => Math.max(...k.each.map(pick));
  const mid = (pick: (e: ConsoleHostFigures) => number): number =>
    k.each.map(pick).sort((x, y) => x - y)[Math.floor(k.each.length / 2)] ?? NaN;
  add(`${name}: open the console`, '–', `${fmtMs(k.openMs)} ms`, '< 1 s', k.openMs < 1000);
  add(
    `${name}: select a host until its VM list shows`,
    '–',
    `median over the hosts ${fmtMs(mid((e) => e.listMs))} ms, slowest ${fmtMs(worst((e) => e.listMs))} ms`,
    '< 1 s',
    worst((e) => e.listMs) < 1000,
  );
  add(
    `${name}: select a VM until its ${k.checkpointsEach}-checkpoint tree shows`,
    '–',
    `median over the hosts ${fmtMs(mid((e) => e.selectMs))} ms, slowest ${fmtMs(worst((e) => e.selectMs))} ms (the tree's request through the gateway: median ${fmtMs(mid((e) => e.requestMs))} ms)`,
    '< 100 ms',
    worst((e) => e.selectMs) < 100,
  );
}

export function scaleMethods(f: Figures, c: Config): string {
  const lines: string[] = [];
  if (f.console !== undefined && !failed(f.console))
    lines.push(
      `- **Console and ten hosts**: ${f.console.hosts} product servers, each in its own process on its HTTPS host-to-host port (its own certificate; sign-in off, host tokens issued), each loading a copy of one host of ${f.console.vmsEach} VMs × ${f.console.checkpointsEach} checkpoints; a console server (its own host of no VMs, the gateway, the web app) connected to each through its API as the Connect to Server dialog does (probe, then connect with the fingerprint shown). In \`/usr/bin/chromium\`, ${c.uiRuns} fresh contexts: open the console until every host is in the console tree; then for each host, click it until its VM list counts every VM and shows the first one, and click that VM until the *Checkpoint ${f.console.checkpointsEach}* tree item is painted (measured in the page as in **UI**). Medians per host; the row gives the median and the slowest host.`,
    );
  if (f.powershell !== undefined)
    lines.push(
      `- **PowerShell**: \`Get-VM | Get-VMSnapshot\` on the large host, as a user runs it from the web console: \`POST /api/v1/powershell\` with \`objects: false\` as the console sends it (console width 120; the run goes through the server's run queue and script worker, whose host calls cross to the main thread), timed to the last byte of the answer; then the same request with the output objects as JSON, as a REST client or another server's \`-ComputerName\` asks it (the console text of both is checked to be the same). Alongside, in the server's own process (asked over IPC, so no HTTP and no worker): the engine calls the pipeline makes (\`listVms()\`, then each VM's \`listCheckpoints()\`), and \`runPowerShell\` of the same script (cmdlets, output objects, the default table). ${c.uiRuns} runs each after a warm-up.`,
    );
  if (f.hosts !== undefined && !failed(f.hosts))
    lines.push(
      `- **Ten hosts**: ${f.hosts.hosts} product servers (\`createApp\`, each in its own process) of ${f.hosts.vmsEach} VMs × ${f.hosts.checkpointsEach} checkpoints, all running on this machine: one host built as the large host is (${(f.hosts.buildMs / 1000).toFixed(0)} s), copied folder and all, and each server started on its own copy (loading it, as a restarted server does). Measured: the sum of their idle RSS after a forced GC, each one's start, and each one's \`GET /api/v1/vms\` (median of 5, body read whole) alone and while all ${f.hosts.hosts} answer at once. A console connected to ten hosts through its gateway is the **Console and ten hosts** section.`,
    );
  return lines.join('\n');
}
