import type { RemovedVirtualSwitch, VirtualSwitch, VmDetail } from '@hvm/engine';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { Role } from '../auth/roles.js';
import { createAuthTestApp, signIn } from '../testing/authTestApp.js';
import { createTestApp, createVm } from '../testing/testApp.js';

describe('Virtual Switch Manager over the API', () => {
  it('lists the Default Switch, creates, renames and removes a switch, and moves a VM between them', async () => {
    const t = await createTestApp();
    const initial = (await request(t.app).get('/api/v1/virtual-switches').expect(200))
      .body as VirtualSwitch[];
    expect(initial.map((s) => [s.name, s.switchType, s.isDefaultSwitch])).toEqual([
      ['Default Switch', 'Internal', true],
    ]);
    const created = await request(t.app)
      .post('/api/v1/virtual-switches')
      .send({ name: 'Lab', switchType: 'Private' })
      .expect(201);
    const lab = created.body as VirtualSwitch;
    expect(created.headers.location).toBe(`/api/v1/virtual-switches/${lab.id}`);

    const vm = await createVm(t.app, 'Web');
    const connected = (
      await request(t.app)
        .post(`/api/v1/vms/${vm.id}/network-adapter/actions/connect`)
        .send({ switchId: lab.id })
        .expect(200)
    ).body as VmDetail;
    expect(connected.networkAdapters?.[0]).toMatchObject({ switchId: lab.id, switchName: 'Lab' });

    const renamed = (
      await request(t.app)
        .patch(`/api/v1/virtual-switches/${lab.id}`)
        .send({ name: 'Lab 2', notes: 'isolated', switchType: 'Internal' })
        .expect(200)
    ).body as VirtualSwitch;
    expect(renamed).toMatchObject({
      name: 'Lab 2',
      switchType: 'Internal',
      connectedAdapterCount: 1,
    });

    const removed = (await request(t.app).delete(`/api/v1/virtual-switches/${lab.id}`).expect(200))
      .body as RemovedVirtualSwitch;
    expect(removed.disconnectedVmIds).toEqual([vm.id]);
    const after = (await request(t.app).get(`/api/v1/vms/${vm.id}`).expect(200)).body as VmDetail;
    expect(after.networkAdapters?.[0]).toMatchObject({ switchId: null, switchName: null });

    await request(t.app)
      .post(`/api/v1/vms/${vm.id}/network-adapter/actions/disconnect`)
      .send({})
      .expect(200);
  });

  it("refuses an External switch, the Default Switch's removal, a duplicate name and an unknown field", async () => {
    const t = await createTestApp();
    const external = await request(t.app)
      .post('/api/v1/virtual-switches')
      .send({ name: 'Wan', switchType: 'External' });
    // A refused value and a refused change, never a server error (the API fuzz holds every route to 4xx).
    expect(external.status).toBe(422);
    expect((external.body as { error: { message: string } }).error.message).toContain(
      'needs a physical network adapter',
    );
    await request(t.app)
      .delete('/api/v1/virtual-switches/c08cb7b8-9b3c-408e-8e30-5e16a3aeb444')
      .expect(409);
    await request(t.app)
      .post('/api/v1/virtual-switches')
      .send({ name: 'default switch', switchType: 'Internal' })
      .expect(409);
    await request(t.app)
      .post('/api/v1/virtual-switches')
      .send({ name: 'Lab', switchType: 'Private', netAdapterName: 'eth0' })
      .expect(422);
    await request(t.app).delete('/api/v1/virtual-switches/no-such-switch').expect(404);
  });

  it('Readers see the switches but cannot change them or move an adapter', async () => {
    const fixture = await createAuthTestApp([
      { name: 'Administrator', role: Role.Administrator, password: 'admin-password-1' },
      { name: 'olivia', role: Role.Reader, password: 'reader-password-1' },
    ]);
    const reader = await signIn(fixture.app, 'olivia', 'reader-password-1');
    const list = await reader.agent.get('/api/v1/virtual-switches').expect(200);
    expect((list.body as VirtualSwitch[])[0]?.name).toBe('Default Switch');
    const created = await reader.agent
      .post('/api/v1/virtual-switches')
      .set('X-CSRF-Token', reader.csrfToken)
      .send({ name: 'Lab', switchType: 'Private' });
    expect(created.status).toBe(403);
    const removed = await reader.agent
      .delete('/api/v1/virtual-switches/c08cb7b8-9b3c-408e-8e30-5e16a3aeb444')
      .set('X-CSRF-Token', reader.csrfToken);
    expect(removed.status).toBe(403);
    const vm = await fixture.host.createVm({ name: 'Web' });
    const moved = await reader.agent
      .post(`/api/v1/vms/${vm.id}/network-adapter/actions/disconnect`)
      .set('X-CSRF-Token', reader.csrfToken)
      .send({});
    expect(moved.status).toBe(403);
    expect(fixture.host.getVm(vm.id).networkAdapters?.[0]?.switchName).toBe('Default Switch');
  });
});
