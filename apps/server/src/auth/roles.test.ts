import { get } from 'node:http';
import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Checkpoint, CheckpointId, HostInfo, Task, VmId, VmSummary } from '@hvm/engine';
import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ApiErrorBody } from '../http/errors.js';
import { buildOpenApiDocument } from '../openapi/document.js';
import { createAuthTestApp, signIn } from '../testing/authTestApp.js';
import type { AuthTestApp, SignedIn } from '../testing/authTestApp.js';
import { Role, roleAllows } from './roles.js';
import { routeRules } from './routeRules.js';
import type { HttpMethod } from './routeRules.js';

const accounts = {
  admin: { name: 'Administrator', role: Role.Administrator, password: 'Pa$$w0rd-admin' },
  reader: { name: 'Olivia', role: Role.Reader, password: 'Pa$$w0rd-reader' },
  operator: {
    name: 'Oscar',
    role: Role.CheckpointOperator,
    password: 'Pa$$w0rd-operator',
    virtualMachines: ['web'],
  },
};

const errorOf = (response: request.Response) => (response.body as ApiErrorBody).error;

interface World extends AuthTestApp {
  web: { id: VmId; checkpointId: CheckpointId };
  db: { id: VmId; checkpointId: CheckpointId };
  as: Record<keyof typeof accounts, SignedIn>;
  denied: string;
}

async function world(): Promise<World> {
  const t = await createAuthTestApp(Object.values(accounts));
  const make = async (name: string) => {
    const vm = await t.host.createVm({ name, memoryStartupMB: 1024, diskSizeBytes: 1024 ** 3 });
    const checkpoint = await t.host.createCheckpoint(vm.id, { name: 'Before update' });
    return { id: vm.id, checkpointId: checkpoint.id };
  };
  const web = await make('Web');
  const db = await make('Db');
  const as = {
    admin: await signIn(t.app, accounts.admin.name, accounts.admin.password),
    reader: await signIn(t.app, accounts.reader.name, accounts.reader.password),
    operator: await signIn(t.app, accounts.operator.name, accounts.operator.password),
  };
  const denied = `You do not have the required permission to complete this task. Contact the administrator of the authorization policy for the computer '${t.host.info().name}'.`;
  return { ...t, web, db, as, denied };
}

/** Sends a request with the session cookie and, for a change, the CSRF token. */
function send(who: SignedIn, method: HttpMethod, path: string, body?: object): request.Test {
  const url = `/api/v1${path}`;
  const test =
    method === 'get'
      ? who.agent.get(url)
      : who.agent[method](url)
          .set('X-CSRF-Token', who.csrfToken)
          .send(body ?? {});
  return test;
}

function concrete(path: string, vm: { id: string; checkpointId: string }): string {
  return path
    .replace('{vmId}', vm.id)
    .replace('{checkpointId}', vm.checkpointId)
    .replace('{action}', 'start')
    .replace('{taskId}', 'no-such-task');
}

/** Every operation of the OpenAPI document but the session and the event stream. */
/**
 * The routes anyone may call: sign-in, and what another server's console needs before it has a
 * token (this server's identity, a host token for credentials, revoking the token it holds).
 */
const PUBLIC_ROUTES = [
  '/session',
  '/host/identity',
  '/session/host-tokens',
  '/session/host-tokens/current',
];

function operations(): { method: HttpMethod; path: string }[] {
  return Object.entries(buildOpenApiDocument().paths)
    .filter(([path]) => !PUBLIC_ROUTES.includes(path) && path !== '/events')
    .flatMap(([path, item]) =>
      (Object.keys(item) as HttpMethod[]).map((method) => ({ method, path })),
    );
}

describe('the public routes', () => {
  it('are only sign-in and what a connecting console needs before it has a token', () => {
    const publicRoutes = Object.entries(routeRules)
      .filter(([, rules]) => Object.values(rules).some((rule) => rule.access === 'public'))
      .map(([path]) => path);
    expect(publicRoutes.sort()).toEqual([...PUBLIC_ROUTES].sort());
  });
});

describe('every operation, for every role', () => {
  it('grants what the role allows and answers 403 with Hyper-V’s words otherwise', async () => {
    const w = await world();
    // The Administrator goes last: its grants delete things.
    for (const who of ['reader', 'operator', 'admin'] as const) {
      const { role } = accounts[who];
      for (const { method, path } of operations()) {
        const rule = routeRules[path]?.[method];
        if (rule?.access !== 'signed-in') throw new Error(`no rule for ${method} ${path}`);
        const response = await send(w.as[who], method, concrete(path, w.web));
        const label = `${role} ${method.toUpperCase()} ${path}: ${response.text}`;
        if (roleAllows(role, rule.permission)) {
          expect([401, 403], label).not.toContain(response.status);
        } else {
          expect(response.status, label).toBe(403);
          expect(errorOf(response), label).toEqual({
            code: 'ACCESS_DENIED',
            message: w.denied,
            details: {},
          });
        }
      }
    }
  });

  it('a Checkpoint Operator finds a VM not granted to it nowhere: 404 as for no VM at all', async () => {
    const w = await world();
    const notFound = `Hyper-V was unable to find a virtual machine with name "${w.db.id}".`;
    for (const { method, path } of operations()) {
      const rule = routeRules[path]?.[method];
      if (rule?.access !== 'signed-in' || !rule.vm) continue;
      const response = await send(w.as.operator, method, concrete(path, w.db));
      const label = `${method.toUpperCase()} ${path}: ${response.text}`;
      if (roleAllows(Role.CheckpointOperator, rule.permission)) {
        expect(response.status, label).toBe(404);
        expect(errorOf(response).message, label).toBe(notFound);
        const unknown = await send(w.as.admin, 'get', `/vms/00000000-0000-0000-0000-000000000000`);
        expect(errorOf(unknown).code).toBe('NOT_FOUND');
      } else {
        expect(response.status, label).toBe(403);
      }
    }
    expect(w.host.listCheckpoints(w.db.id).checkpoints).toHaveLength(1);
    const none = '00000000-0000-0000-0000-000000000000';
    const unknown = await send(w.as.operator, 'get', `/vms/${none}`);
    expect(errorOf(unknown)).toMatchObject({
      code: 'NOT_FOUND',
      message: `Hyper-V was unable to find a virtual machine with name "${none}".`,
    });
  });
});

describe('Checkpoint Operator', () => {
  let w: World;
  beforeEach(async () => {
    w = await world();
  });

  it('sees only the granted VMs: list, host VM count and tasks', async () => {
    const vms = (await send(w.as.operator, 'get', '/vms').expect(200)).body as VmSummary[];
    expect(vms.map((vm) => vm.name)).toEqual(['Web']);
    const info = (await send(w.as.operator, 'get', '/host').expect(200)).body as HostInfo;
    expect(info.vmCount).toBe(1);
    const all = (await send(w.as.reader, 'get', '/vms').expect(200)).body as VmSummary[];
    expect(all.map((vm) => vm.name).sort()).toEqual(['Db', 'Web']);

    const { task: dbTask } = await w.host.deleteCheckpoint(w.db.id, w.db.checkpointId);
    const { task: webTask } = await w.host.deleteCheckpoint(w.web.id, w.web.checkpointId);
    if (dbTask === null || webTask === null) throw new Error('expected merge tasks');
    const tasks = (await send(w.as.operator, 'get', '/tasks').expect(200)).body as Task[];
    expect(tasks.map((task) => task.vmId)).toEqual([w.web.id]);
    await send(w.as.operator, 'get', `/tasks/${webTask.id}`).expect(200);
    const hidden = await send(w.as.operator, 'get', `/tasks/${dbTask.id}`);
    expect(hidden.status).toBe(404);
    expect(errorOf(hidden).message).toBe(`Unable to find a task with ID '${dbTask.id}'.`);
  });

  it('creates, renames, applies, reverts and deletes checkpoints of a granted VM', async () => {
    const base = `/vms/${w.web.id}`;
    const created = (
      await send(w.as.operator, 'post', `${base}/checkpoints`, { name: 'Mine' }).expect(201)
    ).body as Checkpoint;
    await send(w.as.operator, 'patch', `${base}/checkpoints/${created.id}`, {
      name: 'Renamed',
    }).expect(200);
    await send(
      w.as.operator,
      'post',
      `${base}/checkpoints/${w.web.checkpointId}/actions/apply`,
    ).expect(200);
    await send(w.as.operator, 'post', `${base}/actions/revert`).expect(200);
    const deleted = await send(w.as.operator, 'delete', `${base}/checkpoints/${created.id}`);
    expect([202, 204]).toContain(deleted.status);
    const names = w.host.listCheckpoints(w.web.id).checkpoints.map((c) => c.name);
    expect(names).toEqual(['Before update']);
  });

  it('is refused power actions, settings, new VMs, export, disks and PowerShell', async () => {
    const base = `/vms/${w.web.id}`;
    for (const [method, path, body] of [
      ['post', `${base}/actions/start`, {}],
      ['patch', base, { notes: 'x' }],
      ['delete', base, {}],
      ['post', '/vms', { name: 'New' }],
      ['post', `${base}/actions/export`, { path: 'Exports' }],
      ['get', '/disks', undefined],
      ['post', '/powershell', { script: 'Get-VM' }],
    ] as const) {
      const response = await send(w.as.operator, method, path, body);
      expect(response.status, `${method} ${path}`).toBe(403);
      expect(errorOf(response).message).toBe(w.denied);
    }
    expect(w.host.getVm(w.web.id).state).toBe('Off');
    expect(w.host.listVms()).toHaveLength(2);
  });

  it('follows its grants as they change, by name or by id', async () => {
    const account = w.store.find('Oscar');
    if (account === undefined) throw new Error('no account');
    await w.store.save({ ...account, virtualMachines: [w.db.id] });
    const vms = (await send(w.as.operator, 'get', '/vms').expect(200)).body as VmSummary[];
    expect(vms.map((vm) => vm.name)).toEqual(['Db']);
    await send(w.as.operator, 'get', `/vms/${w.web.id}`).expect(404);
    await send(w.as.operator, 'get', `/vms/${w.db.id}/checkpoints`).expect(200);
  });
});

describe('Reader', () => {
  it('reads everything and changes nothing', async () => {
    const w = await world();
    const base = `/vms/${w.web.id}`;
    for (const path of ['/vms', base, `${base}/checkpoints`, '/disks', '/host/check', '/tasks']) {
      await send(w.as.reader, 'get', path).expect(200);
    }
    for (const [method, path] of [
      ['post', `${base}/checkpoints`],
      ['post', `${base}/checkpoints/${w.web.checkpointId}/actions/apply`],
      ['delete', `${base}/checkpoints/${w.web.checkpointId}`],
      ['post', `${base}/actions/start`],
    ] as const) {
      const response = await send(w.as.reader, method, path);
      expect(response.status).toBe(403);
      expect(errorOf(response)).toMatchObject({ code: 'ACCESS_DENIED', message: w.denied });
    }
    expect(w.host.listCheckpoints(w.web.id).checkpoints).toHaveLength(1);
  });
});

describe('GET /events for a Checkpoint Operator', () => {
  const servers: Server[] = [];
  afterEach(() => {
    for (const server of servers.splice(0)) {
      server.closeAllConnections();
      server.close();
    }
  });

  it('streams the events of the granted VMs only', async () => {
    const w = await world();
    const server = w.app.listen(0, '127.0.0.1');
    servers.push(server);
    await new Promise<void>((resolve) => server.once('listening', () => resolve()));
    const { port } = server.address() as AddressInfo;
    const cookie = w.as.operator.cookie.split(';')[0] ?? '';
    const response = await new Promise<IncomingMessage>((resolve, reject) => {
      get(`http://127.0.0.1:${port}/api/v1/events`, { headers: { Cookie: cookie } }, resolve).on(
        'error',
        reject,
      );
    });
    expect(response.statusCode).toBe(200);
    response.setEncoding('utf8');
    let text = '';
    let notify = (): void => undefined;
    response.on('data', (chunk: string) => {
      text += chunk;
      notify();
    });
    const until = (needle: string) =>
      new Promise<void>((resolve) => {
        notify = () => {
          if (text.includes(needle)) resolve();
        };
        notify();
      });
    await until(': connected');
    await w.host.createCheckpoint(w.db.id, { name: 'Db secret' });
    await w.host.createCheckpoint(w.web.id, { name: 'Web visible' });
    await until(`"vmId":"${w.web.id}"`);
    expect(text).not.toContain(w.db.id);
    response.destroy();

    const unauthenticated = await request(w.app).get('/api/v1/events');
    expect(unauthenticated.status).toBe(401);
  });
});
