import type { EventLogPage, VirtualSwitch, VmDetail } from '@hvm/engine';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { Role } from '../auth/roles.js';
import { createAuthTestApp, signIn } from '../testing/authTestApp.js';
import { createTestApp, createVm } from '../testing/testApp.js';

describe("a VM's network adapters and SCSI controllers over the API", () => {
  it('adds, renames, connects and removes a second adapter and adds and removes a SCSI controller, each logged', async () => {
    const t = await createTestApp();
    const vm = await createVm(t.app, 'Web');
    const lab = (
      await request(t.app)
        .post('/api/v1/virtual-switches')
        .send({ name: 'Lab', switchType: 'Private' })
        .expect(201)
    ).body as VirtualSwitch;
    const added = await request(t.app)
      .post(`/api/v1/vms/${vm.id}/network-adapters`)
      .send({ name: 'Backend' })
      .expect(201);
    const adapter = (added.body as VmDetail).networkAdapters?.[1];
    expect(adapter).toMatchObject({ name: 'Backend', switchId: null, isLegacy: false });
    expect(added.headers.location).toBe(`/api/v1/vms/${vm.id}/network-adapters/${adapter?.id}`);
    const base = `/api/v1/vms/${vm.id}/network-adapters/${adapter?.id ?? ''}`;
    await request(t.app).patch(base).send({ name: 'Storage' }).expect(200);
    const connected = (
      await request(t.app).post(`${base}/actions/connect`).send({ switchId: lab.id }).expect(200)
    ).body as VmDetail;
    expect(connected.networkAdapters?.map((a) => [a.name, a.switchName])).toEqual([
      ['Network Adapter', 'Default Switch'],
      ['Storage', 'Lab'],
    ]);
    await request(t.app).post(`${base}/actions/disconnect`).send({}).expect(200);
    const removed = (await request(t.app).delete(base).expect(200)).body as VmDetail;
    expect(removed.networkAdapters).toHaveLength(1);
    await request(t.app).delete(base).expect(404);

    const controller = await request(t.app)
      .post(`/api/v1/vms/${vm.id}/scsi-controllers`)
      .expect(201);
    expect((controller.body as VmDetail).scsiControllers).toHaveLength(2);
    expect(controller.headers.location).toBe(`/api/v1/vms/${vm.id}/scsi-controllers/1`);
    await request(t.app).delete(`/api/v1/vms/${vm.id}/scsi-controllers/1`).expect(200);
    // Controller 0 holds the VM's disk: refused as a conflict, nothing removed.
    await request(t.app).delete(`/api/v1/vms/${vm.id}/scsi-controllers/0`).expect(409);
    await request(t.app).delete(`/api/v1/vms/${vm.id}/scsi-controllers/seven`).expect(422);

    const log = (await request(t.app).get('/api/v1/event-log?limit=20').expect(200))
      .body as EventLogPage;
    const messages = log.entries.map((e) => e.message);
    expect(messages).toContainEqual(expect.stringContaining("network adapter 'Backend' added"));
    expect(messages).toContainEqual(expect.stringContaining('SCSI controller 1 removed'));
  });

  it('refuses a legacy adapter on generation 2, an unknown field and a bad MAC address', async () => {
    const t = await createTestApp();
    const vm = await createVm(t.app, 'Web');
    const url = `/api/v1/vms/${vm.id}/network-adapters`;
    await request(t.app).post(url).send({ isLegacy: true }).expect(422);
    await request(t.app).post(url).send({ name: 'x', vlan: 5 }).expect(422);
    await request(t.app).post(url).send({ staticMacAddress: 'FFFFFFFFFFFF' }).expect(422);
  });

  it('Readers cannot add or remove devices', async () => {
    const fixture = await createAuthTestApp([
      { name: 'Administrator', role: Role.Administrator, password: 'admin-password-1' },
      { name: 'olivia', role: Role.Reader, password: 'reader-password-1' },
    ]);
    const reader = await signIn(fixture.app, 'olivia', 'reader-password-1');
    const vm = await fixture.host.createVm({ name: 'Web' });
    const adapter = await reader.agent
      .post(`/api/v1/vms/${vm.id}/network-adapters`)
      .set('X-CSRF-Token', reader.csrfToken)
      .send({});
    expect(adapter.status).toBe(403);
    const controller = await reader.agent
      .post(`/api/v1/vms/${vm.id}/scsi-controllers`)
      .set('X-CSRF-Token', reader.csrfToken)
      .send({});
    expect(controller.status).toBe(403);
    expect(fixture.host.getVm(vm.id).networkAdapters).toHaveLength(1);
    expect(fixture.host.getVm(vm.id).scsiControllers).toHaveLength(1);
  });
});

describe('Remove-VMHardDiskDrive over the API', () => {
  it('detaches a drive by its controller location, then its emptied controller can go', async () => {
    const t = await createTestApp();
    const vm = await createVm(t.app, 'Web');
    await request(t.app)
      .post('/api/v1/disks')
      .send({ path: 'data.vhdx', sizeBytes: 8 * 1024 ** 2 });
    await request(t.app).post(`/api/v1/vms/${vm.id}/scsi-controllers`).expect(201);
    await request(t.app)
      .post(`/api/v1/vms/${vm.id}/hard-drives`)
      .send({ path: 'data.vhdx', controllerType: 'SCSI', controllerNumber: 1 })
      .expect(201);
    await request(t.app).delete(`/api/v1/vms/${vm.id}/scsi-controllers/1`).expect(409);
    const detached = (
      await request(t.app)
        .delete(`/api/v1/vms/${vm.id}/hard-drives/${encodeURIComponent('SCSI 1:0')}`)
        .expect(200)
    ).body as VmDetail;
    expect(detached.hardDrives.map((d) => d.controllerLocation)).toEqual(['SCSI 0:0']);
    await request(t.app).delete(`/api/v1/vms/${vm.id}/scsi-controllers/1`).expect(200);
  });
});
