import { gzipSync } from 'node:zlib';
import type { Host } from '@hvm/engine';
import { createTestHost } from '@hvm/engine/testing';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../app.js';
import { createAuthTestApp, signIn } from '../testing/authTestApp.js';
import { errorCode, listen, send } from '../testing/listening.js';
import type { Listening } from '../testing/listening.js';
import { createTestApp } from '../testing/testApp.js';

let open: Listening[] = [];
afterEach(async () => {
  await Promise.all(open.map((server) => server.close()));
  open = [];
});

describe('compressed request bodies', () => {
  it.each([
    ['gzip', Buffer.from('this is not gzip at all')],
    ['deflate', Buffer.from('nor deflate')],
    ['br', Buffer.from([0xff, 0xff, 0xff, 0xff])],
    ['gzip', gzipSync(Buffer.from(JSON.stringify({ name: 'cut short' }))).subarray(0, 12)],
  ])('a corrupt %s body is 400 with a JSON error, nothing logged', async (encoding, body) => {
    const { app, host, logged } = await createTestApp();
    const listening = await listen(app);
    open.push(listening);
    const response = await send(listening.port, {
      method: 'POST',
      path: '/api/v1/vms',
      headers: { 'Content-Type': 'application/json', 'Content-Encoding': encoding },
      body,
    });
    expect(response.status).toBe(400);
    expect(errorCode(response)).toBe('BAD_REQUEST');
    expect(response.text).toContain('could not be decompressed');
    expect(logged).toEqual([]);
    expect(host.listVms()).toEqual([]);
  });

  it('an unsupported encoding is 415; a good gzip body is read', async () => {
    const { app, logged } = await createTestApp();
    const listening = await listen(app);
    open.push(listening);
    const unsupported = await send(listening.port, {
      method: 'POST',
      path: '/api/v1/vms',
      headers: { 'Content-Type': 'application/json', 'Content-Encoding': 'zstd' },
      body: 'whatever',
    });
    expect(unsupported.status).toBe(415);
    expect(errorCode(unsupported)).toBe('UNSUPPORTED_MEDIA_TYPE');
    const good = await send(listening.port, {
      method: 'POST',
      path: '/api/v1/vms',
      headers: { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' },
      body: gzipSync(JSON.stringify({ name: 'zipped', diskSizeBytes: 1024 ** 3 })),
    });
    expect(good.status, good.text).toBe(201);
    expect(logged).toEqual([]);
  });
});

describe('host paths are for Administrators only', () => {
  it('GET /host shows the data folder to an Administrator, not to a Reader or Checkpoint Operator', async () => {
    const password = 'correct horse battery';
    const { app } = await createAuthTestApp([
      { name: 'ada', role: 'administrator', password },
      { name: 'olivia', role: 'reader', password },
      { name: 'oscar', role: 'checkpoint-operator', password, virtualMachines: [] },
    ]);
    const info = async (name: string): Promise<Record<string, unknown>> => {
      const { agent } = await signIn(app, name, password);
      return (await agent.get('/api/v1/host').expect(200)).body as Record<string, unknown>;
    };
    expect(await info('ada')).toHaveProperty('dataLocation');
    for (const name of ['olivia', 'oscar']) {
      const seen = await info(name);
      expect(seen).not.toHaveProperty('dataLocation');
      expect(seen).toMatchObject({ maxCheckpointsPerVm: 50 });
    }
  });

  it('a 500 answer carries no raw error text; the detail goes to the log only', async () => {
    const { host } = await createTestHost();
    const failing: Host = {
      ...host,
      listDisks: () =>
        Promise.reject(
          new Error("EACCES: permission denied, open '/srv/hyperv-data/Virtual Hard Disks'"),
        ),
    };
    const logged: unknown[] = [];
    const app = createApp(failing, { logError: (error) => logged.push(error) });
    const response = await request(app).get('/api/v1/disks');
    expect(response.status).toBe(500);
    expect(response.text).not.toContain('/srv');
    expect(response.text).not.toContain('EACCES');
    expect(response.body).toEqual({
      error: {
        code: 'INTERNAL_ERROR',
        message: 'An unexpected error occurred on the server.',
        details: {},
      },
    });
    expect(String(logged[0])).toContain('/srv/hyperv-data');
  });
});

describe('the OpenAPI document names the front door answers', () => {
  it('421 on every operation, 415 where a body is read, 429 on the event stream, 503 on backup reads', async () => {
    const { app } = await createTestApp();
    const document = (await request(app).get('/api/v1/openapi.json').expect(200)).body as {
      paths: Record<
        string,
        Record<
          string,
          { operationId: string; requestBody?: unknown; responses: Record<string, unknown> }
        >
      >;
    };
    const operations = Object.values(document.paths).flatMap((item) => Object.values(item));
    expect(operations.length).toBeGreaterThan(20);
    for (const operation of operations) {
      expect(operation.responses, operation.operationId).toHaveProperty('421');
      if (operation.requestBody !== undefined) {
        expect(operation.responses, operation.operationId).toHaveProperty('415');
      }
    }
    const byId = new Map(operations.map((operation) => [operation.operationId, operation]));
    expect(byId.get('streamEvents')?.responses).toHaveProperty('429');
    expect(byId.get('readCheckpointDisk')?.responses).toHaveProperty('503');
  });
});
