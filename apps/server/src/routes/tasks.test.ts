import type { Task } from '@hvm/engine';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import type { ApiErrorBody } from '../http/errors.js';
import { createTestApp } from '../testing/testApp.js';

describe('task routes', () => {
  it('lists tasks', async () => {
    const { app } = await createTestApp();
    const response = await request(app).get('/api/v1/tasks').expect(200);
    expect(Array.isArray(response.body as Task[])).toBe(true);
  });

  it('answers 404 for an unknown task', async () => {
    const { app } = await createTestApp();
    const response = await request(app).get('/api/v1/tasks/00000000-0000-4000-8000-000000000000');
    expect(response.status).toBe(404);
    expect((response.body as ApiErrorBody).error.code).toBe('NOT_FOUND');
  });
});
