import { useCallback, useEffect, useLayoutEffect, useRef } from 'react';
import type { VmId, VmSummary } from '@hvm/engine';
import { useUiStore } from '../../stores/uiStore';
import { vmAllows } from '../actions/serverRules';
import { isTypingKey, typeAhead, TYPE_AHEAD_PAUSE_MS, type TypeAheadState } from './typeAhead';

export type RowKeyHandler = (e: React.KeyboardEvent<HTMLTableRowElement>, vm: VmSummary) => void;
export type RowMenuHandler = (e: React.MouseEvent<HTMLTableRowElement>, vm: VmSummary) => void;

/** Rows Page Up / Page Down move by before the list has been laid out. */
const PAGE_WITHOUT_LAYOUT = 20;

/**
 * Makes sure the row is in sight once drawn, from the real layout (the scroll container's
 * scroll-padding keeps it clear of the sticky header); no layout in tests, nothing to do there.
 */
function reveal(row: HTMLElement) {
  if (typeof row.scrollIntoView === 'function') row.scrollIntoView({ block: 'nearest' });
}

function menuAt(vm: VmSummary, x: number, y: number, element: HTMLElement) {
  const ui = useUiStore.getState();
  ui.selectVm(vm.id);
  ui.openContextMenu({ target: { kind: 'vm', vmId: vm.id }, x, y, returnFocus: element });
}

/**
 * The list's keyboard and its context menu, as in Hyper-V Manager: arrows, Page Up/Down, Home and
 * End move the selection (scrolling it into view and focusing its row, once rendered); typing a
 * name's first letters selects it (typeAhead.ts); Enter
 * connects, Space selects, F2 renames, Delete asks to delete (or says why it cannot), and the
 * Menu key or Shift+F10 opens the row's menu. The handlers are stable, for memoised rows.
 */
export function useVmListKeyboard(
  rows: readonly VmSummary[],
  scrollToIndex: (index: number) => void,
  pageRows: () => number,
) {
  const rowRefs = useRef(new Map<VmId, HTMLTableRowElement>());
  const pendingFocus = useRef<VmId | null>(null);
  const search = useRef<TypeAheadState>({ text: '', at: -Infinity });

  useLayoutEffect(() => {
    const id = pendingFocus.current;
    if (id === null) return;
    const row = rowRefs.current.get(id);
    if (row) {
      pendingFocus.current = null;
      row.focus({ preventScroll: true });
      reveal(row);
    }
  });

  // The latest rows and helpers for the stable handlers.
  const latest = useRef({ rows, scrollToIndex, pageRows });
  useEffect(() => {
    latest.current = { rows, scrollToIndex, pageRows };
  });

  const setRef = useCallback((vmId: VmId, node: HTMLTableRowElement | null) => {
    if (node) rowRefs.current.set(vmId, node);
    else rowRefs.current.delete(vmId);
  }, []);

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
    const { rows: all, scrollToIndex: scrollTo, pageRows: page } = latest.current;
    const ui = useUiStore.getState();
    const index = all.findIndex((v) => v.id === vm.id);
    const move = (to: number) => {
      const target = Math.max(0, Math.min(all.length - 1, to));
      const next = all[target];
      if (!next) return;
      ui.selectVm(next.id);
      scrollTo(target);
      const row = rowRefs.current.get(next.id);
      if (row) {
        row.focus({ preventScroll: true });
        reveal(row);
      } else pendingFocus.current = next.id;
    };
    const pageSize = Math.max(1, page());
    const pageStep = pageSize > 1 ? pageSize : PAGE_WITHOUT_LAYOUT;
    // Type-ahead: letters select the VM whose name starts with them; a space belongs to the
    // name only while a search is under way (otherwise Space selects the row).
    const now = Date.now();
    const searching = now - search.current.at <= TYPE_AHEAD_PAUSE_MS;
    if (isTypingKey(e) && (e.key !== ' ' || searching)) {
      e.preventDefault();
      const found = typeAhead(all, index, search.current, e.key, now);
      search.current = found.state;
      if (found.index >= 0) move(found.index);
      return;
    }
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
        move(index + pageStep);
        break;
      case 'PageUp':
        e.preventDefault();
        move(index - pageStep);
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
        if (vmAllows(vm, 'delete')) ui.openDialog({ kind: 'delete-vm', vmId: vm.id });
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

  return { onKeyDown, onContextMenu, setRef };
}
