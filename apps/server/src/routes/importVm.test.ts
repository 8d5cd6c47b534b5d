import type { VmCompatibilityReport, VmDetail } from '@hvm/engine';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { Role } from '../auth/roles.js';
import type { ApiErrorBody } from '../http/errors.js';
import { createAuthTestApp, signIn } from '../testing/authTestApp.js';
import { createTestApp, createVm, locationOf } from '../testing/testApp.js';

describe('import routes', () => {
  it('exports, compares and imports a copy with its name and a new ID (201, Location), then refuses to register the same ID', async () => {
    const t = await createTestApp();
    const vm = await createVm(t.app, 'WEB-01');
    await request(t.app).post(`/api/v1/vms/${vm.id}/checkpoints`).send({ name: 'one' }).expect(201);
    await request(t.app)
      .post(`/api/v1/vms/${vm.id}/actions/export`)
      .send({ path: 'Exports' })
      .expect(202);
    await t.host.whenIdle();

    const compared = await request(t.app)
      .post('/api/v1/vms/import/compare')
      .send({ path: 'Exports/WEB-01', mode: 'copy' });
    expect(compared.status, compared.text).toBe(200);
    const report = compared.body as VmCompatibilityReport;
    expect(report.vm).toMatchObject({ name: 'WEB-01', checkpointCount: 1, state: 'Off' });
    // Another VM of the name is no incompatibility: Hyper-V knows VMs by ID (behaviour spec R36).
    expect(report.incompatibilities).toEqual([]);

    const imported = await request(t.app)
      .post('/api/v1/vms/import')
      .send({ path: 'Exports/WEB-01', mode: 'copy' });
    expect(imported.status, imported.text).toBe(201);
    const copy = imported.body as VmDetail;
    expect(copy.id).not.toBe(vm.id);
    expect(copy.name).toBe('WEB-01');
    expect(locationOf(imported)).toBe(`/api/v1/vms/${copy.id}`);

    // `newName` (this host's extension) names a second copy otherwise.
    const renamed = await request(t.app)
      .post('/api/v1/vms/import')
      .send({ path: 'Exports/WEB-01', mode: 'copy', newName: 'WEB-01 copy' });
    expect(renamed.status, renamed.text).toBe(201);
    expect((renamed.body as VmDetail).name).toBe('WEB-01 copy');

    // Registering it in place would bring back WEB-01's own ID: refused.
    const refused = await request(t.app)
      .post('/api/v1/vms/import')
      .send({ path: 'Exports/WEB-01', mode: 'register' });
    expect(refused.status, refused.text).toBe(409);
    expect((refused.body as ApiErrorBody).error.message).toMatch(
      /^Unable to import virtual machine due to configuration errors\./,
    );
    const tree = await request(t.app).get(`/api/v1/vms/${copy.id}/checkpoints`).expect(200);
    expect((tree.body as { checkpoints: { name: string }[] }).checkpoints[0]?.name).toBe('one');

    const bad = await request(t.app)
      .post('/api/v1/vms/import')
      .send({ path: '../etc', mode: 'copy' });
    expect(bad.status).toBe(422);
    const badMode = await request(t.app)
      .post('/api/v1/vms/import')
      .send({ path: 'Exports/WEB-01', mode: 'move' });
    expect(badMode.status).toBe(422);
  });

  it('is for Administrators only: a Reader gets 403 for both routes', async () => {
    const fixture = await createAuthTestApp([
      { name: 'Administrator', role: Role.Administrator, password: 'admin-password-1' },
      { name: 'olivia', role: Role.Reader, password: 'reader-password-1' },
    ]);
    const reader = await signIn(fixture.app, 'olivia', 'reader-password-1');
    for (const url of ['/api/v1/vms/import', '/api/v1/vms/import/compare']) {
      const response = await reader.agent
        .post(url)
        .set('X-CSRF-Token', reader.csrfToken)
        .send({ path: 'Exports/WEB-01' });
      expect(response.status, url).toBe(403);
    }
  });
});
