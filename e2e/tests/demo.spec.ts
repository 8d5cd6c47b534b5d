import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, expect } from '../fixtures.js';
import { runDemo } from '../demos/demoContext.js';
import { standardCheckpoint } from '../demos/standardCheckpoint.js';
import type { StoryboardFile } from '../demos/storyboard.js';
import { freePort } from '../support/freePort.js';
import { ServerProcess } from '../support/serverProcess.js';

test.describe('demos', () => {
  test('the Standard checkpoint demo runs in quick mode and writes its storyboard', async ({
    browser,
  }, testInfo) => {
    test.setTimeout(180_000);
    // As `npm run demo` does: a freshly reset demo host (a new server on a new data folder), not
    // the worker's server, whose demo VMs earlier tests may have saved by restarting it.
    const server = new ServerProcess(await freePort());
    await server.start();
    const outDir = testInfo.outputPath(standardCheckpoint.name);
    const story = await runDemo(standardCheckpoint, {
      browser,
      baseURL: server.baseURL,
      outDir,
      quick: true,
    }).finally(() => server.dispose());

    expect(story.steps.length).toBeGreaterThanOrEqual(8);
    const written = JSON.parse(
      readFileSync(join(outDir, 'storyboard.json'), 'utf8'),
    ) as StoryboardFile;
    expect(written.steps).toEqual(story.steps);
    expect(existsSync(join(outDir, 'player.js'))).toBe(true);
    expect(existsSync(join(outDir, 'demo.mp4'))).toBe(true);
    const html = readFileSync(join(outDir, 'index.html'), 'utf8');
    for (const [index, step] of story.steps.entries()) {
      expect(step.image).toMatch(
        new RegExp(`^${String(index + 1).padStart(2, '0')}-[a-z0-9-]+\\.png$`),
      );
      expect(existsSync(join(outDir, step.image))).toBe(true);
      expect(html).toContain(`src="${step.image}"`);
      expect(step.caption.length).toBeGreaterThan(20);
    }
    const order = story.steps.map((s) => html.indexOf(`src="${s.image}"`));
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(html).toContain('<script src="player.js"');
  });
});
