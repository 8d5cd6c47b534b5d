import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, type RenderResult } from '@testing-library/react';
import type { ReactElement } from 'react';
import { vi } from 'vitest';
import { resetVmConnectionStore } from '../features/console/vmConnectionStore';
import { useSelectedHost } from '../stores/selectedHostStore';
import { resetUiStore } from '../stores/uiStore';

export interface RecordedRequest {
  method: string;
  path: string;
  body: unknown;
}

type Handler = (request: RecordedRequest) => { status?: number; body?: unknown } | undefined;

/**
 * A fake server: `routes` maps "METHOD /path" (under /api/v1) to a JSON answer or a handler.
 * Every request is recorded in `requests`.
 */
export function fakeServer(routes: Record<string, unknown>) {
  const requests: RecordedRequest[] = [];
  const fetchMock = vi.fn((input: RequestInfo | URL, init?: RequestInit) => {
    const href = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const url = new URL(href, 'http://localhost');
    const method = init?.method ?? 'GET';
    const path = url.pathname.replace(/^\/api\/v1/, '') + url.search;
    const body: unknown = typeof init?.body === 'string' ? JSON.parse(init.body) : undefined;
    const request = { method, path, body };
    requests.push(request);
    const route = routes[`${method} ${path}`];
    if (route === undefined) {
      return new Response(
        JSON.stringify({ error: { code: 'NOT_FOUND', message: `No route ${method} ${path}` } }),
        {
          status: 404,
        },
      );
    }
    const answer = typeof route === 'function' ? (route as Handler)(request) : { body: route };
    const status = answer?.status ?? 200;
    if (status === 204) return Promise.resolve(new Response(null, { status }));
    return Promise.resolve(
      new Response(JSON.stringify(answer?.body ?? null), {
        status,
        headers: { 'Content-Type': 'application/json' },
      }),
    );
  });
  vi.stubGlobal('fetch', fetchMock);
  return { requests, fetchMock };
}

export function renderWithClient(ui: ReactElement): RenderResult & { queryClient: QueryClient } {
  resetUiStore();
  resetVmConnectionStore();
  useSelectedHost.getState().select('local');
  const queryClient = new QueryClient({
    defaultOptions: { queries: { retry: false, gcTime: Infinity }, mutations: { retry: false } },
  });
  const result = render(<QueryClientProvider client={queryClient}>{ui}</QueryClientProvider>);
  return { ...result, queryClient };
}
