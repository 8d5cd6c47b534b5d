import type { Checkpoint, VmDetail } from '@hvm/engine';
import request from 'supertest';
import { beforeEach, describe, expect, it } from 'vitest';
import type { ApiErrorBody } from '../http/errors.js';
import { createTestApp, createVm } from '../testing/testApp.js';
import type { TestApp } from '../testing/testApp.js';

describe("firmware, security and a checkpoint's settings over REST", () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp();
  });

  it('PATCH changes Secure Boot, its template and the TPM; GET of the VM reports them', async () => {
    const vm = await createVm(t.app);
    expect(vm.firmware).toMatchObject({
      secureBootEnabled: true,
      secureBootTemplate: 'MicrosoftWindows',
    });
    await request(t.app)
      .patch(`/api/v1/vms/${vm.id}`)
      .send({
        firmware: { secureBootTemplate: 'MicrosoftUEFICertificateAuthority' },
        security: { tpmEnabled: true },
      })
      .expect(200);
    const after = (await request(t.app).get(`/api/v1/vms/${vm.id}`).expect(200)).body as VmDetail;
    expect(after.firmware?.secureBootTemplate).toBe('MicrosoftUEFICertificateAuthority');
    expect(after.security).toEqual({
      tpmEnabled: true,
      encryptStateAndVmMigrationTraffic: false,
      shielded: false,
    });
  });

  it('refuses an unknown template or field with 422 and a BIOS setting on a generation 2 VM', async () => {
    const vm = await createVm(t.app);
    const unknown = await request(t.app)
      .patch(`/api/v1/vms/${vm.id}`)
      .send({ firmware: { secureBootTemplate: 'Linux' } });
    expect(unknown.status).toBe(422);
    const extra = await request(t.app)
      .patch(`/api/v1/vms/${vm.id}`)
      .send({ security: { shielded: true } });
    expect(extra.status).toBe(422);
    const bios = await request(t.app)
      .patch(`/api/v1/vms/${vm.id}`)
      .send({ firmware: { numLockEnabled: true } });
    expect(bios.status).toBe(422);
    expect((bios.body as ApiErrorBody).error.message).toContain('generation 1');
  });

  it('GET of one checkpoint carries the settings as of the checkpoint; the tree does not', async () => {
    const vm = await createVm(t.app);
    const created = (
      await request(t.app)
        .post(`/api/v1/vms/${vm.id}/checkpoints`)
        .send({ name: 'Before' })
        .expect(201)
    ).body as Checkpoint;
    await request(t.app)
      .patch(`/api/v1/vms/${vm.id}`)
      .send({ processorCount: 2, security: { tpmEnabled: true } })
      .expect(200);
    const one = (
      await request(t.app).get(`/api/v1/vms/${vm.id}/checkpoints/${created.id}`).expect(200)
    ).body as Checkpoint;
    expect(one.settings).toMatchObject({
      generation: 2,
      hardware: { processorCount: 1 },
      security: { tpmEnabled: false },
      hardDrives: [{ controllerLocation: 'SCSI 0:0' }],
    });
    const tree = (await request(t.app).get(`/api/v1/vms/${vm.id}/checkpoints`).expect(200))
      .body as { checkpoints: Checkpoint[] };
    expect(tree.checkpoints[0]).not.toHaveProperty('settings');
  });
});
