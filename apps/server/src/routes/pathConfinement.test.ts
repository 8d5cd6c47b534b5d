import { mkdir, mkdtemp, readdir, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Checkpoint, VmDetail } from '@hvm/engine';
import { nodeFileStore } from '@hvm/engine';
import { createTestHost } from '@hvm/engine/testing';
import type { Express } from 'express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../app.js';
import type { ApiErrorBody } from '../http/errors.js';
import { createVm } from '../testing/testApp.js';

/** Each route that takes a path from the user, sending `path` as that route reads it. */
interface PathRoute {
  name: string;
  send(app: Express, path: string): Promise<request.Response>;
}

let vm: VmDetail;
let source: VmDetail;
let checkpoint: Checkpoint;

const routes: PathRoute[] = [
  {
    name: 'PATCH /vms/:vmId snapshotFileLocation',
    send: (app, path) =>
      request(app).patch(`/api/v1/vms/${vm.id}`).send({ snapshotFileLocation: path }),
  },
  {
    name: 'POST /vms/:vmId/checkpoints/:checkpointId/actions/export',
    send: (app, path) =>
      request(app)
        .post(`/api/v1/vms/${source.id}/checkpoints/${checkpoint.id}/actions/export`)
        .send({ path }),
  },
  {
    name: 'POST /vms/:vmId/actions/export',
    send: (app, path) =>
      request(app).post(`/api/v1/vms/${source.id}/actions/export`).send({ path }),
  },
  {
    name: 'GET /disks/inspect',
    send: (app, path) => request(app).get(`/api/v1/disks/inspect?path=${path}`),
  },
];

const temps: string[] = [];
let app: Express;
let data: string;
let elsewhere: string;

beforeAll(async () => {
  const root = await mkdtemp(join(tmpdir(), 'hvm-server-confine-'));
  temps.push(root);
  data = join(root, 'data');
  elsewhere = join(root, 'elsewhere');
  await mkdir(data, { recursive: true });
  await mkdir(elsewhere, { recursive: true });
  const { host } = await createTestHost({ store: nodeFileStore(data), dataLocation: data });
  app = createApp(host, { logError: () => undefined });
  vm = await createVm(app, 'CONFINED');
  source = await createVm(app, 'SOURCE');
  checkpoint = (
    await request(app).post(`/api/v1/vms/${source.id}/checkpoints`).send({ name: 'cp' })
  ).body as Checkpoint;
  await symlink('/etc', join(data, 'etc-link'));
  await symlink(elsewhere, join(data, 'Exports'));
});

afterAll(async () => {
  for (const dir of temps) await rm(dir, { recursive: true, force: true });
});

/** For the query string route, the path as a client would encode it; JSON bodies carry it as is. */
function encodedFor(route: PathRoute, path: string): string {
  return route.name.startsWith('GET') ? encodeURIComponent(path) : path;
}

const outside = /^The path '.*' is outside the storage locations of this host\.$/;

describe.each(routes)('$name keeps paths inside the host storage', (route) => {
  it.each([
    '../../etc',
    '..\\..\\Windows\\System32',
    'Exports/../../../etc',
    '/etc',
    'C:\\Windows',
    '\\\\server\\share',
    'etc-link',
    'Exports',
    'Exports/new-folder',
  ])('refuses %s as outside', async (path) => {
    const suffix = route.name.startsWith('GET') ? '/disk.vhdx' : '';
    const response = await route.send(app, encodedFor(route, path + suffix));
    expect(response.status, response.text).toBe(422);
    const { error } = response.body as ApiErrorBody;
    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(error.message).toMatch(outside);
  });

  it('refuses ..%2f sent encoded in the query string as outside (the server decodes it once)', async () => {
    if (!route.name.startsWith('GET')) return;
    const response = await route.send(app, '..%2f..%2fetc%2fpasswd.vhdx');
    expect(response.status).toBe(422);
    expect((response.body as ApiErrorBody).error.message).toMatch(outside);
  });

  it('refuses NUL bytes and paths longer than 260 characters', async () => {
    for (const path of ['Exports\u0000/../../etc', `${'a'.repeat(300)}`]) {
      const response = await route.send(app, encodedFor(route, path));
      expect(response.status).toBe(422);
      const { error } = response.body as ApiErrorBody;
      expect(error.code).toBe('INVALID_ARGUMENT');
      expect(error.message).not.toContain('\u0000');
    }
  });
});

describe('nothing was written outside', () => {
  it('leaves the folder a link points to empty, and the VM settings unchanged', async () => {
    expect(await readdir(elsewhere)).toEqual([]);
    const detail = (await request(app).get(`/api/v1/vms/${vm.id}`).expect(200)).body as VmDetail;
    // As an Administrator (sign-in off) sees it: in full, under the data folder.
    expect(detail.snapshotFileLocation).toBe(`${data}/Snapshots`);
  });
});
