import { useQuery } from '@tanstack/react-query';
import { memo, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { VmId, VmSummary } from '@hvm/engine';
import { vmsQuery } from '../../api/vms';
import { errorMessage } from '../../api/client';
import { useClock } from '../../shared/clock';
import { VmIcon } from '../../shared/icons';
import { useUiStore } from '../../stores/uiStore';
import { VM_COLUMNS, sortVms, type VmColumn, type VmColumnId } from './vmColumns';
import { vmCommandAvailability } from './vmActionRules';
import { VmRenameBox } from './VmRenameBox';
import './vms.css';

/** Every row is this tall (CSS `.vm-list tbody tr`), so the window can be computed. */
export const VM_ROW_HEIGHT = 22;
const HEADER_HEIGHT = 24;
/** Rows rendered above and below the visible ones. */
const OVERSCAN = 8;
/** The viewport assumed before the list has been measured (and in tests without layout). */
const FALLBACK_VIEWPORT = 600;

type RowKeyHandler = (e: React.KeyboardEvent<HTMLTableRowElement>, vm: VmSummary) => void;
type RowMenuHandler = (e: React.MouseEvent<HTMLTableRowElement>, vm: VmSummary) => void;

/** The Uptime cell ticks on its own: only running VMs' cells re-render every second. */
const UptimeCell = memo(function UptimeCell({ vm, column }: { vm: VmSummary; column: VmColumn }) {
  const now = useClock(vm.state === 'Running');
  return <td className="numeric">{column.text(vm, now)}</td>;
});

interface VmRowProps {
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

const VmRow = memo(function VmRow({
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

/**
 * The "Virtual Machines" list: sortable columns, one selected row, a context menu per row. Only the
 * rows in view (plus a few) are rendered, between two spacer rows, so a host with hundreds of VMs
 * scrolls smoothly; `aria-rowcount`/`aria-rowindex` tell assistive technology the full size.
 */
export function VmList() {
  const { data: vms, error, isPending } = useQuery(vmsQuery());
  const selectedVmId = useUiStore((s) => s.selectedVmId);
  const renamingVmId = useUiStore((s) => s.renamingVmId);
  const [sortBy, setSortBy] = useState<VmColumnId>('name');
  const [descending, setDescending] = useState(false);
  const [scrollTop, setScrollTop] = useState(0);
  const [viewport, setViewport] = useState(FALLBACK_VIEWPORT);
  const scrollRef = useRef<HTMLDivElement>(null);
  const rowRefs = useRef(new Map<VmId, HTMLTableRowElement>());
  const pendingFocus = useRef<VmId | null>(null);

  const rows = useMemo(() => {
    const column = VM_COLUMNS.find((c) => c.id === sortBy) ?? VM_COLUMNS[0];
    if (!vms || !column) return [];
    // Uptime is compared as of the newest reading (running VMs all advance together).
    const asOf = vms.reduce((t, v) => Math.max(t, Date.parse(v.observedAt) || 0), 0);
    return sortVms(vms, column, descending, asOf);
  }, [vms, sortBy, descending]);

  useLayoutEffect(() => {
    const node = scrollRef.current;
    if (!node) return undefined;
    const measure = () => {
      if (node.clientHeight > 0) setViewport(node.clientHeight);
    };
    measure();
    if (typeof ResizeObserver === 'undefined') return undefined;
    const observer = new ResizeObserver(measure);
    observer.observe(node);
    return () => observer.disconnect();
  }, []);

  const rowsInView = Math.ceil(Math.max(0, viewport - HEADER_HEIGHT) / VM_ROW_HEIGHT);
  const first = Math.max(0, Math.floor(scrollTop / VM_ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(rows.length, Math.floor(scrollTop / VM_ROW_HEIGHT) + rowsInView + OVERSCAN);
  const windowRows = rows.slice(first, last);

  // The roving tab stop: the selected row when it is in the window, else the window's first row.
  const focusId = windowRows.some((vm) => vm.id === selectedVmId)
    ? selectedVmId
    : windowRows[0]?.id;

  /** Scrolls so that row `index` is fully visible. */
  const scrollToIndex = useCallback(
    (index: number) => {
      const node = scrollRef.current;
      const top = index * VM_ROW_HEIGHT;
      const bottom = top + VM_ROW_HEIGHT;
      const visible = Math.max(VM_ROW_HEIGHT, viewport - HEADER_HEIGHT);
      let next = scrollTop;
      if (top < scrollTop) next = top;
      else if (bottom > scrollTop + visible) next = bottom - visible;
      if (next !== scrollTop) {
        if (node) node.scrollTop = next;
        setScrollTop(next);
      }
    },
    [scrollTop, viewport],
  );

  useLayoutEffect(() => {
    const id = pendingFocus.current;
    if (id === null) return;
    const row = rowRefs.current.get(id);
    if (row) {
      pendingFocus.current = null;
      row.focus({ preventScroll: true });
    }
  });

  // The latest rows and helpers for the memoised rows' stable handlers.
  const latest = useRef({ rows, scrollToIndex });
  useEffect(() => {
    latest.current = { rows, scrollToIndex };
  });

  const onSelect = useCallback((vmId: VmId) => useUiStore.getState().selectVm(vmId), []);
  const onFocusRow = useCallback((vmId: VmId) => {
    if (useUiStore.getState().selectedVmId === null) useUiStore.getState().selectVm(vmId);
  }, []);
  const setRef = useCallback((vmId: VmId, node: HTMLTableRowElement | null) => {
    if (node) rowRefs.current.set(vmId, node);
    else rowRefs.current.delete(vmId);
  }, []);

  const menuAt = (vm: VmSummary, x: number, y: number, element: HTMLElement) => {
    const ui = useUiStore.getState();
    ui.selectVm(vm.id);
    ui.openContextMenu({ target: { kind: 'vm', vmId: vm.id }, x, y, returnFocus: element });
  };

  const onContextMenu = useCallback<RowMenuHandler>((e, vm) => {
    e.preventDefault();
    const rect = e.currentTarget.getBoundingClientRect();
    const keyboard = e.clientX === 0 && e.clientY === 0;
    menuAt(
      vm,
      keyboard ? rect.left + 24 : e.clientX,
      keyboard ? rect.bottom : e.clientY,
      e.currentTarget,
    );
  }, []);

  const onKeyDown = useCallback<RowKeyHandler>((e, vm) => {
    const { rows: all, scrollToIndex: scrollTo } = latest.current;
    const ui = useUiStore.getState();
    const index = all.findIndex((v) => v.id === vm.id);
    const move = (to: number) => {
      const target = Math.max(0, Math.min(all.length - 1, to));
      const next = all[target];
      if (!next) return;
      ui.selectVm(next.id);
      scrollTo(target);
      const row = rowRefs.current.get(next.id);
      if (row) row.focus({ preventScroll: true });
      else pendingFocus.current = next.id;
    };
    const page = Math.max(
      1,
      Math.floor((scrollRef.current?.clientHeight ?? 0) / VM_ROW_HEIGHT) - 1,
    );
    switch (e.key) {
      case 'ArrowDown':
        e.preventDefault();
        move(index + 1);
        break;
      case 'ArrowUp':
        e.preventDefault();
        move(index - 1);
        break;
      case 'PageDown':
        e.preventDefault();
        move(index + (page > 1 ? page : 20));
        break;
      case 'PageUp':
        e.preventDefault();
        move(index - (page > 1 ? page : 20));
        break;
      case 'Home':
        e.preventDefault();
        move(0);
        break;
      case 'End':
        e.preventDefault();
        move(all.length - 1);
        break;
      case 'ContextMenu':
      case 'F10':
        if (e.key === 'ContextMenu' || e.shiftKey) {
          e.preventDefault();
          const rect = e.currentTarget.getBoundingClientRect();
          menuAt(vm, rect.left + 24, rect.bottom, e.currentTarget);
        }
        break;
      case 'Enter':
        e.preventDefault();
        ui.selectVm(vm.id);
        ui.openDialog({ kind: 'vm-connection', vmId: vm.id });
        break;
      case ' ':
        e.preventDefault();
        ui.selectVm(vm.id);
        break;
      case 'F2':
        e.preventDefault();
        ui.startVmRename(vm.id);
        break;
      case 'Delete':
        e.preventDefault();
        ui.selectVm(vm.id);
        if (vmCommandAvailability(vm).delete) ui.openDialog({ kind: 'delete-vm', vmId: vm.id });
        else {
          ui.openDialog({
            kind: 'error',
            title: 'Hyper-V Manager',
            summary: `'${vm.name}' cannot be deleted while it is ${vm.state.toLowerCase()}.`,
            message: 'Turn off or save the virtual machine first, then delete it.',
          });
        }
        break;
    }
  }, []);

  const onHeaderClick = (id: VmColumnId) => {
    if (id === sortBy) setDescending(!descending);
    else {
      setSortBy(id);
      setDescending(false);
    }
  };

  const renderRow = (vm: VmSummary, index: number) => (
    <VmRow
      key={vm.id}
      vm={vm}
      rowIndex={index + 2}
      selected={vm.id === selectedVmId}
      focusable={vm.id === focusId}
      renaming={vm.id === renamingVmId}
      onSelect={onSelect}
      onFocusRow={onFocusRow}
      onKeyDown={onKeyDown}
      onContextMenu={onContextMenu}
      setRef={setRef}
    />
  );

  return (
    <div
      className="vm-list-scroll"
      ref={scrollRef}
      onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
    >
      <table
        role="grid"
        aria-label="Virtual Machines"
        className="grid vm-list"
        aria-rowcount={rows.length + 1}
      >
        <thead>
          <tr aria-rowindex={1}>
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
          {first > 0 && (
            <tr role="presentation" className="spacer" aria-hidden="true">
              <td colSpan={VM_COLUMNS.length} style={{ height: first * VM_ROW_HEIGHT }} />
            </tr>
          )}
          {windowRows.map((vm, i) => renderRow(vm, first + i))}
          {last < rows.length && (
            <tr role="presentation" className="spacer" aria-hidden="true">
              <td
                colSpan={VM_COLUMNS.length}
                style={{ height: (rows.length - last) * VM_ROW_HEIGHT }}
              />
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
