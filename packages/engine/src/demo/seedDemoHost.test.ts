import { inspectDisk, openDisk } from '@hvm/vhdx';
import { describe, expect, it } from 'vitest';
import { createTestHost } from '../testing/index.js';

describe('demo host', () => {
  it('seeds four VMs with real disks when the data folder is empty, and only then', async () => {
    const test = await createTestHost({ seedDemo: true });
    const vms = test.host.listVms();
    expect(vms.map((vm) => [vm.name, vm.state, vm.guestImage])).toEqual([
      ['DC-01', 'Running', 'windows-server-2016-dc'],
      ['LEGACY-NT', 'Off', 'legacy-no-integration'],
      ['SQL-PROD-01', 'Running', 'windows-server-2016-sql'],
      ['WEB-UBUNTU-01', 'Running', 'ubuntu-22.04-postgres'],
    ]);
    const web = vms.find((vm) => vm.name === 'WEB-UBUNTU-01');
    if (web === undefined) throw new Error('no WEB-UBUNTU-01');
    expect(
      test.host.listCheckpoints(web.id).checkpoints.map((c) => [c.name, c.kind, c.consistency]),
    ).toEqual([
      ['Before PostgreSQL 16 upgrade', 'Production', 'FileSystemConsistent'],
      ['After PostgreSQL 16 upgrade', 'Production', 'FileSystemConsistent'],
    ]);
    const sql = vms.find((vm) => vm.name === 'SQL-PROD-01');
    expect(
      test.host.listCheckpoints(sql?.id ?? ('' as never)).checkpoints.map((c) => c.consistency),
    ).toEqual(['ApplicationConsistent']);
    const drive = test.host.getVm(web.id).hardDrives[0];
    const info = await inspectDisk(test.store, drive?.path ?? '');
    expect(info.chain.map((d) => d.path)).toEqual(drive?.chain);
    const disk = await openDisk(test.store, drive?.path ?? '');
    const sector = new Uint8Array(512);
    await disk.read(sector, 0);
    await disk.close();
    expect([sector[510], sector[511]]).toEqual([0x55, 0xaa]);
    const again = await test.restart();
    expect(again.listVms()).toHaveLength(4);
  });
});
