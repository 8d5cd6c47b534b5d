import { defineConfig } from '@playwright/test';
import { chromiumLaunchOptions } from './support/chromium.js';

/**
 * Browser tests of the whole product: the built server (which serves the built web app) in system
 * Chromium. Each worker starts its own server on its own data folder (see fixtures.ts), so tests
 * can also restart it. Failure traces and screenshots are kept under e2e/artifacts/.
 */
export default defineConfig({
  testDir: './tests',
  outputDir: './artifacts/test-results',
  forbidOnly: !!process.env.CI,
  retries: process.env.CI ? 1 : 0,
  workers: process.env.CI ? 2 : 1,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [['list'], ['html', { outputFolder: './artifacts/report', open: 'never' }]],
  use: {
    trace: 'on-first-retry',
    screenshot: 'only-on-failure',
    viewport: { width: 1440, height: 900 },
    launchOptions: chromiumLaunchOptions,
  },
  projects: [{ name: 'chromium', use: { browserName: 'chromium' } }],
});
