import { spawnSync } from 'node:child_process';
import { expect, test } from '../fixtures.js';
import { VmConnectionWindow } from '../pages/VmConnectionWindow.js';
import { HyperVManagerPage } from '../pages/HyperVManagerPage.js';
import { freePort } from '../support/freePort.js';
import { ServerProcess } from '../support/serverProcess.js';

/**
 * Virtual Machine Connection of a real guest: a server with HYPERV_HYPERVISOR=qemu runs tiny-linux
 * under QEMU (TCG: about a minute to boot on a loaded machine, hence the long timeout); its
 * window shows the serial console in a terminal, and what is typed there runs in the guest.
 * The guest image is built by `npm run build:guest-image` (the server builds it when missing).
 */
test('a tiny-linux guest’s window shows its serial console live and runs what is typed', async ({
  page,
  uniqueName,
}) => {
  test.setTimeout(300_000);
  if (spawnSync('sh', ['-c', 'command -v qemu-system-x86_64']).status !== 0) {
    const message = 'qemu-system-x86_64 is not installed (apt-get install qemu-system-x86)';
    if (process.env.CI === 'true') throw new Error(message);
    test.skip(true, message);
  }
  const server = new ServerProcess(await freePort(), { env: { HYPERV_HYPERVISOR: 'qemu' } });
  await server.start();
  let vmId: string | null = null;
  try {
    const name = uniqueName('tiny');
    const created = await page.request.post(`${server.baseURL}/api/v1/vms`, {
      data: {
        name,
        memoryStartupMB: 192,
        diskSizeBytes: 64 * 1024 * 1024,
        guestImage: 'tiny-linux',
      },
    });
    expect(created.status()).toBe(201);
    const { id } = (await created.json()) as { id: string };
    vmId = id;
    const started = await page.request.post(`${server.baseURL}/api/v1/vms/${id}/actions/start`);
    expect(started.status()).toBe(200);

    await page.goto(server.baseURL);
    await new HyperVManagerPage(page).vmRow(name).dblclick();
    const connection = new VmConnectionWindow(page, name);
    const terminal = connection.serialConsole;
    await expect(terminal).toBeVisible();
    await expect(connection.serialConsoleText).toContainText('HVM-READY', { timeout: 180_000 });

    await terminal.click();
    await page.keyboard.press('Enter');
    await page.keyboard.type('echo "typed: $((6 * 7)) on $(uname -s)"');
    await page.keyboard.press('Enter');
    await expect(connection.serialConsoleText).toContainText('typed: 42 on Linux', {
      timeout: 60_000,
    });
  } finally {
    // Turned off, not saved by the server's stop: QEMU ends at once.
    if (vmId !== null)
      await page.request.post(`${server.baseURL}/api/v1/vms/${vmId}/actions/turn-off`);
    await server.dispose();
  }
});
