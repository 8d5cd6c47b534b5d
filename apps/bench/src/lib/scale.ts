// The scale sections: `--vms=`/`--checkpoints=` for the large host, `Get-VM | Get-VMSnapshot` over
// all of it (engine, in-process run, HTTP request), and ten hosts of 500 VMs side by side.
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import { get, startChild, type Child } from './http.js';
import type {
  HostsFigures,
  PowerShellFigures,
  PowerShellTimes,
  SideBySideHost,
} from './scaleTypes.js';
import { median } from './util.js';

/** `--vms=N` and `--checkpoints=N` from the command line, each when given. */
export function hostSizeOptions(argv: readonly string[]): { vms?: number; checkpoints?: number } {
  const out: { vms?: number; checkpoints?: number } = {};
  for (const name of ['vms', 'checkpoints'] as const) {
    const raw = argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
    if (raw === undefined) continue;
    if (!/^\d+$/.test(raw) || Number(raw) < 1)
      throw new Error(`--${name} wants a whole number ≥ 1`);
    out[name] = Number(raw);
  }
  return out;
}

/** `--host-dir=PATH`, when given. */
export function hostDirOption(argv: readonly string[]): string | undefined {
  return argv.find((a) => a.startsWith('--host-dir='))?.slice('--host-dir='.length);
}

/**
 * `POST /api/v1/powershell`, the answer's body read whole: as the web console sends it (`objects:
 * false`, the console text only), or as a REST client that wants the output objects.
 */
function postScript(
  port: number,
  script: string,
  objects: boolean,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        path: '/api/v1/powershell',
        method: 'POST',
        headers: { 'content-type': 'application/json' },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify({ script, width: 120, ...(objects ? {} : { objects: false }) }));
  });
}

interface RunAnswerBody {
  output?: string;
  objects?: unknown[];
  errors?: { message: string }[];
  message?: string;
}

/** `Get-VM | Get-VMSnapshot` on the product child: `runs` times each way, after one warm-up. */
export async function powerShellPipeline(
  product: Child,
  { runs }: { runs: number },
): Promise<PowerShellFigures> {
  const script = 'Get-VM | Get-VMSnapshot';
  const samples: PowerShellTimes[] = [];
  let last: RunAnswerBody = {};
  let insideError: string | null = null;
  for (let i = 0; i <= runs; i++) {
    const inside = await product.ask({ type: 'ps', script });
    if (inside.type !== 'ps') throw new Error(`the host answered ${inside.type}`);
    const t0 = performance.now();
    const text = await postScript(product.port, script, false);
    const consoleRequestMs = performance.now() - t0;
    const t1 = performance.now();
    const answer = await postScript(product.port, script, true);
    const requestMs = performance.now() - t1;
    for (const a of [text, answer])
      if (a.status !== 200)
        throw new Error(
          `POST /api/v1/powershell: ${a.status} ${(JSON.parse(a.body) as RunAnswerBody).message ?? ''}`,
        );
    last = JSON.parse(answer.body) as RunAnswerBody;
    const textOnly = JSON.parse(text.body) as RunAnswerBody;
    if (textOnly.output !== last.output)
      throw new Error('the console text differs with and without the output objects');
    insideError ??= inside.error;
    if (i > 0)
      samples.push({
        engineMs: inside.engineMs,
        runMs: inside.runMs,
        consoleRequestMs,
        requestMs,
        answerBytes: Buffer.byteLength(answer.body),
        consoleAnswerBytes: Buffer.byteLength(text.body),
      });
  }
  const mid = (pick: (t: PowerShellTimes) => number): number => median(samples.map(pick));
  return {
    script,
    engineMs: mid((t) => t.engineMs),
    runMs: mid((t) => t.runMs),
    consoleRequestMs: mid((t) => t.consoleRequestMs),
    requestMs: mid((t) => t.requestMs),
    answerBytes: mid((t) => t.answerBytes),
    consoleAnswerBytes: mid((t) => t.consoleAnswerBytes),
    objects: last.objects?.length ?? 0,
    outputChars: last.output?.length ?? 0,
    error:
      last.errors?.[0]?.message ??
      (insideError === null ? null : `in the server's process: ${insideError}`),
    samples,
  };
}

/** Times `GET /api/v1/vms` on one host (body read whole). */
async function listMs(port: number): Promise<number> {
  const t0 = performance.now();
  const r = await get(port, '/api/v1/vms');
  if (r.status !== 200) throw new Error(`GET /api/v1/vms answered ${String(r.status)}`);
  return performance.now() - t0;
}

/**
 * `hosts` product servers of `vms` VMs × `checkpoints` each, running side by side on this machine:
 * one host is built through the engine API (as the large host is), then copied folder and all, and
 * each server starts on its own copy (it loads the host, as a server restarted on its folder does).
 * Measured: each one's idle RSS after a forced GC, its start (load) time, and its VM list time
 * alone and while all of them answer at once.
 */
export async function sideBySideHosts(
  parent: string,
  {
    hosts,
    vms,
    checkpoints,
    rounds,
  }: { hosts: number; vms: number; checkpoints: number; rounds: number },
  log: (m: string) => void,
): Promise<HostsFigures> {
  const children: Child[] = [];
  const dirs: string[] = [];
  try {
    const first = mkdtempSync(join(parent, 'hvm-bench-hosts-'));
    dirs.push(first);
    const builder = await startChild(['product', String(vms), String(checkpoints), first, '16']);
    const buildMs = builder.buildMs;
    await builder.close();
    log(
      `one host of ${vms} VMs × ${checkpoints} checkpoints built in ${(buildMs / 1000).toFixed(0)} s`,
    );
    for (let h = 1; h < hosts; h++) {
      const dir = mkdtempSync(join(parent, 'hvm-bench-hosts-'));
      dirs.push(dir);
      cpSync(first, dir, { recursive: true });
    }
    for (const dir of dirs) children.push(await startChild(['product', '0', '0', dir, '1']));
    log(`${hosts} hosts started`);
    await new Promise((r) => setTimeout(r, 1000));
    const each: SideBySideHost[] = [];
    for (const child of children) {
      const m = await child.rss();
      await listMs(child.port); // warm-up
      const alone: number[] = [];
      for (let r = 0; r < rounds; r++) alone.push(await listMs(child.port));
      const listed = JSON.parse(
        (await get(child.port, '/api/v1/vms')).body.toString('utf8'),
      ) as unknown[];
      each.push({
        rss: m.rss,
        heapUsed: m.heapUsed,
        startMs: child.buildMs,
        listMs: median(alone),
        listAllAtOnceMs: NaN,
        vms: listed.length,
      });
    }
    const together: number[][] = children.map(() => []);
    for (let r = 0; r < rounds; r++) {
      const times = await Promise.all(children.map((c) => listMs(c.port)));
      times.forEach((t, i) => together[i]?.push(t));
    }
    each.forEach((e, i) => (e.listAllAtOnceMs = median(together[i] ?? [])));
    return {
      hosts,
      vmsEach: vms,
      checkpointsEach: checkpoints,
      buildMs,
      totalRss: each.reduce((sum, e) => sum + e.rss, 0),
      worstListMs: Math.max(...each.map((e) => e.listMs)),
      worstListAllAtOnceMs: Math.max(...each.map((e) => e.listAllAtOnceMs)),
      each,
    };
  } finally {
    for (const c of children) c.stop();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  }
}
