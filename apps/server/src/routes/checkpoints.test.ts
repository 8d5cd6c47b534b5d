import type { Checkpoint, CheckpointTree, Task, VmDetail, VmSummary } from '@hvm/engine';
import request from 'supertest';
import { beforeEach, describe, expect, it } from 'vitest';
import type { ApiErrorBody } from '../http/errors.js';
import { createTestApp, createVm, locationOf } from '../testing/testApp.js';
import type { TestApp } from '../testing/testApp.js';

const unknownId = '00000000-0000-4000-8000-000000000000';

describe('checkpoint routes', () => {
  let t: TestApp;
  let vm: VmDetail;
  let base: string;
  beforeEach(async () => {
    t = await createTestApp();
    vm = await createVm(t.app);
    base = `/api/v1/vms/${vm.id}/checkpoints`;
  });

  async function checkpoint(name: string): Promise<Checkpoint> {
    const response = await request(t.app).post(base).send({ name });
    expect(response.status, response.text).toBe(201);
    return response.body as Checkpoint;
  }

  async function tree(): Promise<CheckpointTree> {
    return (await request(t.app).get(base).expect(200)).body as CheckpointTree;
  }

  it('creates a checkpoint with 201 and a Location header, and shows it in the tree', async () => {
    const response = await request(t.app).post(base).send({ name: 'Before update' });
    expect(response.status).toBe(201);
    const created = response.body as Checkpoint;
    expect(created.name).toBe('Before update');
    expect(response.headers.location).toBe(`${base}/${created.id}`);
    const after = await tree();
    expect(after.checkpoints.map((c) => c.id)).toEqual([created.id]);
    expect(after.now.parentId).toBe(created.id);
    const one = await request(t.app).get(locationOf(response)).expect(200);
    expect((one.body as Checkpoint).name).toBe('Before update');
  });

  it('creates a checkpoint with the default name when the body is empty', async () => {
    const response = await request(t.app).post(base);
    expect(response.status, response.text).toBe(201);
    expect((response.body as Checkpoint).name).toContain(vm.name);
  });

  it.each([
    ['empty', ''],
    ['101 characters', 'c'.repeat(101)],
  ])('refuses an %s checkpoint name with 422 and changes nothing', async (_label, name) => {
    await checkpoint('existing');
    const before = await tree();
    const response = await request(t.app).post(base).send({ name });
    expect(response.status).toBe(422);
    expect((response.body as ApiErrorBody).error.code).toBe('INVALID_ARGUMENT');
    expect(await tree()).toEqual(before);
  });

  it('refuses a white-space name with 422 and changes nothing', async () => {
    const before = await tree();
    const response = await request(t.app).post(base).send({ name: '   ' });
    expect(response.status).toBe(422);
    expect(await tree()).toEqual(before);
  });

  it('refuses unknown body fields with 422', async () => {
    const response = await request(t.app).post(base).send({ name: 'a', memory: true });
    expect(response.status).toBe(422);
    const issues = (response.body as ApiErrorBody).error.details.issues as { code: string }[];
    expect(issues[0]?.code).toBe('unrecognized_keys');
  });

  it('refuses the checkpoint past the per-VM limit with 409', async () => {
    const { maxCheckpointsPerVm } = t.host.info();
    for (let i = 1; i <= maxCheckpointsPerVm; i++) await checkpoint(`cp ${i}`);
    const before = await tree();
    const response = await request(t.app).post(base).send({ name: 'one too many' });
    expect(response.status).toBe(409);
    expect((response.body as ApiErrorBody).error.code).toBe('LIMIT_EXCEEDED');
    expect(await tree()).toEqual(before);
  });

  it('refuses a checkpoint when checkpoints are Disabled with 409', async () => {
    await request(t.app)
      .patch(`/api/v1/vms/${vm.id}`)
      .send({ checkpointType: 'Disabled' })
      .expect(200);
    const response = await request(t.app).post(base).send({ name: 'x' });
    expect(response.status).toBe(409);
    expect((response.body as ApiErrorBody).error.code).toBe('CHECKPOINTS_DISABLED');
  });

  it('lists checkpoints of an unknown VM with 404', async () => {
    const response = await request(t.app).get(`/api/v1/vms/${unknownId}/checkpoints`);
    expect(response.status).toBe(404);
    expect((response.body as ApiErrorBody).error.message).toContain(
      'Hyper-V was unable to find a virtual machine',
    );
  });

  it('answers 404 for an unknown checkpoint', async () => {
    const response = await request(t.app).get(`${base}/${unknownId}`);
    expect(response.status).toBe(404);
    expect((response.body as ApiErrorBody).error.code).toBe('NOT_FOUND');
  });

  it('renames a checkpoint, and refuses an empty or 101-character name with 422', async () => {
    const created = await checkpoint('old');
    const renamed = await request(t.app).patch(`${base}/${created.id}`).send({ name: 'new' });
    expect(renamed.status).toBe(200);
    expect((renamed.body as Checkpoint).name).toBe('new');
    const before = await tree();
    for (const name of ['', 'n'.repeat(101)]) {
      const response = await request(t.app).patch(`${base}/${created.id}`).send({ name });
      expect(response.status).toBe(422);
    }
    const missing = await request(t.app).patch(`${base}/${created.id}`).send({});
    expect(missing.status).toBe(422);
    expect(await tree()).toEqual(before);
  });

  it('applies a checkpoint, and 404 for an unknown one', async () => {
    const first = await checkpoint('first');
    await checkpoint('second');
    const applied = await request(t.app)
      .post(`${base}/${first.id}/actions/apply`)
      .send({ takeCheckpointFirst: false });
    expect(applied.status, applied.text).toBe(200);
    expect((applied.body as VmSummary).parentCheckpointId).toBe(first.id);
    const missing = await request(t.app).post(`${base}/${unknownId}/actions/apply`);
    expect(missing.status).toBe(404);
  });

  it('deletes a checkpoint with 204, or 202 and the merge task', async () => {
    const created = await checkpoint('to delete');
    const response = await request(t.app).delete(`${base}/${created.id}`);
    expect([202, 204]).toContain(response.status);
    if (response.status === 202) {
      const { task } = response.body as { task: Task };
      expect(response.headers.location).toBe(`/api/v1/tasks/${task.id}`);
      await request(t.app).get(locationOf(response)).expect(200);
    }
    await t.host.whenIdle();
    expect((await tree()).checkpoints).toEqual([]);
  });

  it('answers 202 with the merge task and its Location when deleting the newest checkpoint merges disks', async () => {
    await request(t.app).post(`/api/v1/vms/${vm.id}/actions/start`).expect(200);
    await checkpoint('first');
    const second = await checkpoint('second');
    const response = await request(t.app).delete(`${base}/${second.id}`);
    const tasks = (await request(t.app).get('/api/v1/tasks').expect(200)).body as Task[];
    if (response.status === 204) {
      // This build of the disk library cannot merge: the engine keeps the disks, no task.
      expect(tasks).toEqual([]);
      return;
    }
    expect(response.status, response.text).toBe(202);
    const { task } = response.body as { task: Task };
    expect(task).toMatchObject({ name: 'Merging disks', vmId: vm.id });
    expect(response.headers.location).toBe(`/api/v1/tasks/${task.id}`);
    expect(tasks.map((x) => x.id)).toContain(task.id);
    await t.host.whenIdle();
    const done = await request(t.app).get(locationOf(response)).expect(200);
    expect((done.body as Task).status).toBe('Completed');
  });

  it('deletes a checkpoint subtree with ?subtree=true', async () => {
    const parent = await checkpoint('parent');
    await checkpoint('child');
    const response = await request(t.app).delete(`${base}/${parent.id}?subtree=true`);
    expect([202, 204]).toContain(response.status);
    await t.host.whenIdle();
    expect((await tree()).checkpoints).toEqual([]);
  });

  it('refuses a bad subtree value with 422 and an unknown checkpoint with 404', async () => {
    const created = await checkpoint('kept');
    const bad = await request(t.app).delete(`${base}/${created.id}?subtree=yes`);
    expect(bad.status).toBe(422);
    const missing = await request(t.app).delete(`${base}/${unknownId}`);
    expect(missing.status).toBe(404);
    expect((await tree()).checkpoints).toHaveLength(1);
  });

  describe('the tree without delete outcomes (deleteOutcomes=false)', () => {
    it("leaves out each checkpoint's delete outcomes; GET of one checkpoint still answers its own", async () => {
      const first = await checkpoint('Base');
      await checkpoint('Update');
      const full = (await request(t.app).get(base).expect(200)).body as CheckpointTree;
      expect(full.checkpoints[0]).toHaveProperty('deleteOutcome');
      const slim = (await request(t.app).get(`${base}?deleteOutcomes=false`).expect(200))
        .body as CheckpointTree;
      expect(slim.checkpoints.map((c) => c.name)).toEqual(['Base', 'Update']);
      for (const c of slim.checkpoints) expect(c).not.toHaveProperty('deleteOutcome');
      expect(slim.now).toEqual(full.now);
      const one = (await request(t.app).get(`${base}/${first.id}`).expect(200)).body as {
        deleteOutcome: unknown;
      };
      const fullFirst = full.checkpoints[0] as Checkpoint & { deleteOutcome: unknown };
      expect(one.deleteOutcome).toEqual(fullFirst.deleteOutcome);
    });

    it('has an ETag: the same tree revalidates with 304 and no body; a changed tree has a new one', async () => {
      await checkpoint('Base');
      const slim = `${base}?deleteOutcomes=false`;
      const first = await request(t.app).get(slim).expect(200);
      const etag = String(first.headers.etag);
      expect(etag).toMatch(/^W\/".+"$/);
      expect(first.headers['cache-control']).toBe('no-cache');
      const again = await request(t.app).get(slim).set('If-None-Match', etag).expect(304);
      expect(again.text ?? '').toBe('');
      // The tree with delete outcomes is another answer, with its own tag.
      const full = await request(t.app).get(base).set('If-None-Match', etag).expect(200);
      expect(full.headers.etag).not.toBe(etag);
      await checkpoint('Update');
      const changed = await request(t.app).get(slim).set('If-None-Match', etag).expect(200);
      expect(changed.headers.etag).not.toBe(etag);
      expect((changed.body as CheckpointTree).checkpoints.map((c) => c.name)).toEqual([
        'Base',
        'Update',
      ]);
    });

    it('refuses another value (422, as every invalid query)', async () => {
      const response = await request(t.app).get(`${base}?deleteOutcomes=no`);
      expect(response.status).toBe(422);
      expect((response.body as ApiErrorBody).error.code).toBe('INVALID_ARGUMENT');
    });
  });
});
