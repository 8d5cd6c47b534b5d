import { get } from 'node:http';
import type { ClientRequest, IncomingMessage } from 'node:http';
import type { Checkpoint, Host, VmDetail } from '@hvm/engine';
import { createTestHost } from '@hvm/engine/testing';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../app.js';
import type { AppOptions } from '../app.js';
import { createAuthTestApp, signIn } from '../testing/authTestApp.js';
import { errorCode, listen, send } from '../testing/listening.js';
import type { Listening, RawResponse } from '../testing/listening.js';
import { createTestApp } from '../testing/testApp.js';
import { BoundedSemaphore, KeyedSlots } from './requestSlots.js';

let open: Listening[] = [];
const streams: ClientRequest[] = [];
afterEach(async () => {
  for (const stream of streams.splice(0)) stream.destroy();
  await Promise.all(open.map((server) => server.close()));
  open = [];
});

async function served(app: Parameters<typeof listen>[0]): Promise<Listening> {
  const server = await listen(app);
  open.push(server);
  return server;
}

/** Opens `GET /events` and resolves with its answer head once the server answered. */
function openStream(
  port: number,
  headers: Record<string, string> = {},
): Promise<{ stream: ClientRequest; response: IncomingMessage }> {
  return new Promise((resolve, reject) => {
    const stream = get(
      { host: '127.0.0.1', port, path: '/api/v1/events', headers, agent: false },
      (response) => resolve({ stream, response }),
    );
    streams.push(stream);
    stream.on('error', reject);
  });
}

/** Counts the answers the server has finished or whose client went away. */
function countClosedAnswers(listening: Listening): () => number {
  let closed = 0;
  listening.server.on('request', (_req, res) => res.once('close', () => (closed += 1)));
  return () => closed;
}

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setImmediate(resolve));
}

describe('event streams per client', () => {
  it('beyond the cap (sign-in off: per client address) answers 429 with Retry-After; a closed stream frees its place', async () => {
    const { app } = await createTestApp({ eventStreamsPerClient: 3 });
    const listening = await served(app);
    const closedAnswers = countClosedAnswers(listening);
    const opened = [];
    for (let i = 0; i < 3; i++) opened.push(await openStream(listening.port));
    expect(opened.map(({ response }) => response.statusCode)).toEqual([200, 200, 200]);

    const refused = await send(listening.port, { path: '/api/v1/events' });
    expect(refused.status).toBe(429);
    expect(refused.headers['retry-after']).toBe('5');
    expect(errorCode(refused)).toBe('TOO_MANY_REQUESTS');

    const closedBefore = closedAnswers();
    opened[0]?.stream.destroy();
    await until(() => closedAnswers() > closedBefore);
    expect((await openStream(listening.port)).response.statusCode).toBe(200);
  }, 30_000);

  it('with sign-in required the cap is per session: another session still opens its streams', async () => {
    const password = 'correct horse battery';
    const { app } = await createAuthTestApp(
      [
        { name: 'olivia', role: 'reader', password },
        { name: 'oscar', role: 'reader', password },
      ],
      { app: { eventStreamsPerClient: 2 } },
    );
    const olivia = await signIn(app, 'olivia', password);
    const oscar = await signIn(app, 'oscar', password);
    const { port } = await served(app);
    const as = (cookie: string): Record<string, string> => ({ Cookie: cookie.split(';')[0] ?? '' });

    for (let i = 0; i < 2; i++) {
      expect((await openStream(port, as(olivia.cookie))).response.statusCode).toBe(200);
    }
    const refused = await send(port, { path: '/api/v1/events', headers: as(olivia.cookie) });
    expect(refused.status).toBe(429);
    expect(refused.headers['retry-after']).toBeDefined();
    for (let i = 0; i < 2; i++) {
      expect((await openStream(port, as(oscar.cookie))).response.statusCode).toBe(200);
    }
    // Not signed in: 401, and no stream place is taken.
    expect((await send(port, { path: '/api/v1/events' })).status).toBe(401);
  }, 30_000);
});

/** A running SQL VM with a recovery checkpoint, and a host whose backup reads wait for `release`. */
async function gatedDiskReads(options: AppOptions): Promise<{
  app: ReturnType<typeof createApp>;
  path: string;
  inFlight: () => number;
  mostInFlight: () => number;
  release: () => void;
}> {
  const { host } = await createTestHost();
  const setup = createApp(host);
  const created = await request(setup)
    .post('/api/v1/vms')
    .send({ name: 'SQL 1', diskSizeBytes: 64 * 1024 * 1024, guestImage: 'windows-server-2016-sql' })
    .expect(201);
  const vm = created.body as VmDetail;
  await request(setup).post(`/api/v1/vms/${vm.id}/actions/start`).send({}).expect(200);
  const checkpoint = (
    await request(setup).post(`/api/v1/vms/${vm.id}/backup/checkpoints`).send({}).expect(201)
  ).body as Checkpoint;

  let open = false;
  const waiting: (() => void)[] = [];
  let inFlight = 0;
  let most = 0;
  // The routes read through `withActor` (the event log names the user), so that is gated too.
  const gate = (inner: Host): Host => ({
    ...inner,
    withActor: (user) => gate(inner.withActor(user)),
    readCheckpointDisk: async (...args) => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      if (!open) await new Promise<void>((resolve) => waiting.push(resolve));
      try {
        return await inner.readCheckpointDisk(...args);
      } finally {
        inFlight -= 1;
      }
    },
  });
  const gated = gate(host);
  return {
    app: createApp(gated, options),
    path: `/api/v1/vms/${vm.id}/backup/checkpoints/${checkpoint.id}/disk?offset=0&length=4194304`,
    inFlight: () => inFlight,
    mostInFlight: () => most,
    release: () => {
      open = true;
      for (const resume of waiting.splice(0)) resume();
    },
  };
}

describe('concurrent backup disk reads', () => {
  it('reads at most `concurrent` at once, queues a few, and answers 503 + Retry-After beyond', async () => {
    const reads = await gatedDiskReads({ diskReads: { concurrent: 2, queued: 3 } });
    const { port } = await served(reads.app);
    const answers: RawResponse[] = [];
    const all = Array.from({ length: 8 }, () =>
      send(port, { path: reads.path }).then((answer) => {
        answers.push(answer);
        return answer;
      }),
    );
    // Three are refused once two read and three wait: all eight have then arrived.
    await until(() => answers.length >= 3);
    expect(answers.map((answer) => answer.status)).toEqual([503, 503, 503]);
    expect(answers[0]?.headers['retry-after']).toBe('1');
    expect(answers.map(errorCode)[0]).toBe('SERVER_BUSY');
    expect(reads.inFlight()).toBe(2);

    reads.release();
    const statuses = (await Promise.all(all)).map((answer) => answer.status).sort();
    expect(statuses).toEqual([200, 200, 200, 200, 200, 503, 503, 503]);
    expect(reads.mostInFlight()).toBe(2);
    const served200 = answers.filter((answer) => answer.status === 200);
    expect(served200.map((answer) => answer.headers['content-length'])).toEqual(
      Array.from({ length: 5 }, () => String(4 * 1024 * 1024)),
    );
  }, 60_000);
});

describe('BoundedSemaphore and KeyedSlots', () => {
  it('grants in order, refuses beyond the queue, and a cancelled waiter gives up its place', async () => {
    const semaphore = new BoundedSemaphore(1, 2);
    const first = semaphore.acquire();
    const second = semaphore.acquire();
    const third = semaphore.acquire();
    expect(first).not.toBeNull();
    expect(semaphore.acquire()).toBeNull();
    expect([semaphore.running, semaphore.queued]).toEqual([1, 2]);

    second?.cancel();
    expect(semaphore.queued).toBe(1);
    (await first?.granted)?.();
    const releaseThird = await third?.granted;
    expect([semaphore.running, semaphore.queued]).toEqual([1, 0]);
    releaseThird?.();
    releaseThird?.();
    expect(semaphore.running).toBe(0);
  });

  it('KeyedSlots counts each key on its own and releases once', () => {
    const slots = new KeyedSlots(1);
    const release = slots.take('a');
    expect(slots.take('a')).toBeNull();
    expect(slots.take('b')).not.toBeNull();
    release?.();
    release?.();
    expect(slots.held('a')).toBe(0);
    expect(slots.take('a')).not.toBeNull();
  });
});
