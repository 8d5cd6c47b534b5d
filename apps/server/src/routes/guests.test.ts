import type {
  Checkpoint,
  GuestConsole,
  GuestImageInfo,
  ReferencePoint,
  VmDetail,
} from '@hvm/engine';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createTestApp, locationOf } from '../testing/testApp.js';

async function runningSqlVm(app: Parameters<typeof request>[0]): Promise<VmDetail> {
  const created = await request(app)
    .post('/api/v1/vms')
    .send({ name: 'SQL 1', diskSizeBytes: 64 * 1024 * 1024, guestImage: 'windows-server-2016-sql' })
    .expect(201);
  const vm = created.body as VmDetail;
  await request(app).post(`/api/v1/vms/${vm.id}/actions/start`).send({}).expect(200);
  return vm;
}

describe('GET /guest-images', () => {
  it('lists the Quick Create gallery', async () => {
    const { app } = await createTestApp();
    const response = await request(app).get('/api/v1/guest-images').expect(200);
    expect((response.body as GuestImageInfo[]).map((i) => i.name)).toContain(
      'ubuntu-22.04-postgres',
    );
  });

  it('POST /vms with an unknown image answers 422 listing the gallery', async () => {
    const { app } = await createTestApp();
    const response = await request(app)
      .post('/api/v1/vms')
      .send({ name: 'X', guestImage: 'windows-95' })
      .expect(422);
    expect(response.body).toMatchObject({ error: { code: 'INVALID_ARGUMENT' } });
    expect(JSON.stringify(response.body)).toContain('legacy-no-integration');
  });
});

describe('GET /vms/:vmId/console', () => {
  it('shows the running guest: its boot and its transactions', async () => {
    const { app } = await createTestApp();
    const vm = await runningSqlVm(app);
    const response = await request(app).get(`/api/v1/vms/${vm.id}/console`).expect(200);
    expect(response.body as GuestConsole).toMatchObject({
      running: true,
      os: 'Windows Server 2016 Datacenter',
      boot: { kind: 'clean-start' },
    });
  });

  it('answers 404 for an unknown VM', async () => {
    const { app } = await createTestApp();
    const response = await request(app)
      .get('/api/v1/vms/00000000-0000-4000-8000-00000000ffff/console')
      .expect(404);
    expect(response.body).toMatchObject({ error: { code: 'NOT_FOUND' } });
  });
});

describe('backup API', () => {
  it('creates a recovery checkpoint, reads its frozen disk and converts it to a reference point', async () => {
    const { app } = await createTestApp();
    const vm = await runningSqlVm(app);
    const created = await request(app)
      .post(`/api/v1/vms/${vm.id}/backup/checkpoints`)
      .send({})
      .expect(201);
    const checkpoint = created.body as Checkpoint;
    expect(checkpoint).toMatchObject({ kind: 'Recovery', consistency: 'ApplicationConsistent' });
    expect(locationOf(created)).toBe(`/api/v1/vms/${vm.id}/checkpoints/${checkpoint.id}`);

    const read = await request(app)
      .get(`/api/v1/vms/${vm.id}/backup/checkpoints/${checkpoint.id}/disk`)
      .query({ offset: 1024 * 1024, length: 4096 })
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      })
      .expect(200);
    expect(read.headers['content-type']).toMatch(/application\/octet-stream/);
    expect((read.body as Buffer).subarray(0, 7).toString()).toBe('HVMBOOT');

    const applied = await request(app)
      .post(`/api/v1/vms/${vm.id}/checkpoints/${checkpoint.id}/actions/apply`)
      .send({})
      .expect(409);
    expect(applied.body).toMatchObject({ error: { code: 'INVALID_STATE' } });

    const converted = await request(app)
      .post(
        `/api/v1/vms/${vm.id}/backup/checkpoints/${checkpoint.id}/actions/convert-to-reference-point`,
      )
      .send({})
      .expect(200);
    expect(converted.body as ReferencePoint).toMatchObject({ checkpointId: checkpoint.id });
    const points = await request(app)
      .get(`/api/v1/vms/${vm.id}/backup/reference-points`)
      .expect(200);
    expect(points.body).toHaveLength(1);
    await request(app).get(`/api/v1/vms/${vm.id}/checkpoints/${checkpoint.id}`).expect(404);
  });

  it('refuses reads over 4 MiB with 422 and converting a non-recovery checkpoint with 409', async () => {
    const { app } = await createTestApp();
    const vm = await runningSqlVm(app);
    const production = (
      await request(app).post(`/api/v1/vms/${vm.id}/checkpoints`).send({}).expect(201)
    ).body as Checkpoint;
    await request(app)
      .get(`/api/v1/vms/${vm.id}/backup/checkpoints/${production.id}/disk`)
      .query({ offset: 0, length: 8 * 1024 * 1024 })
      .expect(422);
    const response = await request(app)
      .post(
        `/api/v1/vms/${vm.id}/backup/checkpoints/${production.id}/actions/convert-to-reference-point`,
      )
      .send({})
      .expect(409);
    expect(response.body).toMatchObject({ error: { code: 'INVALID_STATE' } });
  });
});
