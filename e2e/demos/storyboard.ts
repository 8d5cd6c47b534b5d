import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from '@playwright/test';
import { PLAYER_JS, renderStoryboardHtml } from './player.js';

export type { StoryStep, StoryboardFile } from './storyboardFile.js';
import type { StoryStep, StoryboardFile } from './storyboardFile.js';

export const FFMPEG = process.env.FFMPEG_PATH ?? '/usr/bin/ffmpeg';

function slug(text: string): string {
  return (
    text
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 48) || 'step'
  );
}

/**
 * Collects a demo's steps: a screenshot of the browser window with a title and a caption each.
 * `finish` writes storyboard.json, the player page (index.html + player.js) and demo.mp4.
 */
export class Storyboard {
  readonly steps: StoryStep[] = [];

  constructor(
    private readonly page: Page,
    readonly outDir: string,
    readonly demo: string,
    readonly title: string,
    readonly summary: string,
  ) {
    rmSync(outDir, { recursive: true, force: true });
    mkdirSync(outDir, { recursive: true });
  }

  /** Takes the next numbered screenshot of what the page shows now. */
  async step(title: string, caption: string): Promise<StoryStep> {
    const number = this.steps.length + 1;
    const image = `${String(number).padStart(2, '0')}-${slug(title)}.png`;
    await this.page.screenshot({ path: join(this.outDir, image) });
    const step: StoryStep = { number, image, title, caption };
    this.steps.push(step);
    console.log(`  ${String(number).padStart(2, ' ')}. ${title}`);
    return step;
  }

  /**
   * Writes the storyboard. The video's frames are the screenshots with their captions under them,
   * rendered by the browser on a page of their own, `secondsPerFrame` each.
   */
  async finish(browser: Browser, secondsPerFrame: number, quick: boolean): Promise<StoryboardFile> {
    const video = await this.writeVideo(browser, secondsPerFrame);
    const file: StoryboardFile = {
      demo: this.demo,
      title: this.title,
      summary: this.summary,
      recordedAt: new Date().toISOString(),
      quick,
      steps: this.steps,
      video,
    };
    writeFileSync(join(this.outDir, 'storyboard.json'), `${JSON.stringify(file, null, 2)}\n`);
    writeFileSync(join(this.outDir, 'player.js'), PLAYER_JS);
    writeFileSync(join(this.outDir, 'index.html'), renderStoryboardHtml(file, secondsPerFrame));
    return file;
  }

  private async writeVideo(browser: Browser, secondsPerFrame: number): Promise<string | null> {
    if (!existsSync(FFMPEG)) {
      console.warn(`  ${FFMPEG} is missing: no demo.mp4 (apt-get install ffmpeg).`);
      return null;
    }
    const framesDir = join(this.outDir, 'frames');
    mkdirSync(framesDir, { recursive: true });
    const page = await browser.newPage({ viewport: { width: 1440, height: 1040 } });
    try {
      for (const step of this.steps) {
        const png = readFileSync(join(this.outDir, step.image)).toString('base64');
        await page.setContent(frameHtml(step, this.title, `data:image/png;base64,${png}`), {
          waitUntil: 'load',
        });
        await page.screenshot({ path: join(framesDir, step.image) });
      }
    } finally {
      await page.close();
    }
    const frames = readdirSync(framesDir).filter((f) => f.endsWith('.png'));
    const list = frames.map((f) => `file '${join(framesDir, f)}'\nduration ${secondsPerFrame}`);
    // The concat demuxer takes the last duration only when the last file is listed once more.
    const last = frames.at(-1);
    if (last !== undefined) list.push(`file '${join(framesDir, last)}'`);
    const listFile = join(this.outDir, 'frames.txt');
    writeFileSync(listFile, `${list.join('\n')}\n`);
    const result = spawnSync(
      FFMPEG,
      [
        '-y',
        '-loglevel',
        'error',
        '-f',
        'concat',
        '-safe',
        '0',
        '-i',
        listFile,
        '-vf',
        'fps=10,scale=trunc(iw/2)*2:trunc(ih/2)*2',
        '-pix_fmt',
        'yuv420p',
        '-movflags',
        '+faststart',
        join(this.outDir, 'demo.mp4'),
      ],
      { encoding: 'utf8' },
    );
    if (result.status !== 0) {
      throw new Error(`ffmpeg failed (${result.status ?? result.signal}): ${result.stderr}`);
    }
    return 'demo.mp4';
  }
}

function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

/** A video frame: the screenshot (inlined) and its numbered caption below it. */
function frameHtml(step: StoryStep, demoTitle: string, src: string): string {
  return `<!doctype html><html><head><style>
body{margin:0;width:1440px;height:1040px;background:#1b1f24;font-family:'Segoe UI',Arial,sans-serif;color:#fff}
img{display:block;width:1440px;height:900px}
.cap{height:140px;box-sizing:border-box;padding:12px 28px}
.t{font-size:22px;font-weight:600;margin-bottom:6px}.t small{color:#9ab;font-weight:400;margin-left:12px}
.c{font-size:17px;line-height:1.35;color:#dde}
</style></head><body><img src="${src}"><div class="cap"><div class="t">${step.number}. ${escapeHtml(step.title)}<small>${escapeHtml(demoTitle)}</small></div><div class="c">${escapeHtml(step.caption)}</div></div></body></html>`;
}
