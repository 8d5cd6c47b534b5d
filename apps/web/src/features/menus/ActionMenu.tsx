import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { VmBody } from '../../api/bodies';
import { vmsQuery } from '../../api/vms';
import type { Command } from '../../shared/commands';
import { useUiStore } from '../../stores/uiStore';
import { useCheckpointCommands } from '../actions/useCheckpointCommands';
import { useVmCommands } from '../actions/useVmCommands';
import { useSelectedCheckpoint } from '../checkpoints/useSelectedCheckpoint';
import { MenuList } from './MenuList';
import { useHostCommands } from '../actions/useHostCommands';

/** What the Action menu acts on: where the focus was, as MMC's Action menu follows the selection. */
export type ActionTarget = 'host' | 'vm' | 'checkpoint';

/**
 * The target for an element that had the focus before the menu bar took it: the console tree
 * means the host, the Virtual Machines list the selected VM, the Checkpoints tree the selected
 * checkpoint; anywhere else, the most specific selection.
 */
export function actionTargetOf(focused: Element | null): ActionTarget {
  const { selectedVmId, selectedCheckpointId } = useUiStore.getState();
  if (focused?.closest('.console-tree')) return 'host';
  if (focused?.closest('[role="grid"][aria-label="Virtual Machines"]')) {
    return selectedVmId ? 'vm' : 'host';
  }
  if (selectedVmId && selectedCheckpointId) return 'checkpoint';
  return selectedVmId ? 'vm' : 'host';
}

interface ActionMenuProps {
  target: ActionTarget;
  onChoose: (command: Command) => void;
}

/** MMC ends the Action menu with Refresh and Help; the VM and checkpoint lists end with Help. */
function withRefreshAndHelp(commands: Command[], refresh: () => void, help: () => void): Command[] {
  const helpEntry = commands.find((c) => c.id === 'help') ?? {
    id: 'help',
    caption: 'Help',
    enabled: true,
    run: help,
  };
  return [
    ...commands.filter((c) => c.id !== 'help'),
    { id: 'refresh', caption: 'Refresh', enabled: true, run: refresh, separatorBefore: true },
    { ...helpEntry, separatorBefore: false },
  ];
}

function useRefreshAndHelp() {
  const queryClient = useQueryClient();
  const openDialog = useUiStore((s) => s.openDialog);
  return {
    refresh: () => void queryClient.invalidateQueries(),
    help: () => openDialog({ kind: 'help' }),
  };
}

function HostActionMenu({ onChoose }: Omit<ActionMenuProps, 'target'>) {
  const { refresh, help } = useRefreshAndHelp();
  const commands = withRefreshAndHelp(useHostCommands(), refresh, help);
  return <MenuList label="Action" commands={commands} onChoose={onChoose} />;
}

function VmActionMenu({ vm, onChoose }: { vm: VmBody } & Omit<ActionMenuProps, 'target'>) {
  const { refresh, help } = useRefreshAndHelp();
  const commands = withRefreshAndHelp(useVmCommands(vm), refresh, help);
  return <MenuList label="Action" commands={commands} onChoose={onChoose} />;
}

function CheckpointActionMenu({ vm, onChoose }: { vm: VmBody } & Omit<ActionMenuProps, 'target'>) {
  const { refresh, help } = useRefreshAndHelp();
  const checkpoint = useSelectedCheckpoint(vm.id);
  const commands = withRefreshAndHelp(useCheckpointCommands(vm, checkpoint), refresh, help);
  return <MenuList label="Action" commands={commands} onChoose={onChoose} />;
}

/** The Action menu: the commands of the Actions pane for the target, plus Refresh and Help. */
export function ActionMenu({ target, onChoose }: ActionMenuProps) {
  const { data: vms } = useQuery(vmsQuery());
  const selectedVmId = useUiStore((s) => s.selectedVmId);
  const vm = vms?.find((v) => v.id === selectedVmId);
  if (target === 'checkpoint' && vm) return <CheckpointActionMenu vm={vm} onChoose={onChoose} />;
  if (target !== 'host' && vm) return <VmActionMenu vm={vm} onChoose={onChoose} />;
  return <HostActionMenu onChoose={onChoose} />;
}
