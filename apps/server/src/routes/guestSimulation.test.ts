import type { VmDetail } from '@hvm/engine';
import request from 'supertest';
import { beforeEach, describe, expect, it } from 'vitest';
import type { ApiErrorBody } from '../http/errors.js';
import { ruleFor } from '../auth/routeRules.js';
import { createTestApp } from '../testing/testApp.js';
import type { TestApp } from '../testing/testApp.js';

async function runningSqlVm(t: TestApp): Promise<VmDetail> {
  const created = await request(t.app)
    .post('/api/v1/vms')
    .send({ name: 'SQL 1', diskSizeBytes: 64 * 1024 * 1024, guestImage: 'windows-server-2016-sql' })
    .expect(201);
  const vm = created.body as VmDetail;
  await request(t.app).post(`/api/v1/vms/${vm.id}/actions/start`).send({}).expect(200);
  return vm;
}

describe('PATCH /vms/{vmId}/guest-simulation (a simulation extension)', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp();
  });

  it('turns a fault on and answers the VM body with guestSimulation and its VM-Generation ID', async () => {
    const vm = await runningSqlVm(t);
    const response = await request(t.app)
      .patch(`/api/v1/vms/${vm.id}/guest-simulation`)
      .send({ vssWriterFails: true })
      .expect(200);
    const body = response.body as VmDetail;
    expect(body.guestSimulation).toEqual({
      vssWriterFails: true,
      backupDaemonStopped: false,
      ignoresShutdown: false,
    });
    expect(body.vmGenerationId).toMatch(/^[0-9a-f-]{36}$/);
    const checkpoint = await request(t.app)
      .post(`/api/v1/vms/${vm.id}/checkpoints`)
      .send({})
      .expect(201);
    expect(checkpoint.body).toMatchObject({
      kind: 'Standard',
      fallbackReason: 'vss-writer-failed',
    });
  });

  it('a guest that ignores Shut Down: the shut-down action answers 409 OPERATION_FAILED, "Failed to stop."', async () => {
    const vm = await runningSqlVm(t);
    await request(t.app)
      .patch(`/api/v1/vms/${vm.id}/guest-simulation`)
      .send({ ignoresShutdown: true })
      .expect(200);
    const response = await request(t.app)
      .post(`/api/v1/vms/${vm.id}/actions/shut-down`)
      .send({})
      .expect(409);
    expect((response.body as ApiErrorBody).error).toMatchObject({
      code: 'OPERATION_FAILED',
      message: expect.stringMatching(/^Failed to stop\./) as unknown,
    });
    expect(t.host.getVm(vm.id).state).toBe('Running');
  });

  it('refuses unknown faults and values that are not booleans with 422', async () => {
    const vm = await runningSqlVm(t);
    for (const body of [{ diskFails: true }, { ignoresShutdown: 'yes' }]) {
      const response = await request(t.app)
        .patch(`/api/v1/vms/${vm.id}/guest-simulation`)
        .send(body)
        .expect(422);
      expect((response.body as ApiErrorBody).error.code).toBe('INVALID_ARGUMENT');
    }
  });

  it('needs the right to manage the host, for one VM', () => {
    expect(ruleFor('PATCH', '/vms/x/guest-simulation').rule).toMatchObject({
      permission: 'manageHost',
      vm: true,
    });
  });
});
