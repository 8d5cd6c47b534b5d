import type {
  Checkpoint,
  DiskFileEntry,
  DiskInspection,
  HostCheckReport,
  Task,
  VmDetail,
} from '@hvm/engine';
import request from 'supertest';
import { beforeEach, describe, expect, it } from 'vitest';
import type { ApiErrorBody } from '../http/errors.js';
import { createTestApp, createVm, locationOf } from '../testing/testApp.js';
import type { TestApp } from '../testing/testApp.js';

describe('export, Inspect Disk and Check Host routes', () => {
  let t: TestApp;
  let vm: VmDetail;
  let checkpoint: Checkpoint;
  beforeEach(async () => {
    t = await createTestApp();
    vm = await createVm(t.app);
    const response = await request(t.app)
      .post(`/api/v1/vms/${vm.id}/checkpoints`)
      .send({ name: 'Before update' });
    checkpoint = response.body as Checkpoint;
  });

  it('exports a checkpoint with 202 and the task in Location, which completes', async () => {
    const response = await request(t.app)
      .post(`/api/v1/vms/${vm.id}/checkpoints/${checkpoint.id}/actions/export`)
      .send({ path: 'Exports' });
    expect(response.status, response.text).toBe(202);
    const { task } = response.body as { task: Task };
    expect(task.name).toBe('Exporting virtual machine');
    expect(locationOf(response)).toBe(`/api/v1/tasks/${task.id}`);
    await t.host.whenIdle();
    const done = (await request(t.app).get(locationOf(response)).expect(200)).body as Task;
    expect(done.status).toBe('Completed');
    const disks = (await request(t.app).get('/api/v1/disks').expect(200)).body as DiskFileEntry[];
    expect(disks.map((d) => d.path)).toContain(
      `Exports/${vm.name}/Virtual Hard Disks/${vm.name}.vhdx`,
    );

    const again = await request(t.app)
      .post(`/api/v1/vms/${vm.id}/checkpoints/${checkpoint.id}/actions/export`)
      .send({ path: 'Exports' });
    expect(again.status).toBe(409);
    expect((again.body as ApiErrorBody).error.code).toBe('NAME_CONFLICT');
  });

  it('exports an Off VM through actions/export (not a power action)', async () => {
    const response = await request(t.app)
      .post(`/api/v1/vms/${vm.id}/actions/export`)
      .send({ path: 'Backups/Today' });
    expect(response.status, response.text).toBe(202);
    await t.host.whenIdle();
    const { task } = response.body as { task: Task };
    expect(t.host.getTask(task.id).status).toBe('Completed');
  });

  it('refuses a path outside the data folder and a missing path with 422', async () => {
    for (const body of [{ path: '../etc' }, { path: '/tmp' }, {}, { path: 'x', extra: 1 }]) {
      const response = await request(t.app).post(`/api/v1/vms/${vm.id}/actions/export`).send(body);
      expect(response.status, JSON.stringify(body)).toBe(422);
      expect((response.body as ApiErrorBody).error.code).toBe('INVALID_ARGUMENT');
    }
  });

  it("inspects the VM's differencing disk and its parent", async () => {
    const now = t.host.getVm(vm.id).hardDrives[0]?.path ?? '';
    const response = await request(t.app)
      .get('/api/v1/disks/inspect')
      .query({ path: now })
      .expect(200);
    const inspection = response.body as DiskInspection;
    expect(inspection).toMatchObject({ type: 'Differencing', format: 'VHDX' });
    expect(inspection.chain.map((d) => d.type)).toEqual(['Differencing', 'Dynamic']);
    const missing = await request(t.app)
      .get('/api/v1/disks/inspect')
      .query({ path: 'Virtual Hard Disks/none.vhdx' });
    expect(missing.status).toBe(404);
    const outside = await request(t.app).get('/api/v1/disks/inspect').query({ path: '../x.vhdx' });
    expect(outside.status).toBe(422);
    await request(t.app).get('/api/v1/disks/inspect').expect(422);
  });

  it('checks the host', async () => {
    const report = (await request(t.app).get('/api/v1/host/check').expect(200))
      .body as HostCheckReport;
    expect(report).toMatchObject({ ok: true, orphanedDisks: [], brokenChains: [] });
  });
});
