/**
 * Runs the demos: `npx tsx e2e/demos/run.ts [name...] [--headed] [--slow-mo=500] [--quick]`.
 * Each demo gets a freshly reset demo host (the built server on a new data folder, free port),
 * drives the UI in Chromium and writes its storyboard to e2e/artifacts/demos/<name>/.
 */
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';
import { ServerProcess } from '../support/serverProcess.js';
import { runDemo } from './demoContext.js';
import { DEMOS } from './index.js';
import { chromiumLaunchOptions } from '../support/chromium.js';

const e2eRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const repositoryRoot = join(e2eRoot, '..');
const serverEntry = join(repositoryRoot, 'apps', 'server', 'dist', 'main.js');
const webEntry = join(repositoryRoot, 'apps', 'web', 'dist', 'index.html');
export const DEMO_OUTPUT = join(e2eRoot, 'artifacts', 'demos');

interface Options {
  names: string[];
  headed: boolean;
  slowMo: number;
  quick: boolean;
}

const USAGE = `Usage: npx tsx e2e/demos/run.ts [demo...] [--headed] [--slow-mo=<ms>] [--quick]
  --headed       show the browser window (needs a display)
  --slow-mo=<ms> wait this long before each browser action (live presentations)
  --quick        let the guest workload run for a moment only (tests)
Demos:
${DEMOS.map((d) => `  ${d.name.padEnd(22)} ${d.title}`).join('\n')}`;

function parseArgs(argv: string[]): Options {
  const options: Options = { names: [], headed: false, slowMo: 0, quick: false };
  for (const arg of argv) {
    if (arg === '--headed') options.headed = true;
    else if (arg === '--headless') options.headed = false;
    else if (arg === '--quick') options.quick = true;
    else if (arg.startsWith('--slow-mo=')) {
      const value = Number(arg.slice('--slow-mo='.length));
      if (!Number.isInteger(value) || value < 0)
        throw new Error(`--slow-mo needs milliseconds, got ${arg}`);
      options.slowMo = value;
    } else if (arg === '--help' || arg === '-h') {
      console.log(USAGE);
      process.exit(0);
    } else if (arg.startsWith('-')) throw new Error(`Unknown option ${arg}\n${USAGE}`);
    else options.names.push(arg);
  }
  return options;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const unknown = options.names.filter((n) => !DEMOS.some((d) => d.name === n));
  if (unknown.length > 0) throw new Error(`No demo named ${unknown.join(', ')}.\n${USAGE}`);
  const selected =
    options.names.length === 0 ? DEMOS : DEMOS.filter((d) => options.names.includes(d.name));
  if (!existsSync(serverEntry) || !existsSync(webEntry)) {
    throw new Error(
      `The product is not built (${relative(repositoryRoot, existsSync(serverEntry) ? webEntry : serverEntry)} is missing). Run "npm run build" first, or "npm run demo", which builds.`,
    );
  }

  const browser = await chromium.launch({
    ...chromiumLaunchOptions,
    headless: !options.headed,
    slowMo: options.slowMo,
  });
  const failures: string[] = [];
  try {
    for (const demo of selected) {
      // The reset: a new server on a new data folder, seeded with the demo host.
      const server = new ServerProcess(await freePort());
      console.log(`${demo.name}: ${demo.title}`);
      const started = Date.now();
      try {
        await server.start();
        const outDir = join(DEMO_OUTPUT, demo.name);
        const story = await runDemo(demo, {
          browser,
          baseURL: server.baseURL,
          outDir,
          quick: options.quick,
        });
        const seconds = ((Date.now() - started) / 1000).toFixed(1);
        console.log(
          `  ${story.steps.length} steps in ${seconds} s → ${relative(process.cwd(), join(outDir, 'index.html'))}${story.video ? ' and demo.mp4' : ''}`,
        );
      } catch (error) {
        failures.push(demo.name);
        console.error(`  ${demo.name} failed:`, error instanceof Error ? error.message : error);
      } finally {
        await server.dispose();
      }
    }
  } finally {
    await browser.close();
  }
  if (failures.length > 0) {
    console.error(`Failed: ${failures.join(', ')}`);
    process.exit(1);
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
