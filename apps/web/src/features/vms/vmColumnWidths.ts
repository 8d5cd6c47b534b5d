import type { VmColumnId } from './vmColumns';

/**
 * Each column's share of the Virtual Machines list (a fixed table layout): the widths never
 * follow the rows in view, so scrolling a virtualised list moves no column, and at 1024x768 the
 * Status column keeps room for "Creating Checkpoint (50%)". Hidden columns' shares go to the rest.
 */
const WIDTHS: Record<VmColumnId, number> = {
  name: 22,
  state: 10,
  cpuUsage: 9,
  memoryAssigned: 12,
  uptime: 11,
  status: 24,
  configurationVersion: 12,
};

export function columnWidth(id: VmColumnId): string {
  return `${WIDTHS[id]}%`;
}
