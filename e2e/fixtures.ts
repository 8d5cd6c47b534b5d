import { test as base } from '@playwright/test';
import type { CheckpointType, VmDetail } from '@hvm/engine';
import { HyperVApi } from './support/api.js';
import { freePort } from './support/freePort.js';
import { ServerProcess } from './support/serverProcess.js';
import { CheckpointCommands } from './pages/CheckpointCommands.js';
import { HyperVManagerPage } from './pages/HyperVManagerPage.js';
import { SettingsDialog } from './pages/SettingsDialog.js';

/** How a test's own VM is set up before the test starts (`test.use({ vmSetup: ... })`). */
export interface VmSetup {
  /** A Quick Create gallery image to install (a guest that runs and writes); default a blank disk. */
  guestImage?: string | null;
  checkpointType?: CheckpointType;
  /** Started before the test (and, with a guest image, booted). */
  running?: boolean;
}

interface WorkerFixtures {
  server: ServerProcess;
}

interface TestFixtures {
  vmSetup: VmSetup;
  api: HyperVApi;
  manager: HyperVManagerPage;
  /** The same window in a second tab of the same browser, for live updates. */
  otherTab: HyperVManagerPage;
  checkpoints: CheckpointCommands;
  /** Settings for the test's VM (under the name it was created with). */
  settings: SettingsDialog;
  /** A VM of this test's own, created through the API and removed afterwards. */
  vm: VmDetail;
  /** A name no other test uses, for VMs a test creates itself. */
  uniqueName: (suffix: string) => string;
}

/**
 * Each worker runs its own server on its own port and data folder; the tests of a worker share it.
 * Tests get page objects, an API client for setup and for checking the backend, and a uniquely
 * named VM of their own, so no test depends on the demo VMs or on another test.
 */
export const test = base.extend<TestFixtures, WorkerFixtures>({
  server: [
    // eslint-disable-next-line no-empty-pattern -- Playwright needs the fixtures argument first
    async ({}, use) => {
      const server = new ServerProcess(await freePort());
      await server.start();
      await use(server);
      await server.dispose();
    },
    { scope: 'worker' },
  ],
  baseURL: async ({ server }, use) => {
    await use(server.baseURL);
  },
  vmSetup: [{}, { option: true }],
  api: async ({ request }, use) => {
    await use(new HyperVApi(request));
  },
  // eslint-disable-next-line no-empty-pattern -- Playwright needs the fixtures argument first
  uniqueName: async ({}, use, testInfo) => {
    const stem = `e2e-${testInfo.workerIndex}-${testInfo.testId.slice(0, 6)}-${Date.now().toString(36)}`;
    await use((suffix: string) => `${stem}-${suffix}`);
  },
  vm: async ({ api, vmSetup, uniqueName }, use) => {
    const vm = await api.createVm(uniqueName('vm'), { guestImage: vmSetup.guestImage ?? null });
    if (vmSetup.checkpointType) await api.setCheckpointType(vm.id, vmSetup.checkpointType);
    if (vmSetup.running) await api.action(vm.id, 'start');
    await use(await api.getVm(vm.id));
    await api.deleteVm(vm.id);
  },
  // The page opens once the test's VM exists, so the list shows it from the first paint.
  manager: async ({ page, vm }, use) => {
    void vm;
    const manager = new HyperVManagerPage(page);
    await manager.goto();
    await use(manager);
  },
  otherTab: async ({ context, manager }, use) => {
    void manager;
    const other = new HyperVManagerPage(await context.newPage());
    await other.goto();
    await use(other);
    await other.page.close();
  },
  checkpoints: async ({ manager }, use) => {
    await use(new CheckpointCommands(manager));
  },
  settings: async ({ page, vm }, use) => {
    await use(new SettingsDialog(page, vm.name));
  },
});

export { expect } from '@playwright/test';
