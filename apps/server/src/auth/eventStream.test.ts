import { get } from 'node:http';
import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { createAuthTestApp, signIn } from '../testing/authTestApp.js';
import { Role } from './roles.js';

const admin = { name: 'Administrator', role: Role.Administrator, password: 'Pa$$w0rd-admin' };
const operator = {
  name: 'Oscar',
  role: Role.CheckpointOperator,
  password: 'Pa$$w0rd-operator',
  virtualMachines: ['Web'],
};

const servers: Server[] = [];
afterEach(() => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    server.close();
  }
});

/** Opens GET /events with the cookie; resolves once the stream is open. */
async function openStream(app: Express, cookie: string): Promise<IncomingMessage> {
  const server = app.listen(0, '127.0.0.1');
  servers.push(server);
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const { port } = server.address() as AddressInfo;
  const response = await new Promise<IncomingMessage>((resolve, reject) => {
    get(`http://127.0.0.1:${port}/api/v1/events`, { headers: { Cookie: cookie } }, resolve).on(
      'error',
      reject,
    );
  });
  expect(response.statusCode).toBe(200);
  response.resume();
  return response;
}

const ended = (response: IncomingMessage) =>
  new Promise<void>((resolve) => {
    if (response.complete) resolve();
    else response.once('end', () => resolve());
  });

const cookieOf = (setCookie: string) => setCookie.split(';')[0] ?? '';

describe('an open event stream', () => {
  it('ends when its session signs out', async () => {
    const { app } = await createAuthTestApp([admin]);
    const session = await signIn(app, 'Administrator', admin.password);
    const stream = await openStream(app, cookieOf(session.cookie));
    await session.agent
      .delete('/api/v1/session')
      .set('X-CSRF-Token', session.csrfToken)
      .expect(204);
    await ended(stream);
  });

  it('ends once its session has been idle too long', async () => {
    const { app, advance } = await createAuthTestApp([admin], {
      auth: { sessionIdleMs: 60_000, streamCheckMs: 5 },
    });
    const session = await signIn(app, 'Administrator', admin.password);
    const stream = await openStream(app, cookieOf(session.cookie));
    advance(61_000);
    await ended(stream);
    await session.agent.get('/api/v1/vms').expect(401);
  });

  it('ends when the account’s grants change, so that it reconnects with the new ones', async () => {
    const { app, store } = await createAuthTestApp([admin, operator], {
      auth: { streamCheckMs: 5 },
    });
    const session = await signIn(app, 'Oscar', operator.password);
    const stream = await openStream(app, cookieOf(session.cookie));
    const account = store.find('Oscar');
    if (account === undefined) throw new Error('no account');
    await store.save({ ...account, virtualMachines: ['Db'] });
    await ended(stream);
    await session.agent.get('/api/v1/vms').expect(200);
  });
});
