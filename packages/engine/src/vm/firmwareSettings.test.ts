import { describe, expect, test } from 'vitest';
import { buildVm, createTestHost } from '../testing/index.js';

const MB = 1024 * 1024;

describe('firmware, BIOS and security settings', () => {
  test('a new generation 2 VM has Secure Boot on with the Microsoft Windows template, its disk first to boot, no TPM', async () => {
    // Get-VMFirmware / Get-VMSecurity of a VM New-VM made (Microsoft's Set-VMFirmware reference).
    const { host } = await createTestHost();
    const vm = await buildVm(host);
    expect(vm.firmware).toMatchObject({
      secureBootEnabled: true,
      secureBootTemplate: 'MicrosoftWindows',
      bootOrder: [
        { device: 'HardDiskDrive', controllerLocation: 'SCSI 0:0', path: vm.hardDrives[0]?.path },
      ],
    });
    expect(vm.security).toEqual({
      tpmEnabled: false,
      encryptStateAndVmMigrationTraffic: false,
      shielded: false,
    });
  });

  test('a new generation 1 VM starts from CD, IDE, LegacyNetworkAdapter, Floppy with NumLock off', async () => {
    // Set-VMBios reference: the four boot devices; Get-VMBios of a new VM.
    const { host } = await createTestHost();
    const vm = await buildVm(host, { generation: 1 });
    expect(vm.firmware).toMatchObject({
      startupOrder: ['CD', 'IDE', 'LegacyNetworkAdapter', 'Floppy'],
      numLockEnabled: false,
    });
  });

  test('Secure Boot, its template, the boot order and the TPM change while Off and survive a restart', async () => {
    const testHost = await createTestHost();
    const vm = await buildVm(testHost.host);
    await testHost.host.createVirtualHardDisk({ path: 'Data/data.vhdx', sizeBytes: 16 * MB });
    await testHost.host.addHardDiskDrive(vm.id, { path: 'Data/data.vhdx' });
    await testHost.host.updateVmSettings(vm.id, {
      firmware: {
        secureBootEnabled: false,
        secureBootTemplate: 'MicrosoftUEFICertificateAuthority',
        bootOrder: ['SCSI 0:1', 'SCSI 0:0'],
      },
      security: { tpmEnabled: true, encryptStateAndVmMigrationTraffic: true },
    });
    const after = (await testHost.restart()).getVm(vm.id);
    expect(after.firmware).toMatchObject({
      secureBootEnabled: false,
      secureBootTemplate: 'MicrosoftUEFICertificateAuthority',
    });
    expect(after.firmware?.bootOrder.map((entry) => entry.controllerLocation)).toEqual([
      'SCSI 0:1',
      'SCSI 0:0',
    ]);
    expect(after.security).toMatchObject({
      tpmEnabled: true,
      encryptStateAndVmMigrationTraffic: true,
    });
  });

  test('generation 1 VMs change their startup order and NumLock, and refuse Secure Boot and a TPM', async () => {
    const { host } = await createTestHost();
    const vm = await buildVm(host, { generation: 1 });
    const changed = await host.updateVmSettings(vm.id, {
      firmware: {
        startupOrder: ['IDE', 'CD', 'Floppy', 'LegacyNetworkAdapter'],
        numLockEnabled: true,
      },
    });
    expect(changed.firmware).toMatchObject({
      startupOrder: ['IDE', 'CD', 'Floppy', 'LegacyNetworkAdapter'],
      numLockEnabled: true,
    });
    await expect(
      host.updateVmSettings(vm.id, { firmware: { secureBootEnabled: false } }),
    ).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(
      host.updateVmSettings(vm.id, { security: { tpmEnabled: true } }),
    ).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  test('a generation 2 VM refuses the BIOS settings, a boot order that misses a drive and an unknown template', async () => {
    const { host } = await createTestHost();
    const vm = await buildVm(host);
    await expect(
      host.updateVmSettings(vm.id, { firmware: { numLockEnabled: true } }),
    ).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(
      host.updateVmSettings(vm.id, { firmware: { bootOrder: [] } }),
    ).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(
      host.updateVmSettings(vm.id, {
        firmware: { secureBootTemplate: 'Linux' as 'MicrosoftWindows' },
      }),
    ).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  test('not while the VM runs; the same values again are no change', async () => {
    const { host } = await createTestHost();
    const vm = await buildVm(host, { state: 'Running' });
    await expect(
      host.updateVmSettings(vm.id, { firmware: { secureBootEnabled: false } }),
    ).rejects.toMatchObject({ code: 'INVALID_STATE' });
    await expect(
      host.updateVmSettings(vm.id, { security: { tpmEnabled: true } }),
    ).rejects.toMatchObject({ code: 'INVALID_STATE' });
    await host.updateVmSettings(vm.id, { firmware: { secureBootEnabled: true } });
    expect(host.getVm(vm.id).firmware?.secureBootEnabled).toBe(true);
  });

  test('a checkpoint keeps the settings as they were; GET of one checkpoint shows them, Apply brings them back', async () => {
    const { host } = await createTestHost();
    const vm = await buildVm(host, { memoryStartupMB: 1024 });
    const checkpoint = await host.createCheckpoint(vm.id, { name: 'Before TPM' });
    await host.updateVmSettings(vm.id, {
      memoryStartupMB: 2048,
      firmware: { secureBootEnabled: false },
      security: { tpmEnabled: true },
    });
    const seen = host.getCheckpoint(vm.id, checkpoint.id);
    expect(seen.settings).toMatchObject({
      generation: 2,
      memoryStartupMB: 1024,
      hardware: { processorCount: 1 },
      firmware: { secureBootEnabled: true },
      security: { tpmEnabled: false },
      hardDrives: [{ controllerLocation: 'SCSI 0:0', path: checkpoint.hardDrives[0] }],
    });
    expect(host.listCheckpoints(vm.id).checkpoints[0]).not.toHaveProperty('settings');
    await host.applyCheckpoint(vm.id, checkpoint.id, {});
    const applied = host.getVm(vm.id);
    expect(applied.firmware?.secureBootEnabled).toBe(true);
    expect(applied.security?.tpmEnabled).toBe(false);
  });
});
