import request from 'supertest';
import { describe, expect, it } from 'vitest';
import type { ApiErrorBody } from '../http/errors.js';
import { createTestApp, createVm } from '../testing/testApp.js';

describe('a URL whose path holds a broken percent-encoding', () => {
  it.each([
    ['a lone surrogate', '%ED%A0%80'],
    ['a bare percent sign', '%'],
    ['a bad escape', '%ZZ'],
  ])('in a VM id (%s) is refused with 400 BAD_REQUEST, not a server error', async (_label, raw) => {
    const t = await createTestApp();
    const response = await request(t.app).get(`/api/v1/vms/${raw}`);
    expect(response.status).toBe(400);
    const body = response.body as ApiErrorBody;
    expect(body.error.code).toBe('BAD_REQUEST');
    expect(body.error.message).toMatch(/percent-encoding/);
    expect(t.logged).toEqual([]);
  });

  it('in a checkpoint id of an Apply is refused with 400 and applies nothing', async () => {
    const t = await createTestApp();
    const vm = await createVm(t.app);
    const response = await request(t.app)
      .post(`/api/v1/vms/${vm.id}/checkpoints/%ED%A0%80/actions/apply`)
      .send({});
    expect(response.status).toBe(400);
    expect((response.body as ApiErrorBody).error.code).toBe('BAD_REQUEST');
    expect(t.logged).toEqual([]);
  });
});
