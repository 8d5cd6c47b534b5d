import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HostInfo } from '@hvm/engine';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from './app.js';
import type { ApiErrorBody } from './http/errors.js';
import { contentSecurityPolicy } from './http/securityHeaders.js';
import { createTestApp, createVm } from './testing/testApp.js';

function expectSecurityHeaders(headers: Record<string, unknown>): void {
  expect(headers['content-security-policy']).toBe(
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  );
  expect(headers['x-content-type-options']).toBe('nosniff');
  expect(headers['x-frame-options']).toBe('DENY');
  expect(headers['referrer-policy']).toBe('no-referrer');
}

describe('host route and common behaviour', () => {
  it('GET /host answers the host information with the security headers', async () => {
    const { app } = await createTestApp();
    const response = await request(app).get('/api/v1/host').expect(200);
    const info = response.body as HostInfo;
    expect(info.dataLocation).toBe(':memory:');
    expect(info.maxCheckpointsPerVm).toBe(50);
    expectSecurityHeaders(response.headers);
    expect(contentSecurityPolicy).toContain("frame-ancestors 'none'");
  });

  it('an unknown API route is 404 NOT_FOUND with the error body and headers', async () => {
    const { app } = await createTestApp();
    const response = await request(app).get('/api/v1/nothing-here');
    expect(response.status).toBe(404);
    const { error } = response.body as ApiErrorBody;
    expect(error.code).toBe('NOT_FOUND');
    expect(error.details).toEqual({ method: 'GET', path: '/api/v1/nothing-here' });
    expectSecurityHeaders(response.headers);
    await request(app).put('/api/v1/host').expect(404);
  });

  it('malformed JSON is 400 INVALID_JSON and changes nothing', async () => {
    const { app, host } = await createTestApp();
    const response = await request(app)
      .post('/api/v1/vms')
      .set('Content-Type', 'application/json')
      .send('{"name": "broken"');
    expect(response.status).toBe(400);
    expect((response.body as ApiErrorBody).error.code).toBe('INVALID_JSON');
    expect(host.listVms()).toHaveLength(0);
  });

  it('a body over the limit is 413', async () => {
    const { app } = await createTestApp();
    const response = await request(app)
      .post('/api/v1/vms')
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ name: 'x'.repeat(200_000) }));
    expect(response.status).toBe(413);
    expect((response.body as ApiErrorBody).error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('an error that is not an engine error is 500, logged, with no stack in the body', async () => {
    const { host } = await createTestApp();
    const broken = new Proxy(host, {
      get(target, property, receiver) {
        if (property === 'listVms') {
          return () => {
            throw new TypeError('secret internals');
          };
        }
        const value: unknown = Reflect.get(target, property, receiver);
        return typeof value === 'function' ? (value as () => unknown).bind(target) : value;
      },
    });
    const logged: unknown[] = [];
    const app = createApp(broken, { logError: (error) => logged.push(error) });
    const response = await request(app).get('/api/v1/vms');
    expect(response.status).toBe(500);
    expect((response.body as ApiErrorBody).error.code).toBe('INTERNAL_ERROR');
    expect(response.text).not.toContain('secret internals');
    expect(response.text).not.toContain('at ');
    expect(logged).toHaveLength(1);
  });

  it('engine errors are not logged', async () => {
    const { app, logged } = await createTestApp();
    await request(app).get('/api/v1/vms/nope').expect(404);
    expect(logged).toEqual([]);
  });
});

describe('the built web app', () => {
  let webRoot: string;
  beforeAll(() => {
    webRoot = mkdtempSync(join(tmpdir(), 'hvm-web-'));
    mkdirSync(join(webRoot, 'assets'));
    writeFileSync(join(webRoot, 'index.html'), '<!doctype html><title>Hyper-V Manager</title>');
    writeFileSync(join(webRoot, 'assets', 'app.js'), 'console.log(1);');
  });
  afterAll(() => rmSync(webRoot, { recursive: true, force: true }));

  it('serves files, falls back to index.html for app routes, and keeps API 404s', async () => {
    const { app } = await createTestApp({ webRoot });
    const root = await request(app).get('/').expect(200);
    expect(root.text).toContain('Hyper-V Manager');
    expectSecurityHeaders(root.headers);
    const asset = await request(app).get('/assets/app.js').expect(200);
    expect(asset.headers['content-type']).toContain('javascript');
    const deep = await request(app).get('/vms/some-id/checkpoints').expect(200);
    expect(deep.text).toContain('Hyper-V Manager');
    expect(deep.headers['content-type']).toContain('text/html');
    const api = await request(app).get('/api/v1/unknown').expect(404);
    expect((api.body as ApiErrorBody).error.code).toBe('NOT_FOUND');
    await createVm(app);
    await request(app).get('/api/v1/vms').expect(200);
  });

  it('serves the API only when the web root has no index.html', async () => {
    const { app } = await createTestApp({ webRoot: join(webRoot, 'missing') });
    const response = await request(app).get('/');
    expect(response.status).toBe(404);
    expect((response.body as ApiErrorBody).error.code).toBe('NOT_FOUND');
  });
});
