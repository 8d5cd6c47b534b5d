import type { VmDetail } from '@hvm/engine';
import request from 'supertest';
import { beforeEach, describe, expect, it } from 'vitest';
import { Role } from '../auth/roles.js';
import type { ApiErrorBody } from '../http/errors.js';
import { createAuthTestApp, signIn } from '../testing/authTestApp.js';
import { createTestApp, createVm } from '../testing/testApp.js';
import type { TestApp } from '../testing/testApp.js';

const MB = 1024 * 1024;

describe('the disk choice of New Virtual Machine, and attaching an existing disk', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp();
  });

  it('creates a VM with a new disk at a chosen path, on an existing disk, or with none', async () => {
    const created = await request(t.app)
      .post('/api/v1/vms')
      .send({ name: 'NEW', newVhdPath: 'Disks/new.vhdx', diskSizeBytes: 8 * MB })
      .expect(201);
    expect((created.body as VmDetail).hardDrives.map((d) => d.path)).toEqual(['Disks/new.vhdx']);

    await t.host.createVirtualHardDisk({ path: 'Brought/old.vhdx', sizeBytes: 4 * MB });
    const existing = await request(t.app)
      .post('/api/v1/vms')
      .send({ name: 'OLD', vhdPath: 'Brought/old.vhdx' })
      .expect(201);
    expect((existing.body as VmDetail).hardDrives.map((d) => [d.path, d.virtualSizeBytes])).toEqual(
      [['Brought/old.vhdx', 4 * MB]],
    );

    const none = await request(t.app)
      .post('/api/v1/vms')
      .send({ name: 'LATER', noVhd: true })
      .expect(201);
    expect((none.body as VmDetail).hardDrives).toEqual([]);
  });

  it('refuses a disk in use (409), outside the storage locations (422) and two choices at once (422)', async () => {
    const vm = await createVm(t.app);
    const used = t.host.getVm(vm.id).hardDrives[0]?.path ?? '';
    const inUse = await request(t.app).post('/api/v1/vms').send({ name: 'X', vhdPath: used });
    expect(inUse.status).toBe(409);
    expect((inUse.body as ApiErrorBody).error.message).toBe(
      'The process cannot access the file because it is being used by another process. (0x80070020)',
    );
    const outside = await request(t.app)
      .post('/api/v1/vms')
      .send({ name: 'X', vhdPath: '../../etc/disk.vhdx' });
    expect(outside.status).toBe(422);
    expect((outside.body as ApiErrorBody).error.details.reason).toBe('outside-storage');
    const both = await request(t.app)
      .post('/api/v1/vms')
      .send({ name: 'X', vhdPath: used, noVhd: true });
    expect(both.status).toBe(422);
  });

  it('POST /vms/{vmId}/hard-drives attaches an existing disk on the next free location', async () => {
    const vm = await createVm(t.app);
    await t.host.createVirtualHardDisk({ path: 'data.vhdx', sizeBytes: 4 * MB });
    const response = await request(t.app)
      .post(`/api/v1/vms/${vm.id}/hard-drives`)
      .send({ path: 'data.vhdx' })
      .expect(201);
    expect(
      (response.body as VmDetail).hardDrives.map((d) => [d.controllerLocation, d.path]).at(-1),
    ).toEqual(['SCSI 0:1', 'data.vhdx']);
    const again = await request(t.app)
      .post(`/api/v1/vms/${vm.id}/hard-drives`)
      .send({ path: 'data.vhdx', color: 'red' });
    expect(again.status).toBe(422);
  });

  it('is for Administrators only: a Reader and a Checkpoint Operator get 403', async () => {
    const fixture = await createAuthTestApp([
      { name: 'Administrator', role: Role.Administrator, password: 'admin-password-1' },
      { name: 'olivia', role: Role.Reader, password: 'reader-password-1' },
      {
        name: 'oscar',
        role: Role.CheckpointOperator,
        password: 'operator-password-1',
        virtualMachines: ['GRANTED'],
      },
    ]);
    const granted = await fixture.host.createVm({ name: 'GRANTED', diskSizeBytes: 4 * MB });
    await fixture.host.createVirtualHardDisk({ path: 'data.vhdx', sizeBytes: 4 * MB });
    for (const [user, password] of [
      ['olivia', 'reader-password-1'],
      ['oscar', 'operator-password-1'],
    ] as const) {
      const session = await signIn(fixture.app, user, password);
      const create = await session.agent
        .post('/api/v1/vms')
        .set('X-CSRF-Token', session.csrfToken)
        .send({ name: 'MINE', vhdPath: 'data.vhdx' });
      expect(create.status, user).toBe(403);
      const attach = await session.agent
        .post(`/api/v1/vms/${granted.id}/hard-drives`)
        .set('X-CSRF-Token', session.csrfToken)
        .send({ path: 'data.vhdx' });
      expect(attach.status, user).toBe(403);
    }
    expect(fixture.host.getVm(granted.id).hardDrives).toHaveLength(1);
  });
});
