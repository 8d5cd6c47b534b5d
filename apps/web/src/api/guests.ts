import { queryOptions } from '@tanstack/react-query';
import type { GuestImageInfo } from '@hvm/engine';
import { request } from './client';

export const guestImagesQuery = () =>
  queryOptions({
    queryKey: ['guest-images'] as const,
    queryFn: ({ signal }) => request<GuestImageInfo[]>('/guest-images', { signal }),
    staleTime: Infinity,
  });
