// The web app in Chromium on the large host: time to the VM list, time to a 50-checkpoint tree,
// and the gzipped size of the JavaScript the first page loads.
// watchSelection and selectionFigures run in the page (hence the DOM library in tsconfig.json).
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import type { BundleSizes, SelectionFigures, UiTimes } from './types.js';
import { median } from './util.js';

/** What watchSelection notes in the page, on the browser's performance clock. */
interface SelectionWatch {
  down: number | null;
  dom: number | null;
  painted: number | null;
}

declare global {
  interface Window {
    __hvmSelection?: SelectionWatch;
  }
}

export function bundleSizes(distDir: string): BundleSizes {
  const html = readFileSync(join(distDir, 'index.html'), 'utf8');
  const initial = [...html.matchAll(/(?:src|href)="\/?([^"]+\.js)"/g)].map((m) => m[1] ?? '');
  const gz = (file: string): number =>
    gzipSync(readFileSync(join(distDir, file)), { level: 9 }).length;
  const all = readdirSync(join(distDir, 'assets')).filter((f) => f.endsWith('.js'));
  return {
    initialFiles: initial,
    initialGzip: initial.reduce((sum, f) => sum + gz(f), 0),
    allJsGzip: all.reduce((sum, f) => sum + gz(join('assets', f)), 0),
  };
}

/**
 * In the page, before the click: notes when the pointer goes down on the row, when the tree item
 * named `name` enters the DOM, and the next animation frame after it (its first paint).
 */
export function watchSelection(name: string): void {
  const w: SelectionWatch = { down: null, dom: null, painted: null };
  window.__hvmSelection = w;
  document.addEventListener(
    'pointerdown',
    () => {
      w.down ??= performance.now();
    },
    { capture: true, once: true },
  );
  const present = (): boolean =>
    [...document.querySelectorAll('[role="tree"] [role="treeitem"]')].some(
      (el) => el.getAttribute('aria-label') === name || el.textContent?.includes(name),
    );
  const observer = new MutationObserver(() => {
    if (w.down === null || w.dom !== null || !present()) return;
    w.dom = performance.now();
    observer.disconnect();
    requestAnimationFrame(() => {
      w.painted = performance.now();
    });
  });
  observer.observe(document.body, { childList: true, subtree: true, characterData: true });
}

/** What the page measured: pointer down → checkpoint request → response → DOM → paint. */
export function selectionFigures(path: string): SelectionFigures {
  const w = window.__hvmSelection;
  if (w === undefined) throw new Error('the selection was not watched');
  const entry = (performance.getEntriesByType('resource') as PerformanceResourceTiming[])
    .filter((e) => new URL(e.name).pathname === path)
    .find((e) => w.down !== null && e.startTime >= w.down - 1000);
  return {
    // Arithmetic on a null mark counts it as 0, as JavaScript does.
    pointerToPaint: (w.painted ?? 0) - (w.down ?? 0),
    pointerToDom: (w.dom ?? 0) - (w.down ?? 0),
    request:
      entry === undefined
        ? null
        : {
            startAfterPointer: entry.startTime - (w.down ?? 0),
            duration: entry.responseEnd - entry.startTime,
            waiting: entry.responseStart - entry.requestStart,
            domAfterResponse: (w.dom ?? 0) - entry.responseEnd,
          },
  };
}

export async function uiTimes(
  port: number,
  vm: { id: string; name: string },
  checkpoints: number,
  { runs, vmCount }: { runs: number; vmCount: number },
): Promise<UiTimes> {
  const vmName = vm.name;
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
  const open: number[] = [];
  const select: number[] = [];
  const inPage: SelectionFigures[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      const context = await browser.newContext();
      const page = await context.newPage();
      const grid = page.getByRole('grid', { name: 'Virtual Machines' });
      const row = grid.getByRole('row').filter({ hasText: vmName });
      const t0 = performance.now();
      await page.goto(`http://127.0.0.1:${port}/`);
      await row.first().waitFor({ state: 'visible', timeout: 30_000 });
      // The whole list is there (the grid renders only the rows in view and counts them all).
      await page.waitForFunction(
        (count) =>
          document
            .querySelector('[role="grid"][aria-label="Virtual Machines"]')
            ?.getAttribute('aria-rowcount') === String(count),
        vmCount + 1,
      );
      open.push(performance.now() - t0);
      const tree = page.getByRole('tree', { name: 'Checkpoints' });
      const name = `Checkpoint ${checkpoints}`;
      const last = tree.getByRole('treeitem', { name, exact: true });
      // Pointer over the row first (as a user's is), so that the click below is the selection alone.
      await row.first().hover();
      await page.evaluate(watchSelection, name);
      const t1 = performance.now();
      await row.first().click();
      await last.waitFor({ state: 'visible', timeout: 30_000 });
      select.push(performance.now() - t1);
      await page.waitForFunction(() => window.__hvmSelection?.painted !== null);
      inPage.push(
        await page.evaluate(
          selectionFigures,
          `/api/v1/vms/${encodeURIComponent(vm.id)}/checkpoints`,
        ),
      );
      await context.close();
    }
  } finally {
    await browser.close();
  }
  const mid = (pick: (f: SelectionFigures) => number | undefined): number =>
    median(inPage.map(pick).filter((v) => typeof v === 'number'));
  return {
    openMs: median(open),
    selectMs: mid((f) => f.pointerToPaint),
    selectWallMs: median(select),
    selectBreakdown: {
      pointerToDom: mid((f) => f.pointerToDom),
      requestStartAfterPointer: mid((f) => f.request?.startAfterPointer),
      requestMs: mid((f) => f.request?.duration),
      serverWaitMs: mid((f) => f.request?.waiting),
      domAfterResponse: mid((f) => f.request?.domAfterResponse),
    },
    samples: { open, select, inPage },
  };
}
