import { useMemo, useState } from 'react';
import type { VmSummary } from '@hvm/engine';
import { VM_COLUMNS, sortVms, type VmColumnId } from './vmColumns';

/**
 * The list's sort order, as Hyper-V Manager's: by Name at first; a click on a column header sorts
 * by it, a second click on the same header reverses the order.
 */
export function useVmSorting(vms: readonly VmSummary[] | undefined) {
  const [sortBy, setSortBy] = useState<VmColumnId>('name');
  const [descending, setDescending] = useState(false);

  const rows = useMemo(() => {
    const column = VM_COLUMNS.find((c) => c.id === sortBy) ?? VM_COLUMNS[0];
    if (!vms || !column) return [];
    // Uptime is compared as of the newest reading (running VMs all advance together).
    const asOf = vms.reduce((t, v) => Math.max(t, Date.parse(v.observedAt) || 0), 0);
    return sortVms(vms, column, descending, asOf);
  }, [vms, sortBy, descending]);

  const sortByColumn = (id: VmColumnId) => {
    if (id === sortBy) setDescending(!descending);
    else {
      setSortBy(id);
      setDescending(false);
    }
  };

  return { rows, sortBy, descending, sortByColumn };
}
