import { useQuery } from '@tanstack/react-query';
import { useEffect, useLayoutEffect } from 'react';
import type { VmId } from '@hvm/engine';
import { vmsQuery } from '../../api/vms';
import { hostPathOf, useSelectedHost } from '../../stores/selectedHostStore';
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

/**
 * Every open Virtual Machine Connection window. A window of a VM on the selected server closes as
 * soon as the VM leaves the server's list; one on another server, when the server says the VM is
 * gone (VmConnectionWindow).
 */
export function VmConnectionWindows() {
  useConnectOnDoubleClick();
  const open = useVmConnectionStore((s) => s.open);
  const stacking = useVmConnectionStore((s) => s.stacking);
  const closeConnection = useVmConnectionStore((s) => s.closeConnection);
  const selectedHostPath = useSelectedHost((s) => hostPathOf(s.hostId));
  const { data: vms } = useQuery(vmsQuery());

  useEffect(() => {
    if (!vms) return;
    for (const w of open) {
      if (w.hostPath === selectedHostPath && !vms.some((v) => v.id === w.vmId)) {
        closeConnection(w.key);
      }
    }
  }, [vms, open, selectedHostPath, closeConnection]);

  return (
    <>
      {open.map((w, index) => (
        <VmConnectionWindow
          key={w.key}
          connection={w}
          openedIndex={index}
          stackIndex={stacking.indexOf(w.key)}
        />
      ))}
    </>
  );
}
