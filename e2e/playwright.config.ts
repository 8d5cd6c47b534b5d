import { defineConfig } from '@playwright/test';
import { chromiumLaunchOptions } from './support/chromium.js';

/**
 * Browser tests of the whole product: the built server (which serves the built web app) in system
 * Chromium. Each worker starts its own server on its own data folder (see fixtures.ts) and its
 * tests share it; each test makes its own VM. A failed test keeps its trace and screenshot under
 * e2e/artifacts/test-results/ (the HTML report is e2e/artifacts/report/); CI keeps both folders.
 */
export default defineConfig({
  testDir: './tests',
  outputDir: './artifacts/test-results',
  forbidOnly: !!process.env.CI,
  retries: process.env.CI ? 1 : 0,
  workers: 2,
  fullyParallel: true,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [['list'], ['html', { outputFolder: './artifacts/report', open: 'never' }]],
  use: {
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    viewport: { width: 1440, height: 900 },
    launchOptions: chromiumLaunchOptions,
  },
  projects: [{ name: 'chromium', use: { browserName: 'chromium' } }],
});
