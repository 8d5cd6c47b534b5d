import { useQuery } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import type { VmId, VmSummary } from '@hvm/engine';
import { vmsQuery } from '../../api/vms';
import { errorMessage } from '../../api/client';
import { VmIcon } from '../../shared/icons';
import { useNow } from '../../shared/useNow';
import { useUiStore } from '../../stores/uiStore';
import { VM_COLUMNS, sortVms, type VmColumnId } from './vmColumns';

/** The "Virtual Machines" list: sortable columns, one selected row, a context menu per row. */
export function VmList() {
  const { data: vms, error, isPending } = useQuery(vmsQuery());
  const selectedVmId = useUiStore((s) => s.selectedVmId);
  const selectVm = useUiStore((s) => s.selectVm);
  const openContextMenu = useUiStore((s) => s.openContextMenu);
  const [sortBy, setSortBy] = useState<VmColumnId>('name');
  const [descending, setDescending] = useState(false);
  const rowRefs = useRef(new Map<VmId, HTMLTableRowElement>());

  const anyRunning = vms?.some((vm) => vm.state === 'Running') ?? false;
  const now = useNow(anyRunning);
  const column = VM_COLUMNS.find((c) => c.id === sortBy) ?? VM_COLUMNS[0];
  const rows = vms && column ? sortVms(vms, column, descending, now) : [];
  const focusId = rows.some((vm) => vm.id === selectedVmId) ? selectedVmId : rows[0]?.id;

  const onHeaderClick = (id: VmColumnId) => {
    if (id === sortBy) setDescending(!descending);
    else {
      setSortBy(id);
      setDescending(false);
    }
  };

  const menuAt = (vm: VmSummary, x: number, y: number, element: HTMLElement) => {
    selectVm(vm.id);
    openContextMenu({ target: { kind: 'vm', vmId: vm.id }, x, y, returnFocus: element });
  };

  const onRowKeyDown = (
    e: React.KeyboardEvent<HTMLTableRowElement>,
    index: number,
    vm: VmSummary,
  ) => {
    const move = (to: number) => {
      const next = rows[Math.max(0, Math.min(rows.length - 1, to))];
      if (!next) return;
      selectVm(next.id);
      rowRefs.current.get(next.id)?.focus();
    };
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      move(index + 1);
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      move(index - 1);
    } else if (e.key === 'Home') {
      e.preventDefault();
      move(0);
    } else if (e.key === 'End') {
      e.preventDefault();
      move(rows.length - 1);
    } else if (e.key === 'ContextMenu' || (e.key === 'F10' && e.shiftKey)) {
      e.preventDefault();
      const rect = e.currentTarget.getBoundingClientRect();
      menuAt(vm, rect.left + 24, rect.bottom, e.currentTarget);
    } else if (e.key === ' ' || e.key === 'Enter') {
      e.preventDefault();
      selectVm(vm.id);
    }
  };

  return (
    <div className="vm-list-scroll">
      <table
        role="grid"
        aria-label="Virtual Machines"
        className="grid vm-list"
        aria-rowcount={rows.length + 1}
      >
        <thead>
          <tr>
            {VM_COLUMNS.map((c) => (
              <th
                key={c.id}
                scope="col"
                aria-sort={c.id === sortBy ? (descending ? 'descending' : 'ascending') : 'none'}
                className={c.numeric ? 'numeric' : undefined}
              >
                <button type="button" className="column-header" onClick={() => onHeaderClick(c.id)}>
                  {c.header}
                  {c.id === sortBy && (
                    <span className="sort-arrow" aria-hidden="true">
                      {descending ? '▾' : '▴'}
                    </span>
                  )}
                </button>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((vm, index) => (
            <tr
              key={vm.id}
              ref={(node) => {
                if (node) rowRefs.current.set(vm.id, node);
                else rowRefs.current.delete(vm.id);
              }}
              data-testid={`vm-row-${vm.id}`}
              aria-selected={vm.id === selectedVmId}
              tabIndex={vm.id === focusId ? 0 : -1}
              className={vm.id === selectedVmId ? 'selected' : undefined}
              onClick={() => selectVm(vm.id)}
              onFocus={() => {
                if (selectedVmId === null) selectVm(vm.id);
              }}
              onContextMenu={(e) => {
                e.preventDefault();
                const rect = e.currentTarget.getBoundingClientRect();
                const keyboard = e.clientX === 0 && e.clientY === 0;
                menuAt(
                  vm,
                  keyboard ? rect.left + 24 : e.clientX,
                  keyboard ? rect.bottom : e.clientY,
                  e.currentTarget,
                );
              }}
              onKeyDown={(e) => onRowKeyDown(e, index, vm)}
            >
              {VM_COLUMNS.map((c) => (
                <td key={c.id} className={c.numeric ? 'numeric' : undefined}>
                  {c.id === 'name' ? (
                    <span className="cell-with-icon">
                      <VmIcon state={vm.state} />
                      <span>{vm.name}</span>
                    </span>
                  ) : (
                    c.text(vm, now)
                  )}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      {isPending && <p className="empty-note">Loading virtual machines...</p>}
      {error && (
        <p role="alert" className="empty-note error-text">
          The list of virtual machines could not be loaded. {errorMessage(error)}
        </p>
      )}
      {vms?.length === 0 && (
        <p className="empty-note">No virtual machines were found on this server.</p>
      )}
    </div>
  );
}
