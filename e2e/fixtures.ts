import { test as base, type APIRequestContext } from '@playwright/test';
import type { VmDetail } from '@hvm/engine';
import { HyperVApi } from './support/api.js';
import { ServerProcess } from './support/serverProcess.js';
import { HyperVManagerPage } from './pages/HyperVManagerPage.js';

interface WorkerFixtures {
  server: ServerProcess;
}

interface TestFixtures {
  api: HyperVApi;
  manager: HyperVManagerPage;
  /** A VM of this test's own, created through the API and removed afterwards. */
  vm: VmDetail;
}

/**
 * Each worker runs its own server on its own port and data folder. Tests get page objects, an API
 * client for setup and for checking the backend, and a uniquely named VM of their own.
 */
export const test = base.extend<TestFixtures, WorkerFixtures>({
  server: [
    // eslint-disable-next-line no-empty-pattern -- Playwright needs the fixtures argument first
    async ({}, use, workerInfo) => {
      const server = new ServerProcess(18080 + workerInfo.workerIndex);
      await server.start();
      await use(server);
      await server.dispose();
    },
    { scope: 'worker' },
  ],
  baseURL: async ({ server }, use) => {
    await use(server.baseURL);
  },
  api: async ({ request }: { request: APIRequestContext }, use) => {
    await use(new HyperVApi(request));
  },
  manager: async ({ page }, use) => {
    const manager = new HyperVManagerPage(page);
    await manager.goto();
    await use(manager);
  },
  vm: async ({ api }, use, testInfo) => {
    const name = `e2e-${testInfo.workerIndex}-${Date.now().toString(36)}`;
    const vm = await api.createVm(name);
    await use(vm);
    await api.deleteVm(vm.id);
  },
});

export { expect } from '@playwright/test';
