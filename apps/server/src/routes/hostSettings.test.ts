import type { HostInfo } from '@hvm/engine';
import type { PowerShellResult } from '@hvm/powershell';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createTestApp, createVm } from '../testing/testApp.js';

describe("Hyper-V Settings' folders (Set-VMHost) over the API", () => {
  it('GET /host shows the folders Set-VMHost set, and a new VM uses them', async () => {
    const t = await createTestApp();
    expect((await request(t.app).get('/api/v1/host').expect(200)).body).toMatchObject({
      virtualHardDiskPath: 'Virtual Hard Disks',
      virtualMachinePath: '.',
    });
    const run = (
      await request(t.app)
        .post('/api/v1/powershell')
        .send({ script: 'Set-VMHost -VirtualHardDiskPath Disks -VirtualMachinePath Machines' })
        .expect(200)
    ).body as PowerShellResult;
    expect(run.errors).toEqual([]);
    const info = (await request(t.app).get('/api/v1/host').expect(200)).body as HostInfo;
    expect(info).toMatchObject({ virtualHardDiskPath: 'Disks', virtualMachinePath: 'Machines' });
    const vm = await createVm(t.app, 'App');
    expect(vm.hardDrives[0]?.path).toBe('Disks/App.vhdx');
    expect(vm.snapshotFileLocation).toBe('Machines/Snapshots');
  });

  it('PATCH /host sets the folders as Hyper-V Settings does, and refuses a folder outside the data folder', async () => {
    const t = await createTestApp();
    const info = (
      await request(t.app)
        .patch('/api/v1/host')
        .send({ virtualHardDiskPath: 'Disks', virtualMachinePath: 'Machines' })
        .expect(200)
    ).body as HostInfo;
    expect(info).toMatchObject({ virtualHardDiskPath: 'Disks', virtualMachinePath: 'Machines' });
    await request(t.app)
      .patch('/api/v1/host')
      .send({ virtualHardDiskPath: '../outside' })
      .expect(422);
    await request(t.app).patch('/api/v1/host').send({ other: 1 }).expect(422);
  });
});
