// The web app in Chromium on the large host: time to the VM list, time to a 50-checkpoint tree,
// and the gzipped size of the JavaScript the first page loads.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { median } from './util.mjs';

export function bundleSizes(distDir) {
  const html = readFileSync(join(distDir, 'index.html'), 'utf8');
  const initial = [...html.matchAll(/(?:src|href)="\/?([^"]+\.js)"/g)].map((m) => m[1]);
  const gz = (file) => gzipSync(readFileSync(join(distDir, file)), { level: 9 }).length;
  const all = readdirSync(join(distDir, 'assets')).filter((f) => f.endsWith('.js'));
  return {
    initialFiles: initial,
    initialGzip: initial.reduce((sum, f) => sum + gz(f), 0),
    allJsGzip: all.reduce((sum, f) => sum + gz(join('assets', f)), 0),
  };
}

export async function uiTimes(port, vmName, checkpoints, { runs }) {
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const open = [];
  const select = [];
  try {
    for (let i = 0; i < runs; i++) {
      const context = await browser.newContext();
      const page = await context.newPage();
      const grid = page.getByRole('grid', { name: 'Virtual Machines' });
      const row = grid.getByRole('row').filter({ hasText: vmName });
      const t0 = performance.now();
      await page.goto(`http://127.0.0.1:${port}/`);
      await row.first().waitFor({ state: 'visible', timeout: 30_000 });
      open.push(performance.now() - t0);
      const tree = page.getByRole('tree', { name: 'Checkpoints' });
      const last = tree.getByRole('treeitem', { name: `Checkpoint ${checkpoints}`, exact: true });
      const t1 = performance.now();
      await row.first().click();
      await last.waitFor({ state: 'visible', timeout: 30_000 });
      select.push(performance.now() - t1);
      await context.close();
    }
  } finally {
    await browser.close();
  }
  return { openMs: median(open), selectMs: median(select), samples: { open, select } };
}
