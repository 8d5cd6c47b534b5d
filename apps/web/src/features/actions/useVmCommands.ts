import type { VmAction } from '@hvm/engine';
import type { VmBody } from '../../api/bodies';
import { errorMessage } from '../../api/client';
import type { Command } from '../../shared/commands';
import { runVmRequest, useUiStore, vmRequestKey } from '../../stores/uiStore';
import { isProductionMessageHidden } from '../checkpoints/productionMessage';
import { useAllowedCommands } from '../signIn/usePermissions';
import { useCreateCheckpoint } from '../checkpoints/useCheckpointMutations';
import { VM_COMMAND_CAPTIONS, type VmCommandId } from '../vms/vmActionRules';
import { useVmAction } from '../vms/useVmMutations';

/** Commands that change the VM: off while a request of this window runs on it. */
const VM_CHANGING_COMMANDS: readonly VmCommandId[] = [
  'start',
  'turnOff',
  'shutDown',
  'save',
  'pause',
  'resume',
  'reset',
  'deleteSavedState',
  'checkpoint',
  'revert',
  'rename',
  'delete',
];

/**
 * The commands for one VM, shared by its context menu, its section of the Actions pane and its
 * Virtual Machine Connection window. `hostPath`: the VM's server when a connection window asks
 * (its own, whichever server is selected: the requests, the questions they ask first and what is
 * read again afterwards go there); the selected server when undefined.
 */
export function useVmCommands(vm: VmBody | undefined, hostPath?: string): Command[] {
  const openDialog = useUiStore((s) => s.openDialog);
  const showNotice = useUiStore((s) => s.showNotice);
  const startVmRename = useUiStore((s) => s.startVmRename);
  const vmAction = useVmAction(hostPath);
  const createCheckpoint = useCreateCheckpoint(hostPath);
  const allowed = useAllowedCommands();
  const requestKey = vm === undefined ? null : vmRequestKey(vm.id, hostPath);
  const busy = useUiStore((s) => requestKey !== null && s.vmsBusy.includes(requestKey));
  if (!vm || requestKey === null) return [];
  const onServer = hostPath === undefined ? {} : { hostPath };
  // Which commands the VM's state allows: the server's answer (the engine's transition table).
  const enabled = { ...vm.allowedActions };
  // While a request of this window runs on the VM, the commands that change it wait for it.
  if (busy) for (const id of VM_CHANGING_COMMANDS) enabled[id] = false;

  const fail = (title: string, summary: string) => (error: unknown) =>
    openDialog({ kind: 'error', title, summary, message: errorMessage(error) });

  const power = (action: VmAction, caption: string) => () => {
    // mutateAsync: the menu that started the command closes (unmounts) before the answer comes.
    void runVmRequest(requestKey, () => vmAction.mutateAsync({ vmId: vm.id, action }))?.catch(
      fail(
        'Hyper-V Manager',
        `An error occurred while attempting to ${caption.toLowerCase()} '${vm.name}'.`,
      ),
    );
  };

  const checkpoint = () => {
    void runVmRequest(requestKey, () => createCheckpoint.mutateAsync({ vmId: vm.id }))?.then(
      (created) => {
        if (created.note) showNotice(`Checkpoint "${created.name}": ${created.note}`);
        if (created.kind === 'Production' && !isProductionMessageHidden()) {
          openDialog({ kind: 'production-created', checkpoint: created });
        }
      },
      fail(
        'Hyper-V Manager',
        'An error occurred while attempting to checkpoint the selected virtual machine(s).',
      ),
    );
  };

  const run: Record<VmCommandId, () => void> = {
    connect: () => openDialog({ kind: 'vm-connection', vmId: vm.id }),
    settings: () => openDialog({ kind: 'settings', vmId: vm.id, ...onServer }),
    start: power('start', 'Start'),
    turnOff: () => openDialog({ kind: 'turn-off', vmId: vm.id, ...onServer }),
    shutDown: () => openDialog({ kind: 'shut-down', vmId: vm.id, ...onServer }),
    save: power('save', 'Save'),
    pause: power('pause', 'Pause'),
    resume: power('resume', 'Resume'),
    reset: () => openDialog({ kind: 'reset', vmId: vm.id, ...onServer }),
    deleteSavedState: () => openDialog({ kind: 'delete-saved-state', vmId: vm.id, ...onServer }),
    checkpoint,
    revert: () => openDialog({ kind: 'revert', vmId: vm.id, ...onServer }),
    export: () => openDialog({ kind: 'export', vmId: vm.id, checkpointId: null }),
    rename: () => startVmRename(vm.id),
    delete: () => openDialog({ kind: 'delete-vm', vmId: vm.id }),
    help: () => openDialog({ kind: 'help' }),
  };

  const separators = new Set<VmCommandId>(['settings', 'start', 'checkpoint', 'rename', 'help']);
  return allowed(
    (Object.keys(VM_COMMAND_CAPTIONS) as VmCommandId[]).map((id) => ({
      id,
      caption: VM_COMMAND_CAPTIONS[id],
      enabled: enabled[id],
      run: run[id],
      separatorBefore: separators.has(id),
    })),
  );
}
