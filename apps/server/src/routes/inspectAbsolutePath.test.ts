/**
 * Inspect Disk as a Reader: only Administrators see the absolute data folder (GET /host), so a
 * Reader must not be able to find it out by asking for absolute paths until one is inside it.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nodeFileStore } from '@hvm/engine';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Role } from '../auth/roles.js';
import type { ApiErrorBody } from '../http/errors.js';
import { createAuthTestApp, signIn } from '../testing/authTestApp.js';
import type { AuthTestApp, SignedIn } from '../testing/authTestApp.js';

let data: string;
let fixture: AuthTestApp;
let administrator: SignedIn;
let reader: SignedIn;
let diskPath: string;

beforeAll(async () => {
  data = await mkdtemp(join(tmpdir(), 'hvm-inspect-'));
  fixture = await createAuthTestApp(
    [
      { name: 'Administrator', role: Role.Administrator, password: 'admin-password-1' },
      { name: 'olivia', role: Role.Reader, password: 'reader-password-1' },
    ],
    { store: nodeFileStore(data), dataLocation: data },
  );
  administrator = await signIn(fixture.app, 'Administrator', 'admin-password-1');
  reader = await signIn(fixture.app, 'olivia', 'reader-password-1');
  const created = await administrator.agent
    .post('/api/v1/vms')
    .set('X-CSRF-Token', administrator.csrfToken)
    .send({ name: 'WEB-01' });
  expect(created.status, created.text).toBe(201);
  const disks = (await reader.agent.get('/api/v1/disks')).body as { path: string }[];
  diskPath = disks[0]?.path ?? '';
  expect(diskPath).toMatch(/\.vhdx$/);
});

afterAll(async () => {
  await rm(data, { recursive: true, force: true });
});

const inspect = (who: SignedIn, path: string) =>
  who.agent.get('/api/v1/disks/inspect').query({ path });

describe('GET /disks/inspect with an absolute path', () => {
  test('a Reader gets the same answer for a disk inside the data folder as for one outside it', async () => {
    const inside = await inspect(reader, `${data}/${diskPath}`);
    const outside = await inspect(reader, `/elsewhere/${diskPath}`);
    expect(outside.status).toBe(422);
    expect(inside.status, inside.text).toBe(422);
    const error = (inside.body as ApiErrorBody).error;
    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(error.details).toMatchObject({ reason: 'outside-storage' });
    // The same answer as for the path elsewhere, the path given aside: nothing tells them apart.
    expect(inside.text.replaceAll(data, '/elsewhere')).toBe(outside.text);
  });

  test('a Reader inspects the same disk by its path relative to the data folder', async () => {
    const relative = await inspect(reader, diskPath);
    expect(relative.status, relative.text).toBe(200);
    expect(relative.body).toMatchObject({ path: diskPath });
  });

  test('an Administrator, who sees the data folder, may still give the absolute path', async () => {
    const absolute = await inspect(administrator, `${data}/${diskPath}`);
    expect(absolute.status, absolute.text).toBe(200);
    // An Administrator sees the disk by its full path; a Reader, above, relative to the data folder.
    expect(absolute.body).toMatchObject({ path: `${data}/${diskPath}` });
  });
});
