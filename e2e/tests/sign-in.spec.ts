import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';
import { ContextMenu } from '../pages/ContextMenu.js';
import { HyperVManagerPage } from '../pages/HyperVManagerPage.js';
import { ServerProcess } from '../support/serverProcess.js';

const accountsCommand = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  'apps',
  'server',
  'dist',
  'auth',
  'cli.js',
);
const demoVm = 'WEB-UBUNTU-01';
const readerPassword = 'Reader-pass-2024';
const denied =
  'You do not have the required permission to complete this task. Contact the administrator of the authorization policy for the computer';

/** Its own server, with sign-in required, on a port the shared fixtures do not use. */
let server: ServerProcess;

// eslint-disable-next-line no-empty-pattern -- Playwright needs the fixtures argument first
test.beforeAll(async ({}, workerInfo) => {
  server = new ServerProcess(18280 + workerInfo.workerIndex, {
    env: { HYPERV_AUTH: 'required' },
  });
  await server.start();
  const added = spawnSync(
    process.execPath,
    [accountsCommand, 'add', 'olivia', '--role', 'reader'],
    {
      env: { ...process.env, HYPERV_DATA_DIR: server.dataDir },
      input: readerPassword,
      encoding: 'utf8',
    },
  );
  expect(added.status, added.stderr).toBe(0);
});

test.afterAll(async () => {
  await server.dispose();
});

test('a Reader signs in through Connect to Server and is refused a checkpoint', async ({
  page,
}) => {
  await page.goto(server.baseURL);
  const dialog = page.getByRole('dialog', { name: 'Connect to Server' });
  await expect(dialog).toBeVisible();
  await expect(page.getByRole('grid', { name: 'Virtual Machines' })).toBeHidden();

  await dialog.getByLabel('User name:').fill('olivia');
  await dialog.getByLabel('Password:').fill('not the password');
  await dialog.getByRole('button', { name: 'OK' }).click();
  await expect(dialog.getByRole('alert')).toContainText('The user name or password is incorrect.');

  await dialog.getByLabel('Password:').fill(readerPassword);
  await dialog.getByRole('button', { name: 'OK' }).click();
  await expect(dialog).toBeHidden();
  const manager = new HyperVManagerPage(page);
  await expect(manager.vmRow(demoVm)).toBeVisible();
  await expect(page.getByText('olivia (Reader)')).toBeVisible();

  await manager.openVmContextMenu(demoVm);
  const menu = new ContextMenu(page, demoVm);
  await expect(menu.item('Checkpoint')).toBeDisabled();
  await expect(menu.item('Start')).toBeDisabled();
  await menu.close();

  // The server is the authority: the same request from the signed-in browser is refused.
  const refused = await page.evaluate(async (vmName) => {
    const session = (await (await fetch('/api/v1/session')).json()) as { csrfToken: string };
    const vms = (await (await fetch('/api/v1/vms')).json()) as { id: string; name: string }[];
    const vm = vms.find((v) => v.name === vmName);
    const response = await fetch(`/api/v1/vms/${vm?.id ?? ''}/checkpoints`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': session.csrfToken },
      body: JSON.stringify({ name: 'Not allowed' }),
    });
    return {
      status: response.status,
      body: (await response.json()) as { error: { code: string; message: string } },
    };
  }, demoVm);
  expect(refused.status).toBe(403);
  expect(refused.body.error.code).toBe('ACCESS_DENIED');
  expect(refused.body.error.message).toContain(denied);

  await manager.selectVm(demoVm);
  await expect(manager.checkpointsTree.getByText('Not allowed')).toHaveCount(0);

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(dialog).toBeVisible();
});
