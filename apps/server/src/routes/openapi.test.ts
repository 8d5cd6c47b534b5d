import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import type { OpenApiDocument } from '../openapi/types.js';
import { createTestApp } from '../testing/testApp.js';

const restApiDoc = fileURLToPath(new URL('../../docs/rest-api.md', import.meta.url));

/** `[method, OpenAPI path]` of every route in the table of docs/rest-api.md. */
function documentedRoutes(): [string, string][] {
  const routes = [
    ...readFileSync(restApiDoc, 'utf8').matchAll(/^\| `(GET|POST|PATCH|DELETE) \/api\/v1(\S*)`/gm),
  ];
  return routes.map(([, method = '', path = '']) => [
    method.toLowerCase(),
    path.replace(/:(\w+)/g, '{$1}'),
  ]);
}

describe('GET /openapi.json', () => {
  it('is an OpenAPI 3.1 document describing every route of docs/rest-api.md', async () => {
    const { app } = await createTestApp();
    const response = await request(app).get('/api/v1/openapi.json').expect(200);
    const document = response.body as OpenApiDocument;
    expect(document.openapi).toBe('3.1.0');
    const routes = documentedRoutes();
    expect(routes.length).toBeGreaterThanOrEqual(18);
    for (const [method, path] of routes) {
      const item = document.paths[path] as Record<string, unknown> | undefined;
      expect(item?.[method], `${method.toUpperCase()} ${path}`).toBeDefined();
    }
  });

  it('declares path parameters, strict bodies and the error schema', async () => {
    const { app } = await createTestApp();
    const document = (await request(app).get('/api/v1/openapi.json')).body as OpenApiDocument;
    for (const [path, item] of Object.entries(document.paths)) {
      for (const operation of Object.values(item)) {
        const names = (operation.parameters ?? [])
          .filter((p) => p.in === 'path')
          .map((p) => p.name);
        const templated = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
        expect(names, path).toEqual(templated);
        expect(operation.responses['500']).toBeDefined();
      }
    }
    const createVm = document.paths['/vms']?.post?.requestBody?.content['application/json']?.schema;
    expect(createVm).toMatchObject({
      type: 'object',
      additionalProperties: false,
      required: ['name'],
    });
    const patchVm = document.paths['/vms/{vmId}']?.patch?.requestBody?.content['application/json'];
    expect(JSON.stringify(patchVm)).toContain('ProductionOnly');
    expect(document.components.schemas.Error).toMatchObject({ required: ['error'] });
    const refs = JSON.stringify(document).matchAll(/"#\/components\/(schemas|responses)\/(\w+)"/g);
    for (const [, kind = '', name = ''] of refs) {
      const section = document.components[kind as 'schemas' | 'responses'];
      expect(section[name], `${kind}/${name}`).toBeDefined();
    }
  });
});
