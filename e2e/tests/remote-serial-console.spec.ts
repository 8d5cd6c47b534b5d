import { spawnSync } from 'node:child_process';
import { ConnectToServerDialog } from '../pages/ConnectToServerDialog.js';
import { HyperVManagerPage } from '../pages/HyperVManagerPage.js';
import { VmConnectionWindow } from '../pages/VmConnectionWindow.js';
import { expect, test } from '../fixtures.js';
import { freePort } from '../support/freePort.js';
import { ServerProcess } from '../support/serverProcess.js';

/**
 * Virtual Machine Connection of a real guest on another server (Connect to Server): a second
 * server with HYPERV_HYPERVISOR=qemu runs tiny-linux under QEMU (TCG: about a minute to boot on a
 * loaded machine, hence the long timeout); the console's server forwards its serial console.
 * Clipboard > Type clipboard text runs a command in the guest and Capture Screen copies a
 * picture; when the other server stops, the window says it cannot be reached.
 */
test('a guest on another server shows its serial console through the gateway, with the Clipboard menu', async ({
  manager,
  page,
  request,
  uniqueName,
}) => {
  test.setTimeout(420_000);
  if (spawnSync('sh', ['-c', 'command -v qemu-system-x86_64']).status !== 0) {
    const message = 'qemu-system-x86_64 is not installed (apt-get install qemu-system-x86)';
    if (process.env.CI === 'true') throw new Error(message);
    test.skip(true, message);
  }
  const hostPort = await freePort();
  const second = new ServerProcess(await freePort(), {
    env: { HYPERV_HYPERVISOR: 'qemu', HYPERV_HOST_PORT: String(hostPort) },
    readyTimeoutMs: 120_000,
  });
  let vmId: string | null = null;
  try {
    await second.start();
    const name = uniqueName('remote-tiny');
    const created = await request.post(`${second.baseURL}/api/v1/vms`, {
      data: {
        name,
        memoryStartupMB: 192,
        diskSizeBytes: 64 * 1024 * 1024,
        guestImage: 'tiny-linux',
      },
    });
    expect(created.status()).toBe(201);
    vmId = ((await created.json()) as { id: string }).id;
    const started = await request.post(`${second.baseURL}/api/v1/vms/${vmId}/actions/start`);
    expect(started.status()).toBe(200);

    const dialog = new ConnectToServerDialog(manager);
    await dialog.open();
    await dialog.enterAddress(`127.0.0.1:${hostPort}`);
    await dialog.confirmFingerprint();
    // Sign-in is off on a loopback server: any account name acts as its local Administrator.
    await dialog.signIn('Administrator', 'unused');
    await expect(manager.serverNode(`127.0.0.1:${hostPort}`)).toHaveAttribute(
      'aria-selected',
      'true',
    );

    await new HyperVManagerPage(page).vmRow(name).dblclick();
    const connection = new VmConnectionWindow(page, name);
    const terminal = connection.serialConsole;
    await expect(terminal).toBeVisible();
    await expect(connection.serialConsoleText).toContainText('HVM-READY', { timeout: 240_000 });

    await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
    // The tests are compiled without the DOM's types: the page's code goes as text.
    await page.evaluate(
      `navigator.clipboard.writeText(${JSON.stringify('\necho "via gateway: $((6 * 7))"\n')})`,
    );
    await connection.choose('Clipboard', 'Type clipboard text');
    await expect(connection.serialConsoleText).toContainText('via gateway: 42', {
      timeout: 60_000,
    });

    await connection.choose('Clipboard', 'Capture Screen');
    await expect
      .poll(
        () =>
          page.evaluate<number>(`(async () => {
            const items = await navigator.clipboard.read();
            const image = items.find((item) => item.types.includes('image/png'));
            return image === undefined ? 0 : (await image.getType('image/png')).size;
          })()`),
        { timeout: 20_000 },
      )
      .toBeGreaterThan(1000);

    await second.stop();
    await expect(connection.window.getByRole('status')).toContainText(
      'An error occurred while attempting to connect to server',
      { timeout: 30_000 },
    );
  } finally {
    // Turned off, not saved by the server's stop: QEMU ends at once.
    if (vmId !== null) {
      await second.start().catch(() => undefined);
      await request.post(`${second.baseURL}/api/v1/vms/${vmId}/actions/turn-off`).catch(() => null);
    }
    await second.dispose();
  }
});
