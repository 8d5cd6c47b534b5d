import request from 'supertest';
import { describe, expect, it } from 'vitest';
import type { ApiErrorBody } from '../http/errors.js';
import { createAuthTestApp, signIn } from '../testing/authTestApp.js';
import { createTestApp } from '../testing/testApp.js';
import { Role } from './roles.js';
import type { SessionInfo } from './sessionRoutes.js';

const admin = { name: 'Administrator', role: Role.Administrator, password: 'Pa$$w0rd-admin' };
const reader = { name: 'Olivia', role: Role.Reader, password: 'Pa$$w0rd-reader' };

const errorOf = (response: request.Response) => (response.body as ApiErrorBody).error;

describe('sign-in off (loopback default)', () => {
  it('GET /session says so and every request acts as the local Administrator', async () => {
    const { app } = await createTestApp({ auth: { mode: 'off', localUserName: 'alice' } });
    const response = await request(app).get('/api/v1/session').expect(200);
    const session = response.body as SessionInfo;
    expect(session).toMatchObject({
      authentication: 'off',
      signedIn: true,
      csrfToken: null,
      user: { name: 'alice', role: 'administrator', roleName: 'Administrator' },
    });
    expect(response.headers['set-cookie']).toBeUndefined();
    await request(app).post('/api/v1/vms').send({ name: 'No token needed' }).expect(201);
    await request(app).delete('/api/v1/session').expect(204);
  });
});

describe('sign-in required', () => {
  it('refuses every operation but the session before sign-in, with 401', async () => {
    const { app, host } = await createAuthTestApp([admin]);
    const session = (await request(app).get('/api/v1/session').expect(200)).body as SessionInfo;
    expect(session).toMatchObject({
      authentication: 'required',
      signedIn: false,
      user: null,
      csrfToken: null,
      computerName: host.info().name,
    });
    const response = await request(app).get('/api/v1/vms');
    expect(response.status).toBe(401);
    expect(errorOf(response)).toMatchObject({
      code: 'UNAUTHENTICATED',
      message: `You are not signed in to the computer '${host.info().name}', or your session has ended. Sign in and try again.`,
    });
    await request(app).post('/api/v1/vms').send({ name: 'x' }).expect(401);
    await request(app).get('/api/v1/nothing-here').expect(401);
    expect(host.listVms()).toHaveLength(0);
  });

  it('signs in with the right password only, case-insensitive on the user name', async () => {
    const { app } = await createAuthTestApp([admin]);
    for (const [userName, password] of [
      ['Administrator', 'wrong password'],
      ['Nobody', admin.password],
    ] as const) {
      const response = await request(app).post('/api/v1/session').send({ userName, password });
      expect(response.status).toBe(401);
      expect(errorOf(response)).toMatchObject({
        code: 'UNAUTHENTICATED',
        message: 'The user name or password is incorrect.',
      });
      expect(response.headers['set-cookie']).toBeUndefined();
    }
    const { agent, session } = await signIn(app, 'administrator', admin.password);
    expect(session).toMatchObject({
      authentication: 'required',
      signedIn: true,
      user: { name: 'Administrator', role: 'administrator', roleName: 'Administrator' },
    });
    await agent.get('/api/v1/vms').expect(200);
    const again = (await agent.get('/api/v1/session').expect(200)).body as SessionInfo;
    expect(again.csrfToken).toBe(session.csrfToken);
  });

  it('a malformed sign-in body is 422 and is not counted as an attempt', async () => {
    const { app } = await createAuthTestApp([admin]);
    const response = await request(app).post('/api/v1/session').send({ userName: 'Administrator' });
    expect(response.status).toBe(422);
    expect(errorOf(response).code).toBe('INVALID_ARGUMENT');
  });

  it('sets a random 256-bit session id in an HttpOnly, SameSite=Strict cookie', async () => {
    const { app } = await createAuthTestApp([admin]);
    const first = await signIn(app, 'Administrator', admin.password);
    const second = await signIn(app, 'Administrator', admin.password);
    const cookie = /^hvm_session=([A-Za-z0-9_-]+); (.*)$/.exec(first.cookie);
    expect(cookie, first.cookie).not.toBeNull();
    expect(Buffer.from(cookie?.[1] ?? '', 'base64url')).toHaveLength(32);
    const attributes = (cookie?.[2] ?? '').split('; ');
    expect(attributes).toEqual(expect.arrayContaining(['Path=/', 'HttpOnly', 'SameSite=Strict']));
    expect(attributes).not.toContain('Secure');
    expect(first.cookie).not.toMatch(/Expires|Max-Age/);
    expect(second.cookie).not.toBe(first.cookie);
    expect(second.csrfToken).not.toBe(first.csrfToken);
    expect(Buffer.from(first.csrfToken, 'base64url')).toHaveLength(32);
  });

  it('marks the cookie Secure behind a trusted TLS proxy, and only then', async () => {
    const behindProxy = await createAuthTestApp([admin], { app: { trustProxy: 'loopback' } });
    const viaTls = await request(behindProxy.app)
      .post('/api/v1/session')
      .set('X-Forwarded-Proto', 'https')
      .send({ userName: 'Administrator', password: admin.password })
      .expect(200);
    expect(String(viaTls.headers['set-cookie'])).toMatch(/; Secure/);

    const direct = await createAuthTestApp([admin]);
    const spoofed = await request(direct.app)
      .post('/api/v1/session')
      .set('X-Forwarded-Proto', 'https')
      .send({ userName: 'Administrator', password: admin.password })
      .expect(200);
    expect(String(spoofed.headers['set-cookie'])).not.toMatch(/Secure/);
  });

  it('signs out with DELETE /session: the cookie is cleared and the session is gone', async () => {
    const { app } = await createAuthTestApp([admin]);
    const { agent, csrfToken, cookie } = await signIn(app, 'Administrator', admin.password);
    const response = await agent
      .delete('/api/v1/session')
      .set('X-CSRF-Token', csrfToken)
      .expect(204);
    expect(String(response.headers['set-cookie'])).toMatch(/^hvm_session=; Max-Age=0; Path=\//);
    const replayed = await request(app)
      .get('/api/v1/vms')
      .set('Cookie', cookie.split(';')[0] ?? '');
    expect(replayed.status).toBe(401);
  });

  it('ends a session idle longer than the idle time, and any session after its maximum age', async () => {
    const { app, advance } = await createAuthTestApp([admin], {
      auth: { sessionIdleMs: 30 * 60_000, sessionMaxAgeMs: 2 * 60 * 60_000 },
    });
    const { agent } = await signIn(app, 'Administrator', admin.password);
    advance(29 * 60_000);
    await agent.get('/api/v1/vms').expect(200);
    advance(29 * 60_000);
    await agent.get('/api/v1/vms').expect(200);
    advance(31 * 60_000);
    const expired = await agent.get('/api/v1/vms');
    expect(expired.status).toBe(401);
    expect(String(expired.headers['set-cookie'])).toMatch(/^hvm_session=; Max-Age=0/);
    const session = (await agent.get('/api/v1/session')).body as SessionInfo;
    expect(session.signedIn).toBe(false);

    const busy = await signIn(app, 'Administrator', admin.password);
    for (let minutes = 0; minutes < 120; minutes += 20) {
      advance(20 * 60_000);
      await busy.agent.get('/api/v1/vms').expect(200);
    }
    advance(20 * 60_000);
    await busy.agent.get('/api/v1/vms').expect(401);
  });

  it('a new password or a removed account ends the sessions of the account', async () => {
    const { app, store } = await createAuthTestApp([admin, reader]);
    const readerSession = await signIn(app, 'Olivia', reader.password);
    const adminSession = await signIn(app, 'Administrator', admin.password);
    const account = store.find('Olivia');
    if (account === undefined) throw new Error('no account');
    await store.save({ ...account, passwordChangedAt: '2025-01-01T00:00:00.000Z' });
    await readerSession.agent.get('/api/v1/vms').expect(401);
    await store.remove('Administrator');
    await adminSession.agent.get('/api/v1/vms').expect(401);
  });

  it('never writes passwords, hashes, session ids or CSRF tokens to the log', async () => {
    const { app, logs, store } = await createAuthTestApp([admin, reader]);
    await request(app)
      .post('/api/v1/session')
      .send({ userName: 'Administrator', password: 'a guess' })
      .expect(401);
    await request(app)
      .post('/api/v1/session')
      .send({ userName: reader.password, password: 'typed in the wrong box' })
      .expect(401);
    const { agent, csrfToken, cookie } = await signIn(app, 'Olivia', reader.password);
    await agent.post('/api/v1/vms').set('X-CSRF-Token', csrfToken).send({ name: 'x' }).expect(403);
    await agent.delete('/api/v1/session').set('X-CSRF-Token', csrfToken).expect(204);
    const text = logs.join('\n');
    expect(text).toContain('Sign-in failed for "Administrator"');
    expect(text).toContain('"Olivia" signed in');
    expect(text).toContain('"Olivia" signed out');
    const sessionId = /^hvm_session=([^;]+)/.exec(cookie)?.[1] ?? '';
    const secrets = [
      admin.password,
      reader.password,
      'a guess',
      'typed in the wrong box',
      sessionId,
      csrfToken,
      ...store.list().flatMap((account) => [account.password.hash, account.password.salt]),
    ];
    for (const secret of secrets) {
      expect(secret.length).toBeGreaterThan(0);
      expect(text).not.toContain(secret);
    }
  });
});
