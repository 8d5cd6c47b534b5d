import { ConnectToServerDialog } from '../pages/ConnectToServerDialog.js';
import { HyperVManagerPage } from '../pages/HyperVManagerPage.js';
import { SettingsDialog } from '../pages/SettingsDialog.js';
import { VmConnectionWindow } from '../pages/VmConnectionWindow.js';
import { expect, test } from '../fixtures.js';
import { freePort } from '../support/freePort.js';
import { ServerProcess } from '../support/serverProcess.js';

/**
 * Connect to Server... with a second server of this product on a loopback port: its fingerprint
 * is confirmed, the frame follows the selected server, a Virtual Machine Connection window of a
 * VM there keeps working (Start, Turn Off with its question, File > Settings...) on that server
 * while this one is selected, and when that server goes away the tree says so until it is back.
 */
test('Connect to Server adds a second server; the frame follows it; its VM windows keep working, settings too; it shows Unreachable while it is down', async ({
  manager,
  page,
  request,
  uniqueName,
}) => {
  // Two server starts, a stop and a restart, and a VM started and turned off on the second server:
  // more than the default minute on a busy machine.
  test.slow();
  const hostPort = await freePort();
  const second = new ServerProcess(await freePort(), {
    env: { HYPERV_HOST_PORT: String(hostPort) },
  });
  await second.start();
  try {
    const remoteVm = uniqueName('remote');
    const created = await request.post(`${second.baseURL}/api/v1/vms`, {
      data: { name: remoteVm },
    });
    expect(created.status()).toBe(201);
    const remoteVmId = ((await created.json()) as { id: string }).id;
    const remoteVmNow = async () =>
      (await (await request.get(`${second.baseURL}/api/v1/vms/${remoteVmId}`)).json()) as {
        state: string;
        checkpointType: string;
      };
    const remoteState = async () => (await remoteVmNow()).state;

    const dialog = new ConnectToServerDialog(manager);
    await dialog.open();
    const fingerprint = await dialog.enterAddress(`127.0.0.1:${hostPort}`);
    expect(fingerprint).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    await dialog.confirmFingerprint();
    // Sign-in is off on a loopback server: any account name acts as its local Administrator.
    await dialog.signIn('Administrator', 'unused');

    const node = manager.serverNode(`127.0.0.1:${hostPort}`);
    await expect(node).toHaveAttribute('aria-selected', 'true');
    await expect(manager.page.getByText(remoteVm)).toBeVisible();
    await new HyperVManagerPage(page).vmRow(remoteVm).dblclick();
    const connection = new VmConnectionWindow(page, remoteVm);
    await expect(connection.status).toHaveText('Status: Off');
    // Out of the way of the tree (the window opens over the main window, as VMConnect does).
    await connection.moveBy(500, 150);

    // Back to this server: the other server's VM is not in the list.
    await manager.hostNode.click();
    await expect(manager.page.getByRole('grid').getByText(remoteVm)).toBeHidden();

    // Its window still acts on its own server: Start, then Turn Off after its question.
    await connection.toolbar.getByRole('button', { name: 'Start', exact: true }).click();
    await expect(connection.status).toHaveText('Status: Running', { timeout: 20_000 });
    expect(await remoteState()).toBe('Running');
    await connection.choose('Action', 'Turn Off');
    const question = page.getByRole('dialog', { name: 'Turn Off Machine' });
    await expect(question).toContainText(remoteVm);
    await question.getByRole('button', { name: 'Turn Off' }).click();
    await expect(connection.status).toHaveText('Status: Off', { timeout: 20_000 });
    expect(await remoteState()).toBe('Off');

    // File > Settings... opens the window's VM on its own server, and OK changes it there.
    await connection.choose('File', 'Settings...');
    const settings = new SettingsDialog(page, remoteVm);
    await settings.openCheckpointsPage();
    await expect(settings.enableCheckpoints).toBeChecked();
    await settings.enableCheckpoints.uncheck();
    await settings.ok();
    expect((await remoteVmNow()).checkpointType).toBe('Disabled');
    await connection.close();

    await second.stop();
    await expect(node).toHaveAttribute('data-state', 'Unreachable', { timeout: 20_000 });
    await expect(node).toContainText('(Unreachable)');
    await second.start();
    await expect(node).toHaveAttribute('data-state', 'Connected', { timeout: 30_000 });
  } finally {
    await second.dispose();
  }
});
