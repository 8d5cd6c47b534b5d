import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import type { EventLevel, EventLogPage, VmId } from '@hvm/engine';
import { request } from './client';

export interface EventLogFilter {
  vmId: VmId | null;
  /** The levels shown; all three means no level filter. */
  levels: readonly EventLevel[];
  limit: number;
}

export const eventLogKeys = {
  all: ['event-log'] as const,
  page: (filter: EventLogFilter) => ['event-log', filter] as const,
};

/** `/event-log?vmId=...&level=Error,Warning&limit=100`: the parameters in one fixed order. */
export function eventLogPath(filter: EventLogFilter): string {
  const params = new URLSearchParams();
  if (filter.vmId !== null) params.set('vmId', filter.vmId);
  if (filter.levels.length < 3) params.set('level', filter.levels.join(','));
  params.set('limit', String(filter.limit));
  return `/event-log?${params.toString()}`;
}

export const eventLogQuery = (filter: EventLogFilter) =>
  queryOptions({
    queryKey: eventLogKeys.page(filter),
    queryFn: ({ signal }) => request<EventLogPage>(eventLogPath(filter), { signal }),
    placeholderData: keepPreviousData,
  });
