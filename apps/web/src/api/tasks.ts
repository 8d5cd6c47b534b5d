import { queryOptions } from '@tanstack/react-query';
import type { Task } from '@hvm/engine';
import { request } from './client';

export const taskKeys = { all: ['tasks'] as const };

export const tasksQuery = () =>
  queryOptions({
    queryKey: taskKeys.all,
    queryFn: ({ signal }) => request<Task[]>('/tasks', { signal }),
  });
