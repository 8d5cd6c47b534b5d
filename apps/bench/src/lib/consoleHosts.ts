// A console connected to several hosts through its gateway (Connect to Server): `hosts` product
// servers of `vms` VMs × `checkpoints` each on their HTTPS host-to-host ports, one console server
// whose gateway reaches them, each connected through the console's API as the Connect to Server
// dialog does; then the console in Chromium: open it, and for each host select it in the console
// tree until its VM list shows whole, and select its first VM until its checkpoint tree shows.
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { get, startChild, type Child } from './http.js';
import type { ConsoleFigures, ConsoleHostFigures } from './scaleTypes.js';
import { selectionFigures, watchSelection } from './ui.js';
import { median } from './util.js';

/** `--hosts-dir=PATH`: the folder of the one host the console's hosts are copies of, kept. */
export function hostsDirOption(argv: readonly string[]): string | undefined {
  return argv.find((a) => a.startsWith('--hosts-dir='))?.slice('--hosts-dir='.length);
}

/** POST of a JSON body to the console; the answer's status and parsed body. */
function postJson(
  port: number,
  path: string,
  body: unknown,
): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, body: text === '' ? null : JSON.parse(text) });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

interface HostRow {
  id: string;
  computerName: string;
  state: string;
}

/** Connect to Server, as the dialog does it: probe (name and fingerprint), then connect. */
async function connect(consolePort: number, address: string): Promise<HostRow> {
  const shown = await postJson(consolePort, '/api/v1/hosts/probe', { address });
  if (shown.status !== 200) throw new Error(`probe of ${address}: ${JSON.stringify(shown.body)}`);
  const { fingerprint } = shown.body as { fingerprint: string };
  const made = await postJson(consolePort, '/api/v1/hosts', {
    address,
    fingerprint,
    userName: 'Administrator',
    password: 'unused: sign-in is off on the bench hosts',
  });
  if (made.status !== 201) throw new Error(`connect to ${address}: ${JSON.stringify(made.body)}`);
  return made.body as HostRow;
}

async function hostRows(consolePort: number): Promise<HostRow[]> {
  const answer = await get(consolePort, '/api/v1/hosts');
  return (JSON.parse(answer.body.toString('utf8')) as { hosts: HostRow[] }).hosts;
}

/** The one host the others copy: `keptDir` completed (or built) when given, else a new folder. */
async function templateHost(
  parent: string,
  keptDir: string | undefined,
  vms: number,
  checkpoints: number,
  log: (m: string) => void,
): Promise<{ dir: string; kept: boolean; buildMs: number }> {
  const dir = keptDir ?? mkdtempSync(join(parent, 'hvm-bench-console-'));
  const builder = await startChild(['product', String(vms), String(checkpoints), dir, '16']);
  await builder.close();
  log(
    `the hosts' template (${vms} VMs × ${checkpoints} checkpoints) ready in ${(builder.buildMs / 1000).toFixed(0)} s`,
  );
  return { dir, kept: keptDir !== undefined, buildMs: builder.buildMs };
}

export async function consoleThroughGateway(
  parent: string,
  {
    hosts,
    vms,
    checkpoints,
    runs,
    keptTemplateDir,
  }: { hosts: number; vms: number; checkpoints: number; runs: number; keptTemplateDir?: string },
  log: (m: string) => void,
): Promise<ConsoleFigures> {
  const children: Child[] = [];
  const dirs: string[] = [];
  const template = await templateHost(parent, keptTemplateDir, vms, checkpoints, log);
  if (!template.kept) dirs.push(template.dir);
  try {
    const copies: { name: string; dir: string }[] = [];
    for (let h = 0; h < hosts; h++) {
      const dir = mkdtempSync(join(parent, 'hvm-bench-console-host-'));
      dirs.push(dir);
      for (const entry of readdirSync(template.dir).filter((e) => e !== 'Security'))
        cpSync(join(template.dir, entry), join(dir, entry), { recursive: true });
      copies.push({ name: `HOST-${String(h + 1).padStart(2, '0')}`, dir });
    }
    // Started all at once: each loads its copy (about a minute for 500 VMs on a busy machine).
    const started = await Promise.allSettled(
      copies.map(({ dir, name }) => startChild(['remote', dir, name])),
    );
    for (const s of started) if (s.status === 'fulfilled') children.push(s.value);
    const remotes = started.map((s, h) => {
      if (s.status === 'rejected') throw s.reason;
      return { name: copies[h]?.name ?? '', child: s.value };
    });
    const consoleDir = mkdtempSync(join(parent, 'hvm-bench-console-'));
    dirs.push(consoleDir);
    const consoleChild = await startChild(['console', consoleDir]);
    children.push(consoleChild);
    const connected: HostRow[] = [];
    for (const r of remotes)
      connected.push(await connect(consoleChild.port, `127.0.0.1:${r.child.port}`));
    for (let waited = 0; ; waited += 250) {
      const rows = await hostRows(consoleChild.port);
      if (rows.filter((row) => row.state === 'Connected').length === hosts + 1) break;
      if (waited > 60_000) throw new Error(`not every host connected: ${JSON.stringify(rows)}`);
      await new Promise((r) => setTimeout(r, 250));
    }
    log(`${hosts} hosts connected through the console's gateway`);
    const first = connected[0];
    if (first === undefined) throw new Error('no host');
    const listed = JSON.parse(
      (await get(consoleChild.port, `/api/v1/hosts/${first.id}/vms`)).body.toString('utf8'),
    ) as { id: string; name: string }[];
    const vm = [...listed].sort((x, y) => x.name.localeCompare(y.name))[0];
    if (vm === undefined || listed.length !== vms)
      throw new Error(`HOST-01 lists ${listed.length} VMs`);
    return {
      hosts,
      vmsEach: vms,
      checkpointsEach: checkpoints,
      templateBuildMs: template.buildMs,
      ...(await inChromium(consoleChild.port, connected, vm, { vms, checkpoints, runs })),
    };
  } finally {
    for (const c of children) c.stop();
    for (const d of dirs) if (existsSync(d)) rmSync(d, { recursive: true, force: true });
  }
}

/**
 * The console in Chromium, `runs` fresh contexts: open it until every host shows in the console
 * tree; then for each host, select it until its list shows whole, and select its first VM
 * (every host is a copy, so the same VM) until the tree's last checkpoint shows.
 */
async function inChromium(
  port: number,
  connected: HostRow[],
  vm: { id: string; name: string },
  { vms, checkpoints, runs }: { vms: number; checkpoints: number; runs: number },
): Promise<Pick<ConsoleFigures, 'openMs' | 'each'>> {
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-sync'],
  });
  const open: number[] = [];
  const perHost = new Map<string, { list: number[]; select: number[]; request: number[] }>();
  try {
    for (let i = 0; i < runs; i++) {
      const context = await browser.newContext();
      const page = await context.newPage();
      const consoleTree = page.getByRole('tree', { name: 'Hyper-V Manager' });
      const t0 = performance.now();
      await page.goto(`http://127.0.0.1:${port}/`);
      const last = connected[connected.length - 1];
      await consoleTree
        .getByRole('treeitem', { name: last?.computerName ?? '', exact: true })
        .waitFor({ timeout: 30_000 });
      open.push(performance.now() - t0);
      for (const host of connected) {
        const t1 = performance.now();
        await consoleTree.getByRole('treeitem', { name: host.computerName, exact: true }).click();
        await page.waitForFunction(
          (count) =>
            document
              .querySelector('[role="grid"][aria-label="Virtual Machines"]')
              ?.getAttribute('aria-rowcount') === String(count),
          vms + 1,
          { timeout: 30_000 },
        );
        const row = page
          .getByRole('grid', { name: 'Virtual Machines' })
          .getByRole('row')
          .filter({ hasText: vm.name })
          .first();
        await row.waitFor({ state: 'visible', timeout: 30_000 });
        const listMs = performance.now() - t1;
        const name = `Checkpoint ${checkpoints}`;
        await row.hover();
        await page.evaluate(watchSelection, name);
        await row.click();
        await page
          .getByRole('tree', { name: 'Checkpoints' })
          .getByRole('treeitem', { name, exact: true })
          .waitFor({ state: 'visible', timeout: 30_000 });
        await page.waitForFunction(() => window.__hvmSelection?.painted !== null);
        const figures = await page.evaluate(
          selectionFigures,
          `/api/v1/hosts/${host.id}/vms/${encodeURIComponent(vm.id)}/checkpoints`,
        );
        const mine = perHost.get(host.computerName) ?? { list: [], select: [], request: [] };
        mine.list.push(listMs);
        mine.select.push(figures.pointerToPaint);
        if (figures.request !== null) mine.request.push(figures.request.duration);
        perHost.set(host.computerName, mine);
      }
      await context.close();
    }
  } finally {
    await browser.close();
  }
  const each: ConsoleHostFigures[] = [...perHost.entries()].map(([computerName, m]) => ({
    computerName,
    listMs: median(m.list),
    selectMs: median(m.select),
    requestMs: median(m.request),
    samples: m,
  }));
  return { openMs: median(open), each };
}
