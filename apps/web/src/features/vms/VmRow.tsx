import { memo } from 'react';
import type { VmId, VmSummary } from '@hvm/engine';
import { useClock } from '../../shared/clock';
import { VmIcon } from '../../shared/icons';
import type { RowKeyHandler, RowMenuHandler } from './useVmListKeyboard';
import type { VmColumn } from './vmColumns';
import { VmRenameBox } from './VmRenameBox';

/** The Uptime cell ticks on its own: only running VMs' cells re-render every second. */
const UptimeCell = memo(function UptimeCell({
  vm,
  column,
  live,
}: {
  vm: VmSummary;
  column: VmColumn;
  live: boolean;
}) {
  // While the connection to the host is lost the figure stops: the VM may no longer be running.
  const now = useClock(vm.state === 'Running' && live);
  return <td className="numeric">{column.text(vm, now)}</td>;
});

export interface VmRowProps {
  vm: VmSummary;
  /** The columns shown (View > Add/Remove Columns...), in order. */
  columns: readonly VmColumn[];
  /** False while the connection to the host is lost: the row shows its last known figures. */
  live: boolean;
  rowIndex: number;
  selected: boolean;
  focusable: boolean;
  renaming: boolean;
  onSelect: (vmId: VmId) => void;
  /** The primary or secondary button went down on the row: it is about to be selected. */
  onPress: (vmId: VmId) => void;
  onFocusRow: (vmId: VmId) => void;
  onKeyDown: RowKeyHandler;
  onContextMenu: RowMenuHandler;
  setRef: (vmId: VmId, node: HTMLTableRowElement | null) => void;
}

/** One row of the Virtual Machines list; memoised, so that only changed rows re-render. */
export const VmRow = memo(function VmRow({
  vm,
  columns,
  live,
  rowIndex,
  selected,
  focusable,
  renaming,
  onSelect,
  onPress,
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
      className={`${selected ? 'selected' : ''}${live ? '' : ' stale'}`.trim() || undefined}
      onPointerDown={(e) => {
        if (e.button === 0 || e.button === 2) onPress(vm.id);
      }}
      onClick={() => onSelect(vm.id)}
      onFocus={() => onFocusRow(vm.id)}
      onContextMenu={(e) => onContextMenu(e, vm)}
      onKeyDown={(e) => onKeyDown(e, vm)}
    >
      {columns.map((c) => {
        if (c.id === 'uptime') return <UptimeCell key={c.id} vm={vm} column={c} live={live} />;
        const classes = [c.numeric ? 'numeric' : '', renaming && c.id === 'name' ? 'renaming' : '']
          .filter(Boolean)
          .join(' ');
        return (
          <td key={c.id} className={classes || undefined}>
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
