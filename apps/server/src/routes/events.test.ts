import { get } from 'node:http';
import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HostEvent } from '@hvm/engine';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../app.js';
import { createTestApp, createVm } from '../testing/testApp.js';

interface Stream {
  response: IncomingMessage;
  /** Resolves with everything received once `predicate` holds for it. */
  until(predicate: (text: string) => boolean): Promise<string>;
}

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(
    servers.splice(0).map(
      (server) =>
        new Promise<void>((resolve) => {
          server.closeAllConnections();
          server.close(() => resolve());
        }),
    ),
  );
});

async function listen(app: ReturnType<typeof createApp>): Promise<string> {
  const server = app.listen(0, '127.0.0.1');
  servers.push(server);
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function openStream(url: string): Promise<Stream> {
  return new Promise((resolve, reject) => {
    get(url, (response) => {
      response.setEncoding('utf8');
      let text = '';
      const waiters: { predicate: (t: string) => boolean; resolve: (t: string) => void }[] = [];
      response.on('data', (chunk: string) => {
        text += chunk;
        for (const waiter of waiters.splice(0)) {
          if (waiter.predicate(text)) waiter.resolve(text);
          else waiters.push(waiter);
        }
      });
      resolve({
        response,
        until: (predicate) =>
          predicate(text)
            ? Promise.resolve(text)
            : new Promise((done) => waiters.push({ predicate, resolve: done })),
      });
    }).on('error', reject);
  });
}

/** Parses the `event:`/`data:` blocks of an SSE text. */
function events(text: string): { event: string; data: HostEvent }[] {
  return text
    .split('\n\n')
    .map((block) => block.split('\n'))
    .filter((lines) => lines.some((line) => line.startsWith('event: ')))
    .map((lines) => ({
      event: (lines.find((l) => l.startsWith('event: ')) ?? '').slice(7),
      data: JSON.parse((lines.find((l) => l.startsWith('data: ')) ?? '').slice(6)) as HostEvent,
    }));
}

describe('GET /events', () => {
  it('streams a checkpoints-changed event after a checkpoint is created', async () => {
    const { app } = await createTestApp();
    const vm = await createVm(app);
    const base = await listen(app);
    const stream = await openStream(`${base}/api/v1/events`);
    expect(stream.response.statusCode).toBe(200);
    expect(stream.response.headers['content-type']).toContain('text/event-stream');
    expect(stream.response.headers['x-content-type-options']).toBe('nosniff');
    await stream.until((text) => text.includes(': connected'));

    await request(app).post(`/api/v1/vms/${vm.id}/checkpoints`).send({ name: 'live' }).expect(201);
    const text = await stream.until((t) => t.includes('event: checkpoints-changed'));
    const changed = events(text).find((e) => e.event === 'checkpoints-changed');
    expect(changed?.data).toEqual({ type: 'checkpoints-changed', vmId: vm.id });
    for (const e of events(text)) expect(e.data.type).toBe(e.event);
    stream.response.destroy();
  });

  it('streams each new event log entry as event-logged', async () => {
    const { app } = await createTestApp();
    const vm = await createVm(app, 'LIVE-LOG');
    const base = await listen(app);
    const stream = await openStream(`${base}/api/v1/events`);
    await stream.until((text) => text.includes(': connected'));
    await request(app).post(`/api/v1/vms/${vm.id}/checkpoints`).send({ name: 'live' }).expect(201);
    const text = await stream.until((t) => t.includes('event: event-logged'));
    const logged = events(text).find((e) => e.event === 'event-logged');
    expect(logged?.data).toMatchObject({
      type: 'event-logged',
      entry: {
        eventId: 18300,
        vmName: 'LIVE-LOG',
        message: expect.stringMatching(
          /^'LIVE-LOG' successfully created checkpoint 'live'\./,
        ) as string,
      },
    });
    stream.response.destroy();
  });

  it('sends heartbeat comments and unsubscribes when the client goes away', async () => {
    const { host } = await createTestApp();
    let listeners = 0;
    const counting = new Proxy(host, {
      get(target, property, receiver) {
        if (property === 'subscribe') {
          return (listener: (event: HostEvent) => void) => {
            listeners++;
            const unsubscribe = target.subscribe(listener);
            return () => {
              listeners--;
              unsubscribe();
            };
          };
        }
        const value: unknown = Reflect.get(target, property, receiver);
        return typeof value === 'function' ? (value as () => unknown).bind(target) : value;
      },
    });
    const base = await listen(createApp(counting, { heartbeatMs: 20 }));
    const stream = await openStream(`${base}/api/v1/events`);
    await stream.until((text) => text.includes(': heartbeat'));
    expect(listeners).toBe(1);
    stream.response.destroy();
    await expect.poll(() => listeners).toBe(0);
  });
});
