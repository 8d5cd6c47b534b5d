import type { VmId } from '@hvm/engine';
import { ConfirmDialog } from '../../shared/ConfirmDialog';
import { useUiStore } from '../../stores/uiStore';
import { useVmName } from './VmDialogs';
import { useVmAction } from './useVmMutations';

/**
 * Reset asks first, as Hyper-V Manager does (issue 16: "Reset asks first as Hyper-V does"): a
 * reset is a power cycle, and what the guest had not written is lost, as with Turn Off. Hyper-V's
 * exact title and sentence for this box were not found in a source; these are ours, in the words
 * of the Turn Off box beside them.
 */
export function ResetVmDialog({ vmId, hostPath }: { vmId: VmId; hostPath?: string | undefined }) {
  const close = useUiStore((s) => s.closeDialog);
  const name = useVmName(vmId, hostPath);
  const run = useVmAction(hostPath);
  return (
    <ConfirmDialog
      title="Reset Machine"
      message={
        <>
          Do you want to reset{' '}
          <q>
            <bdi>{name}</bdi>
          </q>
          ? If you reset the virtual machine, any unsaved data in it will be lost.
        </>
      }
      choices={[
        {
          caption: 'Reset',
          isDefault: true,
          onChoose: () => run.mutateAsync({ vmId, action: 'reset' }).then(close),
        },
      ]}
      onCancel={close}
      pending={run.isPending}
      error={run.error}
      errorSummary="The virtual machine could not be reset."
    />
  );
}
