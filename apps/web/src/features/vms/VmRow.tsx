import { memo } from 'react';
import type { VmId, VmSummary } from '@hvm/engine';
import { useClock } from '../../shared/clock';
import { VmIcon } from '../../shared/icons';
import type { RowKeyHandler, RowMenuHandler } from './useVmListKeyboard';
import { VM_COLUMNS, type VmColumn } from './vmColumns';
import { VmRenameBox } from './VmRenameBox';

/** The Uptime cell ticks on its own: only running VMs' cells re-render every second. */
const UptimeCell = memo(function UptimeCell({ vm, column }: { vm: VmSummary; column: VmColumn }) {
  const now = useClock(vm.state === 'Running');
  return <td className="numeric">{column.text(vm, now)}</td>;
});

export interface VmRowProps {
  vm: VmSummary;
  rowIndex: number;
  selected: boolean;
  focusable: boolean;
  renaming: boolean;
  onSelect: (vmId: VmId) => void;
  onFocusRow: (vmId: VmId) => void;
  onKeyDown: RowKeyHandler;
  onContextMenu: RowMenuHandler;
  setRef: (vmId: VmId, node: HTMLTableRowElement | null) => void;
}

/** One row of the Virtual Machines list; memoised, so that only changed rows re-render. */
export const VmRow = memo(function VmRow({
  vm,
  rowIndex,
  selected,
  focusable,
  renaming,
  onSelect,
  onFocusRow,
  onKeyDown,
  onContextMenu,
  setRef,
}: VmRowProps) {
  return (
    <tr
      ref={(node) => setRef(vm.id, node)}
      data-testid={`vm-row-${vm.id}`}
      data-vm-row={vm.id}
      aria-rowindex={rowIndex}
      aria-selected={selected}
      tabIndex={focusable ? 0 : -1}
      className={selected ? 'selected' : undefined}
      onClick={() => onSelect(vm.id)}
      onFocus={() => onFocusRow(vm.id)}
      onContextMenu={(e) => onContextMenu(e, vm)}
      onKeyDown={(e) => onKeyDown(e, vm)}
    >
      {VM_COLUMNS.map((c) => {
        if (c.id === 'uptime') return <UptimeCell key={c.id} vm={vm} column={c} />;
        return (
          <td key={c.id} className={c.numeric ? 'numeric' : undefined}>
            {c.id === 'name' ? (
              <span className="cell-with-icon">
                <VmIcon state={vm.state} />
                {renaming ? <VmRenameBox vm={vm} /> : <bdi className="vm-name">{vm.name}</bdi>}
              </span>
            ) : (
              c.text(vm, 0)
            )}
          </td>
        );
      })}
    </tr>
  );
});
