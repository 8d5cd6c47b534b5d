import type { Checkpoint, EventLogPage } from '@hvm/engine';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { Role } from '../auth/roles.js';
import type { ApiErrorBody } from '../http/errors.js';
import { createAuthTestApp, signIn } from '../testing/authTestApp.js';
import { createTestApp, createVm } from '../testing/testApp.js';

const pageOf = (response: request.Response) => response.body as EventLogPage;

describe('GET /event-log', () => {
  it('lists what was done, newest first, with the request user', async () => {
    const { app } = await createTestApp({ auth: { mode: 'off', localUserName: 'alice' } });
    const vm = await createVm(app, 'SQL-PROD-01');
    const checkpoint = (
      await request(app).post(`/api/v1/vms/${vm.id}/checkpoints`).send({ name: 'Before patch' })
    ).body as Checkpoint;
    const page = pageOf(await request(app).get('/api/v1/event-log').expect(200));
    expect(page).toMatchObject({ total: 2, offset: 0, limit: 100 });
    expect(page.entries[0]).toMatchObject({
      level: 'Information',
      eventId: 18300,
      source: 'Hyper-V-VMMS',
      user: 'TEST-HOST\\alice',
      vmId: vm.id,
      vmName: 'SQL-PROD-01',
      operation: 'Create checkpoint',
      outcome: 'Succeeded',
      message: `'SQL-PROD-01' successfully created checkpoint '${checkpoint.name}'. (Virtual machine ID ${vm.id.toUpperCase()})`,
    });
    expect(page.entries[1]).toMatchObject({ eventId: 13002, user: 'TEST-HOST\\alice' });
  });

  it('records the signed-in user of each request', async () => {
    const { app } = await createAuthTestApp([
      { name: 'Grace', role: Role.Administrator, password: 'Pa$$w0rd-admin' },
      { name: 'Olivia', role: Role.Reader, password: 'Pa$$w0rd-reader' },
    ]);
    const admin = await signIn(app, 'Grace', 'Pa$$w0rd-admin');
    await admin.agent
      .post('/api/v1/vms')
      .set('X-CSRF-Token', admin.csrfToken)
      .send({ name: 'WEB01', diskSizeBytes: 1024 ** 3 })
      .expect(201);
    const reader = await signIn(app, 'Olivia', 'Pa$$w0rd-reader');
    const page = pageOf(await reader.agent.get('/api/v1/event-log').expect(200));
    expect(page.entries.map((e) => [e.operation, e.user])).toEqual([
      ['New virtual machine', 'TEST-HOST\\Grace'],
    ]);
  });

  it('filters by VM, level, time range and text, a page at a time', async () => {
    const { app, host } = await createTestApp();
    const a = await createVm(app, 'ALPHA');
    const b = await createVm(app, 'BRAVO');
    for (const name of ['one', 'two', 'three']) {
      await request(app).post(`/api/v1/vms/${b.id}/checkpoints`).send({ name }).expect(201);
    }
    await request(app).patch(`/api/v1/vms/${a.id}`).send({ checkpointType: 'Disabled' });
    await request(app).post(`/api/v1/vms/${a.id}/checkpoints`).send({}).expect(409);

    const errors = pageOf(
      await request(app).get('/api/v1/event-log').query({ level: 'Error' }).expect(200),
    );
    expect(errors.entries.map((e) => [e.vmName, e.outcome])).toEqual([['ALPHA', 'Failed']]);
    expect(errors.entries[0]?.message).toMatch(/^Checkpoint operation for 'ALPHA' failed\./);

    const both = await request(app).get('/api/v1/event-log?level=Error,Warning&level=Information');
    expect(pageOf(both).total).toBe((await host.queryEventLog()).total);

    const paged = pageOf(
      await request(app)
        .get('/api/v1/event-log')
        .query({ vmId: b.id, offset: 1, limit: 2 })
        .expect(200),
    );
    expect(paged).toMatchObject({ total: 4, offset: 1, limit: 2 });
    expect(paged.entries.map((e) => e.message)).toEqual([
      expect.stringContaining("'two'"),
      expect.stringContaining("'one'"),
    ]);
    const text = pageOf(await request(app).get('/api/v1/event-log').query({ text: 'THREE' }));
    expect(text.total).toBe(1);
    const window = pageOf(
      await request(app)
        .get('/api/v1/event-log')
        .query({ from: '2024-03-05T14:07:09Z', to: '2024-03-05T15:07:09+01:00' }),
    );
    expect(window.total).toBe((await host.queryEventLog()).total);
    const future = pageOf(
      await request(app).get('/api/v1/event-log').query({ from: '2030-01-01T00:00:00Z' }),
    );
    expect(future).toMatchObject({ total: 0, entries: [] });
  });

  it.each([
    ['level=Critical', 'level'],
    ['from=yesterday', 'from'],
    ['limit=0', 'limit'],
    ['limit=1001', 'limit'],
    ['offset=-1', 'offset'],
    ['unknown=1', ''],
    [`text=${'x'.repeat(201)}`, 'text'],
  ])('refuses ?%s with 422', async (query, field) => {
    const { app } = await createTestApp();
    const response = await request(app).get(`/api/v1/event-log?${query}`);
    expect(response.status).toBe(422);
    const { error } = response.body as ApiErrorBody;
    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(JSON.stringify(error.details)).toContain(`"field":"${field}`);
  });
});
