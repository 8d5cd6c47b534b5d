import type { VmDetail, VmSummary } from '@hvm/engine';
import request from 'supertest';
import { beforeEach, describe, expect, it } from 'vitest';
import type { ApiErrorBody } from '../http/errors.js';
import { createTestApp, createVm, locationOf } from '../testing/testApp.js';
import type { TestApp } from '../testing/testApp.js';

const unknownVmId = '00000000-0000-4000-8000-000000000000';

describe('VM routes', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp();
  });

  it('creates a VM with 201 and a Location header, and lists it', async () => {
    const response = await request(t.app)
      .post('/api/v1/vms')
      .send({ name: 'Web 01', diskSizeBytes: 1024 ** 3 });
    expect(response.status).toBe(201);
    const vm = response.body as VmDetail;
    expect(vm.name).toBe('Web 01');
    expect(response.headers.location).toBe(`/api/v1/vms/${vm.id}`);

    const list = await request(t.app).get('/api/v1/vms').expect(200);
    expect((list.body as VmSummary[]).map((v) => v.id)).toContain(vm.id);
    const one = await request(t.app).get(locationOf(response)).expect(200);
    expect((one.body as VmDetail).id).toBe(vm.id);
  });

  it('creates a VM with Dynamic Memory and "Not connected" in one request, as the New Virtual Machine Wizard sends it', async () => {
    const response = await request(t.app)
      .post('/api/v1/vms')
      .send({ name: 'Lab 01', noVhd: true, dynamicMemoryEnabled: true, switchId: null })
      .expect(201);
    const vm = response.body as VmDetail;
    expect(vm.hardware?.dynamicMemoryEnabled).toBe(true);
    expect(vm.networkAdapters?.[0]).toMatchObject({ switchId: null, switchName: null });
    const unknown = await request(t.app)
      .post('/api/v1/vms')
      .send({ name: 'Lab 02', noVhd: true, switchId: unknownVmId });
    expect(unknown.status).toBe(404);
  });

  it('rejects unknown body fields and names over 100 characters with 422', async () => {
    const before = t.host.listVms().length;
    const unknown = await request(t.app).post('/api/v1/vms').send({ name: 'x', color: 'red' });
    expect(unknown.status).toBe(422);
    expect((unknown.body as ApiErrorBody).error.code).toBe('INVALID_ARGUMENT');
    const long = await request(t.app)
      .post('/api/v1/vms')
      .send({ name: 'a'.repeat(101) });
    expect(long.status).toBe(422);
    const issues = (long.body as ApiErrorBody).error.details.issues as { field: string }[];
    expect(issues.map((issue) => issue.field)).toEqual(['name']);
    expect(t.host.listVms()).toHaveLength(before);
  });

  it('answers 404 in Hyper-V words for an unknown VM', async () => {
    const response = await request(t.app).get(`/api/v1/vms/${unknownVmId}`);
    expect(response.status).toBe(404);
    const { error } = response.body as ApiErrorBody;
    expect(error.code).toBe('NOT_FOUND');
    expect(error.message).toMatch(
      /^Hyper-V was unable to find a virtual machine with name ".+"\.$/,
    );
    expect(error.details).toBeTypeOf('object');
  });

  it('changes settings with PATCH', async () => {
    const vm = await createVm(t.app);
    const response = await request(t.app)
      .patch(`/api/v1/vms/${vm.id}`)
      .send({ checkpointType: 'Standard', name: 'Renamed' })
      .expect(200);
    expect(response.body).toMatchObject({ checkpointType: 'Standard', name: 'Renamed' });
  });

  it('rejects an unknown CheckpointType with 422 listing the valid names, as PowerShell does', async () => {
    const vm = await createVm(t.app);
    const response = await request(t.app)
      .patch(`/api/v1/vms/${vm.id}`)
      .send({ checkpointType: 'Fast' });
    expect(response.status).toBe(422);
    expect((response.body as ApiErrorBody).error.message).toBe(
      'Cannot convert value "Fast" to type "CheckpointType". Specify one of the following enumerator names and try again: Disabled, Production, ProductionOnly, Standard',
    );
    expect(t.host.getVm(vm.id).checkpointType).toBe(vm.checkpointType);
  });

  it("changes processors, Dynamic Memory and notes with PATCH; Hyper-V's rules answer 422 or 409", async () => {
    const vm = await createVm(t.app);
    const response = await request(t.app)
      .patch(`/api/v1/vms/${vm.id}`)
      .send({
        processorCount: 2,
        dynamicMemoryEnabled: true,
        memoryMinimumMB: 512,
        memoryMaximumMB: 4096,
        memoryBufferPercent: 25,
        memoryWeight: 60,
        notes: 'web tier',
      })
      .expect(200);
    expect(response.body).toMatchObject({
      hardware: {
        processorCount: 2,
        dynamicMemoryEnabled: true,
        memoryMinimumMB: 512,
        memoryMaximumMB: 4096,
        memoryBufferPercent: 25,
        memoryWeight: 60,
      },
      notes: 'web tier',
    });
    await request(t.app).patch(`/api/v1/vms/${vm.id}`).send({ memoryBufferPercent: 1 }).expect(422);
    const odd = await request(t.app).patch(`/api/v1/vms/${vm.id}`).send({ memoryMaximumMB: 4097 });
    expect(odd.status).toBeGreaterThanOrEqual(400);
    expect(JSON.stringify(odd.body)).toContain('Memory values must be properly aligned.');
  });

  it('changes the Automatic Start and Stop Actions with PATCH and refuses unknown ones', async () => {
    const vm = await createVm(t.app);
    const response = await request(t.app)
      .patch(`/api/v1/vms/${vm.id}`)
      .send({
        automaticStartAction: 'Start',
        automaticStartDelaySeconds: 30,
        automaticStopAction: 'TurnOff',
      })
      .expect(200);
    expect(response.body).toMatchObject({
      automaticStartAction: 'Start',
      automaticStartDelaySeconds: 30,
      automaticStopAction: 'TurnOff',
    });
    await request(t.app)
      .patch(`/api/v1/vms/${vm.id}`)
      .send({ automaticStopAction: 'Hibernate' })
      .expect(422);
    await request(t.app)
      .patch(`/api/v1/vms/${vm.id}`)
      .send({ automaticStartDelaySeconds: -5 })
      .expect(422);
  });

  it('PATCH on an unknown VM is 404', async () => {
    const response = await request(t.app).patch(`/api/v1/vms/${unknownVmId}`).send({ name: 'x' });
    expect(response.status).toBe(404);
  });

  it('starts a VM and refuses Pause on a VM that is Off with 409', async () => {
    const vm = await createVm(t.app);
    const paused = await request(t.app).post(`/api/v1/vms/${vm.id}/actions/pause`);
    expect(paused.status).toBe(409);
    expect((paused.body as ApiErrorBody).error.code).toBe('INVALID_STATE');
    const started = await request(t.app).post(`/api/v1/vms/${vm.id}/actions/start`).expect(200);
    expect((started.body as VmSummary).state).toBe('Running');
  });

  it('rejects an unknown action with 422 and a body on an action with 422', async () => {
    const vm = await createVm(t.app);
    const unknown = await request(t.app).post(`/api/v1/vms/${vm.id}/actions/explode`);
    expect(unknown.status).toBe(422);
    expect((unknown.body as ApiErrorBody).error.message).toContain('turn-off');
    const withBody = await request(t.app)
      .post(`/api/v1/vms/${vm.id}/actions/start`)
      .send({ force: true });
    expect(withBody.status).toBe(422);
    expect(t.host.getVm(vm.id).state).toBe('Off');
  });

  it('reverts to the parent checkpoint of Now', async () => {
    const vm = await createVm(t.app);
    await request(t.app)
      .post(`/api/v1/vms/${vm.id}/checkpoints`)
      .send({ name: 'base' })
      .expect(201);
    const response = await request(t.app)
      .post(`/api/v1/vms/${vm.id}/actions/revert`)
      .send({ takeCheckpointFirst: false });
    expect(response.status, response.text).toBe(200);
    expect((response.body as VmSummary).parentCheckpointName).toBe('base');
  });

  it('refuses Revert on a VM without checkpoints with 409 INVALID_STATE', async () => {
    const vm = await createVm(t.app);
    const response = await request(t.app).post(`/api/v1/vms/${vm.id}/actions/revert`);
    expect(response.status).toBe(409);
    expect((response.body as ApiErrorBody).error.code).toBe('INVALID_STATE');
  });

  it('refuses Revert with unknown body fields with 422', async () => {
    const vm = await createVm(t.app);
    const response = await request(t.app)
      .post(`/api/v1/vms/${vm.id}/actions/revert`)
      .send({ takeCheckpointFirst: 'yes' });
    expect(response.status).toBe(422);
  });

  it('deletes a VM with 204 but not while it runs (409)', async () => {
    const vm = await createVm(t.app);
    await request(t.app).post(`/api/v1/vms/${vm.id}/actions/start`).expect(200);
    const running = await request(t.app).delete(`/api/v1/vms/${vm.id}`);
    expect(running.status).toBe(409);
    await request(t.app).post(`/api/v1/vms/${vm.id}/actions/turn-off`).expect(200);
    await request(t.app).delete(`/api/v1/vms/${vm.id}`).expect(204);
    await request(t.app).get(`/api/v1/vms/${vm.id}`).expect(404);
  });
});

describe('bodies of power actions', () => {
  it('accept no body, an empty JSON object, or an empty JSON request', async () => {
    const t = await createTestApp();
    const vm = await createVm(t.app);
    await request(t.app).post(`/api/v1/vms/${vm.id}/actions/start`).send({}).expect(200);
    await request(t.app)
      .post(`/api/v1/vms/${vm.id}/actions/save`)
      .set('Content-Type', 'application/json')
      .expect(200);
    await request(t.app).post(`/api/v1/vms/${vm.id}/actions/start`).expect(200);
    expect(t.host.getVm(vm.id).state).toBe('Running');
  });
});

describe('the VM list', () => {
  const list = async (t: TestApp): Promise<VmSummary[]> =>
    (await request(t.app).get('/api/v1/vms').expect(200)).body as VmSummary[];

  it('shows every change made through the API in the next list', async () => {
    const t = await createTestApp();
    expect(await list(t)).toEqual([]);
    const vm = await createVm(t.app, 'Web 01');
    expect((await list(t)).map((v) => v.name)).toEqual(['Web 01']);
    await request(t.app).patch(`/api/v1/vms/${vm.id}`).send({ name: 'Web 02' }).expect(200);
    expect((await list(t)).map((v) => v.name)).toEqual(['Web 02']);
    await request(t.app)
      .post(`/api/v1/vms/${vm.id}/checkpoints`)
      .send({ name: 'before update' })
      .expect(201);
    expect(await list(t)).toMatchObject([
      { checkpointCount: 1, parentCheckpointName: 'before update' },
    ]);
    await request(t.app).post(`/api/v1/vms/${vm.id}/actions/start`).expect(200);
    expect(await list(t)).toMatchObject([{ state: 'Running', memoryAssignedMB: 1024 }]);
    await request(t.app).post(`/api/v1/vms/${vm.id}/actions/turn-off`).expect(200);
    await request(t.app).delete(`/api/v1/vms/${vm.id}`).expect(204);
    expect(await list(t)).toEqual([]);
  });

  it('shows changes made on the host itself (PowerShell, automatic actions) too', async () => {
    const t = await createTestApp();
    const vm = await createVm(t.app, 'Db 01');
    expect(await list(t)).toMatchObject([{ name: 'Db 01', checkpointCount: 0 }]);
    await t.host.createCheckpoint(vm.id, { name: 'nightly' });
    expect(await list(t)).toMatchObject([{ name: 'Db 01', checkpointCount: 1 }]);
  });

  it('has an ETag: the same list revalidates with 304 and no body; a changed list has a new one', async () => {
    const t = await createTestApp();
    const vm = await createVm(t.app, 'App 01');
    const first = await request(t.app).get('/api/v1/vms').expect(200);
    const etag = String(first.headers.etag);
    expect(etag).toMatch(/^W\/".+"$/);
    expect(first.headers['cache-control']).toBe('no-cache');
    const again = await request(t.app).get('/api/v1/vms').set('If-None-Match', etag).expect(304);
    expect(again.text ?? '').toBe('');
    await request(t.app).patch(`/api/v1/vms/${vm.id}`).send({ name: 'App 02' }).expect(200);
    const changed = await request(t.app).get('/api/v1/vms').set('If-None-Match', etag).expect(200);
    expect(changed.headers.etag).not.toBe(etag);
    expect((changed.body as VmSummary[]).map((v) => v.name)).toEqual(['App 02']);
  });

  it('sends a large list in gzip to a client that accepts it (Vary: Accept-Encoding), else as it is', async () => {
    const t = await createTestApp();
    for (const name of ['App 01', 'App 02', 'App 03']) await createVm(t.app, name);
    const zipped = await request(t.app)
      .get('/api/v1/vms')
      .set('Accept-Encoding', 'gzip, deflate, br')
      .expect(200);
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(zipped.headers.vary).toBe('Accept-Encoding');
    // supertest unzips: the same list either way.
    expect((zipped.body as VmSummary[]).map((v) => v.name)).toEqual(['App 01', 'App 02', 'App 03']);
    const plain = await request(t.app).get('/api/v1/vms').set('Accept-Encoding', 'identity');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body).toEqual(zipped.body);
    expect(Number(zipped.headers['content-length'])).toBeLessThan(
      Number(plain.headers['content-length']) / 3,
    );
  });
});
