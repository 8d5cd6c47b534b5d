import { queryOptions } from '@tanstack/react-query';
import type { HostInfo } from '@hvm/engine';
import { request } from './client';
import { keyOnServer } from './serverKeys';

export const hostKeys = { host: ['host'] as const };

/** The server's description; of `hostPath` when given (api/serverKeys.ts), else the selected one. */
export const hostQuery = (hostPath?: string) =>
  queryOptions({
    queryKey: keyOnServer(hostKeys.host, hostPath),
    queryFn: ({ signal }) => request<HostInfo>('/host', { signal, hostPath }),
  });
