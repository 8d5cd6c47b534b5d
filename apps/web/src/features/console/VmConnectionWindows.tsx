import { useQuery } from '@tanstack/react-query';
import { useEffect, useLayoutEffect } from 'react';
import type { VmId } from '@hvm/engine';
import { vmsQuery } from '../../api/vms';
import { useUiStore } from '../../stores/uiStore';
import { MAX_CONNECTION_WINDOWS, useVmConnectionStore } from './vmConnectionStore';
import { VmConnectionWindow } from './VmConnectionWindow';

/** What the status line says when one more window would go over the limit (our own words). */
export const TOO_MANY_WINDOWS = `At most ${MAX_CONNECTION_WINDOWS} Virtual Machine Connection windows can be open at once. Close one to connect to another virtual machine.`;

/** Opens the Virtual Machine Connection window of `vmId`, or says why it cannot. */
export function connectToVm(vmId: VmId): void {
  if (!useVmConnectionStore.getState().openConnection(vmId)) {
    useUiStore.getState().showNotice(TOO_MANY_WINDOWS);
  }
}

/**
 * Connect... (the VM's command, Enter in the list) asks for the 'vm-connection' dialog; it opens
 * the VM's window instead and the dialog slot is free again at once.
 */
export function OpenVmConnection({ vmId }: { vmId: VmId }) {
  const closeDialog = useUiStore((s) => s.closeDialog);
  useLayoutEffect(() => {
    closeDialog();
    connectToVm(vmId);
  }, [vmId, closeDialog]);
  return null;
}

/**
 * A double-click on a row of the Virtual Machines list connects to its VM, as in Hyper-V Manager
 * (Microsoft's Hyper-V quick start: "In Hyper-V Manager, double-click on the virtual machine. This
 * will launch the VMConnect tool."). One listener on the document for every row (`data-vm-row`).
 */
function useConnectOnDoubleClick(): void {
  useEffect(() => {
    const onDoubleClick = (e: MouseEvent) => {
      const row = (e.target as Element | null)?.closest?.<HTMLElement>('[data-vm-row]');
      const vmId = row?.dataset.vmRow;
      if (!vmId || (e.target as Element).closest('input, textarea')) return;
      connectToVm(vmId as VmId);
    };
    document.addEventListener('dblclick', onDoubleClick);
    return () => document.removeEventListener('dblclick', onDoubleClick);
  }, []);
}

/** Every open Virtual Machine Connection window; a window whose VM is gone closes. */
export function VmConnectionWindows() {
  useConnectOnDoubleClick();
  const open = useVmConnectionStore((s) => s.open);
  const stacking = useVmConnectionStore((s) => s.stacking);
  const closeConnection = useVmConnectionStore((s) => s.closeConnection);
  const { data: vms } = useQuery(vmsQuery());

  useEffect(() => {
    if (!vms) return;
    for (const vmId of open) if (!vms.some((v) => v.id === vmId)) closeConnection(vmId);
  }, [vms, open, closeConnection]);

  return (
    <>
      {open.map((vmId, index) => (
        <VmConnectionWindow
          key={vmId}
          vmId={vmId}
          openedIndex={index}
          stackIndex={stacking.indexOf(vmId)}
        />
      ))}
    </>
  );
}
