import { queryOptions } from '@tanstack/react-query';
import type { HostInfo } from '@hvm/engine';
import { request } from './client';

export const hostKeys = { host: ['host'] as const };

export const hostQuery = () =>
  queryOptions({
    queryKey: hostKeys.host,
    queryFn: ({ signal }) => request<HostInfo>('/host', { signal }),
  });
