import { useQuery, useQueryClient } from '@tanstack/react-query';
import { hostQuery } from '../../api/host';
import { useCallback } from 'react';
import type { CheckpointId, VmId } from '@hvm/engine';
import { checkpointsQuery } from '../../api/checkpoints';
import { vmsQuery } from '../../api/vms';
import type { Command } from '../../shared/commands';
import { ContextMenu } from '../../shared/ContextMenu';
import { useUiStore } from '../../stores/uiStore';
import { useCheckpointCommands } from './useCheckpointCommands';
import { useHostCommands, useManagerCommands } from './useHostCommands';
import { useVmCommands } from './useVmCommands';

/** Shows the open context menu (a VM's or a checkpoint's), if any. */
export function AppContextMenu() {
  const menu = useUiStore((s) => s.contextMenu);
  const close = useUiStore((s) => s.closeContextMenu);
  const onClose = useCallback(() => {
    const returnFocus = useUiStore.getState().contextMenu?.returnFocus;
    close();
    if (returnFocus?.isConnected) returnFocus.focus();
  }, [close]);
  if (!menu) return null;
  const { target } = menu;
  if (target.kind === 'host') return <HostMenu x={menu.x} y={menu.y} onClose={onClose} />;
  if (target.kind === 'manager') return <ManagerMenu x={menu.x} y={menu.y} onClose={onClose} />;
  return target.kind === 'vm' ? (
    <VmMenu vmId={target.vmId} x={menu.x} y={menu.y} onClose={onClose} />
  ) : (
    <CheckpointMenu
      vmId={target.vmId}
      checkpointId={target.checkpointId}
      x={menu.x}
      y={menu.y}
      onClose={onClose}
    />
  );
}

interface MenuProps {
  vmId: VmId;
  x: number;
  y: number;
  onClose: () => void;
}

function VmMenu({ vmId, x, y, onClose }: MenuProps) {
  const { data: vms } = useQuery(vmsQuery());
  const vm = vms?.find((v) => v.id === vmId);
  const commands = useVmCommands(vm);
  if (!vm) return null;
  return <ContextMenu label={vm.name} commands={commands} x={x} y={y} onClose={onClose} />;
}

function CheckpointMenu({
  vmId,
  checkpointId,
  x,
  y,
  onClose,
}: MenuProps & { checkpointId: CheckpointId }) {
  const { data: vms } = useQuery(vmsQuery());
  const { data: tree } = useQuery(checkpointsQuery(vmId));
  const vm = vms?.find((v) => v.id === vmId);
  const checkpoint = tree?.checkpoints.find((c) => c.id === checkpointId);
  const commands = useCheckpointCommands(vm, checkpoint);
  if (!checkpoint) return null;
  return <ContextMenu label={checkpoint.name} commands={commands} x={x} y={y} onClose={onClose} />;
}

function HostMenu({ x, y, onClose }: Omit<MenuProps, 'vmId'>) {
  const { data: host } = useQuery(hostQuery());
  const queryClient = useQueryClient();
  const commands: Command[] = [
    ...useHostCommands(),
    {
      id: 'refresh',
      caption: 'Refresh',
      separatorBefore: true,
      enabled: true,
      run: () => void queryClient.invalidateQueries(),
    },
  ];
  return (
    <ContextMenu label={host?.name ?? 'Host'} commands={commands} x={x} y={y} onClose={onClose} />
  );
}

function ManagerMenu({ x, y, onClose }: Omit<MenuProps, 'vmId'>) {
  const commands = useManagerCommands();
  return <ContextMenu label="Hyper-V Manager" commands={commands} x={x} y={y} onClose={onClose} />;
}
