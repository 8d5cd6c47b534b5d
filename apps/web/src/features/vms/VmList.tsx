import { useQuery } from '@tanstack/react-query';
import { useCallback } from 'react';
import type { VmId } from '@hvm/engine';
import { vmsQuery } from '../../api/vms';
import { errorMessage } from '../../api/client';
import { useHostConnection } from '../../stores/hostConnectionStore';
import { useUiStore } from '../../stores/uiStore';
import { useCheckpointsAhead } from '../checkpoints/useCheckpointsAhead';
import { useDisplayedColumns } from '../menus/viewSettings';
import { useVirtualRows } from './useVirtualRows';
import { useVmListKeyboard } from './useVmListKeyboard';
import { useVmSorting } from './useVmSorting';
import { columnWidth } from './vmColumnWidths';
import { VmRow } from './VmRow';
import './vms.css';

/** Every row is this tall (CSS `.vm-list tbody tr`), so the window can be computed. */
export const VM_ROW_HEIGHT = 22;
const HEADER_HEIGHT = 24;

/**
 * The "Virtual Machines" list: sortable columns (useVmSorting), one selected row, a context menu
 * and keys per row (useVmListKeyboard). Only the rows in view (plus a few) are rendered, between
 * two spacer rows (useVirtualRows), so a host with hundreds of VMs scrolls smoothly;
 * `aria-rowcount`/`aria-rowindex` tell assistive technology the full size.
 */
export function VmList() {
  const { data: vms, error, isPending } = useQuery(vmsQuery());
  const selectedVmId = useUiStore((s) => s.selectedVmId);
  const renamingVmId = useUiStore((s) => s.renamingVmId);
  const { rows, sortBy, descending, sortByColumn } = useVmSorting(vms);
  const { scrollRef, onScroll, first, last, scrollToIndex, pageRows, rowHeight } = useVirtualRows(
    rows.length,
    VM_ROW_HEIGHT,
    HEADER_HEIGHT,
  );
  const { onKeyDown, onContextMenu, setRef } = useVmListKeyboard(rows, scrollToIndex, pageRows);
  const columns = useDisplayedColumns();
  const live = !useHostConnection((s) => s.lost);
  const windowRows = rows.slice(first, last);

  // The roving tab stop: the selected row when it is in the window, else the window's first row.
  const focusId = windowRows.some((vm) => vm.id === selectedVmId)
    ? selectedVmId
    : windowRows[0]?.id;

  const onSelect = useCallback((vmId: VmId) => useUiStore.getState().selectVm(vmId), []);
  const onPressRow = useCheckpointsAhead();
  const onFocusRow = useCallback((vmId: VmId) => {
    if (useUiStore.getState().selectedVmId === null) useUiStore.getState().selectVm(vmId);
  }, []);

  return (
    <div className="vm-list-scroll" ref={scrollRef} onScroll={onScroll}>
      <table
        role="grid"
        aria-label="Virtual Machines"
        className="grid vm-list"
        aria-rowcount={rows.length + 1}
        aria-busy={!live || undefined}
      >
        {/* Fixed widths: rows scrolled into view or an error under a rename box move no column. */}
        <colgroup>
          {columns.map((c) => (
            <col key={c.id} style={{ width: columnWidth(c.id) }} />
          ))}
        </colgroup>
        <thead>
          <tr aria-rowindex={1}>
            {columns.map((c) => (
              <th
                key={c.id}
                scope="col"
                aria-sort={c.id === sortBy ? (descending ? 'descending' : 'ascending') : 'none'}
                className={c.numeric ? 'numeric' : undefined}
              >
                <button
                  type="button"
                  className="column-header"
                  title={c.header}
                  onClick={() => sortByColumn(c.id)}
                >
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
          {first > 0 && (
            <tr role="presentation" className="spacer" aria-hidden="true">
              <td colSpan={columns.length} style={{ height: first * rowHeight }} />
            </tr>
          )}
          {windowRows.map((vm, i) => (
            <VmRow
              key={vm.id}
              vm={vm}
              columns={columns}
              live={live}
              rowIndex={first + i + 2}
              selected={vm.id === selectedVmId}
              focusable={vm.id === focusId}
              renaming={vm.id === renamingVmId}
              onSelect={onSelect}
              onPress={onPressRow}
              onFocusRow={onFocusRow}
              onKeyDown={onKeyDown}
              onContextMenu={onContextMenu}
              setRef={setRef}
            />
          ))}
          {last < rows.length && (
            <tr role="presentation" className="spacer" aria-hidden="true">
              <td colSpan={columns.length} style={{ height: (rows.length - last) * rowHeight }} />
            </tr>
          )}
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
