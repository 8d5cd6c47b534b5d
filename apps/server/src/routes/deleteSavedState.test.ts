import type { VmSummary } from '@hvm/engine';
import type { VmActionAvailability } from '@hvm/contracts';
import request from 'supertest';
import { beforeEach, describe, expect, it } from 'vitest';
import type { ApiErrorBody } from '../http/errors.js';
import { ruleFor } from '../auth/routeRules.js';
import { createTestApp, createVm } from '../testing/testApp.js';
import type { TestApp } from '../testing/testApp.js';

type VmBody = VmSummary & { allowedActions: VmActionAvailability };

describe('POST /vms/{vmId}/actions/delete-saved-state', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp();
  });

  it('turns a Saved VM Off and says so in the rules the menus read', async () => {
    const vm = await createVm(t.app);
    await request(t.app).post(`/api/v1/vms/${vm.id}/actions/start`).send({}).expect(200);
    const saved = await request(t.app).post(`/api/v1/vms/${vm.id}/actions/save`).send({});
    expect((saved.body as VmBody).allowedActions.deleteSavedState).toBe(true);
    const response = await request(t.app)
      .post(`/api/v1/vms/${vm.id}/actions/delete-saved-state`)
      .send({})
      .expect(200);
    const body = response.body as VmBody;
    expect(body.state).toBe('Off');
    expect(body.allowedActions.deleteSavedState).toBe(false);
    expect(t.host.getVm(vm.id).state).toBe('Off');
  });

  it('refuses a VM that is not Saved with 409', async () => {
    const vm = await createVm(t.app);
    const response = await request(t.app)
      .post(`/api/v1/vms/${vm.id}/actions/delete-saved-state`)
      .send({});
    expect(response.status).toBe(409);
    expect((response.body as ApiErrorBody).error.code).toBe('INVALID_STATE');
  });

  it('needs the right to manage the host, for one VM', () => {
    expect(ruleFor('POST', '/vms/x/actions/delete-saved-state').rule).toMatchObject({
      permission: 'manageHost',
      vm: true,
    });
  });
});
