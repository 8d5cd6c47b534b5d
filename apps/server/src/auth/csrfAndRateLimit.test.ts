import request from 'supertest';
import { describe, expect, it } from 'vitest';
import type { ApiErrorBody } from '../http/errors.js';
import { createAuthTestApp, signIn } from '../testing/authTestApp.js';
import { Role } from './roles.js';

const admin = { name: 'Administrator', role: Role.Administrator, password: 'Pa$$w0rd-admin' };
const errorOf = (response: request.Response) => (response.body as ApiErrorBody).error;

describe('CSRF protection', () => {
  it('refuses a state-changing request without the session’s X-CSRF-Token, and changes nothing', async () => {
    const { app, host } = await createAuthTestApp([admin]);
    const { agent, csrfToken } = await signIn(app, 'Administrator', admin.password);
    const missing = await agent.post('/api/v1/vms').send({ name: 'Forged' });
    expect(missing.status).toBe(403);
    expect(errorOf(missing)).toMatchObject({
      code: 'CSRF_TOKEN_INVALID',
      message:
        'The request does not carry the X-CSRF-Token of your session. Reload the page and try again.',
    });
    const other = await signIn(app, 'Administrator', admin.password);
    await agent
      .post('/api/v1/vms')
      .set('X-CSRF-Token', other.csrfToken)
      .send({ name: 'F' })
      .expect(403);
    await agent
      .post('/api/v1/vms')
      .set('X-CSRF-Token', `${csrfToken}x`)
      .send({ name: 'F' })
      .expect(403);
    expect(host.listVms()).toHaveLength(0);

    const created = await agent
      .post('/api/v1/vms')
      .set('X-CSRF-Token', csrfToken)
      .send({ name: 'Mine' })
      .expect(201);
    const vmId = (created.body as { id: string }).id;
    await agent.patch(`/api/v1/vms/${vmId}`).send({ notes: 'x' }).expect(403);
    await agent.delete(`/api/v1/vms/${vmId}`).expect(403);
    await agent.post('/api/v1/powershell').send({ script: 'Get-VM' }).expect(403);
    await agent.delete('/api/v1/session').expect(403);
    expect(host.listVms()).toHaveLength(1);
    // Reads need no token, the event stream included.
    await agent.get(`/api/v1/vms/${vmId}`).expect(200);
    await agent.get('/api/v1/session').expect(200);
  });
});

describe('sign-in rate limits', () => {
  it('after 5 failures an account is refused with 429 and Retry-After, even with the right password', async () => {
    const { app, advance } = await createAuthTestApp([admin]);
    for (let attempt = 0; attempt < 5; attempt += 1) {
      await request(app)
        .post('/api/v1/session')
        .send({ userName: 'Administrator', password: `guess ${attempt}` })
        .expect(401);
      advance(60_000);
    }
    const locked = await request(app)
      .post('/api/v1/session')
      .send({ userName: 'ADMINISTRATOR', password: admin.password });
    expect(locked.status).toBe(429);
    // The first failure (5 minutes ago) leaves the 15-minute window in 10 minutes.
    expect(locked.headers['retry-after']).toBe(String(10 * 60));
    expect(errorOf(locked)).toMatchObject({
      code: 'TOO_MANY_REQUESTS',
      message: 'There have been too many unsuccessful sign-in attempts. Try again in 10 minutes.',
      details: { retryAfterSeconds: 600 },
    });
    expect(locked.headers['set-cookie']).toBeUndefined();
    advance(10 * 60_000);
    await signIn(app, 'Administrator', admin.password);
  });

  it('a successful sign-in clears the account’s failures', async () => {
    const { app } = await createAuthTestApp([admin]);
    for (let round = 0; round < 3; round += 1) {
      for (let attempt = 0; attempt < 4; attempt += 1) {
        await request(app)
          .post('/api/v1/session')
          .send({ userName: 'Administrator', password: 'wrong' })
          .expect(401);
      }
      await signIn(app, 'Administrator', admin.password);
    }
  });

  it('after 20 failures from one address, every account is refused from there', async () => {
    const { app, advance } = await createAuthTestApp([admin]);
    for (let attempt = 0; attempt < 20; attempt += 1) {
      await request(app)
        .post('/api/v1/session')
        .send({ userName: `user${attempt}`, password: 'wrong' })
        .expect(401);
    }
    const refused = await request(app)
      .post('/api/v1/session')
      .send({ userName: 'Administrator', password: admin.password });
    expect(refused.status).toBe(429);
    expect(refused.headers['retry-after']).toBe(String(15 * 60));
    expect(errorOf(refused).message).toBe(
      'There have been too many unsuccessful sign-in attempts. Try again in 15 minutes.',
    );
    advance(15 * 60_000);
    await signIn(app, 'Administrator', admin.password);
  });
});
