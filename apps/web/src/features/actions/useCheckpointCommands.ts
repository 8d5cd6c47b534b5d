import { checkpointActionsOf } from '@hvm/contracts';
import type { Checkpoint } from '@hvm/engine';
import type { VmBody } from '../../api/bodies';
import type { Command } from '../../shared/commands';
import { useUiStore } from '../../stores/uiStore';
import { checkpointCommandPermissions, useAllowedCommands } from '../signIn/usePermissions';
import { CHECKPOINT_COMMAND_CAPTIONS, type CheckpointCommandId } from '../vms/vmActionRules';

/**
 * The commands of any checkpoint of `vm`, enabled as the VM's state and the user's role allow:
 * what its context menu and its section of the Actions pane show, and what the tree's keys run.
 */
export function useCheckpointCommandsOf(
  vm: Pick<VmBody, 'id' | 'allowedCheckpointActions'> | undefined,
): (checkpoint: Checkpoint) => Command[] {
  const openDialog = useUiStore((s) => s.openDialog);
  const startRename = useUiStore((s) => s.startRename);
  const allowed = useAllowedCommands(checkpointCommandPermissions);
  return (checkpoint) => {
    if (!vm) return [];
    // The server's answer for the checkpoints of this VM (they wait for a steady state), narrowed
    // by the checkpoint's kind (a Recovery checkpoint cannot be applied).
    const enabled = checkpointActionsOf(vm.allowedCheckpointActions, checkpoint);
    const target = { vmId: vm.id, checkpointId: checkpoint.id };
    const run: Record<CheckpointCommandId, () => void> = {
      settings: () => openDialog({ kind: 'checkpoint-settings', ...target }),
      apply: () => openDialog({ kind: 'apply-checkpoint', ...target }),
      export: () => openDialog({ kind: 'export', ...target }),
      rename: () => startRename(checkpoint.id),
      delete: () => openDialog({ kind: 'delete-checkpoint', ...target, subtree: false }),
      deleteSubtree: () => openDialog({ kind: 'delete-checkpoint', ...target, subtree: true }),
      help: () => openDialog({ kind: 'help' }),
    };
    const separators = new Set<CheckpointCommandId>(['apply', 'delete', 'help']);
    return allowed(
      (Object.keys(CHECKPOINT_COMMAND_CAPTIONS) as CheckpointCommandId[]).map((id) => ({
        id,
        caption: CHECKPOINT_COMMAND_CAPTIONS[id],
        enabled: enabled[id],
        run: run[id],
        separatorBefore: separators.has(id),
      })),
    );
  };
}

/** The commands for one checkpoint: its context menu and its section of the Actions pane. */
export function useCheckpointCommands(
  vm: VmBody | undefined,
  checkpoint: Checkpoint | undefined,
): Command[] {
  const commandsOf = useCheckpointCommandsOf(vm);
  return checkpoint ? commandsOf(checkpoint) : [];
}
