import { buildVm, createTestHost } from '@hvm/engine/testing';
import { describe, expect, test } from 'vitest';
import { runPowerShell } from '../index.js';

/**
 * Names compare one way everywhere (the engine's name rule: NFKC, then case-insensitive): a
 * wildcard given to a cmdlet finds the same VMs and checkpoints as a plain name does.
 */
describe('wildcard names follow the one name rule', () => {
  test('Get-VM -Name with a full-width wildcard pattern finds the VM a plain full-width name finds', async () => {
    const { host } = await createTestHost();
    await buildVm(host, { name: 'WEB-01' });
    await buildVm(host, { name: 'DB-01' });
    const plain = await runPowerShell(host, "(Get-VM -Name 'ｗｅｂ－０１').Name");
    const wildcard = await runPowerShell(host, "(Get-VM -Name 'ｗｅｂ*').Name");
    expect(plain.objects).toEqual(['WEB-01']);
    expect(wildcard.objects).toEqual(['WEB-01']);
  });

  test('Get-VMSnapshot -Name matches checkpoint names by the same rule', async () => {
    const { host } = await createTestHost();
    const vm = await buildVm(host, { name: 'TestVM' });
    await host.createCheckpoint(vm.id, { name: 'Before Update' });
    await host.createCheckpoint(vm.id, { name: 'Other' });
    const exact = await runPowerShell(
      host,
      "(Get-VMSnapshot -VMName TestVM -Name 'ＢＥＦＯＲＥ update').Name",
    );
    const wildcard = await runPowerShell(
      host,
      "(Get-VMSnapshot -VMName TestVM -Name 'ｂｅｆｏｒｅ*').Name",
    );
    expect(exact.objects).toEqual(['Before Update']);
    expect(wildcard.objects).toEqual(['Before Update']);
  });
});
