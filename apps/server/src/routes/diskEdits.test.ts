/**
 * The Edit Virtual Hard Disk wizard's four actions over REST: Compact (Optimize-VHD), Convert
 * (Convert-VHD), Expand (Resize-VHD) and Merge (Merge-VHD). Administrators only.
 */
import type { DiskInspection } from '@hvm/engine';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { Role } from '../auth/roles.js';
import type { ApiErrorBody } from '../http/errors.js';
import { createAuthTestApp, signIn } from '../testing/authTestApp.js';
import { createTestApp, createVm } from '../testing/testApp.js';

const MB = 1024 * 1024;

describe('POST /disks/actions/{compact,convert,expand,merge}', () => {
  it('expands, compacts, converts and merges disks no VM uses, answering the disk as it is now', async () => {
    const t = await createTestApp();
    await t.host.createVirtualHardDisk({ path: 'Disks/base.vhdx', sizeBytes: 16 * MB });
    const expanded = await request(t.app)
      .post('/api/v1/disks/actions/expand')
      .send({ path: 'Disks/base.vhdx', sizeBytes: 32 * MB });
    expect(expanded.status, expanded.text).toBe(200);
    expect((expanded.body as DiskInspection).virtualSizeBytes).toBe(32 * MB);

    const compacted = await request(t.app)
      .post('/api/v1/disks/actions/compact')
      .send({ path: 'Disks/base.vhdx' });
    expect(compacted.status, compacted.text).toBe(200);
    expect((compacted.body as DiskInspection).type).toBe('Dynamic');

    const converted = await request(t.app)
      .post('/api/v1/disks/actions/convert')
      .send({ path: 'Disks/base.vhdx', destinationPath: 'Disks/fixed.vhdx', vhdType: 'Fixed' });
    expect(converted.status, converted.text).toBe(201);
    expect(converted.body as DiskInspection).toMatchObject({
      path: 'Disks/fixed.vhdx',
      type: 'Fixed',
    });

    await t.host.createVirtualHardDisk({ path: 'Disks/child.vhdx', parentPath: 'Disks/base.vhdx' });
    const merged = await request(t.app)
      .post('/api/v1/disks/actions/merge')
      .send({ path: 'Disks/child.vhdx' });
    expect(merged.status, merged.text).toBe(200);
    expect((merged.body as DiskInspection).path).toBe('Disks/base.vhdx');
    const paths = (await t.host.listDisks()).map((d) => d.path);
    expect(paths).not.toContain('Disks/child.vhdx');
  });

  it("refuses a running VM's disk with 409 and a malformed body with 422", async () => {
    const t = await createTestApp();
    const vm = await createVm(t.app);
    await request(t.app).post(`/api/v1/vms/${vm.id}/actions/start`).send({}).expect(200);
    const disk = vm.hardDrives[0]?.path ?? '';
    const busy = await request(t.app).post('/api/v1/disks/actions/compact').send({ path: disk });
    expect(busy.status, busy.text).toBe(409);
    expect((busy.body as ApiErrorBody).error.message).toBe(
      'The process cannot access the file because it is being used by another process. (0x80070020)',
    );
    const bad = await request(t.app)
      .post('/api/v1/disks/actions/convert')
      .send({ path: disk, destinationPath: 'x.vhdx', vhdType: 'Differencing' });
    expect(bad.status).toBe(422);
    const extra = await request(t.app)
      .post('/api/v1/disks/actions/expand')
      .send({ path: disk, sizeBytes: -1 });
    expect(extra.status).toBe(422);
  });

  it('refuses a Reader with 403 and changes nothing', async () => {
    const fixture = await createAuthTestApp([
      { name: 'Administrator', role: Role.Administrator, password: 'admin-password-1' },
      { name: 'olivia', role: Role.Reader, password: 'reader-password-1' },
    ]);
    await fixture.host.createVirtualHardDisk({ path: 'd.vhdx', sizeBytes: 8 * MB });
    const reader = await signIn(fixture.app, 'olivia', 'reader-password-1');
    for (const [action, body] of [
      ['compact', { path: 'd.vhdx' }],
      ['convert', { path: 'd.vhdx', destinationPath: 'e.vhdx' }],
      ['expand', { path: 'd.vhdx', sizeBytes: 16 * MB }],
      ['merge', { path: 'd.vhdx' }],
    ] as const) {
      const response = await reader.agent
        .post(`/api/v1/disks/actions/${action}`)
        .set('X-CSRF-Token', reader.csrfToken)
        .send(body);
      expect(response.status, `${action}: ${response.text}`).toBe(403);
    }
    expect((await fixture.host.inspectDisk('d.vhdx')).virtualSizeBytes).toBe(8 * MB);
    expect((await fixture.host.listDisks()).map((d) => d.path)).toEqual(['d.vhdx']);
  });
});

describe('POST /disks (New Virtual Hard Disk)', () => {
  it('creates a fixed, a dynamic and a differencing disk, each answered with 201 and its Location', async () => {
    const t = await createTestApp();
    const fixed = await request(t.app)
      .post('/api/v1/disks')
      .send({ path: 'Disks/fixed.vhdx', sizeBytes: 8 * MB, fixed: true });
    expect(fixed.status, fixed.text).toBe(201);
    expect(fixed.headers.location).toBe(
      `/api/v1/disks/inspect?path=${encodeURIComponent('Disks/fixed.vhdx')}`,
    );
    expect(fixed.body as DiskInspection).toMatchObject({ type: 'Fixed', virtualSizeBytes: 8 * MB });
    const dynamic = await request(t.app)
      .post('/api/v1/disks')
      .send({ path: 'Disks/base.vhdx', sizeBytes: 16 * MB });
    expect((dynamic.body as DiskInspection).type).toBe('Dynamic');
    const child = await request(t.app)
      .post('/api/v1/disks')
      .send({ path: 'Disks/child.vhdx', parentPath: 'Disks/base.vhdx' });
    expect(child.status, child.text).toBe(201);
    expect(child.body as DiskInspection).toMatchObject({
      type: 'Differencing',
      parentPath: 'Disks/base.vhdx',
    });
    const both = await request(t.app)
      .post('/api/v1/disks')
      .send({ path: 'Disks/x.vhdx', sizeBytes: 8 * MB, parentPath: 'Disks/base.vhdx' });
    expect(both.status).toBe(422);
    const exists = await request(t.app)
      .post('/api/v1/disks')
      .send({ path: 'Disks/base.vhdx', sizeBytes: 8 * MB });
    expect(exists.status).toBe(409);
  });
});
