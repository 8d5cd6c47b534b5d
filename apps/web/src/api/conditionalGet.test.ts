import { afterEach, describe, expect, it, vi } from 'vitest';
import { request } from './client';

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
