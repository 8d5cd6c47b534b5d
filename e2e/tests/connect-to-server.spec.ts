import { ConnectToServerDialog } from '../pages/ConnectToServerDialog.js';
import { expect, test } from '../fixtures.js';
import { freePort } from '../support/freePort.js';
import { ServerProcess } from '../support/serverProcess.js';

/**
 * Connect to Server... with a second server of this product on a loopback port: its fingerprint
 * is confirmed, the frame follows the selected server, and when that server goes away the tree
 * says so until it is back.
 */
test('Connect to Server adds a second server; the frame follows it; it shows Unreachable while it is down', async ({
  manager,
  request,
  uniqueName,
}) => {
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

    // Back to this server: the other server's VM is not here.
    await manager.hostNode.click();
    await expect(manager.page.getByText(remoteVm)).toBeHidden();

    await second.stop();
    await expect(node).toHaveAttribute('data-state', 'Unreachable', { timeout: 20_000 });
    await expect(node).toContainText('(Unreachable)');
    await second.start();
    await expect(node).toHaveAttribute('data-state', 'Connected', { timeout: 30_000 });
  } finally {
    await second.dispose();
  }
});
