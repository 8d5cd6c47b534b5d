/** Test fixture: the app over a real engine on a memory file store. */
import type { Express } from 'express';
import type { Host, VmDetail } from '@hvm/engine';
import { createTestHost } from '@hvm/engine/testing';
import request from 'supertest';
import { expect } from 'vitest';
import { createApp } from '../app.js';
import type { AppOptions } from '../app.js';

export interface TestApp {
  app: Express;
  host: Host;
  logged: unknown[];
}

export async function createTestApp(options: AppOptions = {}): Promise<TestApp> {
  const { host } = await createTestHost();
  const logged: unknown[] = [];
  const app = createApp(host, { logError: (error) => logged.push(error), ...options });
  return { app, host, logged };
}

let counter = 0;

export async function createVm(app: Express, name = `VM ${++counter}`): Promise<VmDetail> {
  const response = await request(app)
    .post('/api/v1/vms')
    .send({ name, memoryStartupMB: 1024, diskSizeBytes: 1024 ** 3 });
  expect(response.status, response.text).toBe(201);
  return response.body as VmDetail;
}

/** The `Location` header of a response, which must be there. */
export function locationOf(response: request.Response): string {
  const location: unknown = response.headers.location;
  expect(location).toBeTypeOf('string');
  return String(location);
}
