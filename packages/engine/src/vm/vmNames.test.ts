import { describe, expect, it } from 'vitest';
import { vmConfigPath } from '../persistence/layout.js';
import { buildVm, createTestHost } from '../testing/index.js';

const lookAlikes = {
  'a soft hyphen inside': 'WEB\u00AD-01',
  'a zero-width space': 'WEB-\u200B01',
  'a trailing NUL': 'WEB-01\u0000',
  'a right-to-left override': 'WEB-\u202E10',
  'a byte order mark inside': 'WEB\uFEFF-01',
  'a Hangul filler': 'WEB-01\u3164',
  'a variation selector': 'WEB-01\uFE0F',
};

describe('VM and checkpoint names (one name rule)', () => {
  it.each(Object.entries(lookAlikes))(
    'New VM, Rename VM and a checkpoint name with %s are refused in Hyper-V’s style, and nothing changes',
    async (_, name) => {
      const { host } = await createTestHost();
      const vm = await buildVm(host, { name: 'WEB-01' });
      await expect(host.createVm({ name })).rejects.toMatchObject({
        code: 'INVALID_ARGUMENT',
        message: expect.stringMatching(
          /^The virtual machine name cannot contain control characters or invisible formatting characters \(U\+[0-9A-F]{4} at position \d+\)\.$/,
        ) as unknown,
      });
      await expect(host.updateVmSettings(vm.id, { name: `X${name}` })).rejects.toMatchObject({
        code: 'INVALID_ARGUMENT',
      });
      await expect(host.createCheckpoint(vm.id, { name })).rejects.toMatchObject({
        code: 'INVALID_ARGUMENT',
        message: expect.stringMatching(
          /^The checkpoint name cannot contain control characters/,
        ) as unknown,
      });
      const checkpoint = await host.createCheckpoint(vm.id, { name: 'Before' });
      await expect(host.renameCheckpoint(vm.id, checkpoint.id, name)).rejects.toMatchObject({
        code: 'INVALID_ARGUMENT',
      });
      expect(host.listVms().map((v) => v.name)).toEqual(['WEB-01']);
      expect(host.getCheckpoint(vm.id, checkpoint.id).name).toBe('Before');
    },
  );

  it('a full-width or differently cased spelling of a VM name is the same name for Get-VM -Name; another VM may have it (R36)', async () => {
    const { host } = await createTestHost();
    const vm = await buildVm(host, { name: 'WEB-01' });
    expect(host.findVmsByName('ＷＥＢ－０１').map((v) => v.id)).toEqual([vm.id]);
    expect(host.findVmsByName(' web-01 ').map((v) => v.id)).toEqual([vm.id]);
    // A look-alike with an invisible character is not the VM: it cannot be a VM's name either.
    expect(host.findVmsByName('WEB\u00AD-01')).toEqual([]);
    // Hyper-V knows VMs by ID: a second VM of the same name, or a rename to it, is allowed, and
    // the name then finds both.
    const twin = await host.createVm({ name: 'ｗｅｂ－０１' });
    const other = await buildVm(host, { name: 'DB-01' });
    await host.updateVmSettings(other.id, { name: 'Web-01' });
    expect(
      host
        .findVmsByName('web-01')
        .map((v) => v.id)
        .sort(),
    ).toEqual([vm.id, twin.id, other.id].sort());
    // Renaming a VM to another spelling of its own name is allowed.
    await host.updateVmSettings(vm.id, { name: 'Web-01' });
    expect(host.getVm(vm.id).name).toBe('Web-01');
  });

  it('a data folder whose names break the rule still loads, and those VMs and checkpoints stay usable', async () => {
    const test = await createTestHost();
    const vm = await buildVm(test.host, { name: 'OLD-VM' });
    const checkpoint = await test.host.createCheckpoint(vm.id, { name: 'Before' });
    await test.host.close();
    // What an older version let in: a zero-width space in the VM name, a soft hyphen and a NUL
    // in the checkpoint name.
    const oldVmName = 'OLD\u200B-VM';
    const oldCheckpointName = 'Be\u00ADfore\u0000';
    const path = vmConfigPath(vm.id);
    const config = JSON.parse(new TextDecoder().decode(await test.store.readFile(path))) as {
      name: string;
      checkpoints: { name: string }[];
    };
    config.name = oldVmName;
    for (const node of config.checkpoints) node.name = oldCheckpointName;
    await test.store.writeFileAtomic(path, new TextEncoder().encode(JSON.stringify(config)));

    const host = await test.restart({ close: false });
    expect(host.getVm(vm.id).name).toBe(oldVmName);
    expect(host.findVmsByName(oldVmName).map((v) => v.id)).toEqual([vm.id]);
    expect(host.getCheckpoint(vm.id, checkpoint.id).name).toBe(oldCheckpointName);
    // Settings that keep the name (as the Settings dialog sends it) are saved.
    await host.updateVmSettings(vm.id, { name: oldVmName, checkpointType: 'Standard' });
    expect(host.getVm(vm.id)).toMatchObject({ name: oldVmName, checkpointType: 'Standard' });
    await host.renameCheckpoint(vm.id, checkpoint.id, oldCheckpointName);
    // Checkpoints, Apply and Delete work on it; a new checkpoint gets the default name.
    const next = await host.createCheckpoint(vm.id);
    expect(next.name.startsWith(`${oldVmName} - (`)).toBe(true);
    await host.applyCheckpoint(vm.id, checkpoint.id);
    await host.deleteCheckpoint(vm.id, next.id);
    // Renaming to a name that keeps the invisible character is refused; a clean name is accepted.
    await expect(host.updateVmSettings(vm.id, { name: 'NEW\u200B-VM' })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
    await host.updateVmSettings(vm.id, { name: 'OLD-VM' });
    await host.renameCheckpoint(vm.id, checkpoint.id, 'Before');
    expect(host.getVm(vm.id).name).toBe('OLD-VM');
  });
});
