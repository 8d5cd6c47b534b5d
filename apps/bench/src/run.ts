// `npm run bench [-- --quick] [--only=a,b] [--report=NAME] [--note=TEXT]`: measures the product against peer
// tools side by side, in one run, and writes apps/bench/reports/latest.md and latest.json.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createHost, nodeFileStore, zeroTiming } from '@hvm/engine';
import { checkpointVsDiskSize, chainIo, mergeVsPeers } from './lib/disks.js';
import { eventFanOut, get, load, startChild, type Child } from './lib/http.js';
import { memoryCheckpoint } from './lib/memory.js';
import { qemuGuests } from './lib/qemu.js';
import { consoleThroughGateway, hostsDirOption } from './lib/consoleHosts.js';
import { bundleSizes, uiTimes } from './lib/ui.js';
import { flushTime, withXfs } from './lib/xfs.js';
import { GIB, MIB, machine, median, timed, toolVersions, withTempDir } from './lib/util.js';
import { renderReport } from './lib/report.js';
import {
  hostDirOption,
  hostSizeOptions,
  powerShellPipeline,
  sideBySideHosts,
} from './lib/scale.js';
import type { Config, Figures, LoadResult, Results, SectionName } from './lib/types.js';

const here = dirname(fileURLToPath(import.meta.url));
const quick = process.argv.includes('--quick');
const only = process.argv
  .find((a) => a.startsWith('--only='))
  ?.slice(7)
  .split(',');
const want = (name: string): boolean => only === undefined || only.includes(name);

const config: Config = quick
  ? {
      checkpointRuns: 5,
      checkpointData: 16 * MIB,
      mergeBytes: 256 * MIB,
      mergeRuns: 2,
      ioSpan: 256 * MIB,
      ioRandom: 5000,
      ioRuns: 2,
      memoryMB: 256,
      memoryRuns: 1,
      vms: 100,
      checkpoints: 50,
      loadMs: 3000,
      loadRuns: 2,
      sseRounds: 6,
      uiRuns: 2,
      xfsBytes: 256 * MIB,
      qemu: {
        diskBytes: 64 * MIB,
        diskRuns: 2,
        diskReadPasses: 2,
        memorySizesMiB: [256, 512],
        standardRuns: 2,
        productionRuns: 3,
      },
    }
  : {
      checkpointRuns: 15,
      checkpointData: 64 * MIB,
      mergeBytes: GIB,
      mergeRuns: 5,
      ioSpan: GIB,
      ioRandom: 20000,
      ioRuns: 3,
      memoryMB: 2048,
      memoryRuns: 3,
      vms: 2000,
      checkpoints: 50,
      loadMs: 8000,
      loadRuns: 3,
      sseRounds: 20,
      uiRuns: 3,
      xfsBytes: GIB,
      qemu: {
        diskBytes: 256 * MIB,
        diskRuns: 3,
        diskReadPasses: 4,
        memorySizesMiB: [256, 1024, 2048],
        standardRuns: 3,
        productionRuns: 10,
      },
    };

Object.assign(config, hostSizeOptions(process.argv));
// --qemu-disk-only: the qemu section measures the guests' disk figures alone (no checkpoints).
if (process.argv.includes('--qemu-disk-only') && config.qemu !== undefined)
  config.qemu = { ...config.qemu, diskOnly: true };
// --host-dir=PATH: the large host's folder, kept after the run and completed if a build stopped.
const keptHostDir = hostDirOption(process.argv);
// --hosts-dir=PATH: the folder of the one host the console section's ten hosts are copies of.
const keptHostsDir = hostsDirOption(process.argv);

const results: Results = {
  quick,
  config,
  startedAt: new Date().toISOString(),
  machine: machine(),
  tools: toolVersions(),
  figures: {},
  finishedAt: '', // set when the run ends
};
const note = process.argv.find((a) => a.startsWith('--note='))?.slice(7);
if (note !== undefined) results.note = note;
const log = (m: string): void => {
  console.log(`[bench] ${m}`);
};

async function section<K extends SectionName>(
  name: K,
  fn: () => Promise<NonNullable<Figures[K]>>,
): Promise<void> {
  if (!want(name)) return;
  log(`${name}…`);
  const t0 = performance.now();
  try {
    results.figures[name] = await fn();
  } catch (error) {
    results.figures[name] = { error: error instanceof Error ? error.message : String(error) };
    console.error(error);
  }
  log(`${name} done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}

await section('checkpoint', () =>
  withTempDir('hvm-bench-', (dir) =>
    checkpointVsDiskSize(dir, { runs: config.checkpointRuns, dataBytes: config.checkpointData }),
  ),
);
await section('merge', () =>
  withTempDir('hvm-bench-', (dir) =>
    mergeVsPeers(dir, { runs: config.mergeRuns, bytes: config.mergeBytes, reflink: false }),
  ),
);
await section('xfs', () =>
  withTempDir('hvm-bench-', (dir) =>
    withXfs(dir, 4 * config.xfsBytes + GIB, async (mount) => ({
      ...(await mergeVsPeers(mount, { runs: 3, bytes: config.xfsBytes, reflink: true })),
      flushMs: await flushTime(mount),
    })),
  ),
);
await section('io', () =>
  withTempDir('hvm-bench-', (dir) =>
    chainIo(dir, { runs: config.ioRuns, span: config.ioSpan, randomOps: config.ioRandom }),
  ),
);
await section('memory', () =>
  withTempDir('hvm-bench-', (dir) =>
    memoryCheckpoint(dir, { runs: config.memoryRuns, workingSetMB: config.memoryMB }),
  ),
);
await section('qemu', () => {
  const qemu = config.qemu;
  if (qemu === undefined) throw new Error('no configuration for the qemu section');
  return withTempDir('hvm-bench-', (dir) => qemuGuests(dir, qemu, log));
});

/** Building a host through the product's disk library: one VM with its checkpoints, on real files. */
await section('build', () =>
  withTempDir('hvm-bench-', async (dir) => {
    const host = await createHost({
      store: nodeFileStore(dir),
      timing: zeroTiming,
      dataLocation: dir,
    });
    try {
      const each: number[] = [];
      const { ms } = await timed(async () => {
        const vm = await host.createVm({
          name: 'VM',
          diskSizeBytes: 64 * MIB,
          memoryStartupMB: 1024,
        });
        for (let c = 0; c < config.checkpoints; c++)
          each.push((await timed(() => host.createCheckpoint(vm.id, { name: `C${c}` }))).ms);
      });
      const tenth = Math.max(1, Math.floor(each.length / 5));
      return {
        perVmMs: ms,
        checkpoints: config.checkpoints,
        extrapolatedMs: ms * config.vms,
        firstMs: median(each.slice(0, tenth)),
        lastMs: median(each.slice(-tenth)),
        tenth,
      };
    } finally {
      await host.close();
    }
  }),
);

if (want('api') || want('ui') || want('events') || want('rss') || want('powershell')) {
  log(`building a host with ${config.vms} VMs × ${config.checkpoints} checkpoints…`);
  // The large host lives in memory (tmpfs) when the machine has one: building it then costs the
  // engine's own work, not the disk's flush latency; the figures measured on it never read disks.
  const hostParent = existsSync('/dev/shm') ? '/dev/shm' : tmpdir();
  const hostDir = keptHostDir ?? mkdtempSync(join(hostParent, 'hvm-bench-host-'));
  const buildParallel = 16;
  const product = await startChild([
    'product',
    String(config.vms),
    String(config.checkpoints),
    hostDir,
    String(buildParallel),
  ]);
  let bare = null as Child | null; // set by the api section
  try {
    results.figures.bigHost = {
      vms: config.vms,
      checkpoints: config.checkpoints,
      buildMs: product.buildMs,
      folder: hostParent,
      parallel: buildParallel,
      keptFolder: keptHostDir !== undefined,
    };
    log(`host built in ${(product.buildMs / 1000).toFixed(1)} s`);
    await section('rss', async () => {
      await new Promise((r) => setTimeout(r, 1000));
      const m = await product.rss();
      return { rss: m.rss, heapUsed: m.heapUsed };
    });
    const body = (await get(product.port, '/api/v1/vms')).body;
    const vms = JSON.parse(body.toString('utf8')) as { id: string; name: string; state: string }[];
    const firstVm = (): { id: string; name: string } => {
      const vm = vms[0];
      if (vm === undefined) throw new Error('the large host lists no VM');
      return vm;
    };
    await section('api', () =>
      withTempDir('hvm-bench-', async (dir) => {
        const file = join(dir, 'vms.json');
        writeFileSync(file, body);
        bare = await startChild(['bare', file]);
        const options = { connections: 8, durationMs: config.loadMs, maxRequests: 200_000 };
        await load(product.port, '/api/v1/vms', { ...options, durationMs: 1000 });
        await load(bare.port, '/api/v1/vms', { ...options, durationMs: 1000 });
        const p: LoadResult[] = [];
        const b: LoadResult[] = [];
        for (let i = 0; i < config.loadRuns; i++) {
          p.push(await load(product.port, '/api/v1/vms', options));
          b.push(await load(bare.port, '/api/v1/vms', options));
        }
        const rps = median(p.map((x) => x.rps));
        const bareRps = median(b.map((x) => x.rps));
        return {
          bytes: body.length,
          vms: vms.length,
          rps,
          bareRps,
          ratio: rps / bareRps,
          p99: median(p.map((x) => x.p99)),
          bareP99: median(b.map((x) => x.p99)),
          connections: options.connections,
          runs: { product: p, bare: b },
        };
      }),
    );
    await section('ui', async () => {
      const sizes = bundleSizes(join(here, '..', '..', 'web', 'dist'));
      // The first VM: the list is virtualised, so its row is on screen without scrolling.
      const times = await uiTimes(product.port, firstVm(), config.checkpoints, {
        runs: config.uiRuns,
        vmCount: vms.length,
      });
      return { ...sizes, ...times };
    });
    await section('events', () =>
      // An Off VM (a kept folder may hold one an earlier run left running).
      eventFanOut(product.port, (vms.find((v) => v.state === 'Off') ?? firstVm()).id, {
        subscribers: 100,
        rounds: config.sseRounds,
      }),
    );
    await section('powershell', () => powerShellPipeline(product, { runs: config.uiRuns }));
  } finally {
    product.stop();
    bare?.stop();
    if (keptHostDir === undefined) rmSync(hostDir, { recursive: true, force: true });
  }
}

await section('hosts', () =>
  sideBySideHosts(
    existsSync('/dev/shm') ? '/dev/shm' : tmpdir(),
    { hosts: 10, vms: quick ? 100 : 500, checkpoints: config.checkpoints, rounds: 5 },
    log,
  ),
);

await section('console', () =>
  consoleThroughGateway(
    existsSync('/dev/shm') ? '/dev/shm' : tmpdir(),
    {
      hosts: 10,
      vms: quick ? 100 : 500,
      checkpoints: config.checkpoints,
      runs: config.uiRuns,
      ...(keptHostsDir === undefined ? {} : { keptTemplateDir: keptHostsDir }),
    },
    log,
  ),
);

results.finishedAt = new Date().toISOString();
const out = join(here, '..', 'reports');
mkdirSync(out, { recursive: true });
// With --only, the sections not run keep their figures from the previous report of the same kind
// (quick or full), so that people measuring different sections do not erase each other's figures.
// --report=NAME writes reports/NAME.md and NAME.json instead, with this run's sections alone.
const reportName = process.argv.find((a) => a.startsWith('--report='))?.slice(9) ?? 'latest';
if (!/^[\w.-]+$/.test(reportName)) throw new Error(`--report=${reportName}: a plain file name`);
const previousFile = join(out, 'latest.json');
if (only !== undefined && reportName === 'latest' && existsSync(previousFile)) {
  const previous = JSON.parse(readFileSync(previousFile, 'utf8')) as Results;
  if (previous.quick === quick) {
    const remeasured = Object.keys(results.figures);
    results.figures = { ...previous.figures, ...results.figures };
    results.updates = [
      ...(previous.updates ?? []),
      { sections: remeasured, startedAt: results.startedAt, finishedAt: results.finishedAt },
    ];
    results.startedAt = previous.startedAt;
    results.finishedAt = previous.finishedAt;
  }
}
writeFileSync(join(out, `${reportName}.json`), `${JSON.stringify(results, null, 2)}\n`);
writeFileSync(join(out, `${reportName}.md`), renderReport(results));
log(`report written to ${join(out, `${reportName}.md`)}`);
