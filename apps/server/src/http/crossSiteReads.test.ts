/**
 * Cross-site reads: a page on another site cannot read the API's answers (no CORS), but with
 * `fetch(url, { mode: 'no-cors' })` or `<img src>` it can still make the browser open requests and
 * keep them open. Event streams are capped per client address when sign-in is off, so such a page
 * could hold every place and leave the console without live updates. The server refuses every
 * request the browser marks as coming from another site, except a top-level navigation (a link).
 */
import { get } from 'node:http';
import type { ClientRequest, IncomingMessage } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { errorCode, listen, send } from '../testing/listening.js';
import type { Listening } from '../testing/listening.js';
import { createTestApp } from '../testing/testApp.js';

let open: Listening[] = [];
const streams: ClientRequest[] = [];
afterEach(async () => {
  for (const stream of streams.splice(0)) stream.destroy();
  await Promise.all(open.map((server) => server.close()));
  open = [];
});

/** Opens `GET /events` with `headers` and resolves with the answer head. */
function openStream(port: number, headers: Record<string, string>): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const stream = get(
      { host: '127.0.0.1', port, path: '/api/v1/events', headers, agent: false },
      resolve,
    );
    streams.push(stream);
    stream.on('error', reject);
  });
}

/** What Chromium sends for `fetch(url, { mode: 'no-cors' })` from a page on another site. */
const noCorsFromAnotherSite = {
  'Sec-Fetch-Site': 'cross-site',
  'Sec-Fetch-Mode': 'no-cors',
  'Sec-Fetch-Dest': 'empty',
};
/** What the console's own page sends for its event stream (EventSource). */
const fromTheConsole = {
  'Sec-Fetch-Site': 'same-origin',
  'Sec-Fetch-Mode': 'cors',
  'Sec-Fetch-Dest': 'empty',
};

describe('requests another site makes the browser send (sign-in off)', () => {
  it('cannot take the event stream places of the console', async () => {
    const { app } = await createTestApp({ eventStreamsPerClient: 2 });
    const listening = await listen(app);
    open.push(listening);
    for (let i = 0; i < 3; i++) {
      const refused = await send(listening.port, {
        path: '/api/v1/events',
        headers: noCorsFromAnotherSite,
      });
      expect(refused.status).toBe(403);
      expect(errorCode(refused)).toBe('CROSS_SITE_REQUEST');
    }
    const sameSite = await send(listening.port, {
      path: '/api/v1/events',
      headers: { ...noCorsFromAnotherSite, 'Sec-Fetch-Site': 'same-site' },
    });
    expect(sameSite.status).toBe(403);
    const own = [
      await openStream(listening.port, fromTheConsole),
      await openStream(listening.port, fromTheConsole),
    ];
    expect(own.map((response) => response.statusCode)).toEqual([200, 200]);
  }, 30_000);

  it('cannot read or spend the host on any other API answer either', async () => {
    const { app } = await createTestApp();
    const listening = await listen(app);
    open.push(listening);
    for (const path of ['/api/v1/vms', '/api/v1/host/check', '/api/v1/disks']) {
      const refused = await send(listening.port, { path, headers: noCorsFromAnotherSite });
      expect(refused.status, path).toBe(403);
    }
  });

  it('a link from another site (a top-level navigation) and a script with no fetch metadata still work', async () => {
    const { app } = await createTestApp();
    const listening = await listen(app);
    open.push(listening);
    const link = await send(listening.port, {
      path: '/api/v1/openapi.json',
      headers: {
        'Sec-Fetch-Site': 'cross-site',
        'Sec-Fetch-Mode': 'navigate',
        'Sec-Fetch-Dest': 'document',
      },
    });
    expect(link.status).toBe(200);
    expect((await send(listening.port, { path: '/api/v1/vms' })).status).toBe(200);
    expect(
      (await send(listening.port, { path: '/api/v1/vms', headers: fromTheConsole })).status,
    ).toBe(200);
  });

  it('a navigation that is not top-level (a frame, an object) from another site is refused', async () => {
    const { app } = await createTestApp();
    const listening = await listen(app);
    open.push(listening);
    for (const dest of ['iframe', 'object', 'embed']) {
      const framed = await send(listening.port, {
        path: '/api/v1/events',
        headers: {
          'Sec-Fetch-Site': 'cross-site',
          'Sec-Fetch-Mode': 'navigate',
          'Sec-Fetch-Dest': dest,
        },
      });
      expect(framed.status, dest).toBe(403);
    }
  });
});
