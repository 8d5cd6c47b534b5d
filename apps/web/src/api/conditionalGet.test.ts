import { afterEach, describe, expect, it, vi } from 'vitest';
import { request, VALIDATED_MAX } from './client';

afterEach(() => {
  vi.unstubAllGlobals();
});

/** A server holding one version of the list: 200 with its ETag, 304 to a client that has it. */
function listServer(etag: string, list: unknown) {
  const seen: (string | null)[] = [];
  let parses = 0;
  const fetchMock = vi.fn((_input: RequestInfo | URL, init?: RequestInit) => {
    const sent = new Headers(init?.headers).get('If-None-Match');
    seen.push(sent);
    if (sent === etag) return Promise.resolve(new Response(null, { status: 304 }));
    const body = JSON.stringify(list);
    return Promise.resolve(
      new Response(body, { status: 200, headers: { ETag: etag } }) as Response & {
        text: () => Promise<string>;
      },
    ).then((response) => {
      const text = response.text.bind(response);
      response.text = () => {
        parses += 1;
        return text();
      };
      return response;
    });
  });
  vi.stubGlobal('fetch', fetchMock);
  return { seen, parses: () => parses };
}

describe('a list read again', () => {
  it('asks with the ETag it holds and, on 304, gives back the same list without reading a body', async () => {
    const server = listServer('W/"v1"', [{ id: 'a' }, { id: 'b' }]);
    const first = await request<unknown[]>('/vms');
    const again = await request<unknown[]>('/vms');
    expect(server.seen).toEqual([null, 'W/"v1"']);
    expect(again).toBe(first);
    expect(server.parses()).toBe(1);
  });

  it('takes a new version when the server has one', async () => {
    listServer('W/"v1"', [{ id: 'a' }]);
    await request('/vms?v=2');
    const server = listServer('W/"v2"', [{ id: 'a' }, { id: 'new' }]);
    const list = await request<unknown[]>('/vms?v=2');
    expect(server.seen).toEqual(['W/"v1"']);
    expect(list).toEqual([{ id: 'a' }, { id: 'new' }]);
  });
});

describe('the answers held for revalidation', () => {
  it('keep the one read most recently: reading the VM list again keeps it past many trees read since', async () => {
    const seen: [string, string | null][] = [];
    vi.stubGlobal(
      'fetch',
      vi.fn((input: string, init?: RequestInit) => {
        const url = input;
        const sent = new Headers(init?.headers).get('If-None-Match');
        seen.push([url, sent]);
        const etag = `W/"${url}"`;
        if (sent === etag) return Promise.resolve(new Response(null, { status: 304 }));
        return Promise.resolve(new Response('[]', { status: 200, headers: { ETag: etag } }));
      }),
    );
    await request('/vms?held=1');
    for (let i = 0; i < VALIDATED_MAX - 1; i++) await request(`/vms/vm-${i}/checkpoints`);
    // A 304 makes the list the most recent again: the next trees push out the oldest tree instead.
    await request('/vms?held=1');
    for (let i = VALIDATED_MAX; i < VALIDATED_MAX + 5; i++)
      await request(`/vms/vm-${i}/checkpoints`);
    seen.length = 0;
    await request('/vms?held=1');
    expect(seen).toEqual([['/api/v1/vms?held=1', 'W/"/api/v1/vms?held=1"']]);
  });
});
