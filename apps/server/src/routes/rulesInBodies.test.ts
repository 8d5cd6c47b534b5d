import type { CheckpointDeleteOutcomes, Checkpoint, CheckpointTree, VmSummary } from '@hvm/engine';
import type { CheckpointActionAvailability, VmActionAvailability } from '@hvm/contracts';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createTestApp, createVm } from '../testing/testApp.js';
import { formatEvent } from './events.js';

type VmBody = VmSummary & {
  allowedActions: VmActionAvailability;
  allowedCheckpointActions: CheckpointActionAvailability;
};
type CheckpointBody = Checkpoint & { deleteOutcome: CheckpointDeleteOutcomes };

describe('the rules in VM bodies', () => {
  it('answers on GET /vms and /vms/:id which commands are enabled, and follows the state', async () => {
    const { app } = await createTestApp();
    const vm = await createVm(app);
    const list = (await request(app).get('/api/v1/vms').expect(200)).body as VmBody[];
    const off = list.find((v) => v.id === vm.id);
    expect(off?.allowedActions).toMatchObject({
      start: true,
      turnOff: false,
      shutDown: false,
      // Virtual Machine Connection opens in every state: an Off VM's window offers Start.
      connect: true,
      revert: false,
      delete: true,
      export: true,
    });
    expect(off?.allowedCheckpointActions.delete).toBe(true);

    const started = await request(app).post(`/api/v1/vms/${vm.id}/actions/start`).expect(200);
    expect((started.body as VmBody).allowedActions).toMatchObject({ start: false, turnOff: true });
    const one = (await request(app).get(`/api/v1/vms/${vm.id}`).expect(200)).body as VmBody;
    expect(one.state).toBe('Running');
    expect(one.allowedActions).toMatchObject({
      start: false,
      turnOff: true,
      pause: true,
      connect: true,
      delete: false,
      // Live export (behaviour spec §8.3).
      export: true,
    });
  });

  it('enables Revert once the VM has a checkpoint', async () => {
    const { app } = await createTestApp();
    const vm = await createVm(app);
    await request(app).post(`/api/v1/vms/${vm.id}/checkpoints`).send({ name: 'one' }).expect(201);
    const one = (await request(app).get(`/api/v1/vms/${vm.id}`).expect(200)).body as VmBody;
    expect(one.allowedActions.revert).toBe(true);
  });

  it('sends the rules with a changed VM on the live stream', async () => {
    const { app, host } = await createTestApp();
    const vm = await createVm(app);
    const summary = host.getVm(vm.id);
    const text = formatEvent({ type: 'vm-changed', vm: summary });
    const data = JSON.parse(text.split('\ndata: ')[1] ?? '{}') as { vm: VmBody };
    expect(data.vm.allowedActions.start).toBe(true);
    expect(data.vm.allowedCheckpointActions.apply).toBe(true);
  });
});

describe('the delete outcome in checkpoint bodies', () => {
  it('says on the tree and on one checkpoint what each delete will do', async () => {
    const { app } = await createTestApp();
    const vm = await createVm(app);
    const base = `/api/v1/vms/${vm.id}/checkpoints`;
    const first = (await request(app).post(base).send({ name: 'first' }).expect(201))
      .body as Checkpoint;
    const second = (await request(app).post(base).send({ name: 'second' }).expect(201))
      .body as Checkpoint;
    const tree = (await request(app).get(base).expect(200)).body as CheckpointTree & {
      checkpoints: CheckpointBody[];
    };
    const [a, b] = tree.checkpoints;
    expect(a?.deleteOutcome.delete).toMatchObject({
      disk: 'merged',
      deletedCheckpointIds: [first.id],
      merges: [{ into: { kind: 'checkpoint', checkpointId: second.id, name: 'second' } }],
    });
    expect(b?.deleteOutcome.delete.merges[0]?.into).toEqual({ kind: 'now' });
    expect(a?.deleteOutcome.deleteSubtree).toMatchObject({
      disk: 'merged',
      deletedCheckpointIds: [first.id, second.id],
    });
    const one = (await request(app).get(`${base}/${second.id}`).expect(200)).body as CheckpointBody;
    expect(one.deleteOutcome.delete.disk).toBe('merged');
    expect(one.deleteOutcome.delete.merges[0]?.disks).toEqual(b?.hardDrives);
  });
});

describe('the OpenAPI document', () => {
  it('declares the rules on VM bodies and the delete outcome on checkpoints', async () => {
    const { app } = await createTestApp();
    const document = (await request(app).get('/api/v1/openapi.json').expect(200)).body as {
      components: { schemas: Record<string, { required?: string[]; properties?: object }> };
    };
    const { schemas } = document.components;
    expect(schemas.VmSummary?.required).toEqual(
      expect.arrayContaining(['allowedActions', 'allowedCheckpointActions']),
    );
    expect(schemas.VmActionAvailability?.required).toContain('revert');
    expect(schemas.Checkpoint?.properties).toHaveProperty('deleteOutcome');
    expect(schemas.CheckpointDeleteOutcome?.required).toEqual(
      expect.arrayContaining(['merges', 'kept', 'removed', 'bytesFreed']),
    );
  });
});
