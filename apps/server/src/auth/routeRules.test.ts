import type { Router } from 'express';
import { createTestHost } from '@hvm/engine/testing';
import { describe, expect, it } from 'vitest';
import { apiRoutes } from '../app.js';
import { buildOpenApiDocument } from '../openapi/document.js';
import { createAuthentication } from './authentication.js';
import { routeRules, ruleFor, unmatchedRule } from './routeRules.js';
import { sessionRoutes } from './sessionRoutes.js';

interface Layer {
  route?: { path: string; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
}

/** `METHOD /path/{param}` of every route registered on the router and its sub-routers. */
function registeredRoutes(router: Router): string[] {
  const found: string[] = [];
  const walk = (stack: Layer[]): void => {
    for (const layer of stack) {
      if (layer.route !== undefined) {
        const path = layer.route.path.replace(/:(\w+)/g, '{$1}');
        for (const method of Object.keys(layer.route.methods)) {
          found.push(`${method.toUpperCase()} ${path}`);
        }
      } else if (layer.handle?.stack !== undefined) {
        walk(layer.handle.stack);
      }
    }
  };
  walk((router as unknown as { stack: Layer[] }).stack);
  return found;
}

function ruledOperations(): string[] {
  return Object.entries(routeRules).flatMap(([path, methods]) =>
    Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
  );
}

describe('the route -> permission table', () => {
  it('has a rule for every operation of the OpenAPI document, and no rule for none', () => {
    const document = buildOpenApiDocument();
    const documented = Object.entries(document.paths).flatMap(([path, item]) =>
      Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(documented.length).toBeGreaterThan(30);
    expect(ruledOperations().sort()).toEqual(documented.sort());
  });

  it('has a rule for every route the Express routers register', async () => {
    const { host } = await createTestHost();
    const routes = [
      ...registeredRoutes(apiRoutes(host, {})),
      ...registeredRoutes(sessionRoutes(createAuthentication(host, { mode: 'off' }))),
    ];
    expect(routes.length).toBeGreaterThan(30);
    const ruled = new Set(ruledOperations());
    for (const route of routes) expect(ruled, route).toContain(route);
  });

  it('matches literal segments before parameters and decodes the VM id', () => {
    expect(ruleFor('POST', '/vms/a%20b/actions/revert')).toEqual({
      rule: { access: 'signed-in', permission: 'manageCheckpoints', vm: true },
      vmId: 'a b',
    });
    expect(ruleFor('POST', '/vms/x/actions/start').rule).toMatchObject({
      permission: 'manageHost',
    });
    expect(ruleFor('POST', '/vms/x/actions/export').rule).toMatchObject({
      permission: 'manageHost',
    });
    expect(ruleFor('GET', '/VMS/x/Checkpoints/').rule).toMatchObject({ permission: 'read' });
    expect(ruleFor('HEAD', '/vms').rule).toMatchObject({ permission: 'read' });
  });

  it('leaves an operation without a rule to Administrators', () => {
    expect(ruleFor('PUT', '/vms').rule).toBe(unmatchedRule);
    expect(ruleFor('GET', '/not-a-route').rule).toBe(unmatchedRule);
    expect(unmatchedRule).toMatchObject({ permission: 'manageHost' });
  });
});
