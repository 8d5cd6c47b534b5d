import { expect, type Browser, type Page } from '@playwright/test';
import type { GuestConsole, VmState, VmSummary } from '@hvm/engine';
import { CheckpointCommands } from '../pages/CheckpointCommands.js';
import { HyperVManagerPage } from '../pages/HyperVManagerPage.js';
import { SettingsDialog } from '../pages/SettingsDialog.js';
import { VmConnectionWindow } from '../pages/VmConnectionWindow.js';
import { DemoApi } from './demoApi.js';
import { Storyboard, type StoryboardFile } from './storyboard.js';

/** What a demo gets: the browser page on the demo host, page objects, the API and its storyboard. */
export class DemoContext {
  readonly manager: HyperVManagerPage;
  readonly checkpoints: CheckpointCommands;
  readonly api: DemoApi;

  constructor(
    readonly page: Page,
    baseURL: string,
    readonly story: Storyboard,
    /** Quick mode (tests): the guest workload runs for a moment only. */
    readonly quick: boolean,
  ) {
    this.manager = new HyperVManagerPage(page);
    this.checkpoints = new CheckpointCommands(this.manager);
    this.api = new DemoApi(baseURL);
  }

  step(title: string, caption: string): Promise<unknown> {
    return this.story.step(title, caption);
  }

  /**
   * The only deliberate wait of the demos: the guest's workload runs on (one tick a second) so the
   * audience can watch its figures move. Quick mode waits a little over one tick.
   */
  async letWorkloadRun(seconds: number): Promise<void> {
    await this.page.waitForTimeout(this.quick ? 1_200 : seconds * 1_000);
  }

  async vm(name: string): Promise<VmSummary> {
    return this.api.vmByName(name);
  }

  /** Waits until the API and the VM list both show the state. */
  async waitForState(name: string, state: VmState): Promise<void> {
    const vm = await this.vm(name);
    await expect
      .poll(async () => (await this.api.vm(vm.id)).state, { timeout: 30_000 })
      .toBe(state);
    await expect(
      this.manager.vmRow(name).getByRole('gridcell', { name: state, exact: true }),
    ).toBeVisible();
  }

  /** Waits until the VM's status is "Operating normally" again (no progress, no merge). */
  async waitUntilIdle(name: string): Promise<void> {
    const vm = await this.vm(name);
    await expect
      .poll(async () => (await this.api.vm(vm.id)).status, { timeout: 60_000 })
      .toBe('Operating normally');
    await expect(this.manager.vmRow(name)).toContainText('Operating normally');
  }

  /** Connect...: opens Virtual Machine Connection and waits for the guest's figures. */
  async connect(name: string): Promise<VmConnectionWindow> {
    await this.manager.chooseFromVmContextMenu(name, 'Connect...');
    const connection = new VmConnectionWindow(this.page, name);
    await connection.waitUntilRunning();
    return connection;
  }

  async guest(name: string): Promise<GuestConsole> {
    return this.api.console((await this.vm(name)).id);
  }

  /** Settings... of a VM, on the Checkpoints page. */
  async openCheckpointSettings(name: string): Promise<SettingsDialog> {
    await this.manager.chooseFromVmContextMenu(name, 'Settings...');
    const settings = new SettingsDialog(this.page, name);
    await settings.openCheckpointsPage();
    return settings;
  }

  /** Right-click the VM, Start, and wait until it runs. */
  async start(name: string): Promise<void> {
    await this.manager.chooseFromVmContextMenu(name, 'Start');
    await this.waitForState(name, 'Running');
  }
}

/** A runnable walkthrough. */
export interface Demo {
  name: string;
  title: string;
  summary: string;
  run(demo: DemoContext): Promise<void>;
}

export interface RunDemoOptions {
  browser: Browser;
  baseURL: string;
  outDir: string;
  quick: boolean;
}

/** Runs one demo in a new browser window on the given (freshly reset) host and writes its storyboard. */
export async function runDemo(demo: Demo, options: RunDemoOptions): Promise<StoryboardFile> {
  const context = await options.browser.newContext({
    baseURL: options.baseURL,
    viewport: { width: 1440, height: 900 },
  });
  const page = await context.newPage();
  const story = new Storyboard(page, options.outDir, demo.name, demo.title, demo.summary);
  try {
    await new HyperVManagerPage(page).goto();
    await demo.run(new DemoContext(page, options.baseURL, story, options.quick));
  } catch (error) {
    await page.screenshot({ path: `${options.outDir}/failure.png` }).catch(() => undefined);
    throw error;
  } finally {
    await context.close();
  }
  return story.finish(options.browser, options.quick ? 1 : 4, options.quick);
}
